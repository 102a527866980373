/**
 * How long webhook deliveries are kept, and what is left of them after (docs/decisions/0021).
 *
 * A delivery row lives WEBHOOK_DELIVERY_RETENTION_DAYS. The daily prune then folds it into
 * WebhookDeliveryDay (shop, the shop's local day it was received, topic, status: a count) and
 * deletes it, one batch per transaction: the count is added and the rows deleted together, so a
 * run stopped half-way loses and doubles nothing, and the next run carries on. Never pruned: a
 * delivery still waiting to be processed (RECEIVED), and a FAILED one while it keeps its body for
 * diagnosis (WEBHOOK_BODY_RETENTION_DAYS).
 *
 * Every delivery is therefore counted exactly once, as a row or in a day's count, and the
 * dashboard's counts over a date range add the two (deliveryCounts).
 */
import type { DeliveryStatus } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import { localDate, MS_PER_DAY, type LocalDate } from "../recovery";

/** Statuses a delivery can be pruned in; RECEIVED ones wait for their job, whatever their age. */
const PRUNABLE: readonly DeliveryStatus[] = ["PROCESSED", "IGNORED", "FAILED"];

export interface RetentionPolicy {
  /** Days a delivery row is kept before it is counted and deleted. */
  deliveryDays: number;
  /** Days a FAILED delivery keeps its body; it is not pruned before. */
  failedBodyDays: number;
}

export interface PruneResult {
  deleted: number;
  batches: number;
}

/** Every shop with a delivery, in one index walk per shop (a loose index scan on the (shop, ...) indexes). */
async function shopsWithDeliveries(): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ shop: string }>>`
    WITH RECURSIVE shops AS (
      (SELECT shop FROM "WebhookDelivery" ORDER BY shop LIMIT 1)
      UNION ALL
      SELECT (SELECT d.shop FROM "WebhookDelivery" d WHERE d.shop > shops.shop ORDER BY d.shop LIMIT 1)
      FROM shops WHERE shops.shop IS NOT NULL
    )
    SELECT shop FROM shops WHERE shop IS NOT NULL`;
  return rows.map((r) => r.shop);
}

/** The shop's zone for naming days; UTC for a shop Amends has no row (or no valid zone) for. */
async function dayNamer(shop: string): Promise<(at: Date) => LocalDate> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { timezone: true } });
  const zone = row?.timezone ?? "UTC";
  try {
    localDate(new Date(0), zone);
    return (at) => localDate(at, zone);
  } catch {
    return (at) => localDate(at, "UTC");
  }
}

/**
 * One batch: lock up to `limit` of the shop's oldest deliveries in `status` received before
 * `cutoff`, add them to their days' counts and delete them, in one transaction. Rows locked by
 * someone else (a redaction under way) are skipped this time.
 */
async function pruneBatch(
  shop: string,
  status: DeliveryStatus,
  cutoff: Date,
  limit: number,
  dayOf: (at: Date) => LocalDate,
): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string; topic: string; receivedAt: Date }>>`
      SELECT id::text, topic, "receivedAt" FROM "WebhookDelivery"
      WHERE shop = ${shop} AND status = ${status}::"DeliveryStatus" AND "receivedAt" < ${cutoff}::timestamptz
      ORDER BY "receivedAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return 0;
    const counts = new Map<string, { day: LocalDate; topic: string; count: number }>();
    for (const row of rows) {
      const day = dayOf(row.receivedAt);
      const key = `${day}\n${row.topic}`;
      const entry = counts.get(key) ?? { day, topic: row.topic, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    const groups = [...counts.values()];
    await tx.$executeRaw`
      INSERT INTO "WebhookDeliveryDay" (shop, day, topic, status, count)
      SELECT ${shop}, g.day::date, g.topic, ${status}::"DeliveryStatus", g.count
      FROM unnest(${groups.map((g) => g.day)}::text[], ${groups.map((g) => g.topic)}::text[], ${groups.map((g) => g.count)}::int[])
        AS g(day, topic, count)
      ON CONFLICT (shop, day, topic, status) DO UPDATE SET count = "WebhookDeliveryDay".count + EXCLUDED.count`;
    const deleted = await tx.$executeRaw`
      DELETE FROM "WebhookDelivery" WHERE id = ANY(${rows.map((r) => r.id)}::uuid[])`;
    if (deleted !== rows.length) throw new Error(`pruned ${deleted} of ${rows.length} locked deliveries`);
    return rows.length;
  });
}

/**
 * Fold every delivery older than the policy into its day's count and delete it, in batches of
 * `batchSize`, shop by shop and status by status (each walk is a range of the (shop, status,
 * receivedAt) index).
 */
export async function pruneOldDeliveries(now: Date, policy: RetentionPolicy, batchSize = 1_000): Promise<PruneResult> {
  const result: PruneResult = { deleted: 0, batches: 0 };
  const rowCutoff = new Date(now.getTime() - policy.deliveryDays * MS_PER_DAY);
  const failedCutoff = new Date(now.getTime() - Math.max(policy.deliveryDays, policy.failedBodyDays) * MS_PER_DAY);
  for (const shop of await shopsWithDeliveries()) {
    const dayOf = await dayNamer(shop);
    for (const status of PRUNABLE) {
      const cutoff = status === "FAILED" ? failedCutoff : rowCutoff;
      for (;;) {
        const pruned = await pruneBatch(shop, status, cutoff, batchSize, dayOf);
        if (pruned > 0) {
          result.deleted += pruned;
          result.batches += 1;
        }
        if (pruned < batchSize) break;
      }
    }
  }
  return result;
}

export interface DeliveryWindow {
  /** The window's first and last local days (the dashboard's range), in the shop's zone. */
  fromDay: LocalDate;
  toDay: LocalDate;
  /** The same window as instants: [from, to), or from `from` on when `to` is null (a range ending today). */
  from: Date;
  to: Date | null;
}

export interface DeliveryCounts {
  total: number;
  failed: number;
}

/**
 * Deliveries received in the window: the rows still kept plus the day counts of pruned ones. Each
 * status is counted on its own range of the (shop, status, receivedAt) index, and the day counts on
 * the (shop, day, ...) primary key: the cost follows the window, not the shop's whole history.
 */
export async function deliveryCounts(shop: string, window: DeliveryWindow): Promise<DeliveryCounts> {
  const rows = await prisma.$queryRaw<Array<{ status: DeliveryStatus; kept: number; summarised: number }>>(
    deliveryCountsQuery(shop, window),
  );
  const of = (status: DeliveryStatus) => {
    const row = rows.find((r) => r.status === status);
    return row ? row.kept + row.summarised : 0;
  };
  return { total: rows.reduce((n, r) => n + r.kept + r.summarised, 0), failed: of("FAILED") };
}

/** The statement deliveryCounts runs; exported so a test can EXPLAIN it. */
export function deliveryCountsQuery(shop: string, window: DeliveryWindow): Prisma.Sql {
  const upTo = window.to ? Prisma.sql`AND d."receivedAt" < ${window.to}::timestamptz` : Prisma.empty;
  return Prisma.sql`
    SELECT s.status,
      (SELECT count(*) FROM "WebhookDelivery" d
        WHERE d.shop = ${shop} AND d.status = s.status AND d."receivedAt" >= ${window.from}::timestamptz ${upTo})::int AS kept,
      (SELECT COALESCE(sum(w.count), 0) FROM "WebhookDeliveryDay" w
        WHERE w.shop = ${shop} AND w.day BETWEEN ${window.fromDay}::date AND ${window.toDay}::date
          AND w.status = s.status)::int AS summarised
    FROM unnest(enum_range(NULL::"DeliveryStatus")) AS s(status)`;
}
