/**
 * Load shedding on /webhooks (decision 0031) over real HTTP: the middleware server.ts mounts, the
 * app's own inbox (module batcher, ingest pool) and this file's real PostgreSQL, with the limits set
 * through the environment as an operator sets them: one ingest connection, at most 2 deliveries
 * waiting. A second connection holds an EXCLUSIVE lock on "WebhookDelivery", so the inbox's INSERT
 * waits for it; the test waits until the inbox reports what it holds, never on a timer.
 */
import { createServer, type Server } from "node:http";
import express from "express";
import { http, passthrough } from "msw";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";

vi.hoisted(() => {
  // Read once, on first use of the environment (after this file's imports).
  process.env.DATABASE_INGEST_POOL_SIZE = "1";
  process.env.WEBHOOK_INGEST_MAX_QUEUE = "2";
  process.env.WEBHOOK_INGEST_MAX_WAIT_MS = "60000";
});

import { prisma } from "../../app/db.server";
import { connectClient } from "../../app/db/pool.server";
import { env } from "../../app/env.server";
import { readRequestBodies } from "../../app/http/request-bodies.server";
import { receiveWebhook, webhookIngestHandler, type WebhookAnswer } from "../../app/http/webhook-ingest.server";
import { captureLogs } from "../../app/logger.server";
import { inboxLoad } from "../../app/models/webhook-delivery.server";
import { action as webhookRoute } from "../../app/routes/webhooks";
import { httpServerOptions } from "../../server";
import { jobs, truncateAll } from "../helpers/db";
import { mswServer } from "../helpers/msw";
import { waitFor } from "../helpers/wait";
import { examplePayload, TEST_SHOP, webhookRequest } from "../helpers/webhooks";

let server: Server;
let base: string;
let holder: pg.Client | undefined;

beforeAll(async () => {
  const app = express();
  app.use(readRequestBodies({ maxBytes: 64 * 1024 }));
  app.all("/webhooks", webhookIngestHandler());
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
  delete process.env.DATABASE_INGEST_POOL_SIZE;
  delete process.env.WEBHOOK_INGEST_MAX_QUEUE;
  delete process.env.WEBHOOK_INGEST_MAX_WAIT_MS;
});

beforeEach(async () => {
  await truncateAll();
  mswServer.use(http.all(`${base}/*`, () => passthrough()));
});

afterEach(release);

async function holdInbox(): Promise<void> {
  holder = await connectClient(env().DATABASE_URL!, "test-inbox-lock");
  await holder.query("BEGIN");
  await holder.query(`LOCK TABLE "WebhookDelivery" IN EXCLUSIVE MODE`);
}

async function release(): Promise<void> {
  if (!holder) return;
  await holder.query("COMMIT");
  await holder.end();
  holder = undefined;
}

const body = JSON.stringify(examplePayload("orders/create"));

/** A delivery signed as Shopify signs it (the same webhook id and event id on every retry), posted over HTTP. */
async function post(webhookId: string): Promise<Response> {
  const request = webhookRequest({ topic: "orders/create", body, webhookId, eventId: `ev-${webhookId}` });
  return fetch(`${base}/webhooks`, { method: "POST", headers: request.headers, body });
}

/** The same delivery through the handler's core (as both the lean handler and the Remix route call it). */
function receive(webhookId: string): Promise<WebhookAnswer> {
  const request = webhookRequest({ topic: "orders/create", body, webhookId, eventId: `ev-${webhookId}` });
  return receiveWebhook("POST", request.headers, body);
}

async function stored(): Promise<string[]> {
  const rows = await prisma.webhookDelivery.findMany({ select: { webhookId: true } });
  return rows.map((r) => r.webhookId).sort();
}

test("over the limit a delivery is answered 503 with Retry-After and nothing stored; under it 200 and stored; once drained the retry is stored exactly once", async () => {
  const shedBefore = inboxLoad().shed;
  const { lines } = await captureLogs(async () => {
    await holdInbox();
    const first = post("wh-1");
    await waitFor(async () => inboxLoad().inFlight === 1);
    const second = post("wh-2");
    await waitFor(async () => inboxLoad().queued === 1);
    // Two at once with one place left: both pass the check made before the signature, and the check
    // made as they are queued refuses whichever comes second (the queue filled during its signature
    // check). The one queued cannot be answered before the release, so the first answer is the refusal.
    const pair = { "wh-3": receive("wh-3"), "wh-3b": receive("wh-3b") };
    const lateRefusal = await Promise.race(Object.values(pair));
    expect(lateRefusal).toEqual({ status: 503, headers: { "Retry-After": "5" } });
    expect(inboxLoad()).toMatchObject({ queued: 2, inFlight: 1, shed: shedBefore + 1 });

    // Full: refused before the signature is even checked, over HTTP and through the Remix route.
    const refused = await post("wh-4");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    const viaRoute = await webhookRoute({
      request: webhookRequest({ topic: "orders/create", body, webhookId: "wh-5", eventId: "ev-wh-5" }),
      params: {},
      context: {},
    });
    expect(viaRoute.status).toBe(503);
    expect(viaRoute.headers.get("retry-after")).toBe("5");
    expect(inboxLoad()).toMatchObject({ queued: 2, inFlight: 1, shed: shedBefore + 3 });

    await release();
    expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
    const answered = Object.fromEntries(
      await Promise.all(Object.entries(pair).map(async ([id, answer]) => [id, (await answer).status] as const)),
    );
    expect(Object.values(answered).sort()).toEqual([200, 503]);
    const accepted = Object.keys(answered).find((id) => answered[id] === 200)!;
    const lateRefused = Object.keys(answered).find((id) => answered[id] === 503)!;
    expect(await stored()).toEqual(["wh-1", "wh-2", accepted]);

    // Drained: Shopify's retries are accepted, each stored once with one job; a later copy is a duplicate.
    await waitFor(async () => inboxLoad().inFlight === 0);
    for (const id of [lateRefused, "wh-4", "wh-5", "wh-4"]) expect((await post(id)).status).toBe(200);
  });

  expect(await stored()).toEqual(["wh-1", "wh-2", "wh-3", "wh-3b", "wh-4", "wh-5"]);
  const rows = await prisma.webhookDelivery.findMany({ select: { id: true } });
  const queuedJobs = (await jobs("process-webhook")).map((j) => j.payload.deliveryId as string);
  expect(queuedJobs.sort()).toEqual(rows.map((r) => r.id).sort());
  expect(inboxLoad().shed).toBe(shedBefore + 3);

  // A line for the first refusal at once; those within the same second go into the next line, a
  // second later. Counts and limits only: no shop, webhook id or payload.
  const shedLines = lines.filter((l) => l.includes("webhook ingest overloaded"));
  expect(shedLines.length).toBeGreaterThanOrEqual(1);
  expect(JSON.parse(shedLines[0]!)).toMatchObject({
    level: 40,
    shed: 1,
    reason: "queue-full",
    queued: 2,
    maxQueue: 2,
    maxWaitMs: 60_000,
  });
  for (const line of shedLines) {
    expect(line).not.toContain(TEST_SHOP);
    expect(line).not.toContain("wh-");
    expect(line).not.toContain("#9999");
  }
  expect(lines.filter((l) => l.includes("webhook not stored"))).toEqual([]);
});

test("the limits are read from the environment", () => {
  expect(env()).toMatchObject({
    DATABASE_INGEST_POOL_SIZE: 1,
    WEBHOOK_INGEST_MAX_QUEUE: 2,
    WEBHOOK_INGEST_MAX_WAIT_MS: 60_000,
  });
});
