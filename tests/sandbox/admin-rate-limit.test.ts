/** Calculated query cost and the leaky bucket, on the sandbox's controlled clock. */
import { describe, expect, test } from "vitest";
import { bucketForPlan } from "../../sandbox/admin";
import { adminRequest, FIXTURE_SHOP } from "../../sandbox/admin/test-fixtures";
import { sandboxTokens } from "../../sandbox/tokens";
import { api, fx, adminFixtureEachTest } from "../helpers/admin-fixture";

adminFixtureEachTest();

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

describe("calculated query cost", () => {
  // order 1; customer 1; totalPriceSet 1 + shopMoney 1; lineItems 2 + 10 x (node 1 + variant 1 + price set 2) = 42;
  // fulfillmentOrders 2 + 5 x (node 1 + holds 1 + deliveryMethod 1) = 17; fulfillments (a list sized by first)
  // 5 x (1 + trackingInfo 1 + events 2 + 10 x 1) = 70; refunds (no first: one) 1 + 1 + 1 = 3. Total 136.
  const ORDER = `query AmendsOrderCost($id: ID!) {
    order(id: $id) {
      id name
      customer { id }
      totalPriceSet { shopMoney { amount } }
      lineItems(first: 10) { nodes { id variant { id } originalUnitPriceSet { shopMoney { amount } } } }
      fulfillmentOrders(first: 5) { nodes { id fulfillmentHolds { reason } deliveryMethod { maxDeliveryDateTime } } }
      fulfillments(first: 5) { id trackingInfo { number } events(first: 10) { nodes { status } } }
      refunds { totalRefundedSet { shopMoney { amount } } }
    }
  }`;

  test("a realistic order query: requested before, actual from what came back, the difference refunded", async () => {
    const res = await adminRequest(ORDER, { id: gid("Order", fx.orders.delayed.id) });
    expect(res.body.errors).toBeUndefined();
    // Actual: 1 + 1 + 2 + lineItems (2 + 1 x 4) + fulfillmentOrders (2 + 1 x (1 + no holds + 1))
    // + fulfillments 1 x (1 + 1 + events 2 + 2) + refunds 1 x 3 = 23.
    expect(res.body.extensions?.cost).toEqual({
      requestedQueryCost: 136,
      actualQueryCost: 23,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1977, restoreRate: 100 },
    });
    expect(api.calls[0]).toMatchObject({
      operationName: "AmendsOrderCost",
      rootFields: ["order"],
      cost: { requested: 136, actual: 23 },
      status: 200,
      outcome: "ok",
    });
  });

  test("scalars are free, objects cost 1, a union or interface costs its most expensive branch, edges cost like nodes", async () => {
    const cost = async (query: string, variables?: Record<string, unknown>) =>
      (await adminRequest(query, variables)).body.extensions?.cost?.requestedQueryCost;
    expect(await cost(`{ shop { name ianaTimezone currencyCode } }`)).toBe(1);
    expect(await cost(`{ orders(first: 20) { edges { cursor node { id name } } pageInfo { hasNextPage } } }`)).toBe(22);
    expect(
      await cost(
        `query($id: ID!) { node(id: $id) { id ... on Order { lineItems(first: 10) { nodes { id } } } ... on Customer { displayName } } }`,
        { id: gid("Order", fx.orders.delayed.id) },
      ),
    ).toBe(13);
    expect(await cost(`query($n: Int!) { orders(first: $n) { nodes { id } } }`, { n: 7 })).toBe(9);
    expect(await cost(`{ a: shop { name } b: shop { id } }`)).toBe(2);
  });

  test("a mutation costs 10", async () => {
    const res = await adminRequest(
      `mutation { tagsAdd(id: "${gid("Order", fx.orders.unfulfilled.id)}", tags: ["x"]) { node { id } userErrors { field message } } }`,
    );
    expect(res.body.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });

  test("above 1,000 requested points the query is refused before it runs, with Shopify's message", async () => {
    const res = await adminRequest(`{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(
            /^Query cost is 63252, which exceeds the single query max cost limit \(1000\)\.\n\nSee https:\/\/shopify.dev/,
          ),
          extensions: {
            code: "MAX_COST_EXCEEDED",
            cost: 63252,
            maxCost: 1000,
            documentation: "https://shopify.dev/api/usage/rate-limits",
          },
        },
      ],
    });
    expect(api.rateLimits.status(FIXTURE_SHOP).currentlyAvailable).toBe(2000);
    expect(api.calls[0]?.outcome).toBe("max-cost");
  });
});

describe("leaky bucket", () => {
  test("plan defaults: restore rate by plan, 20 seconds of restore in the bucket", () => {
    expect(bucketForPlan("Basic")).toEqual({ maximumAvailable: 2000, restoreRate: 100 });
    expect(bucketForPlan("Advanced")).toEqual({ maximumAvailable: 4000, restoreRate: 200 });
    expect(bucketForPlan("Shopify Plus")).toEqual({ maximumAvailable: 20000, restoreRate: 1000 });
    expect(bucketForPlan("Enterprise")).toEqual({ maximumAvailable: 40000, restoreRate: 2000 });
  });

  test("drains, answers THROTTLED with nothing executed, and refills with the clock", async () => {
    api.rateLimits.configure(FIXTURE_SHOP, { maximumAvailable: 25, restoreRate: 2 });
    const GIFT = `mutation AmendsGiftCard { giftCardCreate(input: {initialAmount: {amount: "5", currencyCode: USD}}) { giftCard { id } userErrors { code } } }`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await adminRequest(GIFT);
      statuses.push(res.body.extensions?.cost?.throttleStatus.currentlyAvailable ?? -1);
    }
    expect(statuses).toEqual([15, 5, 5]);
    const throttled = await adminRequest(GIFT);
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 10,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 25, currentlyAvailable: 5, restoreRate: 2 },
        },
      },
    });
    expect(fx.shop.giftCards.size).toBe(2);
    expect(api.calls.map((c) => c.outcome)).toEqual(["ok", "ok", "throttled", "throttled"]);

    fx.clock.advance(2_000);
    expect(api.rateLimits.status(FIXTURE_SHOP).currentlyAvailable).toBe(9);
    expect((await adminRequest(GIFT)).body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    fx.clock.advance(500);
    const after = await adminRequest(GIFT);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(0);
    expect(fx.shop.giftCards.size).toBe(3);

    fx.clock.advance(60_000);
    expect(api.rateLimits.status(FIXTURE_SHOP)).toEqual({
      maximumAvailable: 25,
      currentlyAvailable: 25,
      restoreRate: 2,
    });
  });

  test("buckets are per shop", async () => {
    fx.store.addShop({ domain: "other.myshopify.com", plan: "Shopify Plus" });
    sandboxTokens(fx.store).grant("other.myshopify.com", "shpat_other_shop");
    api.rateLimits.configure(FIXTURE_SHOP, { maximumAvailable: 10, restoreRate: 1, currentlyAvailable: 0 });
    expect((await adminRequest(`{ shop { name } }`)).body.errors?.[0]?.message).toBe("Throttled");
    const other = await adminRequest(`{ shop { name } }`, undefined, {
      shop: "other.myshopify.com",
      token: "shpat_other_shop",
    });
    expect(other.body.extensions?.cost?.throttleStatus).toEqual({
      maximumAvailable: 20000,
      currentlyAvailable: 19999,
      restoreRate: 1000,
    });
  });
});
