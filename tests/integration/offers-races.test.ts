/**
 * Money races (issue 11), through real graphile-worker runners and the real database: whatever
 * runs at the same time, a customer's failure is made good once.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { enqueue } from "../../app/queue/enqueue.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, gridSchema } from "../../app/recovery";
import { decideIncident, supersedeAndRedecide } from "../../app/services/decision.server";
import { issueOffer, retryIssue, RetryRefusedError } from "../../app/services/issuing.server";
import { gid } from "../../sandbox";
import { jobs } from "../helpers/db";
import { acceptDeliveries, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { startTestWorker } from "../helpers/worker";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-offers-races.myshopify.com";
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
const COMPENSATING = ["APPROVED", "ISSUING", "ISSUED", "REDEEMED", "UNUSED", "PENDING_APPROVAL"] as const;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  // A cooldown of 0: only the order's "already compensated" rule stands between two make-goods.
  await createShopRow(SHOP, { decision: { holdoutShare: 0, cooldownDays: 0 } });
});

/** A major late shipment of a new customer's order, decided: an auto-approved store credit (critical: a larger one). */
async function storeCreditDecided() {
  const credit = (value: number) => ({ kind: "STORE_CREDIT", value, expiryDays: 60, approval: "AUTO" });
  await saveGrid(
    SHOP,
    gridSchema.parse({
      ...DEFAULT_GRID,
      overrides: { LATE_FULFILLMENT: { major: { NEW: credit(1_500) }, critical: { NEW: credit(2_500) } } },
    }),
    "test",
  );
  const customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }).id,
  );
  const incidentId = await createIncident(SHOP, { customerGid });
  const decided = await decideIncident(SHOP, incidentId);
  if (decided.outcome !== "DECIDED" || !decided.offerId) throw new Error("no offer decided");
  const credits = () =>
    [...sandbox.store.shop(SHOP).storeCreditAccounts.values()].flatMap((a) =>
      a.transactions.filter((t) => t.kind === "credit"),
    );
  return { incidentId, offerId: decided.offerId, credits };
}

async function drain(kinds: string[]): Promise<void> {
  const workers = await Promise.all([startTestWorker(4), startTestWorker(4)]);
  try {
    for (let waited = 0; waited < 25_000; waited += 50) {
      if ((await jobs()).every((j) => !kinds.includes(j.task_identifier))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`jobs left: ${(await jobs()).map((j) => j.task_identifier).join(", ")}`);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

test("two incidents on one order, decided at the same time by two workers, get one make-good", async () => {
  const customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }).id,
  );
  for (let round = 0; round < 5; round++) {
    const orderGid = `gid://shopify/Order/${77_000 + round}`;
    const ids = await Promise.all([
      createIncident(SHOP, { customerGid, orderGid }),
      createIncident(SHOP, { customerGid, orderGid, manual: true }),
    ]);
    await prisma.$transaction(async (tx) => {
      for (const incidentId of ids)
        await enqueue(tx, "decide-incident", { v: 1, shop: SHOP, incidentId, reason: "OPENED" });
    });
    await drain(["decide-incident"]);
    const offers = await prisma.offer.findMany({
      where: { shop: SHOP, incidentId: { in: ids }, status: { in: [...COMPENSATING] } },
    });
    expect(offers, `round ${round}`).toHaveLength(1);
    const decided = await prisma.incident.findMany({ where: { id: { in: ids } } });
    // The other is ineligible: its order was already made good.
    expect(decided.map((i) => i.decision).sort()).toEqual(["INELIGIBLE", "OFFER"]);
  }
});

test("a make-good that fails to issue gives its budget back; a retry reserves it again, and is refused when the month has no room", async () => {
  const budget = async () => (await prisma.budgetMonth.findFirst({ where: { shop: SHOP } }))?.committedMinor ?? 0;
  // No such customer in the store: Shopify refuses the code (a terminal error), nothing is created.
  const incidentId = await createIncident(SHOP, { customerGid: "gid://shopify/Customer/999999" });
  expect(await decideIncident(SHOP, incidentId)).toMatchObject({ outcome: "DECIDED", reserved: true });
  const offer = await prisma.offer.findFirstOrThrow({ where: { incidentId } });
  expect(await budget()).toBe(offer.faceValueMinor);

  expect(await issueOffer(SHOP, offer.id)).toMatchObject({ outcome: "FAILED" });
  expect(await budget()).toBe(0);
  const failed = await prisma.offerTransition.findFirstOrThrow({ where: { offerId: offer.id, toStatus: "FAILED" } });
  expect(failed.data).toMatchObject({ budget: { committedDelta: -offer.faceValueMinor } });

  expect(await retryIssue(SHOP, offer.id, "staff-1")).toBe(true);
  expect(await budget()).toBe(offer.faceValueMinor);
  expect(await issueOffer(SHOP, offer.id)).toMatchObject({ outcome: "FAILED" });
  expect(await budget()).toBe(0);

  // The month's budget has shrunk below the make-good: the retry is refused and nothing moves.
  await prisma.shop.update({
    where: { shop: SHOP },
    data: {
      settings: { decision: { holdoutShare: 0, cooldownDays: 0, monthlyBudgetMinor: offer.faceValueMinor - 1 } },
    },
  });
  await expect(retryIssue(SHOP, offer.id, "staff-1")).rejects.toBeInstanceOf(RetryRefusedError);
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({ status: "FAILED" });
  expect(await budget()).toBe(0);
});

test("a worse signal after an issue attempt whose answer was lost finds the make-good in Shopify and keeps it: one make-good, counted in the budget", async () => {
  const { incidentId, offerId, credits } = await storeCreditDecided();

  // The credit is made in Shopify, its answer is lost, and so is every answer of the look-up that follows:
  // the offer goes back to APPROVED with one attempt behind it.
  sandbox.admin.faults.failAfterApply("storeCreditAccountCredit");
  sandbox.admin.faults.failAfterApply("AmendsStoreCreditAccountTransactions", 50);
  await expect(issueOffer(SHOP, offerId)).rejects.toThrow();
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "APPROVED",
    attempts: 1,
  });
  expect(credits()).toHaveLength(1);
  sandbox.admin.faults.reset();

  // A worse signal raises the incident: the offer that may exist is looked up in Shopify first,
  // found, and recorded as what it is (ISSUED, adopted); its pending issue job then has nothing to do.
  await prisma.incident.update({ where: { id: incidentId }, data: { severity: "critical" } });
  expect(await supersedeAndRedecide(SHOP, incidentId)).toEqual({ outcome: "NOT_SUPERSEDED" });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "ISSUED",
    attempts: 2,
  });
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED", status: "ISSUED" });
  expect(credits()).toHaveLength(1);
  expect(await prisma.offer.count({ where: { incidentId, status: { in: [...COMPENSATING] } } })).toBe(1);
  expect(await prisma.budgetMonth.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
    committedMinor: 0,
    issuedMinor: 1_500,
  });
}, 60_000);

test("a worse signal after an issue attempt that never reached Shopify looks first, finds nothing, and supersedes: one make-good, at the new severity", async () => {
  const { incidentId, offerId, credits } = await storeCreditDecided();
  // Every request fails before Shopify runs it: the offer goes back to APPROVED with one attempt behind it.
  sandbox.admin.faults.configure(SHOP, { networkErrorShare: 1, seed: 3 });
  await expect(issueOffer(SHOP, offerId)).rejects.toThrow();
  sandbox.admin.faults.reset();
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "APPROVED",
    attempts: 1,
  });
  expect(credits()).toHaveLength(0);

  await prisma.incident.update({ where: { id: incidentId }, data: { severity: "critical" } });
  const redecided = await supersedeAndRedecide(SHOP, incidentId);
  expect(redecided).toMatchObject({ outcome: "DECIDED" });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({ status: "SUPERSEDED" });
  const trail = await prisma.offerTransition.findMany({ where: { offerId }, orderBy: { at: "asc" } });
  expect(trail.map((t) => t.toStatus)).toEqual(["APPROVED", "ISSUING", "APPROVED", "ISSUING", "SUPERSEDED"]);
  // The old reservation went back; the new offer holds its own (higher) value.
  expect(await prisma.budgetMonth.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
    committedMinor: 2_500,
    issuedMinor: 0,
  });
  // Its stale issue job has nothing to do; the new offer's job makes the one credit.
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED", status: "SUPERSEDED" });
  if (redecided.outcome !== "DECIDED" || !redecided.offerId) throw new Error("no new offer");
  expect(await issueOffer(SHOP, redecided.offerId)).toMatchObject({ outcome: "ISSUED" });
  expect(credits()).toHaveLength(1);
  expect(await prisma.offer.count({ where: { incidentId, status: { in: [...COMPENSATING] } } })).toBe(1);
}, 60_000);
