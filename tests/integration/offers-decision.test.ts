/**
 * decide-incident against the real database: the outcome is written once, the
 * budget reservation is one conditional UPDATE, and concurrent decisions never
 * overspend the monthly budget.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { currentGrid, saveGrid } from "../../app/models/grid.server";
import { holdoutDraw, DEFAULT_GRID, INSTALL_GRID } from "../../app/recovery";
import { decideIncident, supersedeAndRedecide } from "../../app/services/decision.server";
import { gid } from "../../sandbox";
import { jobs } from "../helpers/db";
import { acceptDeliveries, sandboxForTests } from "../helpers/sandbox";
import { startTestWorker } from "../helpers/worker";
import { enqueue } from "../../app/queue/enqueue.server";
import { createIncident, createShopRow, storeWithAda } from "./offers-fixtures";

const SHOP = "amends-offers-decision.myshopify.com";
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let customerGid: string;

async function setUp(settings: Record<string, unknown> = { decision: { holdoutShare: 0 } }): Promise<void> {
  await createShopRow(SHOP, settings);
}

beforeEach(async () => {
  customerGid = await storeWithAda(sandbox, [SHOP]);
});

test("the first use of a shop's grid stores the default as version 1; saving makes version 2", async () => {
  await setUp();
  const first = await currentGrid(SHOP);
  expect(first).toMatchObject({ version: 1, createdBy: "system" });
  expect(first.grid).toEqual(INSTALL_GRID);
  expect((await currentGrid(SHOP)).version).toBe(1);
  const saved = await saveGrid(SHOP, { ...DEFAULT_GRID, percentBasketCapMinor: 10_000 }, "staff-1");
  expect(saved.version).toBe(2);
  expect((await currentGrid(SHOP)).grid.percentBasketCapMinor).toBe(10_000);
});

test("an auto-approved offer is written with its reservation, audit row, event and issue job in one go; deciding again creates nothing", async () => {
  await setUp();
  const incidentId = await createIncident(SHOP, { customerGid });
  const result = await decideIncident(SHOP, incidentId);
  expect(result).toMatchObject({
    outcome: "DECIDED",
    reserved: true,
    decision: { kind: "OFFER", approval: "AUTO", faceValueMinor: 4_000 },
  });

  const offer = await prisma.offer.findFirstOrThrow({ where: { incidentId } });
  expect(offer).toMatchObject({
    status: "APPROVED",
    approval: "AUTO",
    kind: "DISCOUNT_PERCENT",
    gridVersion: 1,
    faceValueMinor: 4_000,
    decidedBy: "system",
  });
  // A random code (decision 0019), not one anyone could derive from the offer id.
  expect(offer.issueKey).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{12}$/);
  expect(offer.issueKey.toLowerCase()).not.toContain(offer.id.replaceAll("-", "").slice(0, 4));
  expect(await prisma.budgetMonth.findMany()).toEqual([
    { shop: SHOP, month: "2026-11", committedMinor: 4_000, issuedMinor: 0 },
  ]);
  expect(await prisma.offerTransition.findMany({ where: { offerId: offer.id } })).toEqual([
    expect.objectContaining({ fromStatus: null, toStatus: "APPROVED", actor: "system" }),
  ]);
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: incidentId }, include: { events: true } });
  expect(incident).toMatchObject({ decision: "OFFER", holdout: false });
  expect(incident.explanation.join("\n")).toContain("5. Budget: brings this month to $40 of $1,000: within budget");
  expect(incident.events.map((e) => e.kind)).toEqual(["DECIDED"]);
  expect((await jobs("issue-offer")).map((j) => j.payload)).toEqual([{ v: 1, shop: SHOP, offerId: offer.id }]);

  expect(await decideIncident(SHOP, incidentId)).toEqual({ outcome: "ALREADY_DECIDED", decision: "OFFER" });
  await Promise.all([decideIncident(SHOP, incidentId), decideIncident(SHOP, incidentId)]);
  expect(await prisma.offer.count()).toBe(1);
  expect(await prisma.incidentEvent.count()).toBe(1);
  expect((await prisma.budgetMonth.findFirstOrThrow()).committedMinor).toBe(4_000);
  expect(await jobs("issue-offer")).toHaveLength(1);
});

test("the same incident decided concurrently for the first time yields one offer", async () => {
  await setUp();
  const incidentId = await createIncident(SHOP);
  const results = await Promise.all(Array.from({ length: 6 }, () => decideIncident(SHOP, incidentId)));
  expect(results.filter((r) => r.outcome === "DECIDED")).toHaveLength(1);
  expect(await prisma.offer.count()).toBe(1);
  expect((await prisma.budgetMonth.findFirstOrThrow()).committedMinor).toBe(4_000);
});

test("40 concurrent decisions never overspend the monthly budget; the rest wait for a MANAGER", async () => {
  await setUp({ decision: { holdoutShare: 0, monthlyBudgetMinor: 41_000 } });
  const ids = await Promise.all(Array.from({ length: 40 }, () => createIncident(SHOP)));
  const results = await Promise.all(ids.map((id) => decideIncident(SHOP, id)));
  expect(results.every((r) => r.outcome === "DECIDED")).toBe(true);

  const budget = await prisma.budgetMonth.findFirstOrThrow();
  expect(budget.committedMinor + budget.issuedMinor).toBeLessThanOrEqual(41_000);
  expect(budget.committedMinor).toBe(40_000);
  const offers = await prisma.offer.findMany();
  expect(offers).toHaveLength(40);
  const approved = offers.filter((o) => o.status === "APPROVED");
  const waiting = offers.filter((o) => o.status === "PENDING_APPROVAL");
  expect(approved).toHaveLength(10);
  expect(waiting).toHaveLength(30);
  expect(
    waiting.every(
      (o) => o.approval === "MANAGER" && o.explanation.some((line) => /^5\. Budget/.test(line) && /MANAGER/.test(line)),
    ),
  ).toBe(true);
  expect(await jobs("issue-offer")).toHaveLength(10);
});

test("a held-out incident records a HOLDOUT offer and no reservation", async () => {
  await setUp({ decision: { holdoutShare: 0.5 } });
  const heldId = Array.from({ length: 200 }, () => crypto.randomUUID()).find((id) => holdoutDraw(id) < 0.5)!;
  await createIncident(SHOP, { id: heldId, customerGid });
  const result = await decideIncident(SHOP, heldId);
  expect(result).toMatchObject({ outcome: "DECIDED", decision: { kind: "HOLDOUT" } });
  expect(await prisma.offer.findFirstOrThrow()).toMatchObject({ status: "HOLDOUT", faceValueMinor: 0, kind: "NONE" });
  expect(await prisma.incident.findUniqueOrThrow({ where: { id: heldId } })).toMatchObject({
    decision: "HOLDOUT",
    holdout: true,
  });
  expect(await prisma.budgetMonth.count()).toBe(0);
  expect(await jobs()).toEqual([]);
});

test("an offer above the auto-approve ceiling waits for approval with escalate and expire timers", async () => {
  await setUp({ decision: { holdoutShare: 0, autoApproveCeilingMinor: 1_000 } });
  const incidentId = await createIncident(SHOP, { customerGid });
  await decideIncident(SHOP, incidentId);
  const offer = await prisma.offer.findFirstOrThrow();
  expect(offer).toMatchObject({ status: "PENDING_APPROVAL", approval: "STAFF" });
  expect((await prisma.budgetMonth.findFirstOrThrow()).committedMinor).toBe(4_000);
  const timers = await jobs("approval-timeout");
  expect(timers.map((j) => [j.payload.stage, j.run_at.toISOString()])).toEqual([
    ["ESCALATE", "2026-11-02T19:00:00.000Z"],
    ["EXPIRE", "2026-11-04T15:00:00.000Z"],
  ]);
});

test("two real graphile workers deciding and issuing 20 incidents stay within the budget and issue one code per approved offer", async () => {
  await setUp({ decision: { holdoutShare: 0, monthlyBudgetMinor: 30_000 } });
  // graphile-worker compares run_at with the database's clock: run the app's clock at real time so
  // the approval timers (4 h, 48 h ahead) stay in the future, and Shopify's asynchronous code adds
  // finish while their checks wait (decision 0029).
  sandbox.clock.set(new Date());
  sandbox.clock.unfreeze();
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const customer = gid(
      "Customer",
      sandbox.activity.createCustomer(SHOP, { firstName: `C${i}`, lastName: "Test", email: `c${i}@example.com` }).id,
    );
    ids.push(await createIncident(SHOP, { customerGid: customer }));
  }
  await prisma.$transaction(async (tx) => {
    for (const incidentId of ids) await enqueue(tx, "decide-incident", { v: 1, shop: SHOP, incidentId });
  });
  const workers = await Promise.all([startTestWorker(4), startTestWorker(4)]);
  try {
    for (let waited = 0; waited < 25_000; waited += 100) {
      const pending = (await jobs()).filter((j) =>
        ["decide-incident", "issue-offer", "check-code-add"].includes(j.task_identifier),
      );
      if (pending.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  const offers = await prisma.offer.findMany();
  expect(offers).toHaveLength(20);
  const issued = offers.filter((o) => o.status === "ISSUED");
  expect(issued).toHaveLength(7);
  expect(
    offers.filter((o) => o.status !== "ISSUED").map((o) => `${o.status} ${o.approval} ${o.lastError ?? ""}`),
  ).toEqual(Array.from({ length: 13 }, () => "PENDING_APPROVAL MANAGER "));
  const budget = await prisma.budgetMonth.findFirstOrThrow();
  expect(budget).toMatchObject({ committedMinor: 0, issuedMinor: 28_000 });
  const store = sandbox.store.shop(SHOP);
  expect([...store.discounts.values()].flatMap((d) => d.codes.map((c) => c.code)).sort()).toEqual(
    issued.map((o) => o.issueKey).sort(),
  );
});

test("a worse signal before issue supersedes the waiting offer, frees its budget and decides again at the new severity", async () => {
  // An auto-approve ceiling of 0 makes every offer wait for approval.
  await setUp({
    decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null, autoApproveCeilingMinor: 0 },
  });
  const incidentId = await createIncident(SHOP, { customerGid, severity: "major" });
  const first = await decideIncident(SHOP, incidentId);
  if (first.outcome !== "DECIDED" || !first.offerId) throw new Error("expected an offer");
  const before = await prisma.offer.findUniqueOrThrow({ where: { id: first.offerId } });
  expect(before.status).toBe("PENDING_APPROVAL");

  await prisma.incident.update({ where: { id: incidentId }, data: { severity: "critical" } });
  const again = await supersedeAndRedecide(SHOP, incidentId);

  expect(again.outcome).toBe("DECIDED");
  const offers = await prisma.offer.findMany({ where: { incidentId }, orderBy: { createdAt: "asc" } });
  expect(offers.map((o) => o.status)).toEqual(["SUPERSEDED", expect.stringMatching(/PENDING_APPROVAL|APPROVED/)]);
  expect(offers[1]!.faceValueMinor).toBeGreaterThanOrEqual(before.faceValueMinor);
  const transitions = await prisma.offerTransition.findMany({ where: { offerId: before.id }, orderBy: { at: "asc" } });
  expect(transitions.at(-1)).toMatchObject({ fromStatus: "PENDING_APPROVAL", toStatus: "SUPERSEDED" });
  expect(await prisma.incidentEvent.count({ where: { incidentId, kind: "OFFER_SUPERSEDED" } })).toBe(1);
  // Superseding twice does nothing more once the new offer is issued or gone.
  await prisma.offer.update({ where: { id: offers[1]!.id }, data: { status: "ISSUED" } });
  expect(await supersedeAndRedecide(SHOP, incidentId)).toEqual({ outcome: "NOT_SUPERSEDED" });
});

test("a decision records the customer's tier on the incident and the offer", async () => {
  await setUp();
  const incidentId = await createIncident(SHOP, { customerGid });
  await decideIncident(SHOP, incidentId);
  expect((await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } })).tier).toBe("NEW");
  expect((await prisma.offer.findFirstOrThrow({ where: { incidentId } })).tier).toBe("NEW");
});
