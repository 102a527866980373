/**
 * The sandbox is as strict as Shopify (or stricter) where a search query is built wrong or read
 * too soon: quotes and escapes as the search syntax defines them, an unquoted date-time cut at its
 * colon and reported, fulfillment_status one display status per value, a search index that lags
 * writes, and bulk code jobs that finish later on the sandbox clock (or never).
 */
import { appTomlScopes } from "../helpers/app-scopes";
import { beforeEach, describe, expect, test } from "vitest";
import { StoreActivity } from "../../sandbox/activity";
import { createAdminApi, type AdminApi } from "../../sandbox/admin";
import { DEFAULT_ASYNC_TIMING } from "../../sandbox/admin/context";
import { parseSearch, searchFilter } from "../../sandbox/admin/resolvers/search";
import { adminRequest, buildFixture, FIXTURE_SHOP, type Fixture } from "../../sandbox/admin/test-fixtures";
import { HOUR } from "../../sandbox/clock";
import type { GiftCard } from "../../sandbox/store";
import { mswServer } from "../helpers/msw";

let fx: Fixture;
let api: AdminApi;
let activity: StoreActivity;

beforeEach(() => {
  fx = buildFixture();
  api = createAdminApi(fx.store, { scopes: appTomlScopes() });
  activity = new StoreActivity(fx.store);
  mswServer.use(...api.handlers);
});

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const ago = (ms: number) => new Date(fx.clock.now().getTime() - ms);

function giftCard(code: string, createdAt: Date): GiftCard {
  const card = activity.createGiftCard(FIXTURE_SHOP, { code, initialValue: "10.00", customerId: fx.customers.ada.id });
  card.createdAt = createdAt;
  return card;
}

type Search = {
  giftCards: { nodes: Array<{ id: string }> };
};
async function searchCards(query: string) {
  const res = await adminRequest<Search>(`query($q: String) { giftCards(first: 50, query: $q) { nodes { id } } }`, {
    q: query,
  });
  expect(res.body.errors).toBeUndefined();
  const extensions = (res.body as { extensions?: { search?: unknown } }).extensions;
  return { ids: res.body.data!.giftCards.nodes.map((n) => n.id), search: extensions?.search };
}

describe("quotes and escapes", () => {
  test("a backslash escapes a quote or a backslash inside a quoted value, and a special character outside quotes", () => {
    expect(parseSearch(String.raw`tag:'it\'s' note:"say \"hi\"" path:'a\\b' title:Caf\(e\)`)).toMatchObject({
      kind: "and",
      children: [
        { field: "tag", value: "it's", quoted: true },
        { field: "note", value: 'say "hi"', quoted: true },
        { field: "path", value: String.raw`a\b`, quoted: true },
        { field: "title", value: "Caf(e)" },
      ],
    });
  });

  test("a quoted value keeps spaces, colons and connectives in one term", () => {
    expect(parseSearch(`name:'#1001 OR tag:x' status:open`)).toMatchObject({
      kind: "and",
      children: [{ field: "name", value: "#1001 OR tag:x", quoted: true }, { field: "status" }],
    });
  });

  test("an unquoted date-time is cut at its time's colon: the date alone applies and the cut is reported", () => {
    const reported: Array<[string, string]> = [];
    const filter = searchFilter<{ at: Date }>(
      "created_at:>=2026-11-02T10:00:00Z",
      (item, term) =>
        term.field === "created_at" ? item.at.getTime() >= Date.parse(`${term.value}T00:00:00Z`) : undefined,
      (field, message) => reported.push([field, message]),
    );
    // 08:00 is before the asked-for 10:00, yet matches: the time was dropped.
    expect(filter({ at: new Date("2026-11-02T08:00:00Z") })).toBe(true);
    expect(reported).toHaveLength(1);
    expect(reported[0]![0]).toBe("created_at");
    expect(reported[0]![1]).toMatch(/cut at ':'.*"2026-11-02"/);
  });
});

describe("giftCards(query:) through the Admin API", () => {
  test("an unquoted date-time widens to the day in the shop's zone and is reported in extensions.search; quoted, it is exact", async () => {
    const early = giftCard("earlycard0000001", new Date("2026-11-02T06:00:00Z"));
    const late = giftCard("latecard00000002", new Date("2026-11-02T12:00:00Z"));
    const mine = `customer_id:${fx.customers.ada.id}`;

    const unquoted = await searchCards(`${mine} created_at:>=2026-11-02T10:00:00Z`);
    expect(unquoted.ids).toEqual([gid("GiftCard", early.id), gid("GiftCard", late.id)]);
    expect(unquoted.search).toEqual([
      {
        path: ["giftCards"],
        query: `${mine} created_at:>=2026-11-02T10:00:00Z`,
        warnings: [{ field: "created_at", message: expect.stringMatching(/cut at ':'/) }],
      },
    ]);

    const quoted = await searchCards(`${mine} created_at:>='2026-11-02T10:00:00Z'`);
    expect(quoted.ids).toEqual([gid("GiftCard", late.id)]);
    expect(quoted.search).toBeUndefined();
  });

  test("the search index lags writes: a new card is found by id at once and by search only after the lag", async () => {
    const settled = giftCard("settledcard00001", ago(HOUR));
    const fresh = giftCard("freshcard0000002", fx.clock.now());
    const mine = `customer_id:${fx.customers.ada.id}`;
    expect(api.timing.searchIndexLagMs).toBe(DEFAULT_ASYNC_TIMING.searchIndexLagMs);
    expect(api.timing.searchIndexLagMs).toBeGreaterThan(0);

    expect((await searchCards(mine)).ids).toEqual([gid("GiftCard", settled.id)]);
    const byId = await adminRequest<{ giftCard: { id: string } | null }>(
      `query($id: ID!) { giftCard(id: $id) { id } }`,
      {
        id: gid("GiftCard", fresh.id),
      },
    );
    expect(byId.body.data!.giftCard).toEqual({ id: gid("GiftCard", fresh.id) });

    fx.clock.advance(api.timing.searchIndexLagMs - 1);
    expect((await searchCards(mine)).ids).toEqual([gid("GiftCard", settled.id)]);
    fx.clock.advance(1);
    expect((await searchCards(mine)).ids).toEqual([gid("GiftCard", settled.id), gid("GiftCard", fresh.id)]);
  });

  test("a test may turn the lag off; reset() makes it strict again", async () => {
    api.timing.searchIndexLagMs = 0;
    const fresh = giftCard("freshcard0000003", fx.clock.now());
    expect((await searchCards(`customer_id:${fx.customers.ada.id}`)).ids).toEqual([gid("GiftCard", fresh.id)]);
    api.reset();
    expect(api.timing).toEqual(DEFAULT_ASYNC_TIMING);
  });
});

describe("orders(query: fulfillment_status:)", () => {
  test("each value is one display status: unfulfilled leaves out partial and on-hold orders", async () => {
    const mug = fx.products.mug.variants[0]!.id;
    const sock = fx.products.socks.variants[0]!.id;
    const at = ago(2 * HOUR);
    const place = (lines: Array<{ variantId: string; quantity: number }>) =>
      activity.placeOrder(FIXTURE_SHOP, { customerId: fx.customers.bob.id, lines, createdAt: at });
    const untouched = await place([{ variantId: mug, quantity: 1 }]);
    const partial = await place([
      { variantId: mug, quantity: 1 },
      { variantId: sock, quantity: 1 },
    ]);
    await activity.fulfill(FIXTURE_SHOP, partial.id, {
      lines: [{ lineItemId: partial.lineItems[0]!.id, quantity: 1 }],
      trackingCompany: null,
      trackingNumber: null,
      at,
    });
    const held = await place([{ variantId: mug, quantity: 1 }]);
    await activity.placeOnHold(FIXTURE_SHOP, held.id, { reason: "OTHER", at });
    const done = await place([{ variantId: mug, quantity: 1 }]);
    await activity.fulfill(FIXTURE_SHOP, done.id, { trackingCompany: null, trackingNumber: null, at });

    const ids = async (query: string) => {
      const res = await adminRequest<{ orders: { nodes: Array<{ id: string }> } }>(
        `query($q: String) { orders(first: 50, query: $q, sortKey: ID) { nodes { id } } }`,
        { q: `customer_id:${fx.customers.bob.id} id:>=${untouched.id} ${query}` },
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.orders.nodes.map((n) => n.id);
    };
    expect(await ids("fulfillment_status:unfulfilled")).toEqual([gid("Order", untouched.id)]);
    expect(await ids("fulfillment_status:partial")).toEqual([gid("Order", partial.id)]);
    expect(await ids("fulfillment_status:on_hold")).toEqual([gid("Order", held.id)]);
    expect(await ids("-fulfillment_status:fulfilled")).toEqual(
      [untouched, partial, held].map((o) => gid("Order", o.id)),
    );
  });
});

describe("discountRedeemCodeBulkAdd jobs on the sandbox clock", () => {
  const ADD = `mutation($id: ID!, $codes: [DiscountRedeemCodeInput!]!) {
    discountRedeemCodeBulkAdd(discountId: $id, codes: $codes) { bulkCreation { id done } userErrors { code } } }`;
  const READ = `query($id: ID!, $code: String!) {
    discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount codes(first: 5) { nodes { code errors { code } } } }
    codeDiscountNodeByCode(code: $code) { id } }`;

  async function addCode(code: string) {
    const discount = activity.createDiscount(FIXTURE_SHOP, { code: `BASE${code}`, value: { percentage: 0.1 } });
    const res = await adminRequest<{ discountRedeemCodeBulkAdd: { bulkCreation: { id: string; done: boolean } } }>(
      ADD,
      {
        id: gid("DiscountCodeNode", discount.id),
        codes: [{ code }],
      },
    );
    return res.body.data!.discountRedeemCodeBulkAdd.bulkCreation;
  }
  const read = async (id: string, code: string) =>
    (
      await adminRequest<{
        discountRedeemCodeBulkCreation: { done: boolean; importedCount: number; failedCount: number };
        codeDiscountNodeByCode: { id: string } | null;
      }>(READ, { id, code })
    ).body.data!;

  test("the job runs only once the clock passes its duration: until then nothing is imported and the code does not exist", async () => {
    const creation = await addCode("SLOWCODE1");
    expect(creation.done).toBe(false);
    fx.clock.advance(DEFAULT_ASYNC_TIMING.bulkCodeAddMs! - 1);
    expect(await read(creation.id, "SLOWCODE1")).toMatchObject({
      discountRedeemCodeBulkCreation: { done: false, importedCount: 0, failedCount: 0 },
      codeDiscountNodeByCode: null,
    });
    fx.clock.advance(1);
    expect(await read(creation.id, "SLOWCODE1")).toMatchObject({
      discountRedeemCodeBulkCreation: { done: true, importedCount: 1, failedCount: 0 },
      codeDiscountNodeByCode: { id: expect.any(String) },
    });
  });

  test("a job set never to finish stays not done", async () => {
    api.timing.bulkCodeAddMs = null;
    const creation = await addCode("NEVERCODE1");
    fx.clock.advance(30 * 24 * HOUR);
    expect(await read(creation.id, "NEVERCODE1")).toMatchObject({
      discountRedeemCodeBulkCreation: { done: false, importedCount: 0 },
      codeDiscountNodeByCode: null,
    });
  });

  test("two jobs adding the same code: the first to run makes it, the second reports TAKEN", async () => {
    const first = await addCode("TWICECODE1");
    const second = await addCode("TWICECODE1");
    fx.clock.advance(DEFAULT_ASYNC_TIMING.bulkCodeAddMs!);
    expect((await read(first.id, "TWICECODE1")).discountRedeemCodeBulkCreation).toMatchObject({ importedCount: 1 });
    expect((await read(second.id, "TWICECODE1")).discountRedeemCodeBulkCreation).toMatchObject({
      importedCount: 0,
      failedCount: 1,
    });
  });
});
