/**
 * Webhook ingest has its own connections (decision 0021): with every connection of the main pool
 * held by open transactions, signed deliveries posted through the real route still answer 200 and
 * are stored with their jobs, while a query on the main pool waits. On the old shape (the inbox on
 * the main pool) the route waited for a connection that never came.
 */
import type pg from "pg";
import { afterEach, beforeEach, expect, test } from "vitest";
import { ingestPool, pgPool, prisma } from "../../app/db.server";
import { connectClient } from "../../app/db/pool.server";
import { env } from "../../app/env.server";
import { jobs, truncateAll } from "../helpers/db";
import { examplePayload, sendWebhook } from "../helpers/webhooks";

/** Far longer than ingest needs (milliseconds); only there so the old behaviour fails instead of hanging. */
const GENEROUS_MS = 15_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${GENEROUS_MS / 1000} s`)), GENEROUS_MS);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

let held: pg.PoolClient[] = [];

/** Check out every connection of the main pool, each inside an open transaction holding a row lock. */
async function holdMainPool(): Promise<void> {
  const size = env().DATABASE_POOL_SIZE;
  held = await Promise.all(Array.from({ length: size }, () => pgPool().connect()));
  for (const [i, client] of held.entries()) {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(21, $1)", [i]);
  }
  expect(pgPool().totalCount).toBe(size);
  expect(pgPool().idleCount).toBe(0);
}

async function releaseMainPool(): Promise<void> {
  for (const client of held) {
    await client.query("ROLLBACK");
    client.release();
  }
  held = [];
}

beforeEach(truncateAll);
afterEach(releaseMainPool);

test("with every main-pool connection held, signed webhooks are answered 200 and stored with their jobs", async () => {
  await holdMainPool();
  let mainQueryDone = false;
  const mainQuery = prisma.shop.count().then((n) => {
    mainQueryDone = true;
    return n;
  });

  const webhookIds = Array.from({ length: 12 }, (_, i) => `starved-${i}`);
  const responses = await within(
    Promise.all(
      webhookIds.map((webhookId) =>
        sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId }),
      ),
    ),
    "ingest under a starved main pool",
  );
  expect(responses.map((r) => r.status)).toEqual(webhookIds.map(() => 200));

  // Stored and enqueued, seen from a connection of its own (the main pool is still held).
  const reader = await connectClient(env().DATABASE_URL!, "test-reader");
  try {
    const stored = await reader.query<{ webhookId: string; status: string }>(
      `SELECT "webhookId", status FROM "WebhookDelivery" ORDER BY "webhookId"`,
    );
    expect(stored.rows.map((r) => r.webhookId).sort()).toEqual([...webhookIds].sort());
    expect(new Set(stored.rows.map((r) => r.status))).toEqual(new Set(["RECEIVED"]));
  } finally {
    await reader.end();
  }
  // The main pool really was starved all along: its query is still waiting for a connection.
  expect(mainQueryDone).toBe(false);
  expect(pgPool().waitingCount).toBeGreaterThan(0);

  await releaseMainPool();
  expect(await mainQuery).toBe(0);
  expect(await jobs("process-webhook")).toHaveLength(webhookIds.length);
});

test("ingest uses a pool of its own, sized by DATABASE_INGEST_POOL_SIZE, apart from the main pool", async () => {
  expect(ingestPool()).not.toBe(pgPool());
  expect(ingestPool().options.max).toBe(env().DATABASE_INGEST_POOL_SIZE);
  const response = await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create") });
  expect(response.status).toBe(200);
  // The delivery went through the ingest pool: it opened a connection, the main pool none for it.
  expect(ingestPool().totalCount).toBeGreaterThan(0);
  expect(await prisma.webhookDelivery.count()).toBe(1);
});
