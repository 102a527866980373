/**
 * Staff decisions on pending offers: authority from settings, edited values,
 * rejections with reasons, bulk approval, the approval timers, and two
 * approvals at once issuing once.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import {
  ApprovalError,
  approvalTimeout,
  approveOffer,
  bulkApprove,
  rejectOffer,
} from "../../app/services/approvals.server";
import { decideIncident } from "../../app/services/decision.server";
import { issueOffer } from "../../app/services/issuing.server";
import { gid } from "../../sandbox";
import type { ShopState } from "../../sandbox/store";
import { jobs } from "../helpers/db";
import { acceptDeliveries, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-offers-approvals.myshopify.com";
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let store: ShopState;
let customerGid: string;

const SETTINGS = {
  decision: { holdoutShare: 0, autoApproveCeilingMinor: 1_000, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
  authority: { limits: { STAFF: 5_000, MANAGER: 25_000 }, members: { "manager-1": "MANAGER" } },
};
const staff = { userId: "staff-1" };
const manager = { userId: "manager-1" };

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }).id,
  );
  await createShopRow(SHOP, SETTINGS);
});

/** A $40 (20% of $200) code waiting for STAFF approval. */
async function pendingOffer(): Promise<string> {
  const result = await decideIncident(SHOP, await createIncident(SHOP, { customerGid }));
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error("no offer");
  return result.offerId;
}

const budget = () => prisma.budgetMonth.findFirstOrThrow();

test("a staff member approves within authority: APPROVED, audited with the actor, one issue job", async () => {
  const offerId = await pendingOffer();
  await approveOffer(SHOP, offerId, staff);
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "APPROVED",
    decidedBy: "staff-1",
    decidedAt: OFFERS_NOW,
  });
  const trail = await prisma.offerTransition.findMany({ where: { offerId }, orderBy: { at: "asc" } });
  expect(trail.at(-1)).toMatchObject({ fromStatus: "PENDING_APPROVAL", toStatus: "APPROVED", actor: "staff-1" });
  expect(await jobs("issue-offer")).toHaveLength(1);
  expect((await budget()).committedMinor).toBe(4_000);
});

test("an edited value above the staff limit is refused with who can approve; a manager may", async () => {
  const offerId = await pendingOffer();
  const refusal = await approveOffer(SHOP, offerId, staff, { value: 30 }).catch((e: unknown) => e);
  expect(refusal).toBeInstanceOf(ApprovalError);
  expect(refusal).toMatchObject({ code: "ABOVE_AUTHORITY_LIMIT", approvers: [{ id: "manager-1", level: "MANAGER" }] });
  expect((refusal as Error).message).toMatch(
    /\$60 is above your approval limit of \$50; who can approve: manager-1 \(MANAGER\), the account owner/,
  );
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "PENDING_APPROVAL",
    faceValueMinor: 4_000,
  });

  await approveOffer(SHOP, offerId, manager, { value: 30 });
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  expect(offer).toMatchObject({
    status: "APPROVED",
    faceValueMinor: 6_000,
    cell: expect.objectContaining({ value: 30 }),
  });
  expect((await budget()).committedMinor).toBe(6_000);
  const last = await prisma.offerTransition.findFirstOrThrow({ where: { offerId, toStatus: "APPROVED" } });
  expect(last.data).toMatchObject({ faceValueFrom: 4_000, faceValueTo: 6_000, budget: { committedDelta: 2_000 } });
});

test("rejecting needs a reason, releases the reservation and is audited", async () => {
  const offerId = await pendingOffer();
  await expect(rejectOffer(SHOP, offerId, staff, "  ")).rejects.toMatchObject({ code: "INVALID_VALUE" });
  await rejectOffer(SHOP, offerId, staff, "customer already got a refund");
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "REJECTED",
    decidedBy: "staff-1",
  });
  expect((await budget()).committedMinor).toBe(0);
  expect(await prisma.offerTransition.findFirstOrThrow({ where: { offerId, toStatus: "REJECTED" } })).toMatchObject({
    actor: "staff-1",
    note: "customer already got a refund",
  });
  await expect(approveOffer(SHOP, offerId, staff)).rejects.toMatchObject({ code: "NOT_PENDING" });
});

test("two staff pressing Approve together: one approval, one issue job, one code", async () => {
  const offerId = await pendingOffer();
  const results = await Promise.allSettled([approveOffer(SHOP, offerId, staff), approveOffer(SHOP, offerId, manager)]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "NOT_PENDING" } });
  expect(await jobs("issue-offer")).toHaveLength(1);
  await Promise.allSettled([issueOffer(SHOP, offerId), issueOffer(SHOP, offerId)]);
  expect([...store.discounts.values()]).toHaveLength(1);
  expect(await prisma.offerTransition.count({ where: { offerId, toStatus: "APPROVED" } })).toBe(1);
});

test("bulk approve takes each offer on its own", async () => {
  const a = await pendingOffer();
  const b = await pendingOffer();
  await rejectOffer(SHOP, b, staff, "duplicate complaint");
  const results = await bulkApprove(SHOP, [a, b, a], staff);
  expect(results).toEqual([
    { offerId: a, ok: true },
    { offerId: b, ok: false, code: "NOT_PENDING", message: expect.any(String) },
  ]);
});

test("the approval timers escalate to MANAGER, then expire the offer and free its budget", async () => {
  const offerId = await pendingOffer();
  expect(await approvalTimeout(SHOP, offerId, "ESCALATE")).toBe("ESCALATED");
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    approval: "MANAGER",
    status: "PENDING_APPROVAL",
  });
  await expect(approveOffer(SHOP, offerId, staff)).rejects.toMatchObject({ code: "NEEDS_MANAGER" });
  expect(await approvalTimeout(SHOP, offerId, "EXPIRE")).toBe("EXPIRED");
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({ status: "EXPIRED" });
  expect((await budget()).committedMinor).toBe(0);
  expect(await approvalTimeout(SHOP, offerId, "EXPIRE")).toBe("NOTHING_TO_DO");
  const events = await prisma.incidentEvent.findMany({ orderBy: { createdAt: "asc" } });
  expect(events.map((e) => e.kind)).toEqual(["DECIDED", "OFFER_ESCALATED", "OFFER_EXPIRED"]);
});

test("an offer over the budget waits for a manager, who may approve it over the budget", async () => {
  await prisma.shop.update({
    where: { shop: SHOP },
    data: { settings: { ...SETTINGS, decision: { ...SETTINGS.decision, monthlyBudgetMinor: 5_000 } } },
  });
  const first = await pendingOffer();
  const second = await pendingOffer();
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: second } })).toMatchObject({ approval: "MANAGER" });
  await approveOffer(SHOP, first, staff);
  await expect(approveOffer(SHOP, second, staff)).rejects.toMatchObject({ code: "NEEDS_MANAGER" });
  await approveOffer(SHOP, second, manager);
  expect((await budget()).committedMinor).toBe(8_000);
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: second } })).explanation.at(-1)).toBe(
    "Budget: approved over the monthly budget by manager-1 (MANAGER)",
  );
});
