/**
 * Staff decisions from the queue: approve (optionally with an edited value), reject, approve in
 * bulk, and mark a follow-up done. approvals.server.ts does the decision itself (row lock,
 * authority, budget, audit); this checks authority first to name who can approve instead, reads
 * edited values in the shop's currency, and turns refusals into messages for the page.
 */
import { clock } from "../../clock.server";
import { prisma } from "../../db.server";
import { pendingOffersByIds, type PendingOffer } from "../../models/approval-queue.server";
import { addIncidentEvent } from "../../models/offers.server";
import { shopContext, type ShopContext } from "../../models/shop-settings.server";
import { canApprove, formatMoney, memberAuthority, toMinorUnits } from "../../recovery";
import { ApprovalError, approveOffer, rejectOffer, type StaffIdentity } from "../approvals.server";
import { editableValue, makeGoodText, type EditableValue } from "./rows.server";
import { approverNames, listText, staffDirectory } from "./staff-directory.server";

function refusalText(
  verdict: Exclude<ReturnType<typeof canApprove>, { ok: true }>,
  faceValueMinor: number,
  currency: string,
  approvers: readonly string[],
): string {
  const why =
    verdict.reason === "NEEDS_MANAGER"
      ? "This offer needs a manager's approval"
      : `${formatMoney(faceValueMinor, currency)} is above your approval limit of ${formatMoney(verdict.limitMinor, currency)}`;
  return `${why}. Who can approve: ${listText(approvers)}.`;
}

/** What a decision on one offer came to, for the page: a message, or a refusal with where to show it. */
export type QueueOutcome =
  | { ok: true; message: string }
  | {
      ok: false;
      status: 400 | 403 | 404 | 409;
      field: "value" | "reason" | null;
      message: string;
      approvers: string[];
    };

function refused(
  status: 400 | 403 | 404 | 409,
  message: string,
  field: "value" | "reason" | null = null,
  approvers: string[] = [],
): QueueOutcome {
  return { ok: false, status, field, message, approvers };
}

function notPending(offer: PendingOffer): string {
  return `${offer.incident.orderName}: the offer is ${offer.status.toLowerCase().replaceAll("_", " ")}, no longer waiting for approval`;
}

/** The edited value in the cell's unit (minor units, or percent), or a message for the field. */
export function parseEditedValue(
  editable: EditableValue,
  input: string,
): { ok: true; value: number } | { ok: false; message: string } {
  const text = input.trim();
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0)
    return { ok: false, message: "Enter a value above zero, like 25 or 12.50" };
  if (editable.unit === "PERCENT") {
    const percent = Number(text);
    if (percent > 100) return { ok: false, message: "A discount can be at most 100%" };
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return { ok: false, message: "Use at most two decimals" };
    return { ok: true, value: percent };
  }
  try {
    return { ok: true, value: toMinorUnits(text, editable.currency) };
  } catch {
    return { ok: false, message: `Use at most the decimals ${editable.currency} has` };
  }
}

/** Face value after an edit, as approvals.server.ts computes it, to check authority before asking. */
function editedFaceValue(offer: PendingOffer, editable: EditableValue, value: number): number {
  if (editable.unit === "MONEY") return value;
  const current = Number(editable.current);
  return current > 0 ? Math.round((offer.faceValueMinor * value) / current) : offer.faceValueMinor;
}

async function refusalFromError(
  error: ApprovalError,
  offer: PendingOffer,
  ctx: ShopContext,
  field: "value" | null,
): Promise<QueueOutcome> {
  switch (error.code) {
    case "NOT_FOUND":
      return refused(404, "No such offer in this shop");
    case "NOT_PENDING":
      return refused(409, notPending(offer));
    case "INVALID_VALUE":
    case "VALUE_NOT_EDITABLE":
      return refused(400, error.message, field);
    case "NEEDS_MANAGER":
    case "ABOVE_AUTHORITY_LIMIT": {
      // The budget check inside approveOffer can refuse after our pre-check; name people rather than ids.
      const directory = await staffDirectory(ctx);
      const names = error.approvers.map((m) => directory.names.get(m.id) ?? `Staff member ${m.id}`);
      const approvers = names.length > 0 ? names : ["the account owner"];
      const why = error.message.split("; who can approve:")[0] ?? error.message;
      return refused(
        403,
        `${why.charAt(0).toUpperCase()}${why.slice(1)}. Who can approve: ${listText(approvers)}.`,
        field,
        approvers,
      );
    }
  }
}

/** Approve one offer, optionally with an edited value typed in the shop's currency (or percent). */
export async function approveFromQueue(
  shop: string,
  offerId: string,
  staff: StaffIdentity,
  editedValue?: string,
): Promise<QueueOutcome> {
  const [offer] = await pendingOffersByIds(shop, [offerId]);
  if (!offer) return refused(404, "No such offer in this shop");
  if (offer.status !== "PENDING_APPROVAL") return refused(409, notPending(offer));
  const ctx = await shopContext(shop);
  const field = editedValue === undefined ? null : "value";

  let value: number | undefined;
  let faceValueMinor = offer.faceValueMinor;
  if (editedValue !== undefined) {
    const editable = editableValue(offer);
    if (!editable) return refused(400, `A ${makeGoodText(offer)} cannot be edited; approve or reject it`, "value");
    const parsed = parseEditedValue(editable, editedValue);
    if (!parsed.ok) return refused(400, parsed.message, "value");
    value = parsed.value;
    faceValueMinor = editedFaceValue(offer, editable, parsed.value);
  }

  const member = memberAuthority(staff.userId, ctx.recovery.authority, staff.accountOwner ?? false);
  const target = { approval: offer.approval, faceValueMinor };
  const verdict = canApprove(member, target, ctx.recovery.authority);
  if (!verdict.ok) {
    const approvers = approverNames(await staffDirectory(ctx), target, ctx, member.id);
    return refused(403, refusalText(verdict, faceValueMinor, offer.currency, approvers), field, approvers);
  }
  try {
    const approved = await approveOffer(shop, offerId, staff, value === undefined ? {} : { value });
    return {
      ok: true,
      message: `${offer.incident.orderName}: approved ${formatMoney(approved.faceValueMinor, approved.currency)}; it is being issued`,
    };
  } catch (error) {
    if (error instanceof ApprovalError) return refusalFromError(error, offer, ctx, field);
    throw error;
  }
}

export async function rejectFromQueue(
  shop: string,
  offerId: string,
  staff: StaffIdentity,
  reason: string,
): Promise<QueueOutcome> {
  const [offer] = await pendingOffersByIds(shop, [offerId]);
  if (!offer) return refused(404, "No such offer in this shop");
  try {
    await rejectOffer(shop, offerId, staff, reason);
    return { ok: true, message: `${offer.incident.orderName}: offer rejected` };
  } catch (error) {
    if (error instanceof ApprovalError) return refusalFromError(error, offer, await shopContext(shop), null);
    throw error;
  }
}

export type BulkOutcome = "APPROVED" | "NEEDS_APPROVER" | "NO_LONGER_PENDING" | "NOT_FOUND" | "REFUSED";

export interface BulkRowResult {
  offerId: string;
  orderName: string | null;
  outcome: BulkOutcome;
  message: string;
}

/** Each offer on its own (approveFromQueue), so one refusal does not stop the others and each says why. */
export async function bulkApproveFromQueue(
  shop: string,
  offerIds: readonly string[],
  staff: StaffIdentity,
): Promise<BulkRowResult[]> {
  const offers = new Map((await pendingOffersByIds(shop, offerIds)).map((o) => [o.id, o]));
  const results: BulkRowResult[] = [];
  for (const offerId of new Set(offerIds)) {
    const offer = offers.get(offerId);
    if (!offer) {
      results.push({ offerId, orderName: null, outcome: "NOT_FOUND", message: "No such offer in this shop" });
      continue;
    }
    const outcome = await approveFromQueue(shop, offerId, staff);
    const orderName = offer.incident.orderName;
    if (outcome.ok) results.push({ offerId, orderName, outcome: "APPROVED", message: `${orderName}: approved` });
    else if (outcome.status === 403)
      results.push({ offerId, orderName, outcome: "NEEDS_APPROVER", message: `${orderName}: ${outcome.message}` });
    else if (outcome.status === 409)
      results.push({ offerId, orderName, outcome: "NO_LONGER_PENDING", message: outcome.message });
    else
      results.push({
        offerId,
        orderName,
        outcome: outcome.status === 404 ? "NOT_FOUND" : "REFUSED",
        message: `${orderName}: ${outcome.message}`,
      });
  }
  return results;
}

export type FollowUpDoneResult = "DONE" | "ALREADY_DONE" | "NOT_FOUND";

/** Mark a due follow-up done: one FOLLOW_UP_DONE event naming it and the member, however often it is pressed. */
export async function markFollowUpDone(
  shop: string,
  dueEventId: string,
  staff: StaffIdentity & { name?: string },
): Promise<FollowUpDoneResult> {
  return prisma.$transaction(async (tx) => {
    // The due event's row lock serialises two members pressing "Mark done" together.
    const due = await tx.$queryRaw<Array<{ incidentId: string; offerId: string | null }>>`
      SELECT "incidentId", data->>'offerId' AS "offerId" FROM "IncidentEvent"
      WHERE id = ${dueEventId}::uuid AND shop = ${shop} AND kind = 'FOLLOW_UP_DUE' FOR UPDATE`;
    const event = due[0];
    if (!event) return "NOT_FOUND";
    const done = await tx.incidentEvent.findFirst({
      where: {
        shop,
        incidentId: event.incidentId,
        kind: "FOLLOW_UP_DONE",
        data: { path: ["dueEventId"], equals: dueEventId },
      },
    });
    if (done) return "ALREADY_DONE";
    await addIncidentEvent(tx, {
      shop,
      incidentId: event.incidentId,
      kind: "FOLLOW_UP_DONE",
      actor: staff.userId,
      at: clock().now(),
      data: { dueEventId, offerId: event.offerId, ...(staff.name ? { by: staff.name } : {}) },
    });
    return "DONE";
  });
}
