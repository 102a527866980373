/**
 * The lean /webhooks handler over real HTTP (decision 0023): the same middleware server.ts mounts
 * (readRequestBodies, then webhookIngestHandler, in front of anything else), on a node:http server
 * with the app's server options, against this file's real PostgreSQL. Nothing reaches what comes
 * after it (Remix, in the app).
 */
import { createServer, type Server } from "node:http";
import express from "express";
import { http, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { env } from "../../app/env.server";
import { webhookIngestHandler } from "../../app/http/webhook-ingest.server";
import { readRequestBodies } from "../../app/http/request-bodies.server";
import { storeDelivery } from "../../app/models/webhook-delivery.server";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { httpServerOptions } from "../../server";
import { jobs, truncateAll } from "../helpers/db";
import { mswServer } from "../helpers/msw";
import { examplePayload, sign, TEST_SHOP, webhookRequest, type WebhookOptions } from "../helpers/webhooks";

const MAX_BYTES = 64 * 1024;
let server: Server;
let base: string;
/** Requests that got past the webhook handler (Remix's place in the app). */
const fellThrough: string[] = [];

beforeAll(async () => {
  const app = express();
  app.use(readRequestBodies({ maxBytes: MAX_BYTES }));
  app.all("/webhooks", webhookIngestHandler());
  app.use((req, res) => {
    fellThrough.push(`${req.method} ${req.path}`);
    res.status(404).end();
  });
  server = createServer(httpServerOptions(env()), app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

beforeEach(async () => {
  await truncateAll();
  fellThrough.length = 0;
  // Real HTTP to the local server (msw refuses unhandled requests).
  mswServer.use(http.all(`${base}/*`, () => passthrough()));
});

/** A delivery signed as Shopify signs it, posted over HTTP. */
async function post(options: WebhookOptions, edit?: (headers: Headers) => void): Promise<Response> {
  const request = webhookRequest(options);
  const headers = new Headers(request.headers);
  edit?.(headers);
  return fetch(`${base}/webhooks`, { method: "POST", headers, body: await request.text() });
}

const order = () => examplePayload("orders/create");

test("a signed delivery is answered 200 after it is stored, with exactly one process-webhook job", async () => {
  const response = await post({ topic: "orders/create", body: order(), webhookId: "wh-1", eventId: "ev-1" });

  expect(response.status).toBe(200);
  const row = await prisma.webhookDelivery.findFirstOrThrow();
  expect(row).toMatchObject({
    shop: TEST_SHOP,
    webhookId: "wh-1",
    eventId: "ev-1",
    topic: "orders/create",
    status: "RECEIVED",
    apiVersion: "2026-10",
    source: "http",
    rawBody: JSON.stringify(order()),
  });
  expect(row.triggeredAt).toBeInstanceOf(Date);
  const queued = await jobs("process-webhook");
  expect(queued.map((j) => j.payload)).toEqual([{ v: 1, shop: TEST_SHOP, deliveryId: row.id }]);
  expect(fellThrough).toEqual([]);
});

test("a bad signature, a body changed after signing and a missing signature are 401, with nothing stored", async () => {
  const body = JSON.stringify(order());
  const statuses = [
    (await post({ topic: "orders/create", body, hmac: sign(body, "not-the-secret") })).status,
    (await post({ topic: "orders/create", body: body.replace("#9999", "#1000"), hmac: sign(body) })).status,
    (await post({ topic: "orders/create", body, hmac: null })).status,
  ];

  expect(statuses).toEqual([401, 401, 401]);
  expect(await prisma.webhookDelivery.count()).toBe(0);
  expect(await jobs()).toEqual([]);
  expect(fellThrough).toEqual([]);
});

test("a shop header that is not a shop domain, or a required header missing, is a 400 with nothing stored", async () => {
  const statuses = [
    (await post({ topic: "orders/create", body: order(), shop: "evil.example.com" })).status,
    (await post({ topic: "orders/create", body: order(), shop: "../../etc/passwd" })).status,
    (await post({ topic: "orders/create", body: order() }, (h) => h.delete("x-shopify-webhook-id"))).status,
    (await post({ topic: "orders/create", body: order() }, (h) => h.delete("x-shopify-topic"))).status,
    (await post({ topic: "orders/create", body: order() }, (h) => h.delete("x-shopify-shop-domain"))).status,
    (await post({ topic: "orders/create", body: "" })).status,
  ];

  expect(statuses).toEqual([400, 400, 400, 400, 400, 400]);
  expect(await prisma.webhookDelivery.count()).toBe(0);
  expect(await jobs()).toEqual([]);
});

test("other methods than POST are 405 with Allow: POST, and never reach the app behind", async () => {
  for (const method of ["GET", "PUT", "DELETE"]) {
    const response = await fetch(`${base}/webhooks`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  }
  expect(fellThrough).toEqual([]);
});

test("a body over the cap is a 413 before any verification, with nothing stored", async () => {
  const big = JSON.stringify({ ...order(), note: "x".repeat(MAX_BYTES) });
  const response = await post({ topic: "orders/create", body: big });

  expect(response.status).toBe(413);
  expect(await prisma.webhookDelivery.count()).toBe(0);
  expect(await jobs()).toEqual([]);
});

test("the same delivery many times at once, then again later, is answered 200 each time and stored once with one job", async () => {
  const concurrent = await Promise.all(
    Array.from({ length: 12 }, () =>
      post({ topic: "orders/create", body: order(), webhookId: "wh-dup", eventId: "ev-dup" }),
    ),
  );
  const later = await post({ topic: "orders/create", body: order(), webhookId: "wh-dup", eventId: "ev-dup" });
  // Shopify's retry of one event under a new webhook id: the event id is the same, so still one delivery.
  const sameEvent = await post({ topic: "orders/create", body: order(), webhookId: "wh-dup-2", eventId: "ev-dup" });

  expect([...concurrent, later, sameEvent].map((r) => r.status)).toEqual(Array(14).fill(200));
  expect(await prisma.webhookDelivery.count()).toBe(1);
  expect(await jobs("process-webhook")).toHaveLength(1);
});

test("many different deliveries at once are each stored with exactly one job of their own", async () => {
  const responses = await Promise.all(
    Array.from({ length: 150 }, (_, i) =>
      post({ topic: i % 3 === 0 ? "products/update" : "orders/create", body: order(), webhookId: `burst-${i}` }),
    ),
  );

  expect(responses.map((r) => r.status)).toEqual(Array(150).fill(200));
  const rows = await prisma.webhookDelivery.findMany({ select: { id: true, status: true } });
  expect(rows).toHaveLength(150);
  const received = rows.filter((r) => r.status === "RECEIVED").map((r) => r.id);
  expect(received).toHaveLength(100);
  const queued = (await jobs("process-webhook")).map((j) => j.payload.deliveryId as string);
  expect(queued.sort()).toEqual(received.sort());
});

test("a signed body that is not JSON is stored, answered 200, and processing marks it FAILED with the reason", async () => {
  const response = await post({ topic: "orders/create", body: '{"id": 1, "name": ' });

  expect(response.status).toBe(200);
  const row = await prisma.webhookDelivery.findFirstOrThrow();
  expect(row).toMatchObject({ rawBody: '{"id": 1, "name": ', status: "RECEIVED" });
  expect(await jobs("process-webhook")).toHaveLength(1);
  const outcome = await processDelivery(row.id);
  expect(outcome.kind).toBe("FAILED");
  expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
    status: "FAILED",
    lastError: expect.stringMatching(/not valid JSON/),
  });
});

const inboxRow = (webhookId: string, eventId: string | null) => ({
  shop: TEST_SHOP,
  webhookId,
  eventId,
  topic: "orders/create",
  apiVersion: "2026-10",
  triggeredAt: null,
  rawBody: "{}",
  source: "http",
});

test("duplicates inside one batch (one statement): the first of each delivery is stored with one job, the rest are told they are duplicates", async () => {
  // Called in one turn of the event loop: one batch, one multi-row statement.
  const results = await Promise.all([
    ...Array.from({ length: 5 }, () => storeDelivery(inboxRow("same-id", "ev-a"), true)),
    storeDelivery(inboxRow("other-id-same-event", "ev-a"), true),
    storeDelivery(inboxRow("distinct-1", "ev-b"), true),
    storeDelivery(inboxRow("distinct-2", null), true),
    storeDelivery(inboxRow("distinct-3", null), true),
  ]);

  expect(results.map((r) => r.stored)).toEqual([true, false, false, false, false, false, true, true, true]);
  const rows = await prisma.webhookDelivery.findMany({ select: { id: true, webhookId: true } });
  expect(rows.map((r) => r.webhookId).sort()).toEqual(["distinct-1", "distinct-2", "distinct-3", "same-id"]);
  const ids = results.flatMap((r) => (r.stored ? [r.id] : []));
  expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
  const queued = (await jobs("process-webhook")).map((j) => j.payload.deliveryId as string);
  expect(queued.sort()).toEqual(rows.map((r) => r.id).sort());
});

/** A trigger that fails any statement inserting this webhook id: the commit of its whole batch fails. */
async function failCommitsWith(webhookId: string): Promise<() => Promise<void>> {
  await prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION fail_ingest_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW."webhookId" = '${webhookId}' THEN RAISE EXCEPTION 'commit refused for the test'; END IF;
      RETURN NEW;
    END $$`);
  await prisma.$executeRawUnsafe(`
    CREATE TRIGGER fail_ingest_for_test BEFORE INSERT ON "WebhookDelivery"
    FOR EACH ROW EXECUTE FUNCTION fail_ingest_for_test()`);
  return async () => {
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_ingest_for_test ON "WebhookDelivery"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS fail_ingest_for_test()`);
  };
}

test("deliveries stored together fail together: every caller of a batch whose commit fails is refused, and nothing is stored", async () => {
  const restore = await failCommitsWith("poison");
  try {
    // Called in one turn of the event loop: one batch, one statement.
    const ids = ["poison", ...Array.from({ length: 9 }, (_, i) => `beside-${i}`)];
    const results = await Promise.allSettled(ids.map((webhookId) => storeDelivery(inboxRow(webhookId, null), true)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill("rejected"));
    expect(await prisma.webhookDelivery.count()).toBe(0);
    expect(await jobs()).toEqual([]);
  } finally {
    await restore();
  }
});

test("over HTTP, a failed commit answers no 200 (503, so Shopify retries) and loses nothing once the retries come", async () => {
  const ids = Array.from({ length: 40 }, (_, i) => (i === 17 ? "poison" : `wh-${i}`));
  const send = (webhookId: string) =>
    post({ topic: "orders/create", body: order(), webhookId, eventId: `ev-${webhookId}` });
  const restore = await failCommitsWith("poison");
  let first: Response[];
  try {
    first = await Promise.all(ids.map(send));
  } finally {
    await restore();
  }

  const answered = new Map(ids.map((id, i) => [id, first[i]?.status]));
  expect(answered.get("poison")).toBe(503);
  expect(first.every((r) => r.status === 200 || r.status === 503)).toBe(true);
  // Every 200 was committed; every 503 stored nothing (its batch rolled back as a whole).
  const stored = new Set(
    (await prisma.webhookDelivery.findMany({ select: { webhookId: true } })).map((r) => r.webhookId),
  );
  expect([...stored].sort()).toEqual(ids.filter((id) => answered.get(id) === 200).sort());

  // Shopify retries what was not answered 200; now every delivery is stored once, with one job each.
  const retried = await Promise.all(ids.filter((id) => answered.get(id) !== 200).map(send));
  expect(retried.every((r) => r.status === 200)).toBe(true);
  const rows = await prisma.webhookDelivery.findMany({ select: { id: true, webhookId: true } });
  expect(rows.map((r) => r.webhookId).sort()).toEqual([...ids].sort());
  const queued = (await jobs("process-webhook")).map((j) => j.payload.deliveryId as string);
  expect(queued.sort()).toEqual(rows.map((r) => r.id).sort());
});
