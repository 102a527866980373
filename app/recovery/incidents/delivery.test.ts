import { expect, test } from "vitest";
import { buildEvent, buildFulfillment, buildFulfillmentOrder, buildOrder, NY } from "../test-support/factories";
import { deliveryPromise, deliveryRecheckAt } from "./delivery";
import type { FulfillmentFacts } from "./facts";

// Checkout promised Friday 6 March 2026, 17:00 New York; that day ends at 05:00 UTC on Saturday.
const CHECKOUT = "2026-03-06T22:00:00Z";
const AFTER_PROMISED_DAY = "2026-03-07T05:00:00.000Z";

const order = (parcels: Partial<FulfillmentFacts>[], maxDeliveryAt: string | null = CHECKOUT) =>
  buildOrder({
    fulfillmentOrders: [
      buildFulfillmentOrder({ state: "fulfilled", maxDeliveryAt: maxDeliveryAt ? new Date(maxDeliveryAt) : null }),
    ],
    fulfillments: parcels.map((parcel, i) => buildFulfillment({ id: `gid://shopify/Fulfillment/${i + 1}`, ...parcel })),
  });

const inTransit = [buildEvent("in_transit", "2026-03-04T10:00:00Z")];

test.each([
  [
    "under way before the promise: just after the promised day",
    order([{ events: inTransit }]),
    "2026-03-05T20:00:00Z",
    AFTER_PROMISED_DAY,
  ],
  // Monday 9 March, after the change to daylight time: the end of that day in New York.
  [
    "under way past the promise: the end of today",
    order([{ events: inTransit }]),
    "2026-03-09T20:00:00Z",
    "2026-03-10T04:00:00.000Z",
  ],
  [
    "13 days past the promise: still re-checked",
    order([{ events: inTransit }]),
    "2026-03-19T20:00:00Z",
    "2026-03-20T04:00:00.000Z",
  ],
  ["15 days past the promise: given up", order([{ events: inTransit }]), "2026-03-21T20:00:00Z", null],
  [
    "delivered",
    order([{ events: [...inTransit, buildEvent("delivered", "2026-03-06T18:00:00Z")] }]),
    "2026-03-05T20:00:00Z",
    null,
  ],
  [
    "failed",
    order([{ events: [...inTransit, buildEvent("failure", "2026-03-06T18:00:00Z")] }]),
    "2026-03-05T20:00:00Z",
    null,
  ],
  [
    "returned to sender",
    order([{ events: [buildEvent("returned_to_sender", "2026-03-06T18:00:00Z")] }]),
    "2026-03-05T20:00:00Z",
    null,
  ],
  ["a cancelled parcel", order([{ events: inTransit, cancelled: true }]), "2026-03-05T20:00:00Z", null],
  ["no promise at all", order([{ events: inTransit }], null), "2026-03-05T20:00:00Z", null],
  [
    "no checkout promise: the carrier's first estimate",
    order(
      [
        {
          events: [
            buildEvent("in_transit", "2026-03-05T10:00:00Z", "2026-03-09T22:00:00Z"),
            buildEvent("in_transit", "2026-03-04T10:00:00Z", CHECKOUT),
          ],
        },
      ],
      null,
    ),
    "2026-03-05T20:00:00Z",
    AFTER_PROMISED_DAY,
  ],
  // The detector measures this parcel's delay against the checkout promise, so the re-check must too.
  [
    "a parcel not linked to its fulfillment order: the checkout promise",
    order([{ events: inTransit, fulfillmentOrderId: null }]),
    "2026-03-05T20:00:00Z",
    AFTER_PROMISED_DAY,
  ],
  [
    "not linked, with an earlier carrier estimate: still the checkout promise",
    order([
      { events: [buildEvent("in_transit", "2026-03-03T10:00:00Z", "2026-03-04T22:00:00Z")], fulfillmentOrderId: null },
    ]),
    "2026-03-04T12:00:00Z",
    AFTER_PROMISED_DAY,
  ],
])("delivery re-check: %s", (_name, facts, now, expected) => {
  const at = deliveryRecheckAt(facts, { now: new Date(now), timeZone: NY });
  expect(at?.toISOString() ?? null).toBe(expected);
});

test("each parcel keeps its own promise; the re-check is the soonest", () => {
  const facts = buildOrder({
    fulfillmentOrders: [
      buildFulfillmentOrder({
        id: "gid://shopify/FulfillmentOrder/1",
        maxDeliveryAt: new Date("2026-03-09T22:00:00Z"),
      }),
      buildFulfillmentOrder({ id: "gid://shopify/FulfillmentOrder/2", maxDeliveryAt: new Date(CHECKOUT) }),
    ],
    fulfillments: [
      buildFulfillment({
        id: "gid://shopify/Fulfillment/1",
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1",
        events: inTransit,
      }),
      buildFulfillment({
        id: "gid://shopify/Fulfillment/2",
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/2",
        events: inTransit,
      }),
    ],
  });
  expect(deliveryPromise(facts, facts.fulfillments[0]!)?.toISOString()).toBe("2026-03-09T22:00:00.000Z");
  expect(deliveryPromise(facts, facts.fulfillments[1]!)?.toISOString()).toBe("2026-03-06T22:00:00.000Z");
  expect(deliveryRecheckAt(facts, { now: new Date("2026-03-05T20:00:00Z"), timeZone: NY })?.toISOString()).toBe(
    AFTER_PROMISED_DAY,
  );
});
