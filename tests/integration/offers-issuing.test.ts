/**
 * Issuing is exactly once against the sandbox store's fault switches: a lost
 * response, a retried job, a crash between the Admin API call and the
 * database write, and two attempts at once never make a second code, credit,
 * card or gift.
 */
import { http, HttpResponse } from "msw";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, type GridCellInput, gridSchema } from "../../app/recovery";
import { decideIncident } from "../../app/services/decision.server";
import { IssueInProgressError, issueOffer, retryIssue } from "../../app/services/issuing.server";
import { SEARCH_INDEX_ALLOWANCE_MS } from "../../app/shopify/search-query";
import { gid } from "../../sandbox";
import type { ShopState } from "../../sandbox/store";
import { jobs } from "../helpers/db";
import { mswServer } from "../helpers/msw";
import { acceptDeliveries, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-offers-issuing.myshopify.com";
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let customerGid: string;
let store: ShopState;
let variantGid: string;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      address: { address1: "1 Analytical Way", city: "London", zip: "N1 1AA", countryCode: "GB" },
    }).id,
  );
  variantGid = gid(
    "ProductVariant",
    sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "12.00", sku: "MUG" }] }).variants[0]!.id,
  );
  await createShopRow(SHOP, { decision: { holdoutShare: 0 } });
});

/** An approved offer of the given cell kind for Ada (major x NEW overridden in a saved grid). */
async function approvedOffer(cell?: GridCellInput): Promise<string> {
  if (cell)
    await saveGrid(
      SHOP,
      gridSchema.parse({ ...DEFAULT_GRID, overrides: { LATE_FULFILLMENT: { major: { NEW: cell } } } }),
      "test",
    );
  const incidentId = await createIncident(SHOP, { customerGid });
  const result = await decideIncident(SHOP, incidentId);
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error("no offer decided");
  return result.offerId;
}

const codes = () => [...store.discounts.values()].flatMap((d) => d.codes.map((c) => c.code));
const credits = () =>
  [...store.storeCreditAccounts.values()].flatMap((a) => a.transactions.filter((t) => t.kind === "credit"));

test("a discount offer becomes a code named by its issue key under a group discount only its customer may use; budget moves to issued; expiry and follow-up are scheduled", async () => {
  const offerId = await approvedOffer();
  const result = await issueOffer(SHOP, offerId);
  expect(result).toMatchObject({ outcome: "ISSUED", adopted: false });
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId }, include: { discountGroup: true } });
  expect(offer).toMatchObject({
    status: "ISSUED",
    code: offer.issueKey,
    attempts: 1,
    issuedAt: OFFERS_NOW,
    shopifyGid: offer.discountGroup?.discountGid,
  });
  const [discount] = [...store.discounts.values()];
  // Shared by the codes of the same value and expiry week: each customer once, no total limit.
  expect(discount).toMatchObject({
    usageLimit: null,
    appliesOncePerCustomer: true,
    value: { percentage: 0.2 },
    customerIds: [customerGid.split("/").pop()],
  });
  expect(discount!.title).toBe(offer.discountGroup!.title);
  expect(discount!.endsAt!.getTime()).toBeGreaterThanOrEqual(offer.expiresAt!.getTime());
  expect(discount!.endsAt!.getTime() - offer.expiresAt!.getTime()).toBeLessThanOrEqual(7 * 86_400_000);
  expect(codes()).toEqual([offer.issueKey]);
  expect(await prisma.budgetMonth.findFirstOrThrow()).toMatchObject({ committedMinor: 0, issuedMinor: 4_000 });
  expect((await jobs()).map((j) => j.task_identifier).sort()).toEqual([
    "follow-up",
    "issue-offer",
    "notify-offer",
    "offer-expiry",
  ]);
  const trail = await prisma.offerTransition.findMany({ where: { offerId }, orderBy: { at: "asc" } });
  expect(trail.map((t) => t.toStatus)).toEqual(["APPROVED", "ISSUING", "ISSUED"]);
});

test("a retried job after success creates nothing new", async () => {
  const offerId = await approvedOffer();
  await issueOffer(SHOP, offerId);
  expect(await issueOffer(SHOP, offerId)).toEqual({ outcome: "SKIPPED", offerId, status: "ISSUED" });
  expect(codes()).toHaveLength(1);
  expect((await prisma.budgetMonth.findFirstOrThrow()).issuedMinor).toBe(4_000);
});

test("a lost discountCodeBasicCreate response is reconciled by code and adopted, not created twice", async () => {
  const offerId = await approvedOffer();
  sandbox.admin.faults.failAfterApply("discountCodeBasicCreate");
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(codes()).toHaveLength(1);
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({ status: "ISSUED" });
});

test("a crash between the API call and the database write: the retry adopts the code", async () => {
  const offerId = await approvedOffer();
  let crashes = 1;
  const crashOnce = () => {
    if (crashes-- > 0) throw new Error("database connection lost");
  };
  await expect(issueOffer(SHOP, offerId, { afterShopify: crashOnce })).rejects.toThrow("database connection lost");
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "APPROVED",
    lastError: "database connection lost",
  });
  expect(await issueOffer(SHOP, offerId, { afterShopify: crashOnce })).toMatchObject({
    outcome: "ISSUED",
    adopted: true,
  });
  expect(codes()).toHaveLength(1);
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "ISSUED",
    attempts: 2,
  });
});

test("a worker that died mid-issue leaves a claim another attempt takes over only after the lease", async () => {
  const offerId = await approvedOffer();
  await prisma.offer.update({ where: { id: offerId }, data: { status: "ISSUING", updatedAt: OFFERS_NOW } });
  await expect(issueOffer(SHOP, offerId)).rejects.toBeInstanceOf(IssueInProgressError);
  sandbox.clock.freeze(new Date(OFFERS_NOW.getTime() + 6 * 60_000));
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED" });
  expect(codes()).toHaveLength(1);
});

test("two issue attempts at once make one code", async () => {
  const offerId = await approvedOffer();
  const results = await Promise.allSettled([
    issueOffer(SHOP, offerId),
    issueOffer(SHOP, offerId),
    issueOffer(SHOP, offerId),
  ]);
  const issued = results.filter((r) => r.status === "fulfilled" && r.value.outcome === "ISSUED");
  expect(issued).toHaveLength(1);
  expect(codes()).toHaveLength(1);
});

test("store credit: a lost response is found by amount and expiry and adopted", async () => {
  const offerId = await approvedOffer({ kind: "STORE_CREDIT", value: 1_500, expiryDays: 60, approval: "AUTO" });
  sandbox.admin.faults.failAfterApply("storeCreditAccountCredit");
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(credits()).toHaveLength(1);
  expect(credits()[0]!.amount).toMatch(/^15(\.0+)?$/);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED" });
  expect(credits()).toHaveLength(1);
});

test("store credit: a lost response is adopted when the offer was decided in the same second, with milliseconds (Shopify's createdAt has none)", async () => {
  // Found by the chaos suite (admin-faults, lost answers): decided at 15:00:00.700, credited at
  // 15:00:00.800, which Shopify reports as 15:00:00Z, "before" the decision: not found, credited twice.
  sandbox.clock.set(new Date(OFFERS_NOW.getTime() + 700));
  const offerId = await approvedOffer({ kind: "STORE_CREDIT", value: 1_500, expiryDays: 60, approval: "AUTO" });
  sandbox.clock.advance(100);
  sandbox.admin.faults.failAfterApply("storeCreditAccountCredit");
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(credits()).toHaveLength(1);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED" });
  expect(credits()).toHaveLength(1);
});

test("gift card: a lost giftCardCreate answer is found among the customer's cards (our code, the offer's note) once Shopify's search shows it, and adopted", async () => {
  const offerId = await approvedOffer({ kind: "GIFT_CARD", value: 2_500, expiryDays: 365, approval: "AUTO" });
  sandbox.admin.faults.failAfterApply("giftCardCreate");
  // The card exists, but the search index does not show it yet: the attempt cannot tell, and stops.
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "AMBIGUOUS" });
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "SEARCH_NOT_CAUGHT_UP" });
  expect(store.giftCards.size).toBe(1);
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(store.giftCards.size).toBe(1);
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  expect(offer.shopifyGid).toBe(`gid://shopify/GiftCard/${[...store.giftCards.keys()][0]}`);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED" });
  expect(store.giftCards.size).toBe(1);
});

test("gift card: a crash after Shopify made the card; the retry finds it instead of making a second", async () => {
  const offerId = await approvedOffer({ kind: "GIFT_CARD", value: 2_500, expiryDays: 365, approval: "AUTO" });
  let crashes = 1;
  const crashOnce = () => {
    if (crashes-- > 0) throw new Error("worker killed");
  };
  await expect(issueOffer(SHOP, offerId, { afterShopify: crashOnce })).rejects.toThrow("worker killed");
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(store.giftCards.size).toBe(1);
});

test("free gift: a lost draftOrderCreate answer is found by the offer's tag once Shopify's search shows it, completed once", async () => {
  const offerId = await approvedOffer({
    kind: "GIFT_PRODUCT",
    value: { variantId: variantGid, quantity: 1 },
    approval: "AUTO",
  });
  sandbox.admin.faults.failAfterApply("draftOrderCreate");
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "AMBIGUOUS" });
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(store.draftOrders.size).toBe(1);
  expect([...store.draftOrders.values()][0]!.status).toBe("COMPLETED");
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED" });
  expect(store.draftOrders.size).toBe(1);
});

test("free gift: while Shopify's search lags, retries after a lost draftOrderCreate answer make no second draft, however slow the index", async () => {
  sandbox.admin.timing.searchIndexLagMs = SEARCH_INDEX_ALLOWANCE_MS - 60_000;
  const offerId = await approvedOffer({
    kind: "GIFT_PRODUCT",
    value: { variantId: variantGid, quantity: 1 },
    approval: "AUTO",
  });
  sandbox.admin.faults.failAfterApply("draftOrderCreate");
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "AMBIGUOUS" });
  // The job's retries while the index is behind: each finds nothing and stops without creating.
  for (const wait of [3_000, 60_000, 5 * 60_000]) {
    sandbox.clock.advance(wait);
    await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "SEARCH_NOT_CAUGHT_UP" });
    expect(store.draftOrders.size).toBe(1);
  }
  sandbox.clock.advance(SEARCH_INDEX_ALLOWANCE_MS);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(store.draftOrders.size).toBe(1);
  expect([...store.orders.values()].filter((o) => o.sourceName === "shopify_draft_order")).toHaveLength(1);
});

test("free gift: a draftOrderCreate lost before it reached Shopify is made once the search had time to show an earlier one", async () => {
  const offerId = await approvedOffer({
    kind: "GIFT_PRODUCT",
    value: { variantId: variantGid, quantity: 1 },
    approval: "AUTO",
  });
  // The connection drops before Shopify ran anything: the app cannot know that.
  let dropped = 0;
  mswServer.use(
    http.post(/\/graphql\.json$/, async ({ request }) => {
      const body = (await request.clone().json()) as { query?: string };
      if (body.query?.includes("mutation AmendsDraftOrderCreate") && dropped++ === 0) return HttpResponse.error();
      return undefined;
    }),
  );
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "AMBIGUOUS" });
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "SEARCH_NOT_CAUGHT_UP" });
  expect(store.draftOrders.size).toBe(0);
  sandbox.clock.advance(SEARCH_INDEX_ALLOWANCE_MS);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: false });
  expect(store.draftOrders.size).toBe(1);
  expect(dropped).toBe(2);
});

test("free gift: a crash after the draft was made; the retry completes that draft", async () => {
  const offerId = await approvedOffer({
    kind: "GIFT_PRODUCT",
    value: { variantId: variantGid, quantity: 1 },
    approval: "AUTO",
  });
  let crashes = 1;
  await expect(
    issueOffer(SHOP, offerId, {
      afterShopify: () => {
        if (crashes-- > 0) throw new Error("worker killed");
      },
    }),
  ).rejects.toThrow("worker killed");
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(store.draftOrders.size).toBe(1);
  const orders = [...store.orders.values()].filter((o) => o.sourceName === "shopify_draft_order");
  expect(orders).toHaveLength(1);
});

test("gift card: one card with the offer's code and note, Shopify's notification sent; a lost notification counts as sent", async () => {
  const offerId = await approvedOffer({ kind: "GIFT_CARD", value: 2_500, expiryDays: 365, approval: "AUTO" });
  sandbox.admin.faults.failAfterApply("giftCardSendNotificationToCustomer");
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: false });
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED" });
  expect(store.giftCards.size).toBe(1);
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  const [card] = [...store.giftCards.values()];
  // The note names the make-good and its offer; the code is random, so neither gives it away.
  expect(card!.note).toMatch(new RegExp(`^Amends make-good for #\\d+ \\(offer ${offerId}\\)$`));
  expect(offer.issueKey).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{16}$/);
  expect(card!.code).toBe(offer.issueKey.toLowerCase());
  expect(offer).toMatchObject({
    status: "ISSUED",
    code: offer.issueKey,
    shopifyGid: expect.stringMatching(/^gid:\/\/shopify\/GiftCard\//),
  });
  expect(offer.notifiedAt).not.toBeNull();
});

test("free gift: one draft order with the offer's tag, completed once even when the completion's answer is lost", async () => {
  const offerId = await approvedOffer({
    kind: "GIFT_PRODUCT",
    value: { variantId: variantGid, quantity: 1 },
    approval: "AUTO",
  });
  sandbox.admin.faults.failAfterApply("draftOrderComplete");
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED" });
  expect(store.draftOrders.size).toBe(1);
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  expect(offer.giftOrderGid).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
  expect(offer.faceValueMinor).toBe(1_200);
  expect([...store.draftOrders.values()][0]!.tags).toEqual(expect.arrayContaining([offer.issueKey]));
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED" });
  expect(store.draftOrders.size).toBe(1);
});

test("userErrors make the offer FAILED with the message; retryIssue puts it back to APPROVED with a job", async () => {
  const offerId = await approvedOffer();
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  // Someone else's discount already uses the code: Shopify refuses it (TAKEN), and it is not ours to adopt... unless found; use an unknown customer instead.
  await prisma.offer.update({ where: { id: offerId }, data: { customerGid: "gid://shopify/Customer/999999" } });
  const result = await issueOffer(SHOP, offerId);
  expect(result.outcome).toBe("FAILED");
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "FAILED",
    lastError: expect.any(String),
  });
  expect(codes()).toEqual([]);
  await prisma.offer.update({ where: { id: offerId }, data: { customerGid: offer.customerGid } });
  expect(await retryIssue(SHOP, offerId, "staff-1")).toBe(true);
  expect(await retryIssue(SHOP, offerId, "staff-1")).toBe(false);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED" });
  expect(codes()).toHaveLength(1);
});

/** An offer decided before random codes (decision 0019): its key derived from its id. */
async function withDerivedKey(offerId: string, attempts = 0): Promise<string> {
  const key = `amends${offerId.replaceAll("-", "").slice(0, 12)}`;
  await prisma.offer.updateMany({ where: { id: offerId }, data: { issueKey: key, attempts } });
  return key;
}

test("codes are random and stored before the call: two offers get unrelated codes, and Shopify gets exactly the stored one", async () => {
  const first = await approvedOffer({ kind: "GIFT_CARD", value: 2_500, expiryDays: 365, approval: "AUTO" });
  const stored = (await prisma.offer.findUniqueOrThrow({ where: { id: first } })).issueKey;
  expect(stored).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{16}$/);
  await issueOffer(SHOP, first);
  expect([...store.giftCards.values()].map((c) => c.code)).toEqual([stored.toLowerCase()]);
  const second = await approvedOffer({ kind: "GIFT_CARD", value: 2_500, expiryDays: 365, approval: "AUTO" });
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: second } })).issueKey).not.toBe(stored);
});

test("a key derived from the offer id (decided before random codes) is replaced before the first call to Shopify", async () => {
  const offerId = await approvedOffer({ kind: "GIFT_CARD", value: 2_500, expiryDays: 365, approval: "AUTO" });
  const derived = await withDerivedKey(offerId);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: false });
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  expect(offer.issueKey).not.toBe(derived);
  expect(offer.issueKey).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{16}$/);
  expect([...store.giftCards.values()].map((c) => c.code)).toEqual([offer.issueKey.toLowerCase()]);
});

test("a derived key an earlier attempt may have used in Shopify is kept, and that attempt's card (bare offer id as note) is adopted", async () => {
  const offerId = await approvedOffer({ kind: "GIFT_CARD", value: 2_500, expiryDays: 365, approval: "AUTO" });
  const derived = await withDerivedKey(offerId);
  // The first attempt (with the old key) made the card, and its answer was lost.
  sandbox.admin.faults.failAfterApply("giftCardCreate");
  await prisma.offer.updateMany({ where: { id: offerId }, data: { attempts: 1 } });
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "AMBIGUOUS" });
  const [card] = [...store.giftCards.values()];
  expect(card!.code).toBe(derived);
  card!.note = offerId;
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(store.giftCards.size).toBe(1);
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    issueKey: derived,
    code: derived,
  });
});
