/**
 * A make-good kind is offered only while the shop can be given it: its issuing's scopes are still
 * granted (app/scopes_update) and, for store credit, the shop uses new customer accounts. Otherwise
 * the decision falls back, says why, and the budget carries only what the customer can use.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, TIERS, type GridCell } from "../../app/recovery";
import { decideIncident } from "../../app/services/decision.server";
import { fanOutReconcile } from "../../app/jobs/detection/reconcile-all-shops.server";
import { DAY, gid } from "../../sandbox";
import { setCustomerAccountsVersion } from "../../sandbox/admin";
import { appTomlScopes } from "../helpers/app-scopes";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { createIncident, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-kinds.myshopify.com";
const sandbox = sandboxForTests();
let customerGid: string;
let runner: JobRunner;

const cellOf = (kind: "GIFT_CARD" | "STORE_CREDIT"): GridCell => ({
  kind,
  value: 2_500,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
});

async function shopWith(cell: GridCell, decision: Record<string, unknown> = {}): Promise<void> {
  await prisma.shop.create({
    data: {
      shop: SHOP,
      timezone: "UTC",
      currency: "USD",
      scopes: appTomlScopes(),
      customerAccountsV2: true,
      settings: { decision: { holdoutShare: 0, ...decision } },
    },
  });
  await installOfflineSession(SHOP);
  const row = Object.fromEntries(TIERS.map((tier) => [tier, cell]));
  await saveGrid(SHOP, { ...DEFAULT_GRID, overrides: { LATE_FULFILLMENT: { major: row } } }, "staff-1");
}

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  runner = jobRunner(sandbox);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }).id,
  );
});

test("a shop whose app/scopes_update drops write_gift_cards gets no gift card: a code of the same value, and the explanation says why", async () => {
  await shopWith(cellOf("GIFT_CARD"));
  const revoked = appTomlScopes()
    .split(",")
    .filter((s) => s !== "write_gift_cards");
  await sandbox.changeScopes(SHOP, revoked);
  await runner.runDue();
  expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).scopes).toBe(revoked.join(","));

  const incidentId = await createIncident(SHOP, { customerGid });
  const result = await decideIncident(SHOP, incidentId);
  expect(result).toMatchObject({
    outcome: "DECIDED",
    decision: { kind: "OFFER", faceValueMinor: 2_500, cell: { kind: "DISCOUNT_FIXED", value: 2_500 } },
  });
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  expect(incident.explanation.join("\n")).toContain(
    "gift card unavailable: the shop does not grant Amends the write_gift_cards access scope; falls back to $25 code, 60-day expiry (same value)",
  );
  const offer = await prisma.offer.findFirstOrThrow({ where: { incidentId } });
  expect(offer).toMatchObject({ kind: "DISCOUNT_FIXED", status: "APPROVED" });
  expect(offer.cell).toMatchObject({ fallbackFrom: { kind: "GIFT_CARD" } });

  await runner.runDue();
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({ status: "ISSUED" });
  const store = sandbox.store.shop(SHOP);
  expect(store.giftCards.size).toBe(0);
  expect(store.discounts.size).toBe(1);
});

test("without write_customers a gift card to a customer is not offered either (GiftCardCreateInput.customerId)", async () => {
  await shopWith(cellOf("GIFT_CARD"));
  await sandbox.changeScopes(
    SHOP,
    appTomlScopes()
      .split(",")
      .filter((s) => s !== "write_customers"),
  );
  await runner.runDue();
  const incidentId = await createIncident(SHOP, { customerGid });
  const result = await decideIncident(SHOP, incidentId);
  expect(result).toMatchObject({ decision: { kind: "OFFER", cell: { kind: "DISCOUNT_FIXED" } } });
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  expect(incident.explanation.join("\n")).toContain("the shop does not grant Amends the write_customers access scope");
});

test("the daily refresh reads a switch to classic customer accounts; store credit is then not issued and the budget not charged", async () => {
  await shopWith(cellOf("STORE_CREDIT"), { unavailableKindFallback: "NONE" });
  setCustomerAccountsVersion(sandbox.store.shop(SHOP), "CLASSIC");
  await fanOutReconcile();
  await jobRunner(sandbox, { only: ["refresh-shop-facts"] }).runDue();
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
  expect(row).toMatchObject({ customerAccountsV2: false, customerAccountsCheckedAt: sandbox.clock.now() });

  const incidentId = await createIncident(SHOP, { customerGid });
  expect(await decideIncident(SHOP, incidentId)).toMatchObject({
    outcome: "DECIDED",
    decision: { kind: "NO_OFFER", reason: "KIND_UNAVAILABLE" },
  });
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  expect(incident.explanation.join("\n")).toContain(
    "store credit unavailable: the shop uses classic customer accounts, where store credit cannot be spent; no fallback kind can be issued: apology message only",
  );
  expect(await prisma.offer.count({ where: { incidentId, status: { not: "HOLDOUT" } } })).toBe(0);
  const budget = await prisma.budgetMonth.findMany({ where: { shop: SHOP } });
  expect(budget.every((m) => m.committedMinor === 0 && m.issuedMinor === 0)).toBe(true);
  await runner.runDue();
  expect(sandbox.store.shop(SHOP).storeCreditAccounts.size).toBe(0);
});

test("app/scopes_update reads the customer-accounts version again: a shop now on classic accounts gets a code instead of store credit", async () => {
  await shopWith(cellOf("STORE_CREDIT"));
  const checkedBefore = new Date(sandbox.clock.now().getTime() - DAY);
  await prisma.shop.update({ where: { shop: SHOP }, data: { customerAccountsCheckedAt: checkedBefore } });
  setCustomerAccountsVersion(sandbox.store.shop(SHOP), "CLASSIC");
  // Only the scopes webhook can notice: no daily fan-out runs in this test.
  await sandbox.changeScopes(SHOP, appTomlScopes().split(","));
  await runner.runDue();
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
  expect(row.customerAccountsV2).toBe(false);
  expect(row.customerAccountsCheckedAt).toEqual(sandbox.clock.now());
  expect(row.customerAccountsCheckedAt).not.toEqual(checkedBefore);

  const incidentId = await createIncident(SHOP, { customerGid });
  expect(await decideIncident(SHOP, incidentId)).toMatchObject({
    outcome: "DECIDED",
    decision: { kind: "OFFER", faceValueMinor: 2_500, cell: { kind: "DISCOUNT_FIXED", value: 2_500 } },
  });
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  expect(incident.explanation.join("\n")).toContain(
    "store credit unavailable: the shop uses classic customer accounts, where store credit cannot be spent; falls back to $25 code",
  );
});

test("on classic accounts with the default fallback the customer gets a code worth the credit, and only that is budgeted", async () => {
  await shopWith(cellOf("STORE_CREDIT"));
  await prisma.shop.update({ where: { shop: SHOP }, data: { customerAccountsV2: false } });
  const incidentId = await createIncident(SHOP, { customerGid });
  expect(await decideIncident(SHOP, incidentId)).toMatchObject({
    decision: { kind: "OFFER", faceValueMinor: 2_500, cell: { kind: "DISCOUNT_FIXED" } },
  });
  expect(await prisma.budgetMonth.findMany({ where: { shop: SHOP } })).toEqual([
    { shop: SHOP, month: "2026-11", committedMinor: 2_500, issuedMinor: 0 },
  ]);
  await runner.runDue();
  expect(sandbox.store.shop(SHOP).storeCreditAccounts.size).toBe(0);
  expect(sandbox.store.shop(SHOP).discounts.size).toBe(1);
});

test("on new customer accounts with every scope granted, store credit is issued as the grid says", async () => {
  await shopWith(cellOf("STORE_CREDIT"));
  const incidentId = await createIncident(SHOP, { customerGid });
  expect(await decideIncident(SHOP, incidentId)).toMatchObject({
    decision: { kind: "OFFER", cell: { kind: "STORE_CREDIT" } },
  });
  await runner.runDue();
  expect(sandbox.store.shop(SHOP).storeCreditAccounts.size).toBe(1);
});

test("a gift card decided before the merchant revoked write_gift_cards is refused at issue: FAILED once, no retries, budget given back", async () => {
  await shopWith(cellOf("GIFT_CARD"));
  const incidentId = await createIncident(SHOP, { customerGid });
  expect(await decideIncident(SHOP, incidentId)).toMatchObject({
    decision: { kind: "OFFER", cell: { kind: "GIFT_CARD" } },
  });
  await sandbox.changeScopes(
    SHOP,
    appTomlScopes()
      .split(",")
      .filter((s) => s !== "write_gift_cards"),
  );
  await runner.runDue();
  const offer = await prisma.offer.findFirstOrThrow({ where: { incidentId } });
  expect(offer.status).toBe("FAILED");
  const refused = sandbox.admin.calls.filter((c) => c.operationName === "AmendsGiftCardCreate");
  expect(refused.map((c) => c.outcome)).toEqual(["errors"]);
  expect(sandbox.store.shop(SHOP).giftCards.size).toBe(0);
  expect(await prisma.budgetMonth.findMany({ where: { shop: SHOP } })).toEqual([
    { shop: SHOP, month: "2026-11", committedMinor: 0, issuedMinor: 0 },
  ]);
});
