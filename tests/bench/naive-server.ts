/**
 * The benchmark's second baseline: what a webhook endpoint without group commit does. A bare
 * node:http server that reads the body, checks the HMAC like baseline-server.ts, then stores the
 * delivery with ONE statement per request (INSERT ... ON CONFLICT DO NOTHING plus
 * graphile_worker.add_job for the row, the same columns and job as Amends) on a pg pool, and
 * answers 200 after that commit (503 if it failed). One commit and one job notification per
 * delivery; no framework. Started as a child process by webhooks.bench.ts against the same
 * embedded PostgreSQL as Amends (its migrated database), while Amends sits idle.
 *
 * Env: BENCH_SECRET, DATABASE_URL (required), POOL_SIZE (20), PORT (0), HOST (127.0.0.1).
 * Prints "naive listening on <port>" once ready; stops on SIGTERM/SIGINT.
 */
import pg from "pg";
import {
  answer,
  headerValue as one,
  listenUntilSignal,
  requiredEnv,
  validSignature,
  webhookServer,
} from "./common/bare-server";

const [secret = "", databaseUrl = ""] = requiredEnv("BENCH_SECRET", "DATABASE_URL");
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.POOL_SIZE ?? 20) });
pool.on("error", (error) => console.error(`naive pool: ${error.message}`));

const INSERT = `
  WITH inserted AS (
    INSERT INTO "WebhookDelivery"
      (id, shop, "webhookId", "eventId", topic, "apiVersion", "triggeredAt", source, "rawBody", status, "updatedAt")
    VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6::timestamptz, 'http', $7, 'RECEIVED', now())
    ON CONFLICT DO NOTHING
    RETURNING id, shop
  )
  SELECT graphile_worker.add_job('process-webhook', json_build_object('v', 1, 'shop', shop, 'deliveryId', id), max_attempts => 8)
  FROM inserted`;

const server = webhookServer((body, h, res) => {
  if (!validSignature(body, h["x-shopify-hmac-sha256"], secret)) {
    answer(res, 401);
    return;
  }
  pool
    .query(INSERT, [
      one(h["x-shopify-shop-domain"]),
      one(h["x-shopify-webhook-id"]),
      one(h["x-shopify-event-id"]),
      one(h["x-shopify-topic"]),
      one(h["x-shopify-api-version"]),
      one(h["x-shopify-triggered-at"]),
      body.toString("utf8"),
    ])
    .then(
      () => answer(res, 200),
      () => answer(res, 503),
    );
});
listenUntilSignal(server, "naive", () => pool.end());
