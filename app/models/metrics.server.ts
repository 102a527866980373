/**
 * The "Did it work?" reads: one shop's incidents detected in a period and their offers.
 * Every query's WHERE leads with shop, matching the shop-leading indexes
 * ("Incident"(shop, "detectedAt") and "Offer"(shop, "incidentId")).
 *
 * The dashboard's four reads (about 18,500 rows on a year-long shop) go through the pg pool, not
 * Prisma, whose raw-query decoding added about a fifth to them (decision 0032, amended). Their
 * timestamps are read as epoch milliseconds (`ms()`), so no time zone is involved on either side:
 * pg parses a `timestamp without time zone` as the Node process's local time, while Prisma writes
 * and reads these columns as UTC.
 */
import { Prisma } from "@prisma/client";
import type pg from "pg";
import { pgPool, prisma } from "../db.server";
import {
  DRAWN_DECISIONS,
  ISSUED_STATUSES,
  type MetricsIncidentRow,
  type IncidentType,
  type MetricsOfferRow,
  type OfferExportRecord,
} from "../recovery";

export interface MetricsPeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * A `timestamp` column (UTC, as Prisma writes it) as epoch milliseconds: a float8, exact (the
 * numeric product is a whole number of ms below 2^53), read by pg as a number and by `new Date`
 * whatever the process's or the session's zone.
 */
const ms = (column: string) => `(EXTRACT(EPOCH FROM ${column}) * 1000)::float8`;

const INCIDENT_COLUMNS = Prisma.raw(`i.id::text AS id, i.type::text AS type, i.severity::text AS severity,
  i."customerGid", ${ms('i."occurredAt"')} AS "occurredAt", ${ms('i."detectedAt"')} AS "detectedAt", i.decision,
  i.holdout, i."rootCause", ${ms('i."returnedAt"')} AS "returnedAt", i."returnedOrderGid", i."returnedMinor"`);

/** The experiment's: the same, but no root cause (null, read as no product, carrier or location). */
const EXPERIMENT_INCIDENT_COLUMNS = Prisma.raw(`i.id::text AS id, i.type::text AS type, i.severity::text AS severity,
  i."customerGid", ${ms('i."occurredAt"')} AS "occurredAt", ${ms('i."detectedAt"')} AS "detectedAt", i.decision,
  i.holdout, NULL::jsonb AS "rootCause", ${ms('i."returnedAt"')} AS "returnedAt", i."returnedOrderGid", i."returnedMinor"`);

const OFFER_COLUMNS = Prisma.raw(`o.id::text AS id, o."incidentId"::text AS "incidentId", o.kind::text AS kind,
  o.status::text AS status, o.approval::text AS approval, ${ms('o."issuedAt"')} AS "issuedAt",
  ${ms('o."expiresAt"')} AS "expiresAt", o."faceValueMinor", ${ms('o."redeemedAt"')} AS "redeemedAt", o."discountUsedMinor"`);

/** The columns in the order the queries select them, which is the order the decoders below read them in. */
const INCIDENT_FIELDS = [
  "id",
  "type",
  "severity",
  "customerGid",
  "occurredAt",
  "detectedAt",
  "decision",
  "holdout",
  "rootCause",
  "returnedAt",
  "returnedOrderGid",
  "returnedMinor",
] as const;
const OFFER_FIELDS = [
  "id",
  "incidentId",
  "kind",
  "status",
  "approval",
  "issuedAt",
  "expiresAt",
  "faceValueMinor",
  "redeemedAt",
  "discountUsedMinor",
] as const;

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

type Cell = string | number | boolean | null;
type Row = Cell[];

const date = (value: Cell): Date | null => (value === null ? null : new Date(value as number));

/** One row of incidentsQuery / experimentIncidentsQuery, as Prisma's $queryRaw of the same columns returned it. */
function incidentRow(r: Row): MetricsIncidentRow {
  return {
    id: r[0] as string,
    type: r[1] as string,
    severity: r[2] as string,
    customerGid: r[3] as string | null,
    occurredAt: new Date(r[4] as number),
    detectedAt: new Date(r[5] as number),
    decision: r[6] as string | null,
    holdout: r[7] as boolean,
    rootCause: r[8] as unknown,
    returnedAt: date(r[9]!),
    returnedOrderGid: r[10] as string | null,
    returnedMinor: r[11] as number | null,
  };
}

/** One row of offersQuery / experimentOffersQuery. */
function offerRow(r: Row): MetricsOfferRow {
  return {
    id: r[0] as string,
    incidentId: r[1] as string,
    kind: r[2] as string,
    status: r[3] as string,
    approval: r[4] as string,
    issuedAt: date(r[5]!),
    expiresAt: date(r[6]!),
    faceValueMinor: r[7] as number,
    redeemedAt: date(r[8]!),
    discountUsedMinor: r[9] as number | null,
  };
}

/**
 * Runs one of the queries above on a pg client, rows as arrays (no per-row object from pg), and
 * builds each row with `decode`. The result's columns must be `fields`, in order: a query edited
 * without its decoder fails here, loudly, rather than shifting every figure by a column.
 * Dates among the parameters go as UTC ISO strings: they meet `timestamp without time zone`
 * columns, which ignore a zone suffix, and pg would otherwise send them in the process's zone.
 */
async function readRows<T>(
  client: pg.PoolClient,
  query: Prisma.Sql,
  fields: readonly string[],
  decode: (row: Row) => T,
): Promise<T[]> {
  const values = query.values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const result = await client.query<Row>({ text: query.text, values, rowMode: "array" });
  const names = result.fields.map((field) => field.name);
  if (names.length !== fields.length || names.some((name, n) => name !== fields[n]))
    throw new Error(`metrics query returned columns ${names.join(", ")}; expected ${fields.join(", ")}`);
  return result.rows.map(decode);
}

/**
 * Runs `fn` in one read-only REPEATABLE READ transaction on a connection of the app's pool: every
 * statement in it reads the same snapshot (Prisma's batch $transaction ran its statements in the
 * server's default READ COMMITTED, each on a snapshot of its own). A read-only transaction at this
 * level never fails to serialise.
 */
async function inReadOnlySnapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  try {
    const result = await fn(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    // A connection whose transaction cannot be ended is dropped, not handed back mid-transaction.
    await client.query("ROLLBACK").then(
      () => client.release(),
      (rollbackError: unknown) => client.release(rollbackError as Error),
    );
    throw error;
  }
}

/** The period's rows and the experiment's, read in one transaction (one snapshot) so they agree. */
export async function loadMetricsRows(
  shop: string,
  period: MetricsPeriod,
  asOf: Date,
): Promise<{ period: MetricsRows; experiment: MetricsRows }> {
  return inReadOnlySnapshot(async (client) => {
    // Queued together on the one connection, which runs them one after the other.
    const [incidents, offers, experimentIncidents, experimentOffers] = await Promise.all([
      readRows(client, incidentsQuery(shop, period), INCIDENT_FIELDS, incidentRow),
      readRows(client, offersQuery(shop, period), OFFER_FIELDS, offerRow),
      readRows(client, experimentIncidentsQuery(shop, asOf), INCIDENT_FIELDS, incidentRow),
      readRows(client, experimentOffersQuery(shop, asOf), OFFER_FIELDS, offerRow),
    ]);
    return {
      period: { incidents, offers },
      experiment: { incidents: experimentIncidents, offers: experimentOffers },
    };
  });
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

/**
 * Incidents detected in the period, counted by type (index "Incident"(shop, "detectedAt")): the
 * dashboard's previous period, where only the counts are shown.
 */
export async function incidentCountsByType(
  shop: string,
  period: MetricsPeriod,
): Promise<Partial<Record<IncidentType, number>>> {
  const groups = await prisma.incident.groupBy({
    by: ["type"],
    where: { shop, detectedAt: { gte: period.from, lt: period.to } },
    _count: { _all: true },
  });
  return Object.fromEntries(groups.map((g) => [g.type, g._count._all]));
}
