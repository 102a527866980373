/**
 * Satisfaction after recovery (issue 16 part 5, decision 0117): the rating page's state, recording
 * a rating (one per incident, through the app's own page or the storefront's app proxy), the
 * "Recovery rated low" Flow trigger and the low ratings staff follow up in Approvals.
 *
 * A GET of a rating link never records anything: mail scanners and link previews open every link
 * in a message, so the page shows the chosen score with one button, and only its POST records.
 */
import type { IncidentType, RatingChannel } from "@prisma/client";
import { clock } from "../../clock.server";
import { prisma } from "../../db.server";
import { addIncidentEvent } from "../../models/offers.server";
import { flowTriggerInUse } from "../../models/flow-triggers.server";
import { enqueue } from "../../queue/enqueue.server";
import { verifyRatingToken } from "../../recovery/ratings/token";
import { numericId, RATED_LOW_TRIGGER } from "../../shopify/flow/triggers";
import { sendTriggerOnce } from "../issuing/lifecycle.server";
import type { StaffIdentity } from "../approvals.server";
import { ratingKey } from "./links.server";
import { customerLink, type CustomerLink } from "../approval-queue/rows.server";
import { INCIDENT_TYPE_LABELS } from "../../recovery/words";

/** A score at or below this is low: a staff follow-up in Approvals and the "Recovery rated low" trigger. */
export const LOW_SCORE = 2;

export type RatingPage =
  { kind: "READY"; orderName: string } | { kind: "USED"; score: number } | { kind: "EXPIRED" } | { kind: "INVALID" };

export type RecordOutcome =
  | { kind: "RECORDED"; score: number; low: boolean }
  | { kind: "USED"; score: number }
  | { kind: "EXPIRED" }
  | { kind: "INVALID" };

/**
 * The incident a token names, scoped by the token's shop (and, through the app proxy, by the shop
 * Shopify signed for: a link of one shop opened on another's storefront is not valid there).
 */
async function claimsOf(token: string, proxyShop: string | null) {
  const check = verifyRatingToken(ratingKey(), token, clock().now());
  if (!check.ok) return check.reason;
  if (proxyShop !== null && proxyShop !== check.shop) return "INVALID" as const;
  return check;
}

/** What the page shows for a link (GET): nothing is written. */
export async function ratingPage(token: string, proxyShop: string | null = null): Promise<RatingPage> {
  const claims = await claimsOf(token, proxyShop);
  if (claims === "INVALID") return { kind: "INVALID" };
  if (claims === "EXPIRED") return { kind: "EXPIRED" };
  const incident = await prisma.incident.findFirst({
    where: { id: claims.incidentId, shop: claims.shop },
    select: { orderName: true, rating: { select: { score: true } } },
  });
  // An incident erased since (shop/redact) leaves a link that names nothing.
  if (!incident) return { kind: "INVALID" };
  if (incident.rating) return { kind: "USED", score: incident.rating.score };
  return { kind: "READY", orderName: incident.orderName };
}

/** Record the customer's rating (POST): once per incident; a second use is refused with the score given. */
export async function recordRating(input: {
  token: string;
  score: number;
  channel: RatingChannel;
  proxyShop?: string | null;
}): Promise<RecordOutcome> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5)
    throw new RangeError("score must be 1 to 5");
  const claims = await claimsOf(input.token, input.proxyShop ?? null);
  if (claims === "INVALID") return { kind: "INVALID" };
  if (claims === "EXPIRED") return { kind: "EXPIRED" };
  const { shop, incidentId } = claims;
  const now = clock().now();
  return prisma.$transaction(async (tx) => {
    // The incident's row lock serialises two submissions of the same link (two tabs, a double click).
    const locked = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "Incident" WHERE id = ${incidentId}::uuid AND shop = ${shop} FOR UPDATE`;
    if (locked.length === 0) return { kind: "INVALID" } as const;
    const existing = await tx.rating.findUnique({ where: { incidentId }, select: { score: true } });
    if (existing) return { kind: "USED", score: existing.score } as const;
    const low = input.score <= LOW_SCORE;
    const rating = await tx.rating.create({
      data: { shop, incidentId, score: input.score, channel: input.channel, ratedAt: now },
    });
    await addIncidentEvent(tx, {
      shop,
      incidentId,
      kind: "RATED",
      at: now,
      data: { ratingId: rating.id, score: input.score, channel: input.channel, low },
    });
    if (low)
      await enqueue(tx, "rating-low", { v: 1, shop, ratingId: rating.id }, { jobKey: `rating-low:${rating.id}` });
    return { kind: "RECORDED", score: input.score, low } as const;
  });
}

export type RatedLowOutcome = "SENT" | "ALREADY_SENT" | "NOT_IN_USE" | "NOT_APPLICABLE";

/** The "Recovery rated low" Flow trigger, at most once per incident, when a workflow uses it. */
export async function notifyRatedLow(shop: string, ratingId: string): Promise<RatedLowOutcome> {
  const rating = await prisma.rating.findFirst({
    where: { id: ratingId, shop },
    include: {
      incident: {
        select: {
          id: true,
          orderGid: true,
          customerGid: true,
          type: true,
          severity: true,
          offers: {
            where: { issuedAt: { not: null } },
            select: { kind: true },
            orderBy: { issuedAt: "desc" },
            take: 1,
          },
        },
      },
    },
  });
  // A customer erased since (customers/redact) has no one to get in touch with.
  if (!rating || rating.score > LOW_SCORE || !rating.incident.customerGid) return "NOT_APPLICABLE";
  if (!(await flowTriggerInUse(shop, RATED_LOW_TRIGGER))) return "NOT_IN_USE";
  const incident = rating.incident;
  const sent = await sendTriggerOnce(shop, { incidentId: incident.id }, "RATED_LOW_SENT", RATED_LOW_TRIGGER, {
    order_id: numericId(incident.orderGid),
    customer_id: numericId(incident.customerGid!),
    "Incident ID": incident.id,
    "Incident type": incident.type,
    Severity: incident.severity,
    Score: rating.score,
    "Offer kind": incident.offers[0]?.kind ?? "",
    "Rated at": rating.ratedAt.toISOString(),
  });
  return sent ? "SENT" : "ALREADY_SENT";
}

export interface LowRatingRow {
  ratingId: string;
  incidentId: string;
  orderName: string;
  incidentType: IncidentType;
  typeLabel: string;
  /** The customer in the Shopify admin; null once erased (customers/redact). */
  customer: CustomerLink | null;
  score: number;
  ratedAt: string;
}

/** How many low ratings no one has followed up yet (what lowRatingRows lists), counted. */
export async function countLowRatingsWaiting(shop: string): Promise<number> {
  return prisma.rating.count({ where: { shop, score: { lte: LOW_SCORE }, resolvedAt: null } });
}

/** Low ratings no one has followed up yet, oldest first (the Approvals section). */
export async function lowRatingRows(shop: string, limit = 50): Promise<LowRatingRow[]> {
  const rows = await prisma.rating.findMany({
    where: { shop, score: { lte: LOW_SCORE }, resolvedAt: null },
    orderBy: { ratedAt: "asc" },
    take: limit,
    include: { incident: { select: { orderName: true, type: true, customerGid: true } } },
  });
  return rows.map((r) => ({
    ratingId: r.id,
    incidentId: r.incidentId,
    orderName: r.incident.orderName,
    incidentType: r.incident.type,
    typeLabel: INCIDENT_TYPE_LABELS[r.incident.type],
    customer: customerLink(shop, r.incident.customerGid),
    score: r.score,
    ratedAt: r.ratedAt.toISOString(),
  }));
}

export type ResolveOutcome = "DONE" | "ALREADY_DONE" | "NOT_FOUND";

/** Staff followed up a low rating: recorded on the rating and in the incident's timeline, once. */
export async function resolveLowRating(
  shop: string,
  ratingId: string,
  staff: StaffIdentity & { name?: string },
): Promise<ResolveOutcome> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ incidentId: string; score: number; resolvedAt: Date | null }>>`
      SELECT "incidentId", score, "resolvedAt" FROM "Rating"
      WHERE id = ${ratingId}::uuid AND shop = ${shop} AND score <= ${LOW_SCORE} FOR UPDATE`;
    const rating = rows[0];
    if (!rating) return "NOT_FOUND";
    if (rating.resolvedAt) return "ALREADY_DONE";
    const now = clock().now();
    await tx.rating.update({ where: { id: ratingId }, data: { resolvedAt: now, resolvedBy: staff.userId } });
    await addIncidentEvent(tx, {
      shop,
      incidentId: rating.incidentId,
      kind: "LOW_RATING_FOLLOWED_UP",
      actor: staff.userId,
      at: now,
      data: { ratingId, score: rating.score, ...(staff.name ? { by: staff.name } : {}) },
    });
    return "DONE";
  });
}
