/**
 * The webhook inbox. The raw body is kept only while it is needed (docs/decisions/0015): until the
 * delivery is processed (then only the typed facts remain), never for an IGNORED one, and for a
 * FAILED one (kept for diagnosis and replay) at most WEBHOOK_BODY_RETENTION_DAYS. The rows themselves
 * are kept WEBHOOK_DELIVERY_RETENTION_DAYS, then counted per day (webhook-retention.server.ts).
 */
import type { DeliveryStatus } from "@prisma/client";
import { ingestPool, prisma, type Tx } from "../db.server";
import { env } from "../env.server";
import { redactPersonalData } from "../recovery";
import {
  DeliveryBatcher,
  IngestOverloadedError,
  type BatcherLoad,
  type InboxRow,
  type StoreResult,
} from "./delivery-batcher.server";

/** A verified delivery as it arrived; the inbox decides its status. */
export type IncomingDelivery = Omit<InboxRow, "status" | "lastError" | "rawBody"> & { rawBody: string };

export { IngestOverloadedError };
export type { BatcherLoad as InboxLoad, StoreResult };

/** `shed`: refuse with IngestOverloadedError rather than queue when the inbox is over its limits (decision 0031). */
export interface StoreOptions {
  shed?: boolean;
}

let batcher: DeliveryBatcher | undefined;

/** On ingest's own pool, one statement in flight per connection (created on first use: importing opens nothing). */
function inbox(): DeliveryBatcher {
  const config = env();
  batcher ??= new DeliveryBatcher(ingestPool, {
    maxBatch: 200,
    maxInFlight: config.DATABASE_INGEST_POOL_SIZE,
    maxQueue: config.WEBHOOK_INGEST_MAX_QUEUE,
    maxWaitMs: config.WEBHOOK_INGEST_MAX_WAIT_MS,
  });
  return batcher;
}

/** Deliveries waiting and statements running in this process, and how many were refused (decision 0031). */
export function inboxLoad(): BatcherLoad {
  return inbox().load();
}

/**
 * The refusal a sheddable delivery gets now (counted like one refused by storeDelivery), or null:
 * lets the HTTP handler refuse before it spends CPU on the signature.
 */
export function overloadRefusal(): IngestOverloadedError | null {
  return inbox().refusal();
}

/**
 * Store a delivery exactly once, unique on (shop, webhook id), together with
 * its process-webhook job when it is to be processed (see DeliveryBatcher).
 * A duplicate delivery inserts nothing and enqueues nothing.
 */
export function storeDelivery(
  d: IncomingDelivery,
  processable: boolean,
  options: StoreOptions = {},
): Promise<StoreResult> {
  // PostgreSQL text cannot hold NUL, and one such row would fail the whole batch it is stored with.
  // A raw NUL is never valid JSON (RFC 8259 requires control characters escaped): flag it now.
  if (d.rawBody.includes("\u0000")) {
    return inbox().store(
      {
        ...d,
        rawBody: d.rawBody.replaceAll("\u0000", "\\u0000"),
        status: "FAILED",
        lastError: "the body is not JSON: it contains NUL characters (stored with each one written as \\u0000)",
      },
      options,
    );
  }
  return inbox().store(
    {
      ...d,
      rawBody: processable ? d.rawBody : null,
      status: processable ? "RECEIVED" : "IGNORED",
      lastError: processable ? null : `no handler for topic ${d.topic}`,
    },
    options,
  );
}

/**
 * Store a delivery that names its shop, webhook id and topic but cannot be processed as it came (a
 * Pub/Sub or EventBridge message whose payload is unusable): FAILED with the reason and no job, the
 * body kept for diagnosis like any FAILED one. Unique like every delivery: a redelivery stores nothing.
 */
export function storeUnusableDelivery(d: IncomingDelivery, reason: string): Promise<StoreResult> {
  return inbox().store({
    ...d,
    rawBody: d.rawBody.replaceAll("\u0000", "\\u0000"),
    status: "FAILED",
    lastError: reason,
  });
}

/** How long a FAILED delivery keeps its body (for diagnosis and a manual replay): Shopify's own retries end after 4 h. */
export function failedBodyRetentionMs(days = env().WEBHOOK_BODY_RETENTION_DAYS): number {
  return days * 24 * 60 * 60 * 1000;
}

/**
 * Drop every stored body that outlived its use: any delivery no longer waiting to be processed
 * (PROCESSED, IGNORED, FAILED) received more than WEBHOOK_BODY_RETENTION_DAYS (default 7) before
 * `now`. Processing drops the bodies it is done with at once; this is the bound for the FAILED ones
 * (and a backstop).
 */
export async function purgeOldBodies(now: Date, retentionDays = env().WEBHOOK_BODY_RETENTION_DAYS): Promise<number> {
  const { count } = await prisma.webhookDelivery.updateMany({
    where: {
      status: { in: ["PROCESSED", "IGNORED", "FAILED"] },
      rawBody: { not: null },
      receivedAt: { lt: new Date(now.getTime() - failedBodyRetentionMs(retentionDays)) },
    },
    data: { rawBody: null },
  });
  return count;
}

export interface LockedDelivery {
  id: string;
  shop: string;
  topic: string;
  rawBody: string | null;
  status: DeliveryStatus;
  attempts: number;
  triggeredAt: Date | null;
  receivedAt: Date;
}

/** Lock a delivery for processing; concurrent runs of the same job wait here. */
export async function lockDelivery(tx: Tx, id: string): Promise<LockedDelivery | undefined> {
  const rows = await tx.$queryRaw<LockedDelivery[]>`
    SELECT id::text, shop, topic, "rawBody", status, attempts, "triggeredAt", "receivedAt"
    FROM "WebhookDelivery" WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0];
}

export async function finishDelivery(
  tx: Tx,
  id: string,
  outcome: {
    status: DeliveryStatus;
    error?: string;
    orderGid?: string | null;
    customerGid?: string | null;
    /** What to keep of the body: dropped (null) unless given; FAILED keeps it (see failedBodyRetentionMs). */
    keepBody?: string | "unchanged";
  },
): Promise<void> {
  await tx.webhookDelivery.update({
    where: { id },
    data: {
      ...(outcome.keepBody === "unchanged" ? {} : { rawBody: outcome.keepBody ?? null }),
      status: outcome.status,
      lastError: outcome.error ? redactPersonalData(outcome.error) : null,
      attempts: { increment: 1 },
      processedAt: new Date(),
      orderGid: outcome.orderGid ?? null,
      customerGid: outcome.customerGid ?? null,
    },
  });
}

/** Record a failed attempt outside the rolled-back processing transaction. */
export async function recordFailedAttempt(id: string, error: string, final: boolean): Promise<void> {
  await prisma.webhookDelivery.updateMany({
    where: { id, status: "RECEIVED" },
    // Staff read it on the dashboard: no customer's address or name from an error message (decision 0019).
    data: { attempts: { increment: 1 }, lastError: redactPersonalData(error), ...(final ? { status: "FAILED" } : {}) },
  });
}
