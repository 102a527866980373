/** Faults on demand: seeded shares of server errors, timeouts, network errors and throttling, and lost responses after the effect. */
import { describe, expect, test } from "vitest";
import { type CallOutcome } from "../../sandbox/admin";
import { adminRequest, FIXTURE_SHOP } from "../../sandbox/admin/test-fixtures";
import { sandboxTokens } from "../../sandbox/tokens";
import { api, fx, adminFixtureEachTest } from "../helpers/admin-fixture";

adminFixtureEachTest();

const SHOP_QUERY = `query AmendsShop { shop { name } }`;

async function outcomes(n: number): Promise<CallOutcome[]> {
  for (let i = 0; i < n; i++) await adminRequest(SHOP_QUERY).catch(() => undefined);
  return api.calls.map((c) => c.outcome);
}

describe("shares", () => {
  test("server errors come at about the configured share, the same sequence for the same seed", async () => {
    api.faults.configure("*", { serverErrorShare: 0.25, seed: 42 });
    const first = await outcomes(400);
    const errors = first.filter((o) => o === "server-error").length;
    expect(errors).toBeGreaterThan(70);
    expect(errors).toBeLessThan(130);
    expect(api.calls.filter((c) => c.status === 502).length).toBeGreaterThan(20);
    expect(api.calls.filter((c) => c.status === 503).length).toBeGreaterThan(20);

    api.reset();
    api.faults.configure("*", { serverErrorShare: 0.25, seed: 42 });
    expect(await outcomes(400)).toEqual(first);
  });

  test("502 is an HTML page, 503 JSON, as from Shopify's edge", async () => {
    api.faults.configure(FIXTURE_SHOP, { serverErrorShare: 1, seed: 7 });
    const seen = new Map<number, string>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const res = await adminRequest(SHOP_QUERY);
      seen.set(res.status, res.text);
    }
    expect(seen.get(502)).toContain("<h1>502 Bad Gateway</h1>");
    expect(JSON.parse(seen.get(503)!)).toEqual({ errors: "Service Unavailable" });
  });

  test("network errors reject the fetch; throttled faults answer THROTTLED and run nothing", async () => {
    api.faults.configure("*", { networkErrorShare: 1 });
    await expect(adminRequest(SHOP_QUERY)).rejects.toThrow(TypeError);
    api.faults.configure("*", { throttledShare: 1 });
    const res = await adminRequest(
      `mutation { giftCardCreate(input: {initialAmount: {amount: "5", currencyCode: USD}}) { giftCard { id } userErrors { code } } }`,
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    expect(res.body.extensions?.cost?.actualQueryCost).toBeNull();
    expect(fx.shop.giftCards.size).toBe(0);
    expect(api.calls.map((c) => c.outcome)).toEqual(["network-error", "throttled"]);
  });

  test("a timeout hangs until the client gives up; without a client timeout it ends in a 504", async () => {
    api.faults.configure("*", { timeoutShare: 1, timeoutMs: 200 });
    const started = Date.now();
    await expect(adminRequest(SHOP_QUERY, undefined, { signal: AbortSignal.timeout(30) })).rejects.toThrow(
      /abort|timeout/i,
    );
    expect(Date.now() - started).toBeLessThan(190);
    const res = await adminRequest(SHOP_QUERY);
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(api.calls.map((c) => c.outcome)).toEqual(["timeout", "timeout"]);
  });

  test("a shop's own settings win over '*'; reset clears everything", async () => {
    api.faults.configure("*", { serverErrorShare: 1 });
    api.faults.configure(FIXTURE_SHOP, { serverErrorShare: 0 });
    expect((await adminRequest(SHOP_QUERY)).status).toBe(200);
    api.faults.reset();
    fx.store.addShop({ domain: "other.myshopify.com" });
    sandboxTokens(fx.store).grant("other.myshopify.com", "shpat_other_shop");
    expect(
      (await adminRequest(SHOP_QUERY, undefined, { shop: "other.myshopify.com", token: "shpat_other_shop" })).status,
    ).toBe(200);
    expect(() => api.faults.configure("*", { serverErrorShare: 0.6, timeoutShare: 0.6 })).toThrow(/add up/);
  });
});

describe("failAfterApply", () => {
  const GIFT = `mutation AmendsIssueGiftCard($input: GiftCardCreateInput!) { giftCardCreate(input: $input) { giftCard { id } giftCardCode userErrors { code } } }`;
  const input = { initialAmount: { amount: "20", currencyCode: "USD" }, note: "amends:case-1" };

  test("the effect lands, the response is lost; the next call answers normally", async () => {
    api.faults.failAfterApply("giftCardCreate");
    await expect(adminRequest(GIFT, { input })).rejects.toThrow(TypeError);
    expect(fx.shop.giftCards.size).toBe(1);
    expect([...fx.shop.giftCards.values()][0]).toMatchObject({ note: "amends:case-1", initialValue: "20.00" });

    const retry = await adminRequest(GIFT, { input });
    expect(retry.status).toBe(200);
    expect(fx.shop.giftCards.size).toBe(2);
    expect(api.calls.filter((c) => c.rootFields.includes("giftCardCreate")).map((c) => [c.outcome, c.status])).toEqual([
      ["response-lost", 0],
      ["ok", 200],
    ]);
  });

  test("by operation name, n times, and only for what it names", async () => {
    api.faults.failAfterApply("AmendsIssueGiftCard", 2);
    await expect(adminRequest(SHOP_QUERY)).resolves.toMatchObject({ status: 200 });
    await expect(adminRequest(GIFT, { input })).rejects.toThrow();
    await expect(adminRequest(GIFT, { input })).rejects.toThrow();
    await expect(adminRequest(GIFT, { input })).resolves.toMatchObject({ status: 200 });
    expect(fx.shop.giftCards.size).toBe(3);
  });

  test("a lost response still used its points", async () => {
    api.rateLimits.configure(FIXTURE_SHOP, { maximumAvailable: 100, restoreRate: 1 });
    api.faults.failAfterApply("giftCardCreate");
    await adminRequest(GIFT, { input }).catch(() => undefined);
    expect(api.rateLimits.status(FIXTURE_SHOP).currentlyAvailable).toBe(90);
  });
});
