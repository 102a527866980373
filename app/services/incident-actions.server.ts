/**
 * What staff can do from an incident's page besides approving and retrying (which keep their own
 * paths: approveFromQueue and retryIssue): close it by hand, add a note, and resend the customer's
 * make-good message (decision 0121). Each is checked against the member's authority level, scoped
 * by shop, and leaves a timeline entry naming who did it.
 */
import { z } from "zod";
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { addIncidentEvent } from "../models/offers.server";
import { shopContext } from "../models/shop-settings.server";
import { AUTHORITY_LEVELS, memberAuthority, type AuthorityLevel } from "../recovery";
import type { StaffIdentity } from "./approvals.server";
import { closeSettledIncidents } from "./incident-closing.server";
import { resendOfferMessage, type NotifyOutcome } from "./issuing/lifecycle.server";
import { retryIssue, RetryRefusedError } from "./issuing.server";

export type IncidentAction = "close" | "addNote" | "resend" | "retryIssue";

/**
 * The lowest level that may take each action. Closing by hand ends the recovery's tracking before
 * Amends would, so it is a manager's call; a note, a resend (the customer's own message, to the
 * customer's own address) and a retry (of a make-good already approved) are everyday support work.
 * Approving follows the approval authority (canApprove), revealing codes offer-codes.server.ts.
 */
export const INCIDENT_ACTION_LEVELS: Record<IncidentAction, AuthorityLevel> = {
  close: "MANAGER",
  addNote: "STAFF",
  resend: "STAFF",
  retryIssue: "STAFF",
};

export function mayTake(level: AuthorityLevel, action: IncidentAction): boolean {
  return AUTHORITY_LEVELS.indexOf(level) >= AUTHORITY_LEVELS.indexOf(INCIDENT_ACTION_LEVELS[action]);
}

/** Which of the page's actions the member may take. */
export async function incidentPermissions(
  shop: string,
  staff: StaffIdentity,
): Promise<{ level: AuthorityLevel } & Record<IncidentAction, boolean>> {
  const ctx = await shopContext(shop);
  const { level } = memberAuthority(staff.userId, ctx.recovery.authority, staff.accountOwner ?? false);
  return {
    level,
    close: mayTake(level, "close"),
    addNote: mayTake(level, "addNote"),
    resend: mayTake(level, "resend"),
    retryIssue: mayTake(level, "retryIssue"),
  };
}

export type ActionOutcome =
  { ok: true; message: string } | { ok: false; status: 403 | 404 | 409 | 422; message: string };

const ok = (message: string): ActionOutcome => ({ ok: true, message });
const refused = (status: 403 | 404 | 409 | 422, message: string): ActionOutcome => ({ ok: false, status, message });

const REFUSED_BELOW: Record<AuthorityLevel, string> = {
  STAFF: "a staff member",
  MANAGER: "a manager or the store owner",
  OWNER: "the store owner",
};

/** Null when the member may take the action; otherwise the refusal naming who may. */
export async function permissionRefusal(
  shop: string,
  staff: StaffIdentity,
  action: IncidentAction,
  what: string,
): Promise<ActionOutcome | null> {
  const permissions = await incidentPermissions(shop, staff);
  if (permissions[action]) return null;
  return refused(403, `Only ${REFUSED_BELOW[INCIDENT_ACTION_LEVELS[action]]} can ${what}.`);
}

const uuid = z.uuid();

async function incidentOf(shop: string, incidentId: string) {
  if (!uuid.safeParse(incidentId).success) return null;
  return prisma.incident.findFirst({
    where: { id: incidentId, shop },
    include: { offers: { select: { id: true, status: true } } },
  });
}

/**
 * Close an open incident by hand: a MANAGER or the owner, once its recovery is settled (decided,
 * no offer waiting, being issued or failed). The failure need not be over. A signal of the same
 * failure later belongs to the closed incident; a worse one reopens it (decision 0110).
 */
export async function closeIncidentByHand(
  shop: string,
  incidentId: string,
  staff: StaffIdentity,
): Promise<ActionOutcome> {
  const denied = await permissionRefusal(shop, staff, "close", "close an incident by hand");
  if (denied) return denied;
  const incident = await incidentOf(shop, incidentId);
  if (!incident) return refused(404, "No such incident in this store.");
  if (incident.state === "CLOSED") return refused(409, "This incident is already closed.");
  const closed = await closeSettledIncidents(shop, clock().now(), { byHand: { incidentId, actor: staff.userId } });
  if (closed.length > 0) return ok("Incident closed");
  // Read again: another request may have closed it, or the make-good moved on, in between.
  const now = await incidentOf(shop, incidentId);
  if (!now || now.state === "CLOSED") return refused(409, "This incident is already closed.");
  if (!now.decision) return refused(409, "Amends has not decided this incident yet: close it once it has.");
  const waiting = now.offers.find((o) =>
    ["PROPOSED", "PENDING_APPROVAL", "APPROVED", "ISSUING", "FAILED"].includes(o.status),
  );
  const why: Record<string, string> = {
    PENDING_APPROVAL: "its make-good waits for approval: approve or reject it first",
    FAILED: "its make-good failed to issue: retry it first",
  };
  return refused(
    409,
    `Not closed: ${why[waiting?.status ?? ""] ?? "its make-good is still being issued; close it once it went out"}.`,
  );
}

export const NOTE_MAX = 2000;

export const noteSchema = z
  .string({ error: "Write the note" })
  .trim()
  .min(1, "Write the note")
  .max(NOTE_MAX, `Keep the note under ${NOTE_MAX.toLocaleString("en-US")} characters`);

/**
 * A staff note on the incident's timeline, once per request (a double submit adds it once). The
 * note is the staff member's words: it is in the incident's history and its export, and erased
 * with the incident on a customer's redaction request, like every timeline entry.
 */
export async function addStaffNote(
  shop: string,
  incidentId: string,
  staff: StaffIdentity & { name?: string },
  text: string,
  requestId: string,
): Promise<ActionOutcome> {
  const denied = await permissionRefusal(shop, staff, "addNote", "add a note");
  if (denied) return denied;
  if (!uuid.safeParse(incidentId).success) return refused(404, "No such incident in this store.");
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "Incident" WHERE id = ${incidentId}::uuid AND shop = ${shop} FOR UPDATE`;
    if (locked.length === 0) return refused(404, "No such incident in this store.");
    const again = await tx.incidentEvent.findFirst({
      where: { shop, incidentId, kind: "STAFF_NOTE", data: { path: ["requestId"], equals: requestId } },
    });
    if (again) return ok("Note added");
    await addIncidentEvent(tx, {
      shop,
      incidentId,
      kind: "STAFF_NOTE",
      actor: staff.userId,
      at: clock().now(),
      data: { text, requestId, ...(staff.name ? { by: staff.name } : {}) },
    });
    return ok("Note added");
  });
}

function channelsText(channels: NotifyOutcome): string {
  const went = [
    channels.flow === "SENT" ? "through the store's Shopify Flow workflow" : null,
    channels.email === "SENT" ? "by email" : null,
  ].filter(Boolean);
  return went.join(" and ");
}

function notSentText(channels: NotifyOutcome): string {
  const email: Record<NotifyOutcome["email"], string | null> = {
    OFF: null,
    SENT: null,
    ALREADY_SENT: null,
    NO_ADDRESS: "the customer has no email address in Shopify",
    PROTECTED_DATA_DENIED: "Shopify does not let Amends read the customer's email",
  };
  const reasons = [
    channels.flow === "NOT_IN_USE" ? 'no Shopify Flow workflow uses the "Recovery offer issued" trigger now' : null,
    channels.email === "OFF" ? "sending email is off in Settings" : email[channels.email],
  ].filter(Boolean);
  return `Nothing was sent: ${reasons.join(", and ")}.`;
}

/**
 * Send the customer's make-good message again, through the channels the first one used today
 * (resendOfferMessage), once per click (`requestId`). Refused when the first message never went
 * out, for a guest or a make-good not issued, and reported as not sent when no channel can send.
 */
export async function resendMessage(
  shop: string,
  incidentId: string,
  offerId: string,
  staff: StaffIdentity,
  requestId: string,
): Promise<ActionOutcome> {
  const denied = await permissionRefusal(shop, staff, "resend", "resend the customer's message");
  if (denied) return denied;
  const incident = await incidentOf(shop, incidentId);
  if (!incident || !incident.offers.some((o) => o.id === offerId))
    return refused(404, "No such make-good on this incident.");
  const result = await resendOfferMessage(shop, offerId, { id: requestId, actor: staff.userId });
  switch (result.outcome) {
    case "SENT":
      return ok(`Message sent again ${channelsText(result.channels)}`);
    case "ALREADY_SENT":
      return ok("Message already sent again for this click");
    case "NOT_ISSUED":
      return refused(409, "This make-good has not been issued, so there is no message to resend.");
    case "GUEST":
      return refused(422, "A guest checkout has no customer record to send the message to.");
    case "NEVER_SENT":
      return refused(
        409,
        "The customer was never sent this make-good's message (no Flow workflow or email was set up when it was issued), so there is nothing to resend.",
      );
    case "NOT_SENT":
      return refused(422, notSentText(result.channels));
  }
}

// --- Bulk actions from the incidents list (issue 17 item 2, decision 0125) ---

export type BulkIncidentAction = "close" | "retryIssue";

export const BULK_INCIDENTS_MAX = 50;

export interface BulkIncidentResult {
  incidentId: string;
  /** The order's name, for the report; null for an id that is not this shop's incident. */
  orderName: string | null;
  ok: boolean;
  message: string;
}

/**
 * Close, or retry the failed make-goods of, each selected incident: the same permission check as
 * the incident page's action (INCIDENT_ACTION_LEVELS; refused for all when the member may not),
 * the same path for each (closeIncidentByHand, retryIssue), each recorded in the incident's
 * timeline with who did it. One incident's refusal does not stop the others; the result says which
 * failed and why.
 */
export async function bulkIncidentAction(
  shop: string,
  staff: StaffIdentity,
  action: BulkIncidentAction,
  incidentIds: readonly string[],
): Promise<{ ok: false; status: 403; message: string } | { ok: true; results: BulkIncidentResult[] }> {
  const denied = await permissionRefusal(
    shop,
    staff,
    action,
    action === "close" ? "close incidents by hand" : "retry issuing make-goods",
  );
  if (denied && !denied.ok) return { ok: false, status: 403, message: denied.message };
  const ids = [...new Set(incidentIds)].slice(0, BULK_INCIDENTS_MAX);
  const found = await prisma.incident.findMany({
    where: { shop, id: { in: ids.filter((id) => uuid.safeParse(id).success) } },
    select: { id: true, orderName: true, offers: { where: { shop, status: "FAILED" }, select: { id: true } } },
  });
  const byId = new Map(found.map((i) => [i.id, i]));
  const results: BulkIncidentResult[] = [];
  // One at a time: each is its own transaction and timeline entry, as from the incident's page.
  for (const incidentId of ids) {
    const incident = byId.get(incidentId);
    if (!incident) {
      results.push({ incidentId, orderName: null, ok: false, message: "No such incident in this store." });
      continue;
    }
    let outcome: ActionOutcome;
    if (action === "close") {
      outcome = await closeIncidentByHand(shop, incidentId, staff);
    } else if (incident.offers.length === 0) {
      outcome = refused(409, "No make-good of this incident failed to issue.");
    } else {
      outcome = ok("Issuing again");
      for (const offer of incident.offers) {
        const retried = await retryFailedOffer(shop, offer.id, staff.userId);
        if (!retried.ok) outcome = retried;
      }
    }
    results.push({ incidentId, orderName: incident.orderName, ok: outcome.ok, message: outcome.message });
  }
  return { ok: true, results };
}

/** retryIssue as an outcome: the budget's refusal and "not failed any more" are answers, not errors. */
async function retryFailedOffer(shop: string, offerId: string, actor: string): Promise<ActionOutcome> {
  try {
    return (await retryIssue(shop, offerId, actor))
      ? ok("Issuing again")
      : refused(409, "This make-good is not failed any more (someone retried it already).");
  } catch (error) {
    if (error instanceof RetryRefusedError) return refused(422, error.message);
    throw error;
  }
}
