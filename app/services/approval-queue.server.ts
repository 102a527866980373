/**
 * The approval queue: offers waiting for a staff decision (PENDING_APPROVAL), what the signed-in
 * member may do with each, and the follow-ups due for staff. The decisions themselves are
 * approvals.server.ts (row lock, authority, budget, audit); this adds what a page needs around
 * them: rows in words, the members who can approve instead named from the sessions the app has
 * seen, edited values in the shop's currency, per-offer bulk results, and "follow-up done".
 * This file reads a page of the queue; approval-queue/ holds the rows in words
 * (rows.server.ts), the staff directory and the decisions (decisions.server.ts).
 */
import { clock } from "../clock.server";
import { countPendingOffers, pendingOffers } from "../models/approval-queue.server";
import { shopContext } from "../models/shop-settings.server";
import { localDate, memberAuthority, startOfLocalDay } from "../recovery";
import type { AgeFilter, QueueFilters } from "../recovery/queue-filters";
import type { StaffIdentity } from "./approvals.server";
import {
  failedMakeGoods,
  followUpRows,
  toRow,
  type FailedMakeGoods,
  type FollowUpRow,
  type QueueRow,
} from "./approval-queue/rows.server";
import { staffDirectory } from "./approval-queue/staff-directory.server";

export type {
  CustomerLink,
  EditableValue,
  FailedMakeGoodRow,
  FailedMakeGoods,
  FollowUpRow,
  QueueRow,
  RowAuthority,
} from "./approval-queue/rows.server";
export {
  approveFromQueue,
  bulkApproveFromQueue,
  markFollowUpDone,
  parseEditedValue,
  rejectFromQueue,
  type BulkOutcome,
  type BulkRowResult,
  type FollowUpDoneResult,
  type QueueOutcome,
} from "./approval-queue/decisions.server";

export const QUEUE_PAGE_SIZE = 50;
const HOUR_MS = 3_600_000;

export interface ApprovalQueue {
  rows: QueueRow[];
  nextCursor: string | null;
  /** All offers waiting in the shop, whatever the filters. */
  totalWaiting: number;
  followUps: FollowUpRow[];
  /** Make-goods that failed to issue, waiting for someone to retry them on their incident page. */
  failed: FailedMakeGoods;
  /** The app's clock (the sandbox's in the demo): the page's minute clock starts from it. */
  now: string;
  timeZone: string;
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
  const ctx = await shopContext(shop);
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
    failed: await failedMakeGoods(ctx),
    now: now.toISOString(),
    timeZone: ctx.timeZone,
  };
}
