/** Reads Amends makes, answered from the store with Shopify's shapes and formats. */
import { describe, expect, test } from "vitest";
import { createAdminApi, setCustomerStatistics } from "../../sandbox/admin";
import { adminRequest } from "../../sandbox/admin/test-fixtures";
import { mswServer } from "../helpers/msw";
import { appTomlScopes } from "../helpers/app-scopes";
import { fx, adminFixtureEachTest } from "../helpers/admin-fixture";

adminFixtureEachTest();

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

test("customer: identity, value and store credit accounts", async () => {
  const { ada } = fx.customers;
  setCustomerStatistics(fx.shop, ada.id, { rfmGroup: "CHAMPIONS", predictedSpendTier: "HIGH" });
  fx.shop.storeCreditAccounts.set("77", {
    id: "77",
    customerId: ada.id,
    currency: "USD",
    transactions: [
      {
        id: "78",
        kind: "credit",
        amount: "10.00",
        createdAt: fx.clock.now(),
        expiresAt: null,
        remaining: "10.00",
        orderId: null,
      },
    ],
  });
  const res = await adminRequest(
    `query AmendsCustomer($id: ID!) {
      customer(id: $id) {
        id legacyResourceId firstName lastName displayName email defaultEmailAddress { emailAddress } locale tags
        amountSpent { amount currencyCode } numberOfOrders createdAt
        statistics { rfmGroup predictedSpendTier }
        defaultAddress { city countryCodeV2 provinceCode }
        storeCreditAccounts(first: 5) { nodes { id balance { amount currencyCode } } }
      }
    }`,
    { id: gid("Customer", ada.id) },
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data).toEqual({
    customer: {
      id: gid("Customer", ada.id),
      legacyResourceId: ada.id,
      firstName: "Ada",
      lastName: "Lovelace",
      displayName: "Ada Lovelace",
      email: "ada@example.com",
      defaultEmailAddress: { emailAddress: "ada@example.com" },
      locale: "en",
      tags: ["vip"],
      // Decimal as Shopify writes it (no trailing zero), UnsignedInt64 as a string, DateTime without milliseconds.
      amountSpent: { amount: "85.5", currencyCode: "USD" },
      numberOfOrders: "3",
      createdAt: "2025-09-28T15:00:00Z",
      statistics: { rfmGroup: "CHAMPIONS", predictedSpendTier: "HIGH" },
      defaultAddress: { city: "Springfield", countryCodeV2: "US", provinceCode: "NY" },
      storeCreditAccounts: {
        nodes: [{ id: gid("StoreCreditAccount", "77"), balance: { amount: "10.0", currencyCode: "USD" } }],
      },
    },
  });
});

test("an unknown customer or order is null, not an error", async () => {
  const res = await adminRequest(
    `{ customer(id: "gid://shopify/Customer/999") { id } order(id: "gid://shopify/Order/999") { id } }`,
  );
  expect(res.body).toMatchObject({ data: { customer: null, order: null } });
  expect(res.body.errors).toBeUndefined();
});

const ORDER_QUERY = `query AmendsOrder($id: ID!) {
  order(id: $id) {
    id name legacyResourceId createdAt updatedAt processedAt cancelledAt cancelReason
    displayFulfillmentStatus displayFinancialStatus test tags sourceName discountCodes currencyCode
    customer { id }
    totalPriceSet { shopMoney { amount currencyCode } }
    currentTotalPriceSet { shopMoney { amount currencyCode } }
    subtotalPriceSet { shopMoney { amount } }
    shippingAddress { city countryCodeV2 }
    lineItems(first: 10) { nodes { id title quantity sku variant { id } product { id } originalUnitPriceSet { shopMoney { amount } } } }
    fulfillmentOrders(first: 5) {
      nodes {
        id status fulfillBy updatedAt
        fulfillmentHolds { id reason reasonNotes }
        deliveryMethod { maxDeliveryDateTime }
        lineItems(first: 10) { nodes { remainingQuantity totalQuantity lineItem { id } } }
      }
    }
    fulfillments(first: 5) {
      id name status displayStatus createdAt estimatedDeliveryAt deliveredAt inTransitAt
      trackingInfo { company number }
      events(first: 10) { nodes { id status happenedAt estimatedDeliveryAt message createdAt } }
    }
    refunds { id createdAt note totalRefundedSet { shopMoney { amount } } }
  }
}`;

test("order: the full shape Amends reads, for a delayed shipment with a refund", async () => {
  const o = fx.orders.delayed;
  const res = await adminRequest(ORDER_QUERY, { id: gid("Order", o.id) });
  expect(res.body.errors).toBeUndefined();
  const line = o.lineItems[0]!;
  const fulfillment = o.fulfillments[0]!;
  expect(res.body.data).toEqual({
    order: {
      id: gid("Order", o.id),
      name: o.name,
      legacyResourceId: o.id,
      createdAt: "2026-10-28T15:00:00Z",
      updatedAt: "2026-10-28T15:00:00Z",
      processedAt: "2026-10-28T15:00:00Z",
      cancelledAt: null,
      cancelReason: null,
      displayFulfillmentStatus: "FULFILLED",
      displayFinancialStatus: "PARTIALLY_REFUNDED",
      test: false,
      tags: [],
      sourceName: "web",
      discountCodes: ["WELCOME10"],
      currencyCode: "USD",
      customer: { id: gid("Customer", fx.customers.ada.id) },
      totalPriceSet: { shopMoney: { amount: "30.5", currencyCode: "USD" } },
      currentTotalPriceSet: { shopMoney: { amount: "25.5", currencyCode: "USD" } },
      subtotalPriceSet: { shopMoney: { amount: "25.5" } },
      shippingAddress: { city: "Springfield", countryCodeV2: "US" },
      lineItems: {
        nodes: [
          {
            id: gid("LineItem", line.id),
            title: "Cosy socks",
            quantity: 3,
            sku: "SOCK-S",
            variant: { id: gid("ProductVariant", line.variantId) },
            product: { id: gid("Product", fx.products.socks.id) },
            originalUnitPriceSet: { shopMoney: { amount: "8.5" } },
          },
        ],
      },
      fulfillmentOrders: {
        nodes: [
          {
            id: gid("FulfillmentOrder", o.fulfillmentOrders[0]!.id),
            status: "CLOSED",
            fulfillBy: "2026-10-31T15:00:00Z",
            updatedAt: "2026-10-28T15:00:00Z",
            fulfillmentHolds: [],
            deliveryMethod: { maxDeliveryDateTime: "2026-11-04T15:00:00Z" },
            lineItems: {
              nodes: [{ remainingQuantity: 0, totalQuantity: 3, lineItem: { id: gid("LineItem", line.id) } }],
            },
          },
        ],
      },
      fulfillments: [
        {
          id: gid("Fulfillment", fulfillment.id),
          name: fulfillment.name,
          status: "SUCCESS",
          displayStatus: "DELAYED",
          createdAt: "2026-10-29T15:00:00Z",
          estimatedDeliveryAt: "2026-11-04T15:00:00Z",
          deliveredAt: null,
          inTransitAt: "2026-10-30T15:00:00Z",
          trackingInfo: [{ company: "UPS", number: "1Z999" }],
          events: {
            nodes: [
              {
                id: gid("FulfillmentEvent", fulfillment.events[0]!.id),
                status: "IN_TRANSIT",
                happenedAt: "2026-10-30T15:00:00Z",
                estimatedDeliveryAt: "2026-11-01T15:00:00Z",
                message: "On its way",
                createdAt: "2026-10-30T15:00:00Z",
              },
              {
                id: gid("FulfillmentEvent", fulfillment.events[1]!.id),
                status: "DELAYED",
                happenedAt: "2026-10-31T16:00:00Z",
                estimatedDeliveryAt: "2026-11-04T15:00:00Z",
                message: "Weather",
                createdAt: "2026-10-31T15:00:00Z",
              },
            ],
          },
        },
      ],
      refunds: [
        {
          id: gid("Refund", o.refunds[0]!.id),
          createdAt: "2026-11-01T15:00:00Z",
          note: "Sorry for the wait",
          totalRefundedSet: { shopMoney: { amount: "5.0" } },
        },
      ],
    },
  });
});

test("order: holds, cancellation and derived statuses", async () => {
  const q = `query($a: ID!, $b: ID!) {
    onHold: order(id: $a) { displayFulfillmentStatus fulfillmentOrders(first: 1) { nodes { status fulfillmentHolds { reason reasonNotes } } } }
    cancelled: order(id: $b) { cancelledAt cancelReason displayFinancialStatus }
  }`;
  const res = await adminRequest(q, { a: gid("Order", fx.orders.onHold.id), b: gid("Order", fx.orders.cancelled.id) });
  expect(res.body.data).toEqual({
    onHold: {
      displayFulfillmentStatus: "ON_HOLD",
      fulfillmentOrders: {
        nodes: [
          {
            status: "ON_HOLD",
            fulfillmentHolds: [{ reason: "INVENTORY_OUT_OF_STOCK", reasonNotes: "Back next week" }],
          },
        ],
      },
    },
    cancelled: { cancelledAt: "2026-10-26T15:00:00Z", cancelReason: "CUSTOMER", displayFinancialStatus: "REFUNDED" },
  });
});

test("orders older than 60 days are not readable without read_all_orders", async () => {
  const id = gid("Order", fx.orders.old.id);
  expect((await adminRequest(`{ order(id: "${id}") { id } }`)).body.data).toEqual({ order: null });
  const withScope = createAdminApi(fx.store, { scopes: appTomlScopes(), readAllOrders: true });
  mswServer.use(...withScope.handlers);
  expect((await adminRequest(`{ order(id: "${id}") { id } }`)).body.data).toEqual({ order: { id } });
});

describe("orders(query:)", () => {
  const names = async (query: string, extra = "") => {
    const res = await adminRequest<{ orders: { nodes: Array<{ name: string }> } }>(
      `query($q: String) { orders(first: 50, query: $q${extra}) { nodes { name } } }`,
      { q: query },
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.orders.nodes.map((n) => n.name) ?? [];
  };

  test("customer, dates, fulfillment status, status and test, combined with spaces", async () => {
    const { unfulfilled, delayed, onHold, cancelled, test: testOrder } = fx.orders;
    expect(await names(`customer_id:${fx.customers.ada.id}`)).toEqual([unfulfilled.name, delayed.name]);
    expect(await names(`created_at:>'2026-10-26T00:00:00Z'`)).toEqual([delayed.name, onHold.name, testOrder.name]);
    expect(await names(`created_at:>=2026-10-23 created_at:<2026-10-29`)).toEqual([
      unfulfilled.name,
      cancelled.name,
      delayed.name,
    ]);
    expect(await names("fulfillment_status:shipped")).toEqual([delayed.name]);
    // One display status per value: on hold is not "unfulfilled"; "not fulfilled" takes both.
    expect(await names("fulfillment_status:unfulfilled status:open test:false")).toEqual([unfulfilled.name]);
    expect(await names("fulfillment_status:on_hold")).toEqual([onHold.name]);
    expect(await names("-fulfillment_status:fulfilled status:open test:false")).toEqual([
      unfulfilled.name,
      onHold.name,
    ]);
    expect(await names("status:cancelled")).toEqual([cancelled.name]);
    expect(await names(`customer_id:${fx.customers.bob.id} -status:cancelled`)).toEqual([onHold.name, testOrder.name]);
    expect(await names(`updated_at:>'2026-10-30T00:00:00Z' OR name:${unfulfilled.name}`)).toEqual([
      unfulfilled.name,
      onHold.name,
      testOrder.name,
    ]);
  });

  test("an unsupported search field is ignored and reported in extensions.search, as Shopify does", async () => {
    const res = await adminRequest(`{ orders(first: 2, query: "risk_level:high") { nodes { name } } }`);
    expect(res.body.data).toMatchObject({
      orders: { nodes: [{ name: expect.any(String) }, { name: expect.any(String) }] },
    });
    expect(res.body.extensions?.search).toEqual([
      {
        path: ["orders"],
        query: "risk_level:high",
        warnings: [{ field: "risk_level", message: "Invalid search field for this query." }],
      },
    ]);
  });

  test("cursor pagination with sortKey and reverse", async () => {
    const page = async (after?: string) => {
      const res = await adminRequest<{
        orders: { nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }>(
        `query($after: String) { orders(first: 2, after: $after, sortKey: CREATED_AT, reverse: true) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      return res.body.data!.orders;
    };
    const first = await page();
    const second = await page(first.pageInfo.endCursor!);
    const third = await page(second.pageInfo.endCursor!);
    const { unfulfilled, delayed, onHold, cancelled, test: testOrder } = fx.orders;
    expect([first, second, third].map((p) => [p.nodes.map((n) => n.name), p.pageInfo.hasNextPage])).toEqual([
      [[testOrder.name, onHold.name], true],
      [[delayed.name, cancelled.name], true],
      [[unfulfilled.name], false],
    ]);
    expect(JSON.parse(Buffer.from(first.pageInfo.endCursor!, "base64").toString())).toEqual({
      last_id: Number(onHold.id),
      last_value: onHold.createdAt.getTime(),
    });
  });

  test("a connection without first or last is refused, as Shopify does", async () => {
    const res = await adminRequest(`{ orders { nodes { id } } }`);
    expect(res.body.errors?.[0]?.message).toBe("you must provide one of first or last");
  });
});

test("products and variants for the gift picker", async () => {
  const { socks } = fx.products;
  const res = await adminRequest(
    `query($v: ID!, $p: ID!) {
    products(first: 5, query: "title:cosy*") { nodes { id title variants(first: 5) { nodes { id title price sku } } } }
    productVariant(id: $v) { displayName price product { title } }
    product(id: $p) { handle vendor }
  }`,
    { v: gid("ProductVariant", socks.variants[1]!.id), p: gid("Product", socks.id) },
  );
  expect(res.body.data).toEqual({
    products: {
      nodes: [
        {
          id: gid("Product", socks.id),
          title: "Cosy socks",
          variants: {
            nodes: socks.variants.map((v) => ({
              id: gid("ProductVariant", v.id),
              title: v.title,
              price: v.price,
              sku: v.sku,
            })),
          },
        },
      ],
    },
    // Money keeps two places; MoneyV2.amount (Decimal) does not.
    productVariant: { displayName: "Cosy socks - Large", price: "9.00", product: { title: "Cosy socks" } },
    product: { handle: "cosy-socks", vendor: "Amends Goods" },
  });
});

test("node and nodes resolve every modelled type by GID", async () => {
  const ids = [
    gid("Customer", fx.customers.bob.id),
    gid("Order", fx.orders.onHold.id),
    gid("Product", fx.products.mug.id),
    gid("Customer", "424242"),
  ];
  const res = await adminRequest(
    `query($ids: [ID!]!, $one: ID!) {
    nodes(ids: $ids) { __typename id ... on Order { name } ... on Customer { displayName } }
    node(id: $one) { ... on FulfillmentOrder { status } }
  }`,
    { ids, one: gid("FulfillmentOrder", fx.orders.onHold.fulfillmentOrders[0]!.id) },
  );
  expect(res.body.data).toEqual({
    nodes: [
      { __typename: "Customer", id: ids[0], displayName: "Bob Builder" },
      { __typename: "Order", id: ids[1], name: fx.orders.onHold.name },
      { __typename: "Product", id: ids[2] },
      null,
    ],
    node: { status: "ON_HOLD" },
  });
});
