/**
 * The "Did it work?" reads: one shop's incidents detected in a period and their offers.
 * Every query's WHERE leads with shop, matching the shop-leading indexes
 * ("Incident"(shop, "detectedAt") and "Offer"(shop, "incidentId")).
 */
import { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import {
  DRAWN_DECISIONS,
  ISSUED_STATUSES,
  type MetricsIncidentRow,
  type MetricsOfferRow,
  type OfferExportRecord,
} from "../recovery";

export interface MetricsPeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

const INCIDENT_COLUMNS = Prisma.sql`i.id::text AS id, i.type::text AS type, i.severity::text AS severity,
  i."customerGid", i."occurredAt", i."detectedAt", i.decision, i.holdout, i."rootCause",
  i."returnedAt", i."returnedOrderGid", i."returnedMinor"`;

/** The experiment's: the same, but no root cause (null, read as no product, carrier or location). */
const EXPERIMENT_INCIDENT_COLUMNS = Prisma.sql`i.id::text AS id, i.type::text AS type, i.severity::text AS severity,
  i."customerGid", i."occurredAt", i."detectedAt", i.decision, i.holdout, NULL::jsonb AS "rootCause",
  i."returnedAt", i."returnedOrderGid", i."returnedMinor"`;

const OFFER_COLUMNS = Prisma.sql`o.id::text AS id, o."incidentId"::text AS "incidentId", o.kind::text AS kind,
  o.status::text AS status, o.approval::text AS approval, o."issuedAt", o."expiresAt", o."faceValueMinor",
  o."redeemedAt", o."discountUsedMinor"`;

/** The incidents detected in the period (index "Incident"(shop, "detectedAt")). */
export function incidentsQuery(shop: string, period: MetricsPeriod): Prisma.Sql {
  return Prisma.sql`
    SELECT ${INCIDENT_COLUMNS}
    FROM "Incident" AS i
    WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to}
    ORDER BY i."detectedAt", i.id`;
}

const DRAWN = Prisma.join([...DRAWN_DECISIONS]);

/**
 * The experiment's incidents: every incident detected up to `asOf` that went through the holdout
 * draw, whatever the dashboard's period (a readout is a round of matured incidents, decision 0111).
 * Without the root cause: the readouts, their progress and time to offer do not read it, and on a
 * year-long shop its JSON was a third of this read (decision 0032).
 */
export function experimentIncidentsQuery(shop: string, asOf: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT ${EXPERIMENT_INCIDENT_COLUMNS}
    FROM "Incident" AS i
    WHERE i.shop = ${shop} AND i."detectedAt" <= ${asOf} AND i.decision IN (${DRAWN})
    ORDER BY i."detectedAt", i.id`;
}

const ISSUED = Prisma.join(ISSUED_STATUSES.map((status) => Prisma.sql`${status}::"OfferStatus"`));

/**
 * The issued make-goods of the experiment's incidents: every figure the experiment and time to
 * offer compute starts by keeping the issued offers (isIssued), so the others are not read
 * (decision 0032). One join of the shop's incidents and the shop's issued offers: a probe of
 * "Offer"(shop, "incidentId") per incident cost more than the rows themselves on a year-long shop.
 */
export function experimentOffersQuery(shop: string, asOf: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT ${OFFER_COLUMNS}
    FROM "Offer" AS o
    JOIN "Incident" AS i ON i.id = o."incidentId"
    WHERE o.shop = ${shop} AND o."issuedAt" IS NOT NULL AND o.status IN (${ISSUED}) AND o.kind <> 'NONE'
      AND i.shop = ${shop} AND i."detectedAt" <= ${asOf} AND i.decision IN (${DRAWN})
    ORDER BY o."createdAt", o.id`;
}

/**
 * Every offer (including HOLDOUT markers) of those incidents (index "Offer"(shop, "incidentId")).
 * A LATERAL probe per incident: with IN (...) the planner hashed the whole shop's offers with a
 * sequential scan once a shop held a large share of the table (dashboard-queries.test.ts), and a
 * plain LATERAL is flattened into the same join: OFFSET 0 keeps it a per-incident index probe.
 */
export function offersQuery(shop: string, period: MetricsPeriod): Prisma.Sql {
  return Prisma.sql`
    SELECT ${OFFER_COLUMNS}
    FROM "Incident" AS i
    CROSS JOIN LATERAL (SELECT * FROM "Offer" AS x WHERE x.shop = ${shop} AND x."incidentId" = i.id OFFSET 0) AS o
    WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to}
    ORDER BY o."createdAt", o.id`;
}

export interface MetricsRows {
  incidents: MetricsIncidentRow[];
  offers: MetricsOfferRow[];
}

/** The period's rows and the experiment's, read in one transaction so they agree. */
export async function loadMetricsRows(
  shop: string,
  period: MetricsPeriod,
  asOf: Date,
): Promise<{ period: MetricsRows; experiment: MetricsRows }> {
  const [incidents, offers, experimentIncidents, experimentOffers] = await prisma.$transaction([
    prisma.$queryRaw<MetricsIncidentRow[]>(incidentsQuery(shop, period)),
    prisma.$queryRaw<MetricsOfferRow[]>(offersQuery(shop, period)),
    prisma.$queryRaw<MetricsIncidentRow[]>(experimentIncidentsQuery(shop, asOf)),
    prisma.$queryRaw<MetricsOfferRow[]>(experimentOffersQuery(shop, asOf)),
  ]);
  return { period: { incidents, offers }, experiment: { incidents: experimentIncidents, offers: experimentOffers } };
}

/** One exported offer with its incident, as the query returns it. */
export type OfferExportRow = OfferExportRecord;

export interface ExportCursor {
  detectedAt: Date;
  offerId: string;
}

/**
 * One page of the offers export: offers of the incidents detected in the period, in (detectedAt,
 * offer id) order, after the cursor (keyset paging, so each page is one short index range scan on
 * "Incident"(shop, "detectedAt") joined through "Offer"(shop, "incidentId")).
 */
export function offerExportQuery(
  shop: string,
  period: MetricsPeriod,
  after: ExportCursor | null,
  limit: number,
): Prisma.Sql {
  const afterClause = after
    ? Prisma.sql`AND (i."detectedAt", o.id) > (${after.detectedAt}, ${after.offerId}::uuid)`
    : Prisma.empty;
  return Prisma.sql`
    SELECT o.id::text AS "offerId", i.id::text AS "incidentId", i.type::text AS "incidentType", i.severity::text AS severity,
      i."orderName", i."occurredAt", i."detectedAt", o."createdAt" AS "decidedAt", o."issuedAt", o.kind::text AS kind,
      o.approval::text AS approval, o."faceValueMinor", o.currency, o.status::text AS status, o."redeemedAt",
      o."discountUsedMinor", o."wonBackAt", o."wonBackMinor"
    FROM "Incident" AS i
    CROSS JOIN LATERAL (SELECT * FROM "Offer" AS x WHERE x.shop = ${shop} AND x."incidentId" = i.id OFFSET 0) AS o
    WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to} ${afterClause}
    ORDER BY i."detectedAt", o.id
    LIMIT ${limit}`;
}

export function loadOfferExportPage(
  shop: string,
  period: MetricsPeriod,
  after: ExportCursor | null,
  limit: number,
): Promise<OfferExportRow[]> {
  return prisma.$queryRaw<OfferExportRow[]>(offerExportQuery(shop, period, after, limit));
}

/** Whether anything at all has happened for the shop yet (index "Incident"(shop, "detectedAt")). */
export function anyIncidentQuery(shop: string): Prisma.Sql {
  // ORDER BY the index's second column with LIMIT 1: one index probe. A bare EXISTS let the
  // planner pick a sequential scan for a shop holding most of the table.
  return Prisma.sql`SELECT i.id FROM "Incident" AS i WHERE i.shop = ${shop} ORDER BY i."detectedAt" DESC LIMIT 1`;
}

export async function hasAnyIncident(shop: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>(anyIncidentQuery(shop));
  return rows.length > 0;
}
