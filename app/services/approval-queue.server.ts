/**
 * The approval queue: offers waiting for a staff decision (PENDING_APPROVAL), what the signed-in
 * member may do with each, and the follow-ups due for staff. The decisions themselves are
 * approvals.server.ts (row lock, authority, budget, audit); this adds what a page needs around
 * them: rows in words, the members who can approve instead named from the sessions the app has
 * seen, edited values in the shop's currency, per-offer bulk results, and "follow-up done".
 */
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import {
  countPendingOffers,
  dueFollowUps,
  knownStaffSessions,
  pendingOffers,
  pendingOffersByIds,
  type PendingOffer,
} from "../models/approval-queue.server";
import { addIncidentEvent, shopOfferContext, type ShopOfferContext } from "../models/offers.server";
import {
  canApprove,
  describeCell,
  endOfLocalDay,
  formatMoney,
  fromMinorUnits,
  gridCellSchema,
  localDate,
  memberAuthority,
  startOfLocalDay,
  toMinorUnits,
  whoCanApprove,
  type ApprovableOffer,
  type StaffMember,
  type Tier,
} from "../recovery";
import type { AgeFilter, QueueFilters } from "../components/approvals/filters";
import { INCIDENT_TYPE_LABELS } from "../recovery/words";
import { ApprovalError, approveOffer, rejectOffer, type StaffIdentity } from "./approvals.server";

export const QUEUE_PAGE_SIZE = 50;
const FOLLOW_UPS_SHOWN = 50;
const HOUR_MS = 3_600_000;

export type RowAuthority =
  { canApprove: true; text: string; limit: string | null } | { canApprove: false; text: string; approvers: string[] };

export interface EditableValue {
  unit: "PERCENT" | "MONEY";
  /** The current value as typed in the field: "20" (percent) or "40.00" (money). */
  current: string;
  currency: string;
}

export interface QueueRow {
  offerId: string;
  incidentId: string;
  incidentType: string;
  typeLabel: string;
  severity: string;
  orderName: string;
  occurredAt: string;
  detectedAt: string;
  sameDayDeadline: string;
  customer: { label: string; adminUrl: string } | null;
  tier: Tier | null;
  makeGood: string;
  faceValue: string;
  approval: string;
  explanation: string[];
  editable: EditableValue | null;
  authority: RowAuthority;
}

export interface FollowUpRow {
  id: string;
  incidentId: string;
  orderName: string;
  typeLabel: string;
  dueSince: string;
  customer: { label: string; adminUrl: string } | null;
  makeGood: string | null;
}

export interface ApprovalQueue {
  rows: QueueRow[];
  nextCursor: string | null;
  /** All offers waiting in the shop, whatever the filters. */
  totalWaiting: number;
  followUps: FollowUpRow[];
  /** The app's clock (the sandbox's in the demo): the page's minute clock starts from it. */
  now: string;
  timeZone: string;
}

/** Who works in the shop as far as the app knows: the members who opened it, and those named in the authority settings. */
interface StaffDirectory {
  members: StaffMember[];
  names: Map<string, string>;
}

async function staffDirectory(ctx: ShopOfferContext): Promise<StaffDirectory> {
  const sessions = await knownStaffSessions(ctx.shop);
  const names = new Map<string, string>();
  const members = new Map<string, StaffMember>();
  for (const s of sessions) {
    const name = [s.firstName, s.lastName].filter(Boolean).join(" ");
    names.set(s.userId, name || `Staff member ${s.userId}`);
    members.set(s.userId, memberAuthority(s.userId, ctx.recovery.authority, s.accountOwner));
  }
  for (const id of Object.keys(ctx.recovery.authority.members)) {
    if (!members.has(id)) members.set(id, memberAuthority(id, ctx.recovery.authority));
    if (!names.has(id)) names.set(id, `Staff member ${id}`);
  }
  return { members: [...members.values()], names };
}

function approverNames(
  directory: StaffDirectory,
  target: ApprovableOffer,
  ctx: ShopOfferContext,
  except: string,
): string[] {
  const named = whoCanApprove(target, directory.members, ctx.recovery.authority)
    .filter((m) => m.id !== except)
    .map((m) => directory.names.get(m.id) ?? `Staff member ${m.id}`);
  // The account owner can always approve (OWNER); name them generically when they never opened the app.
  const ownerKnown = directory.members.some((m) => m.level === "OWNER" && m.id !== except);
  return ownerKnown || named.length > 0 ? named : ["the account owner"];
}

function listText(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

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

function authorityFor(
  offer: ApprovableOffer,
  currency: string,
  member: StaffMember,
  ctx: ShopOfferContext,
  directory: StaffDirectory,
): RowAuthority {
  const verdict = canApprove(member, offer, ctx.recovery.authority);
  const limitMinor = ctx.recovery.authority.limits[member.level];
  if (verdict.ok) {
    const limit = limitMinor === null ? null : formatMoney(limitMinor, currency);
    return {
      canApprove: true,
      limit,
      text: limit === null ? "You can approve, at any value" : `You can approve, and edit it up to ${limit}`,
    };
  }
  const approvers = approverNames(directory, offer, ctx, member.id);
  return {
    canApprove: false,
    approvers,
    text:
      verdict.reason === "NEEDS_MANAGER"
        ? `Needs a manager: ${listText(approvers)}`
        : `Above your limit: ${listText(approvers)} can approve`,
  };
}

function customerLink(shop: string, customerGid: string | null): { label: string; adminUrl: string } | null {
  const id = customerGid?.split("/").pop();
  if (!id) return null;
  const store = shop.replace(/\.myshopify\.com$/, "");
  return { label: `Customer #${id}`, adminUrl: `https://admin.shopify.com/store/${store}/customers/${id}` };
}

function editableValue(offer: PendingOffer): EditableValue | null {
  const cell = gridCellSchema.safeParse(offer.cell);
  if (!cell.success) return null;
  switch (cell.data.kind) {
    case "DISCOUNT_PERCENT":
      return { unit: "PERCENT", current: String(cell.data.value), currency: offer.currency };
    case "DISCOUNT_FIXED":
    case "STORE_CREDIT":
    case "GIFT_CARD":
      return { unit: "MONEY", current: fromMinorUnits(cell.data.value, offer.currency), currency: offer.currency };
    default:
      return null;
  }
}

function makeGoodText(offer: PendingOffer): string {
  const cell = gridCellSchema.safeParse(offer.cell);
  const words = cell.success ? describeCell(cell.data, offer.currency) : offer.kind.toLowerCase().replaceAll("_", " ");
  return words;
}

function toRow(offer: PendingOffer, ctx: ShopOfferContext, member: StaffMember, directory: StaffDirectory): QueueRow {
  const occurred = offer.incident.occurredAt;
  return {
    offerId: offer.id,
    incidentId: offer.incidentId,
    incidentType: offer.incident.type,
    typeLabel: INCIDENT_TYPE_LABELS[offer.incident.type],
    severity: offer.incident.severity,
    orderName: offer.incident.orderName,
    occurredAt: occurred.toISOString(),
    detectedAt: offer.incident.detectedAt.toISOString(),
    sameDayDeadline: endOfLocalDay(localDate(occurred, ctx.timeZone), ctx.timeZone).toISOString(),
    customer: customerLink(ctx.shop, offer.customerGid ?? offer.incident.customerGid),
    tier: offer.tier,
    makeGood: makeGoodText(offer),
    faceValue: formatMoney(offer.faceValueMinor, offer.currency),
    approval: offer.approval,
    explanation: offer.explanation,
    editable: editableValue(offer),
    authority: authorityFor(offer, offer.currency, member, ctx, directory),
  };
}

export function encodeCursor(occurredAt: Date, offerId: string): string {
  return Buffer.from(`${occurredAt.toISOString()}|${offerId}`).toString("base64url");
}

export function decodeCursor(cursor: string | null): { occurredAt: Date; offerId: string } | null {
  if (!cursor) return null;
  const [iso, offerId] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const occurredAt = new Date(iso ?? "");
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  // A mangled cursor starts from the first page rather than failing the page.
  return Number.isNaN(occurredAt.getTime()) || !offerId || !uuid.test(offerId) ? null : { occurredAt, offerId };
}

/** The failure-time window of an age filter, in the shop's time zone ("today" is the shop's day). */
export function ageWindow(
  age: AgeFilter | null,
  now: Date,
  timeZone: string,
): { occurredFrom: Date | null; occurredBefore: Date | null } {
  const startOfToday = startOfLocalDay(localDate(now, timeZone), timeZone);
  switch (age) {
    case "UNDER_4H":
      return { occurredFrom: new Date(now.getTime() - 4 * HOUR_MS), occurredBefore: null };
    case "SAME_DAY":
      return { occurredFrom: startOfToday, occurredBefore: null };
    case "OLDER":
      return { occurredFrom: null, occurredBefore: startOfToday };
    default:
      return { occurredFrom: null, occurredBefore: null };
  }
}

export async function approvalQueue(
  shop: string,
  staff: StaffIdentity,
  filters: QueueFilters,
  cursor: string | null,
): Promise<ApprovalQueue> {
  const ctx = await shopOfferContext(shop);
  const now = clock().now();
  const directory = await staffDirectory(ctx);
  const member = memberAuthority(staff.userId, ctx.recovery.authority, staff.accountOwner ?? false);
  const offers = await pendingOffers({
    shop,
    types: filters.type,
    severities: filters.severity,
    tiers: filters.tier,
    ...ageWindow(filters.age, now, ctx.timeZone),
    after: decodeCursor(cursor),
    limit: QUEUE_PAGE_SIZE + 1,
  });
  const page = offers.slice(0, QUEUE_PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page.map((offer) => toRow(offer, ctx, member, directory)),
    nextCursor: offers.length > QUEUE_PAGE_SIZE && last ? encodeCursor(last.incident.occurredAt, last.id) : null,
    totalWaiting: await countPendingOffers(shop),
    followUps: await followUpRows(ctx),
    now: now.toISOString(),
    timeZone: ctx.timeZone,
  };
}

async function followUpRows(ctx: ShopOfferContext): Promise<FollowUpRow[]> {
  const due = await dueFollowUps(ctx.shop, FOLLOW_UPS_SHOWN);
  const offerIds = due.map((d) => d.offerId).filter((id): id is string => id !== null);
  const offers =
    offerIds.length > 0
      ? await prisma.offer.findMany({
          where: { shop: ctx.shop, id: { in: offerIds } },
          select: { id: true, summary: true, cell: true, currency: true, kind: true },
        })
      : [];
  const words = new Map(
    offers.map((o) => {
      const cell = gridCellSchema.safeParse(o.cell);
      return [o.id, cell.success ? describeCell(cell.data, o.currency) : o.kind.toLowerCase().replaceAll("_", " ")];
    }),
  );
  return due.map((d) => ({
    id: d.id,
    incidentId: d.incidentId,
    orderName: d.orderName,
    typeLabel: INCIDENT_TYPE_LABELS[d.incidentType],
    dueSince: d.at.toISOString(),
    customer: customerLink(ctx.shop, d.customerGid),
    makeGood: d.offerId ? (words.get(d.offerId) ?? null) : null,
  }));
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
  ctx: ShopOfferContext,
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
  const ctx = await shopOfferContext(shop);
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
    if (error instanceof ApprovalError) return refusalFromError(error, offer, await shopOfferContext(shop), null);
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
