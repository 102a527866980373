/** The webhook inbox. */
import { randomUUID } from "node:crypto";
import type { DeliveryStatus } from "@prisma/client";
import { prisma, type Tx } from "../db.server";

export interface IncomingDelivery {
  shop: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  rawBody: string;
  source: string;
}

export type StoreResult = { stored: true; id: string } | { stored: false };

/**
 * Store a delivery exactly once, unique on (shop, webhook id), and (when it is
 * to be processed) its process-webhook job: one SQL statement, so one
 * transaction and one round trip. A duplicate delivery inserts nothing and
 * enqueues nothing.
 */
export async function storeDelivery(d: IncomingDelivery, processable: boolean): Promise<StoreResult> {
  const id = randomUUID();
  const status: DeliveryStatus = processable ? "RECEIVED" : "IGNORED";
  const lastError = processable ? null : `no handler for topic ${d.topic}`;
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    WITH inserted AS (
      INSERT INTO "WebhookDelivery"
        (id, shop, "webhookId", "eventId", topic, "apiVersion", "triggeredAt", source, "rawBody", status, "lastError", "updatedAt")
      VALUES
        (${id}::uuid, ${d.shop}, ${d.webhookId}, ${d.eventId}, ${d.topic}, ${d.apiVersion}, ${d.triggeredAt}::timestamptz,
         ${d.source}, ${d.rawBody}, ${status}::"DeliveryStatus", ${lastError}, now())
      ON CONFLICT (shop, "webhookId") DO NOTHING
      RETURNING id, shop
    ), job AS (
      SELECT graphile_worker.add_job(
        'process-webhook',
        json_build_object('v', 1, 'shop', inserted.shop, 'deliveryId', inserted.id),
        max_attempts => 8
      )
      FROM inserted
      WHERE ${processable}
    )
    SELECT inserted.id::text AS id FROM inserted LEFT JOIN job ON true`;
  const row = rows[0];
  return row ? { stored: true, id: row.id } : { stored: false };
}

export interface LockedDelivery {
  id: string;
  shop: string;
  topic: string;
  rawBody: string;
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
  outcome: { status: DeliveryStatus; error?: string; orderGid?: string | null; customerGid?: string | null },
): Promise<void> {
  await tx.webhookDelivery.update({
    where: { id },
    data: {
      status: outcome.status,
      lastError: outcome.error ?? null,
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
    data: { attempts: { increment: 1 }, lastError: error, ...(final ? { status: "FAILED" } : {}) },
  });
}

export async function inboxSummary(shop: string): Promise<{ total: number; failed: number }> {
  const groups = await prisma.webhookDelivery.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const count = (status: DeliveryStatus) => groups.find((g) => g.status === status)?._count._all ?? 0;
  return { total: groups.reduce((n, g) => n + g._count._all, 0), failed: count("FAILED") };
}
