/**
 * The incident page's actions (decision 0121) through the real loader and action
 * (authenticate.admin, the sandbox answering the token exchange): the primary action and badge
 * that fit the incident's standing, Approve and "Different make-good" through the approvals
 * page's path, Close by hand, Resend message, Add note; each permission-checked, scoped by shop,
 * and in the timeline with who did it. Staff 1001 is the account owner; 1002 a support member
 * (STAFF, approval limit $50).
 */
import { randomUUID } from "node:crypto";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action, loader } from "../../app/routes/app.incidents.$id/route";
import { issueOffer } from "../../app/services/issuing.server";
import { notifyIssued } from "../../app/services/issuing/lifecycle.server";
import { adminRequest, call } from "../helpers/admin-request";
import { enableFlowTriggers, sendLifecycle } from "../helpers/flow";
import { acceptDeliveries, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { decidedIncident, OFFERS_NOW, shopsWithAda, type IncidentOverrides } from "./offers-fixtures";

const SHOP = TEST_SHOP;
const OTHER = "amends-other-incident-actions.myshopify.com";
const OWNER = "1001";
const SUPPORT = "1002";
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let customerGid: string;

beforeEach(async () => {
  customerGid = await shopsWithAda(sandbox, [SHOP, OTHER]);
});

/** A decided incident and its offer (waiting for STAFF approval: 20% of the order total). */
const decided = (overrides: IncidentOverrides = {}) => decidedIncident(SHOP, { customerGid, ...overrides });

/** An issued make-good (approved by the owner, issued in the sandbox). */
async function issued(): Promise<{ incidentId: string; offerId: string }> {
  const made = await decided();
  expect(await act(made.incidentId, { intent: "approve", offerId: made.offerId }, OWNER)).toMatchObject({
    status: 200,
  });
  expect(await issueOffer(SHOP, made.offerId)).toMatchObject({ outcome: "ISSUED" });
  return made;
}

async function page(incidentId: string, userId = SUPPORT) {
  const result = await call(() =>
    loader({
      request: adminRequest(`/app/incidents/${incidentId}`, { userId }),
      params: { id: incidentId },
      context: {},
    }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

async function act(
  incidentId: string,
  form: Record<string, string>,
  userId = SUPPORT,
  shop = SHOP,
): Promise<{ status: number; body: { ok: boolean; message: string; field?: string } }> {
  const result = await call(() =>
    action({
      request: adminRequest(`/app/incidents/${incidentId}`, { userId, shop, form }),
      params: { id: incidentId },
      context: {},
    }),
  );
  if (result instanceof Response) return { status: result.status, body: await result.json() };
  return { status: 200, body: result as { ok: boolean; message: string } };
}

const events = (incidentId: string, kind: string) =>
  prisma.incidentEvent.findMany({ where: { shop: SHOP, incidentId, kind }, orderBy: { at: "asc" } });
const offerStatus = async (id: string) => (await prisma.offer.findUniqueOrThrow({ where: { id } })).status;
const flowCalls = () =>
  sandbox.admin.calls.filter(
    (c) => c.rootFields.includes("flowTriggerReceive") && c.variables?.handle === "recovery-offer-issued",
  );

test("a waiting make-good: the badge says Waiting, the primary action is Approve; a member above their limit is refused and nothing changes", async () => {
  // 20% of $400 = $80: above STAFF's $50 limit.
  const { incidentId, offerId } = await decided({ orderTotalMinor: 40_000 });
  const data = await page(incidentId);
  expect(data.standing).toEqual({ label: "Waiting for approval", tone: "attention" });
  expect(data.primary).toEqual({ kind: "APPROVE", offerId });

  const refused = await act(incidentId, { intent: "approve", offerId });
  expect(refused.status).toBe(403);
  expect(refused.body.message).toMatch(/above your approval limit.*Who can approve/);
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");
  expect(await events(incidentId, "OFFER_APPROVED")).toEqual([]);

  // Another shop's session cannot approve it, even as its owner.
  expect((await act(incidentId, { intent: "approve", offerId }, OWNER, OTHER)).status).toBe(404);
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");

  expect(await act(incidentId, { intent: "approve", offerId }, OWNER)).toMatchObject({
    status: 200,
    body: { ok: true },
  });
  expect(await offerStatus(offerId)).toBe("APPROVED");
  expect(await events(incidentId, "OFFER_APPROVED")).toEqual([expect.objectContaining({ actor: OWNER })]);
  const after = await page(incidentId);
  expect(after.timeline.some((t) => t.title.startsWith("Approved by ") && !t.title.includes("Amends"))).toBe(true);
  expect(after.standing.label).toBe("Being issued");
  expect(after.primary).toBeNull();
});

test("Different make-good approves a waiting offer with a new value through the approvals path: bad values beside the field, the limit applies", async () => {
  const { incidentId, offerId } = await decided();
  expect((await page(incidentId)).offers[0]?.editable).toMatchObject({ unit: "PERCENT", current: "20" });

  const bad = await act(incidentId, { intent: "differentMakeGood", offerId, value: "abc" });
  expect(bad).toMatchObject({ status: 400, body: { ok: false, field: "value" } });
  // 40% of $200 = $80: above the support member's limit.
  const above = await act(incidentId, { intent: "differentMakeGood", offerId, value: "40" });
  expect(above).toMatchObject({ status: 403, body: { ok: false, field: "value" } });
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");

  expect(await act(incidentId, { intent: "differentMakeGood", offerId, value: "10" })).toMatchObject({ status: 200 });
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  expect([offer.status, offer.faceValueMinor, offer.decidedBy]).toEqual(["APPROVED", 2_000, SUPPORT]);
});

test("a made-good incident reads Made good, not Open; Close is a manager's: STAFF refused, the owner closes it once and the timeline names them", async () => {
  const { incidentId } = await issued();
  const data = await page(incidentId);
  expect(data.incident.state).toBe("OPEN");
  expect(data.standing).toEqual({ label: "Made good", tone: "success" });
  expect(data.primary).toEqual({ kind: "CLOSE" });
  expect(data.may.close).toBe(false);
  expect((await page(incidentId, OWNER)).may.close).toBe(true);

  const refused = await act(incidentId, { intent: "close" });
  expect(refused).toMatchObject({ status: 403, body: { ok: false } });
  expect(refused.body.message).toContain("manager");
  expect((await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } })).state).toBe("OPEN");
  expect(await events(incidentId, "CLOSED")).toEqual([]);

  expect((await act(incidentId, { intent: "close" }, OWNER, OTHER)).status).toBe(404);
  expect(await act(incidentId, { intent: "close" }, OWNER)).toMatchObject({ status: 200, body: { ok: true } });
  const closed = await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  expect([closed.state, closed.openSlot, closed.closedAt]).toEqual(["CLOSED", null, OFFERS_NOW]);
  expect(await events(incidentId, "CLOSED")).toEqual([expect.objectContaining({ actor: OWNER })]);
  // Same moment as the issue (the test clock stands still): find it rather than take the last entry.
  const closedEntry = (await page(incidentId)).timeline.find((t) => t.title.startsWith("Incident closed"));
  expect(closedEntry?.title).toMatch(/^Incident closed by (?!staff member)/);
  expect((await page(incidentId)).standing.label).toBe("Closed");

  expect(await act(incidentId, { intent: "close" }, OWNER)).toMatchObject({ status: 409 });
  expect(await events(incidentId, "CLOSED")).toHaveLength(1);
});

test("Close is refused while the make-good still needs someone, and says what to do first", async () => {
  const { incidentId, offerId } = await decided();
  const refused = await act(incidentId, { intent: "close" }, OWNER);
  expect(refused).toMatchObject({ status: 409, body: { ok: false } });
  expect(refused.body.message).toContain("waits for approval");
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");
  expect((await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } })).state).toBe("OPEN");
});

test("Resend message goes through the same Flow path once per click, each in the timeline with who asked", async () => {
  await enableFlowTriggers(SHOP);
  const { incidentId, offerId } = await issued();
  expect(await notifyIssued(SHOP, offerId)).toMatchObject({ flow: "SENT" });
  expect(flowCalls()).toHaveLength(1);
  expect((await page(incidentId)).offers[0]?.messageSent).toBe(true);

  const click = randomUUID();
  expect(await act(incidentId, { intent: "resend", offerId, requestId: click })).toMatchObject({
    status: 200,
    body: { ok: true },
  });
  // The same click again (a double submit) sends nothing more.
  expect(await act(incidentId, { intent: "resend", offerId, requestId: click })).toMatchObject({ status: 200 });
  expect(flowCalls()).toHaveLength(2);
  const payload = flowCalls()[1]!.variables!.payload as Record<string, unknown>;
  expect(payload).toMatchObject({ "Offer ID": offerId });
  expect(String(payload.Message)).toContain("Ada");

  expect(await act(incidentId, { intent: "resend", offerId, requestId: randomUUID() })).toMatchObject({
    status: 200,
  });
  expect(flowCalls()).toHaveLength(3);
  expect(await events(incidentId, "OFFER_RESENT")).toEqual([
    expect.objectContaining({ actor: SUPPORT }),
    expect.objectContaining({ actor: SUPPORT }),
  ]);
  const timeline = (await page(incidentId)).timeline.filter((t) => t.title.startsWith("Message sent again"));
  expect(timeline).toHaveLength(2);

  // Another shop cannot resend this shop's message.
  expect((await act(incidentId, { intent: "resend", offerId, requestId: randomUUID() }, OWNER, OTHER)).status).toBe(
    404,
  );
  expect(flowCalls()).toHaveLength(3);
});

test("Resend is refused when nothing went out, and when no channel can send now; nothing is recorded", async () => {
  const { incidentId, offerId } = await issued();
  // No Flow workflow and no email: the apology never went out.
  expect(await notifyIssued(SHOP, offerId)).toMatchObject({ flow: "NOT_IN_USE", email: "OFF" });
  expect((await page(incidentId)).offers[0]?.messageSent).toBe(false);
  const never = await act(incidentId, { intent: "resend", offerId, requestId: randomUUID() });
  expect(never).toMatchObject({ status: 409, body: { ok: false } });
  expect(never.body.message).toContain("never sent");

  await enableFlowTriggers(SHOP);
  await notifyIssued(SHOP, offerId);
  // The store turned its workflow off since.
  const off = await sendLifecycle({ shop: SHOP, trigger: "Recovery offer issued", enabled: false });
  expect(off.status).toBe(204);
  const nothing = await act(incidentId, { intent: "resend", offerId, requestId: randomUUID() });
  expect(nothing).toMatchObject({ status: 422, body: { ok: false } });
  expect(nothing.body.message).toMatch(/^Nothing was sent/);
  expect(flowCalls()).toHaveLength(1);
  expect(await events(incidentId, "OFFER_RESENT")).toEqual([]);

  expect((await act(incidentId, { intent: "resend", offerId, requestId: "nope" })).status).toBe(400);
});

test("Add note: a staff note once per click, in the timeline with who wrote it; an empty note is refused beside the field", async () => {
  const { incidentId } = await decided();
  const empty = await act(incidentId, { intent: "addNote", note: "   ", requestId: randomUUID() });
  expect(empty).toMatchObject({ status: 400, body: { ok: false, field: "note" } });

  const click = randomUUID();
  const note = "Customer called: happy to wait for the parcel.";
  expect(await act(incidentId, { intent: "addNote", note, requestId: click })).toMatchObject({ status: 200 });
  expect(await act(incidentId, { intent: "addNote", note, requestId: click })).toMatchObject({ status: 200 });
  expect(await events(incidentId, "STAFF_NOTE")).toEqual([
    expect.objectContaining({ actor: SUPPORT, data: expect.objectContaining({ text: note }) }),
  ]);
  const entry = (await page(incidentId)).timeline.find((t) => t.title.startsWith("Note by "));
  expect(entry?.detail).toBe(note);

  expect((await act(incidentId, { intent: "addNote", note, requestId: randomUUID() }, OWNER, OTHER)).status).toBe(404);
  expect(await events(incidentId, "STAFF_NOTE")).toHaveLength(1);
});

test("a make-good that failed to issue: the badge says so, Retry issuing is the primary action, and the retry is in the timeline with who did it", async () => {
  const { incidentId, offerId } = await decided();
  expect(await act(incidentId, { intent: "approve", offerId }, OWNER)).toMatchObject({ status: 200 });
  // The merchant took write_discounts back in Shopify: issuing the code is refused.
  sandbox.admin.grants.revoke(SHOP, ["write_discounts"]);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "FAILED" });
  sandbox.admin.grants.grant(SHOP, ["write_discounts"]);
  const data = await page(incidentId);
  expect(data.standing).toEqual({ label: "Make-good failed", tone: "critical" });
  expect(data.primary).toEqual({ kind: "RETRY_ISSUE", offerId });

  expect((await act(incidentId, { intent: "retryIssue", offerId }, OWNER, OTHER)).status).toBe(404);
  expect(await act(incidentId, { intent: "retryIssue", offerId })).toMatchObject({ status: 200, body: { ok: true } });
  expect(await offerStatus(offerId)).toBe("APPROVED");
  const retried = await prisma.offerTransition.findFirstOrThrow({
    where: { offerId, fromStatus: "FAILED", toStatus: "APPROVED" },
  });
  expect(retried).toMatchObject({ actor: SUPPORT, note: "retry issue" });
  const entry = (await page(incidentId)).timeline.find(
    (t) => t.title.startsWith("Issuing ") && t.title.includes(" retried by "),
  );
  expect(entry?.title).not.toMatch(/retried by (Amends|staff member)/);
});
