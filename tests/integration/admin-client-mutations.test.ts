/**
 * Mutations through AdminClient against the sandbox store: a lost response is
 * AMBIGUOUS and never silently repeated (the store holds exactly one of the
 * thing), the reconciliation lookups find what happened, idempotent mutations
 * and definite refusals (THROTTLED, 503) are retried, and userErrors become
 * UserErrorsError with Shopify's codes.
 */
import { http, HttpResponse } from "msw";
import { beforeEach, expect, test } from "vitest";
import { isTerminal } from "../../app/queue/errors";
import { unauthenticated } from "../../app/shopify.server";
import { AdminClient, type AdminClientOptions } from "../../app/shopify/admin-client.server";
import { AdminApiError, UserErrorsError } from "../../app/shopify/admin-errors";
import { codeDiscountNodeByCode } from "../../app/shopify/operations/code-discount-node-by-code";
import { discountCodeBasicCreate } from "../../app/shopify/operations/discount-code-basic-create";
import { draftOrder } from "../../app/shopify/operations/draft-order";
import { draftOrderComplete } from "../../app/shopify/operations/draft-order-complete";
import { draftOrderCreate } from "../../app/shopify/operations/draft-order-create";
import { giftCardCreate } from "../../app/shopify/operations/gift-card-create";
import { metafieldsSet } from "../helpers/operations/metafields-set";
import {
  findCredits,
  storeCreditAccountTransactions,
} from "../../app/shopify/operations/store-credit-account-transactions";
import { storeCreditAccountCredit } from "../../app/shopify/operations/store-credit-account-credit";
import { tagsAdd } from "../helpers/operations/tags-add";
import { DAY, gid } from "../../sandbox";
import type { ShopState } from "../../sandbox/store";
import { mswServer } from "../helpers/msw";
import { acceptDeliveries, installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-mutations.myshopify.com";
const TOKEN = "shpat_client_mutations";
const NOW = new Date("2026-11-02T15:00:00Z");
const ENDPOINT = `https://${SHOP}/admin/api/2026-10/graphql.json`;

// About lost answers and retries, not tokens: one fixed never-expiring token, so moving the clock never expires it.
const sandbox = sandboxForTests({ deliver: acceptDeliveries, admin: { accessTokens: { [SHOP]: TOKEN } } });

let shop: ShopState;
let customer: string;
let orderGid: string;
let variantGid: string;
let sleeps: number[];

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  shop = sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  const ada = sandbox.activity.createCustomer(SHOP, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
  });
  const mug = sandbox.activity.createProduct(SHOP, {
    title: "Mug",
    variants: [{ title: "Default Title", sku: "MUG", price: "12.00" }],
  });
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.variants[0]!.id, quantity: 1 }],
  });
  customer = gid("Customer", ada.id);
  orderGid = gid("Order", order.id);
  variantGid = gid("ProductVariant", mug.variants[0]!.id);
  await installOfflineSession(SHOP, { accessToken: TOKEN, scope: "read_orders" });
  sleeps = [];
});

async function client(options: Partial<AdminClientOptions> = {}) {
  const { admin } = await unauthenticated.admin(SHOP);
  return new AdminClient({
    transport: admin,
    shop: SHOP,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      sandbox.clock.advance(ms);
    },
    ...options,
  });
}

const callsTo = (field: string) => sandbox.admin.calls.filter((c) => c.rootFields.includes(field));
const credits = () => [...shop.storeCreditAccounts.values()].flatMap((a) => a.transactions);
const discountInput = (code: string) => ({
  title: "Amends: 15% off, week 2026-W45",
  code,
  startsAt: NOW,
  endsAt: new Date(NOW.getTime() + 30 * DAY),
  customerIds: [customer],
  value: { percentage: 0.15 },
  usageLimit: null,
});

test("a discount whose response is lost is AMBIGUOUS, not created twice, and found by its code", async () => {
  sandbox.admin.faults.failAfterApply("discountCodeBasicCreate");
  const admin = await client();

  const error = await admin.run(discountCodeBasicCreate, discountInput("SORRY-ADA-7Q2K")).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AdminApiError);
  expect(error).toMatchObject({
    code: "AMBIGUOUS",
    underlying: "NETWORK",
    retryable: true,
    mayHaveApplied: true,
    attempts: 1,
  });
  expect(isTerminal(error)).toBe(false);
  expect(callsTo("discountCodeBasicCreate").map((c) => c.outcome)).toEqual(["response-lost"]);
  expect([...shop.discounts.values()].flatMap((d) => d.codes.map((c) => c.code))).toEqual(["SORRY-ADA-7Q2K"]);

  // Reconcile: the code exists, under which discount, for whom (case-insensitive lookup).
  const found = await admin.run(codeDiscountNodeByCode, { code: "sorry-ada-7q2k" });
  const [discount] = [...shop.discounts.values()];
  expect(found.codeDiscountNodeByCode).toMatchObject({
    id: gid("DiscountCodeNode", discount!.id),
    codeDiscount: {
      __typename: "DiscountCodeBasic",
      usageLimit: null,
      appliesOncePerCustomer: true,
      asyncUsageCount: 0,
      context: { customers: [{ id: customer }] },
    },
  });
  await expect(admin.run(codeDiscountNodeByCode, { code: "NOT-THERE" })).resolves.toEqual({
    codeDiscountNodeByCode: null,
  });
});

test("store credit whose response is lost is AMBIGUOUS, credited exactly once, and found among the transactions", async () => {
  sandbox.admin.faults.failAfterApply("AmendsStoreCreditAccountCredit");
  const admin = await client();
  const sentAt = NOW;

  const error = await admin
    .run(storeCreditAccountCredit, {
      id: customer,
      amount: "12.50",
      currencyCode: "USD",
      expiresAt: new Date(NOW.getTime() + 90 * DAY),
    })
    .catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "AMBIGUOUS", retryable: true });
  expect(credits().map((t) => [t.kind, t.amount])).toEqual([["credit", "12.50"]]);

  const history = await admin.run(storeCreditAccountTransactions, { customerId: customer, currencyCode: "USD" });
  const matches = findCredits(history, {
    amount: "12.5",
    since: sentAt,
    expiresAt: new Date(NOW.getTime() + 90 * DAY),
  });
  expect(matches).toHaveLength(1);
  expect(matches[0]!.id).toBe(gid("StoreCreditAccountCreditTransaction", credits()[0]!.id));
  expect(findCredits(history, { amount: "12.5", since: sentAt, expiresAt: null })).toEqual([]);
});

test("a gift card whose response is lost is AMBIGUOUS and exists exactly once", async () => {
  sandbox.admin.faults.failAfterApply("giftCardCreate");
  const admin = await client();

  const error = await admin
    .run(giftCardCreate, { customerId: customer, amount: "25.00", currencyCode: "USD", code: "amendsada7q2k9x" })
    .catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "AMBIGUOUS" });
  expect([...shop.giftCards.values()].map((c) => [c.code, c.initialValue])).toEqual([["amendsada7q2k9x", "25.00"]]);
  expect(callsTo("giftCardCreate")).toHaveLength(1);
});

test("a timeout on a mutation is AMBIGUOUS (the client cannot know it did not run)", async () => {
  sandbox.admin.faults.configure(SHOP, { timeoutShare: 1, timeoutMs: 5_000 });
  const admin = await client({ timeoutMs: 40 });

  const error = await admin
    .run(storeCreditAccountCredit, { id: customer, amount: "5", currencyCode: "USD" })
    .catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "AMBIGUOUS", underlying: "TIMEOUT", retryable: true });
  expect(sandbox.admin.calls).toHaveLength(1);
  expect(credits()).toEqual([]);
});

test("a 500/502 on a mutation is AMBIGUOUS; a 503 ran nothing and is retried", async () => {
  const admin = await client();
  mswServer.use(http.post(ENDPOINT, () => HttpResponse.text("Bad Gateway", { status: 502 }), { once: true }));
  await expect(
    admin.run(storeCreditAccountCredit, { id: customer, amount: "5", currencyCode: "USD" }),
  ).rejects.toMatchObject({
    code: "AMBIGUOUS",
    underlying: "SERVER_ERROR",
    status: 502,
  });
  expect(credits()).toEqual([]);

  mswServer.use(
    http.post(ENDPOINT, () => HttpResponse.json({ errors: "Service Unavailable" }, { status: 503 }), { once: true }),
  );
  const result = await admin.run(storeCreditAccountCredit, { id: customer, amount: "5", currencyCode: "USD" });
  expect(result.storeCreditAccountCredit.storeCreditAccountTransaction.amount).toEqual({
    amount: "5.0",
    currencyCode: "USD",
  });
  expect(sleeps).toEqual([250]);
  expect(credits()).toHaveLength(1);
});

test("a throttled mutation ran nothing: it waits and runs once", async () => {
  sandbox.admin.rateLimits.configure(SHOP, { maximumAvailable: 100, restoreRate: 10, currentlyAvailable: 0 });
  const admin = await client();

  await admin.run(storeCreditAccountCredit, { id: customer, amount: "5", currencyCode: "USD" });

  expect(callsTo("storeCreditAccountCredit").map((c) => c.outcome)).toEqual(["throttled", "ok"]);
  expect(sleeps).toEqual([Math.ceil((callsTo("storeCreditAccountCredit")[0]!.cost!.requested / 10) * 1000)]);
  expect(credits()).toHaveLength(1);
});

test("idempotent mutations (tagsAdd, metafieldsSet) are retried after a lost response, with one effect", async () => {
  sandbox.admin.faults.failAfterApply("tagsAdd");
  sandbox.admin.faults.failAfterApply("metafieldsSet");
  const admin = await client();

  await admin.run(tagsAdd, { id: orderGid, tags: ["amends-incident"] });
  await admin.run(metafieldsSet, {
    metafields: [
      { ownerId: orderGid, namespace: "$app", key: "incident_id", type: "single_line_text_field", value: "inc_1" },
    ],
  });

  expect(callsTo("tagsAdd").map((c) => c.outcome)).toEqual(["response-lost", "ok"]);
  expect(callsTo("metafieldsSet").map((c) => c.outcome)).toEqual(["response-lost", "ok"]);
  expect([...shop.orders.values()][0]!.tags).toEqual(["amends-incident"]);
  expect(shop.metafields.map((m) => [m.key, m.value])).toEqual([["incident_id", "inc_1"]]);
  expect(sleeps).toEqual([250, 250]);
});

test("a draft order completion whose response is lost is AMBIGUOUS; the draft shows it completed", async () => {
  const admin = await client();
  const created = await admin.run(draftOrderCreate, {
    customerId: customer,
    lines: [{ variantId: variantGid, quantity: 1 }],
    shippingAddress: null,
    currencyCode: "USD",
  });
  const draftId = created.draftOrderCreate.draftOrder.id;
  sandbox.admin.faults.failAfterApply("draftOrderComplete");

  await expect(admin.run(draftOrderComplete, { id: draftId })).rejects.toMatchObject({ code: "AMBIGUOUS" });

  const state = await admin.run(draftOrder, { id: draftId });
  expect(state.draftOrder).toMatchObject({
    status: "COMPLETED",
    order: { id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/) },
  });
  expect([...shop.orders.values()].filter((o) => o.draftOrderId !== null)).toHaveLength(1);
});

test("a duplicate discount code is UserErrorsError TAKEN, not retried", async () => {
  const admin = await client();
  await admin.run(discountCodeBasicCreate, discountInput("SORRY-1"));

  const error = await admin.run(discountCodeBasicCreate, discountInput("sorry-1")).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(UserErrorsError);
  expect(error).toMatchObject({
    code: "USER_ERRORS",
    retryable: false,
    operation: "AmendsDiscountCodeBasicCreate",
    userErrors: [{ field: ["basicCodeDiscount", "code"], code: "TAKEN", message: expect.any(String) }],
  });
  expect((error as UserErrorsError).has("TAKEN")).toBe(true);
  expect(callsTo("discountCodeBasicCreate")).toHaveLength(2);
});

test("store credit userErrors keep Shopify's codes: negative amount, mismatched currency", async () => {
  const admin = await client();
  await expect(
    admin.run(storeCreditAccountCredit, { id: customer, amount: "-5", currencyCode: "USD" }),
  ).rejects.toMatchObject({
    code: "USER_ERRORS",
    userErrors: [{ field: ["creditInput", "creditAmount", "amount"], code: "NEGATIVE_OR_ZERO_AMOUNT" }],
  });

  const first = await admin.run(storeCreditAccountCredit, { id: customer, amount: "5", currencyCode: "USD" });
  const account = first.storeCreditAccountCredit.storeCreditAccountTransaction.account.id;
  await expect(
    admin.run(storeCreditAccountCredit, { id: account, amount: "5", currencyCode: "EUR" }),
  ).rejects.toMatchObject({
    code: "USER_ERRORS",
    userErrors: [{ code: "MISMATCHING_CURRENCY" }],
  });
  await expect(
    admin.run(storeCreditAccountCredit, {
      id: customer,
      amount: "5",
      currencyCode: "USD",
      expiresAt: new Date(NOW.getTime() - DAY),
    }),
  ).rejects.toMatchObject({
    userErrors: [{ code: "EXPIRES_AT_IN_PAST" }],
  });
  expect(credits()).toHaveLength(1);
});

test("gift card and draft order userErrors: GREATER_THAN, and a payload whose errors have no code", async () => {
  const admin = await client();
  await expect(
    admin.run(giftCardCreate, { customerId: customer, amount: "0", currencyCode: "USD" }),
  ).rejects.toMatchObject({
    code: "USER_ERRORS",
    userErrors: [{ code: "GREATER_THAN" }],
  });

  const created = await admin.run(draftOrderCreate, {
    customerId: customer,
    lines: [{ variantId: variantGid, quantity: 1 }],
    shippingAddress: null,
    currencyCode: "USD",
  });
  await admin.run(draftOrderComplete, { id: created.draftOrderCreate.draftOrder.id });
  await expect(admin.run(draftOrderComplete, { id: created.draftOrderCreate.draftOrder.id })).rejects.toMatchObject({
    code: "USER_ERRORS",
    userErrors: [{ field: null, code: null, message: "This order has already been completed" }],
  });
});
