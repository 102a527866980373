/** The Admin API order read -> OrderFacts mapping the detectors run on. Pure: no database, no Shopify. */
import { expect, test } from "vitest";
import { orderFactsFromAdmin } from "../../app/shopify/mappers/order-facts";
import type { OrderForRecovery } from "../../app/shopify/operations/order-for-recovery";

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "USD" } });
const at = (iso: string) => new Date(iso);

function read(overrides: Partial<OrderForRecovery> = {}): OrderForRecovery {
  return {
    id: "gid://shopify/Order/1",
    name: "#1001",
    createdAt: at("2026-11-02T15:00:00Z"),
    updatedAt: at("2026-11-03T15:00:00Z"),
    cancelledAt: null,
    cancelReason: null,
    test: false,
    tags: ["Gift"],
    sourceName: "web",
    displayFulfillmentStatus: "UNFULFILLED",
    currencyCode: "USD",
    discountCodes: [],
    currentTotalPriceSet: money("75.50"),
    subtotalPriceSet: money("90.00"),
    customer: { id: "gid://shopify/Customer/7" },
    lineItems: { nodes: [{ product: { id: "gid://shopify/Product/4" } }] },
    fulfillmentOrders: {
      nodes: [
        {
          id: "gid://shopify/FulfillmentOrder/5",
          status: "IN_PROGRESS",
          fulfillBy: null,
          updatedAt: at("2026-11-03T00:00:00Z"),
          deliveryMethod: { maxDeliveryDateTime: at("2026-11-08T00:00:00Z") },
          assignedLocation: { name: "Leeds depot" },
        },
      ],
    },
    fulfillments: [],
    refunds: [
      {
        id: "gid://shopify/Refund/9",
        createdAt: at("2026-11-03T10:00:00Z"),
        note: "Chipped",
        totalRefundedSet: money("24.50"),
      },
    ],
    ...overrides,
  };
}

test("maps states, money in minor units (total before refunds), refunds and products", () => {
  const facts = orderFactsFromAdmin(read(), { customerTags: ["staff"] });

  expect(facts).toMatchObject({
    id: "gid://shopify/Order/1",
    name: "#1001",
    customerId: "gid://shopify/Customer/7",
    customerTags: ["staff"],
    currency: "USD",
    totals: { subtotalMinor: 9000, totalMinor: 10000 },
    tags: ["Gift"],
    cancelReason: null,
    productIds: ["gid://shopify/Product/4"],
    fulfillmentOrders: [
      {
        id: "gid://shopify/FulfillmentOrder/5",
        state: "partial",
        maxDeliveryAt: at("2026-11-08T00:00:00Z"),
        location: "Leeds depot",
      },
    ],
    refunds: [
      {
        id: "gid://shopify/Refund/9",
        amountMinor: 2450,
        createdByAmends: false,
        linkedToReturn: false,
        note: "Chipped",
      },
    ],
  });
});

test("cancel reasons are lower-cased; closed and cancelled fulfillment orders have nothing left to ship", () => {
  const facts = orderFactsFromAdmin(
    read({
      cancelledAt: at("2026-11-04T00:00:00Z"),
      cancelReason: "INVENTORY",
      fulfillmentOrders: {
        nodes: [
          {
            id: "gid://shopify/FulfillmentOrder/5",
            status: "CLOSED",
            fulfillBy: null,
            updatedAt: at("2026-11-03T00:00:00Z"),
            deliveryMethod: null,
            assignedLocation: { name: "Leeds depot" },
          },
          {
            id: "gid://shopify/FulfillmentOrder/6",
            status: "CANCELLED",
            fulfillBy: at("2026-11-05T00:00:00Z"),
            updatedAt: at("2026-11-03T00:00:00Z"),
            deliveryMethod: null,
            assignedLocation: { name: "Harbour warehouse" },
          },
        ],
      },
    }),
  );

  expect(facts.cancelReason).toBe("inventory");
  expect(facts.fulfillmentOrders.map((fo) => [fo.state, fo.fulfillBy, fo.location])).toEqual([
    ["fulfilled", null, "Leeds depot"],
    ["closed", at("2026-11-05T00:00:00Z"), "Harbour warehouse"],
  ]);
});

test("carrier events come oldest first, and a delivered parcel without its event gets one", () => {
  const facts = orderFactsFromAdmin(
    read({
      fulfillments: [
        {
          id: "gid://shopify/Fulfillment/8",
          status: "SUCCESS",
          displayStatus: "DELIVERED",
          createdAt: at("2026-11-03T00:00:00Z"),
          estimatedDeliveryAt: null,
          deliveredAt: at("2026-11-06T12:00:00Z"),
          trackingInfo: [{ company: "UPS" }],
          events: {
            nodes: [
              {
                status: "DELAYED",
                happenedAt: at("2026-11-05T00:00:00Z"),
                estimatedDeliveryAt: at("2026-11-07T00:00:00Z"),
              },
              {
                status: "IN_TRANSIT",
                happenedAt: at("2026-11-04T00:00:00Z"),
                estimatedDeliveryAt: at("2026-11-05T00:00:00Z"),
              },
            ],
          },
        },
      ],
    }),
  );

  const [parcel] = facts.fulfillments;
  expect(parcel).toMatchObject({
    carrier: "UPS",
    cancelled: false,
    fulfillmentOrderId: "gid://shopify/FulfillmentOrder/5",
  });
  expect(parcel!.events.map((e) => e.status)).toEqual(["in_transit", "delayed", "delivered"]);
});
