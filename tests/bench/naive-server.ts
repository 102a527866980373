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
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import pg from "pg";

const secret = process.env.BENCH_SECRET;
const databaseUrl = process.env.DATABASE_URL;
if (!secret || !databaseUrl) {
  console.error("BENCH_SECRET and DATABASE_URL must be set");
  process.exit(1);
}
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 0);
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

function validSignature(body: Buffer, header: string | string[] | undefined, key: string): boolean {
  if (typeof header !== "string") return false;
  const expected = createHmac("sha256", key).update(body).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const one = (value: string | string[] | undefined): string | null => (typeof value === "string" ? value : null);

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/webhooks") {
    res.writeHead(req.method === "GET" ? 200 : 405, { "content-length": "0" }).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    if (!validSignature(body, req.headers["x-shopify-hmac-sha256"], secret)) {
      res.writeHead(401, { "content-length": "0" }).end();
      return;
    }
    const h = req.headers;
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
        () => res.writeHead(200, { "content-length": "0" }).end(),
        () => res.writeHead(503, { "content-length": "0" }).end(),
      );
  });
  req.on("error", () => res.destroy());
});
server.keepAliveTimeout = 65_000;

server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  console.log(`naive listening on ${bound}`);
});

const stop = () => {
  server.close(() => void pool.end().finally(() => process.exit(0)));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
