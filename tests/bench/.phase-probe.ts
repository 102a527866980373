/* Temporary probe (deleted after use): CPU per phase of webhook ingestion, in process, sequential. */
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { createDatabase, startEmbeddedPostgres } from "../../app/db/embedded-postgres.server";

const parent = mkdtempSync(path.join(tmpdir(), "amends-probe-"));
chmodSync(parent, 0o755);
const server = await startEmbeddedPostgres({ dataDir: path.join(parent, "pg"), ephemeral: false });
await createDatabase(server.url("postgres"), "amends");
Object.assign(process.env, {
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  SHOPIFY_API_KEY: "k",
  SHOPIFY_API_SECRET: "test-api-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:1",
  SCOPES: "read_orders",
  DATABASE_URL: server.url("amends"),
  DATABASE_POOL_SIZE: "20",
});
const { migrate } = await import("../../app/db/prepare.server");
await migrate(server.url("amends"));
const { prisma, pgPool, disconnectDatabase } = await import("../../app/db.server");
const { storeDelivery } = await import("../../app/models/webhook-delivery.server");
const { authenticate } = await import("../../app/shopify.server");
const { webhookRequest, examplePayload, sendWebhook } = await import("../helpers/webhooks");
const body = JSON.stringify(examplePayload("orders/create"));
const N = Number(process.argv[2] ?? 2000);

async function time(name: string, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await fn(i + 1_000_000);
  const c = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const cpu = process.cpuUsage(c);
  console.log(`${name.padEnd(58)} ${(((cpu.user + cpu.system) / 1000) / N).toFixed(3)} ms CPU, ${((performance.now() - t) / N).toFixed(3)} ms wall per call`);
}

const shop = "bench-shop.myshopify.com";
const sql = `INSERT INTO "WebhookDelivery" (id, shop, "webhookId", topic, source, "rawBody", status, "updatedAt") VALUES ($1::uuid, $2, $3, 'orders/create', 'http', $4, 'RECEIVED', now())`;
await time("SELECT 1 via pg pool", () => pgPool().query("SELECT 1"));
await time("SELECT 1 via prisma.$queryRaw", () => prisma.$queryRaw`SELECT 1`);
await time("session.findUnique via Prisma (what loadSession does)", () => prisma.session.findUnique({ where: { id: `offline_${shop}` } }));
await time("session lookup via pg pool", () => pgPool().query(`SELECT * FROM "Session" WHERE id = $1`, [`offline_${shop}`]));
await time("plain INSERT of the 10.7 KB body via pg pool", () => pgPool().query(sql, [randomUUID(), shop, `pg-${randomUUID()}`, body]));
let n = 0;
await time("storeDelivery (Prisma $queryRaw insert + add_job)", () =>
  storeDelivery({ shop, webhookId: `sd-${n++}`, eventId: null, topic: "orders/create", apiVersion: "2026-10", triggeredAt: new Date(), rawBody: body, source: "http" }, true),
);
await time("new Request(...) + request.clone() + text() x2 (Fetch API)", async () => {
  const r = webhookRequest({ topic: "orders/create", body, shop });
  await Promise.all([r.clone().text(), r.text()]);
});
await time("authenticate.webhook (HMAC, headers, JSON.parse, loadSession)", async () => {
  await authenticate.webhook(webhookRequest({ topic: "orders/create", body, shop }));
});
await time("route action end to end (no HTTP server)", () => sendWebhook({ topic: "orders/create", body, shop }));
await disconnectDatabase();
await server.stop();
