/**
 * Reads for the approval queue: offers waiting for a decision and follow-ups due, for one shop.
 * Raw SQL where Prisma's filters cannot say it (keyset pagination on the incident's occurredAt,
 * follow-ups without a "done" event).
 */
import { Prisma, type Incident, type Offer } from "@prisma/client";
import { prisma } from "../db.server";
import type { IncidentType, Severity, Tier } from "../recovery/vocabulary";

export interface PendingOfferQuery {
  shop: string;
  types: readonly IncidentType[];
  severities: readonly Severity[];
  tiers: readonly Tier[];
  /** Failures that began at or after this instant... */
  occurredFrom: Date | null;
  /** ...and before this one. */
  occurredBefore: Date | null;
  /** Rows after this (occurredAt, offer id) in queue order. */
  after: { occurredAt: Date; offerId: string } | null;
  limit: number;
}

export type PendingOffer = Offer & { incident: Incident };

/**
 * Oldest failure first (ties by offer id, so pages never skip or repeat a row). The tier is the
 * one recorded with the decision (Offer.tier).
 */
export async function pendingOffers(query: PendingOfferQuery): Promise<PendingOffer[]> {
  const conditions: Prisma.Sql[] = [
    Prisma.sql`o.shop = ${query.shop}`,
    Prisma.sql`o.status = 'PENDING_APPROVAL'`,
    Prisma.sql`i.shop = ${query.shop}`,
  ];
  if (query.types.length > 0) conditions.push(Prisma.sql`i.type::text = ANY(${[...query.types]}::text[])`);
  if (query.severities.length > 0)
    conditions.push(Prisma.sql`i.severity::text = ANY(${[...query.severities]}::text[])`);
  if (query.tiers.length > 0) conditions.push(Prisma.sql`o.tier::text = ANY(${[...query.tiers]}::text[])`);
  if (query.occurredFrom) conditions.push(Prisma.sql`i."occurredAt" >= ${query.occurredFrom}`);
  if (query.occurredBefore) conditions.push(Prisma.sql`i."occurredAt" < ${query.occurredBefore}`);
  if (query.after)
    conditions.push(Prisma.sql`(i."occurredAt", o.id) > (${query.after.occurredAt}, ${query.after.offerId}::uuid)`);
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT o.id FROM "Offer" o JOIN "Incident" i ON i.id = o."incidentId"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY i."occurredAt" ASC, o.id ASC
    LIMIT ${query.limit}`;
  if (rows.length === 0) return [];
  const offers = await prisma.offer.findMany({
    where: { shop: query.shop, id: { in: rows.map((r) => r.id) } },
    include: { incident: true },
  });
  const byId = new Map(offers.map((o) => [o.id, o]));
  return rows.map((r) => byId.get(r.id)).filter((o): o is PendingOffer => o !== undefined);
}

export async function countPendingOffers(shop: string): Promise<number> {
  return prisma.offer.count({ where: { shop, status: "PENDING_APPROVAL" } });
}

/**
 * The app home's line about the queue in one aggregate: how many offers wait and when the oldest
 * one's failure began (the queue's order), without reading the rows.
 */
export async function pendingOffersSummary(shop: string): Promise<{ count: number; oldestOccurredAt: Date | null }> {
  const rows = await prisma.$queryRaw<Array<{ count: number; oldestOccurredAt: Date | null }>>`
    SELECT count(*)::int AS count, min(i."occurredAt") AS "oldestOccurredAt"
    FROM "Offer" o JOIN "Incident" i ON i.id = o."incidentId"
    WHERE o.shop = ${shop} AND i.shop = ${shop} AND o.status = 'PENDING_APPROVAL'`;
  return rows[0] ?? { count: 0, oldestOccurredAt: null };
}

export async function pendingOffersByIds(shop: string, offerIds: readonly string[]): Promise<PendingOffer[]> {
  if (offerIds.length === 0) return [];
  return prisma.offer.findMany({ where: { shop, id: { in: [...offerIds] } }, include: { incident: true } });
}

/** The staff members the app has seen: one online session per member who opened the app. */
export async function knownStaffSessions(
  shop: string,
): Promise<Array<{ userId: string; firstName: string | null; lastName: string | null; accountOwner: boolean }>> {
  const sessions = await prisma.session.findMany({
    where: { shop, isOnline: true, userId: { not: null } },
    select: { userId: true, firstName: true, lastName: true, accountOwner: true },
  });
  const byUser = new Map<
    string,
    { userId: string; firstName: string | null; lastName: string | null; accountOwner: boolean }
  >();
  for (const s of sessions)
    if (s.userId !== null)
      byUser.set(String(s.userId), {
        userId: String(s.userId),
        firstName: s.firstName,
        lastName: s.lastName,
        accountOwner: s.accountOwner,
      });
  return [...byUser.values()];
}

export interface DueFollowUp {
  id: string;
  incidentId: string;
  at: Date;
  offerId: string | null;
  orderName: string;
  customerGid: string | null;
  incidentType: IncidentType;
}

/** FOLLOW_UP_DUE events (e) of the shop, on their incident (i), with no FOLLOW_UP_DONE naming them. */
function dueFollowUpsWhere(shop: string): Prisma.Sql {
  return Prisma.sql`e.shop = ${shop} AND i.shop = ${shop} AND e.kind = 'FOLLOW_UP_DUE'
      AND NOT EXISTS (
        SELECT 1 FROM "IncidentEvent" d
        WHERE d.shop = ${shop} AND d."incidentId" = e."incidentId" AND d.kind = 'FOLLOW_UP_DONE' AND d.data->>'dueEventId' = e.id::text)`;
}

/** FOLLOW_UP_DUE events with no FOLLOW_UP_DONE naming them, oldest first. */
export async function dueFollowUps(shop: string, limit: number): Promise<DueFollowUp[]> {
  return prisma.$queryRaw<DueFollowUp[]>`
    SELECT e.id, e."incidentId", e.at, e.data->>'offerId' AS "offerId", i."orderName", i."customerGid", i.type::text AS "incidentType"
    FROM "IncidentEvent" e JOIN "Incident" i ON i.id = e."incidentId"
    WHERE ${dueFollowUpsWhere(shop)}
    ORDER BY e.at ASC, e.id ASC
    LIMIT ${limit}`;
}

/** How many follow-ups are due (the ones dueFollowUps lists), counted in the database. */
export async function countDueFollowUps(shop: string): Promise<number> {
  const rows = await prisma.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count
    FROM "IncidentEvent" e JOIN "Incident" i ON i.id = e."incidentId"
    WHERE ${dueFollowUpsWhere(shop)}`;
  return rows[0]?.count ?? 0;
}

export interface FailedOffer {
  id: string;
  incidentId: string;
  kind: Offer["kind"];
  cell: Prisma.JsonValue;
  currency: string;
  faceValueMinor: number;
  lastError: string | null;
  customerGid: string | null;
  orderName: string;
  incidentType: IncidentType;
  /** When it last became FAILED (its transition, on the app's clock). */
  failedAt: Date;
}

/**
 * Make-goods that failed to issue and wait for someone to retry them (FAILED: only a Retry moves
 * them on), newest failure first.
 */
export async function failedOffers(shop: string, limit: number): Promise<FailedOffer[]> {
  return prisma.$queryRaw<FailedOffer[]>`
    SELECT o.id, o."incidentId", o.kind::text AS kind, o.cell, o.currency, o."faceValueMinor", o."lastError",
      COALESCE(o."customerGid", i."customerGid") AS "customerGid", i."orderName", i.type::text AS "incidentType",
      COALESCE(f.at, o."updatedAt") AS "failedAt"
    FROM "Offer" o JOIN "Incident" i ON i.id = o."incidentId"
    LEFT JOIN LATERAL (
      SELECT t.at FROM "OfferTransition" t
      WHERE t.shop = ${shop} AND t."offerId" = o.id AND t."toStatus" = 'FAILED'
      ORDER BY t.at DESC LIMIT 1) f ON true
    WHERE o.shop = ${shop} AND i.shop = ${shop} AND o.status = 'FAILED'
    ORDER BY COALESCE(f.at, o."updatedAt") DESC, o.id DESC
    LIMIT ${limit}`;
}

export async function countFailedOffers(shop: string): Promise<number> {
  return prisma.offer.count({ where: { shop, status: "FAILED" } });
}
