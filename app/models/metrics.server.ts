/**
 * The "Did it work?" reads: one shop's incidents detected in a period and their offers.
 * Every query's WHERE leads with shop, matching the shop-leading indexes
 * ("Incident"(shop, "detectedAt") and "Offer"(shop, "incidentId")).
 */
import { Prisma } from "@prisma/client";
import { prisma } from "../db.server";

export interface MetricsPeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface MetricsIncidentRow {
  id: string;
  type: string;
  occurredAt: Date;
  detectedAt: Date;
  decision: string | null;
  holdout: boolean;
  rootCause: unknown;
}

export interface MetricsOfferRow {
  id: string;
  incidentId: string;
  kind: string;
  status: string;
  issuedAt: Date | null;
  expiresAt: Date | null;
  faceValueMinor: number;
  redeemedAt: Date | null;
  discountUsedMinor: number | null;
  wonBackAt: Date | null;
  wonBackOrderGid: string | null;
  wonBackMinor: number | null;
}

/** The incidents detected in the period (index "Incident"(shop, "detectedAt")). */
export function incidentsQuery(shop: string, period: MetricsPeriod): Prisma.Sql {
  return Prisma.sql`
    SELECT i.id::text AS id, i.type::text AS type, i."occurredAt", i."detectedAt", i.decision, i.holdout, i."rootCause"
    FROM "Incident" AS i
    WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to}
    ORDER BY i."detectedAt", i.id`;
}

/** Every offer (including HOLDOUT markers) of those incidents (index "Offer"(shop, "incidentId")). */
export function offersQuery(shop: string, period: MetricsPeriod): Prisma.Sql {
  return Prisma.sql`
    SELECT o.id::text AS id, o."incidentId"::text AS "incidentId", o.kind::text AS kind, o.status::text AS status,
      o."issuedAt", o."expiresAt", o."faceValueMinor", o."redeemedAt", o."discountUsedMinor",
      o."wonBackAt", o."wonBackOrderGid", o."wonBackMinor"
    FROM "Offer" AS o
    WHERE o.shop = ${shop} AND o."incidentId" IN (
      SELECT i.id FROM "Incident" AS i
      WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to}
    )
    ORDER BY o."createdAt", o.id`;
}

export async function loadMetricsRows(shop: string, period: MetricsPeriod): Promise<{ incidents: MetricsIncidentRow[]; offers: MetricsOfferRow[] }> {
  const [incidents, offers] = await prisma.$transaction([
    prisma.$queryRaw<MetricsIncidentRow[]>(incidentsQuery(shop, period)),
    prisma.$queryRaw<MetricsOfferRow[]>(offersQuery(shop, period)),
  ]);
  return { incidents, offers };
}

export async function shopTimeZone(shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { timezone: true } });
  return row?.timezone ?? "UTC";
}
