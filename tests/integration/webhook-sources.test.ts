import { afterEach, beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { WebhookConsumer, type TransportMessage } from "../../app/services/webhook-sources/consumer.server";
import eventBridgeFixture from "../fixtures/webhook-sources/eventbridge-event.json";
import pubSubFixture from "../fixtures/webhook-sources/pubsub-received-message.json";
import { jobs, truncateAll } from "../helpers/db";
import { InMemoryTransport } from "../helpers/message-transport";
import { waitFor } from "../helpers/wait";
import { sendWebhook, TEST_SHOP } from "../helpers/webhooks";

beforeEach(truncateAll);

const running: WebhookConsumer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

const payload = eventBridgeFixture.detail.payload;

/** The Pub/Sub fixture with other attributes (each test its own webhook id). */
function pubSub(ackId: string, attributes: Record<string, string> = {}, data?: string): TransportMessage {
  const { message } = structuredClone(pubSubFixture);
  return {
    ackId,
    body: { ...message, attributes: { ...message.attributes, ...attributes }, ...(data === undefined ? {} : { data }) },
  };
}

/** The EventBridge fixture as an SQS message body (the event's JSON), with other metadata. */
function eventBridge(ackId: string, metadata: Record<string, string> = {}): TransportMessage {
  const event = structuredClone(eventBridgeFixture);
  Object.assign(event.detail.metadata, metadata);
  return { ackId, body: JSON.stringify(event) };
}

test("a Pub/Sub delivery is stored with its process-webhook job, like an HTTP one, then acked", async () => {
  const transport = new InMemoryTransport();
  const outcomes = await new WebhookConsumer({ source: "pubsub", transport }).consume([pubSub("a1")]);

  expect(outcomes).toEqual(["STORED"]);
  const rows = await prisma.webhookDelivery.findMany();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    shop: TEST_SHOP,
    webhookId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    eventId: "98880550-7158-44d4-b7cd-2c97c8a091b5",
    topic: "fulfillment_events/create",
    apiVersion: "2026-10",
    source: "pubsub",
    status: "RECEIVED",
  });
  expect(JSON.parse(rows[0]?.rawBody ?? "")).toEqual(payload);
  expect((await jobs("process-webhook")).map((j) => j.payload)).toEqual([
    { v: 1, shop: TEST_SHOP, deliveryId: rows[0]?.id },
  ]);
  expect(transport.acked).toEqual(["a1"]);
});

test("an EventBridge delivery from SQS is stored with its job and source eventbridge, then acked", async () => {
  const transport = new InMemoryTransport();
  await new WebhookConsumer({ source: "eventbridge", transport }).consume([eventBridge("r1")]);

  const row = await prisma.webhookDelivery.findFirstOrThrow();
  expect(row).toMatchObject({
    webhookId: "0f2c7d61-3a55-4c8e-9a2b-5d1e7c3b9a40",
    source: "eventbridge",
    status: "RECEIVED",
  });
  expect(JSON.parse(row.rawBody ?? "")).toEqual(payload);
  expect(await jobs("process-webhook")).toHaveLength(1);
  expect(transport.acked).toEqual(["r1"]);
});

test("the same webhook id through HTTP and then Pub/Sub is stored once, and the Pub/Sub copy is acked", async () => {
  const http = await sendWebhook({
    topic: "fulfillment_events/create",
    body: payload,
    webhookId: "wh-both",
    eventId: "ev-http",
  });
  expect(http.status).toBe(200);
  const transport = new InMemoryTransport();
  const outcomes = await new WebhookConsumer({ source: "pubsub", transport }).consume([
    pubSub("a1", { "X-Shopify-Webhook-Id": "wh-both", "X-Shopify-Event-Id": "ev-pubsub" }),
  ]);

  expect(outcomes).toEqual(["DUPLICATE"]);
  expect(await prisma.webhookDelivery.findMany({ select: { webhookId: true, source: true } })).toEqual([
    { webhookId: "wh-both", source: "http" },
  ]);
  expect(await jobs("process-webhook")).toHaveLength(1);
  expect(transport.acked).toEqual(["a1"]);
});

test("one event delivered over EventBridge and again over HTTP (same event id, new webhook id) is stored once", async () => {
  const transport = new InMemoryTransport();
  await new WebhookConsumer({ source: "eventbridge", transport }).consume([eventBridge("r1")]);
  const http = await sendWebhook({
    topic: "fulfillment_events/create",
    body: payload,
    webhookId: "another-webhook-id",
    eventId: eventBridgeFixture.detail.metadata["X-Shopify-Event-Id"],
  });

  expect(http.status).toBe(200);
  expect(await prisma.webhookDelivery.count()).toBe(1);
  expect(await jobs("process-webhook")).toHaveLength(1);
});

test("every message is acked only once its delivery is committed: another connection sees the row at ack time", async () => {
  const seenAtAck: Array<{ ackId: string; rows: number }> = [];
  const ids: Record<string, string> = { a1: "wh-1", a2: "wh-2", a3: "wh-3" };
  const transport = new InMemoryTransport(async (ackIds) => {
    for (const ackId of ackIds)
      seenAtAck.push({ ackId, rows: await prisma.webhookDelivery.count({ where: { webhookId: ids[ackId] ?? "" } }) });
  });
  const consumer = new WebhookConsumer({ source: "pubsub", transport, maxMessages: 2 });
  running.push(consumer);
  consumer.start();
  transport.publish(
    ...Object.entries(ids).map(([ackId, webhookId]) =>
      pubSub(ackId, { "X-Shopify-Webhook-Id": webhookId, "X-Shopify-Event-Id": `ev-${webhookId}` }),
    ),
  );
  await waitFor(async () => transport.acked.length === 3);

  expect(seenAtAck.sort((a, b) => a.ackId.localeCompare(b.ackId))).toEqual([
    { ackId: "a1", rows: 1 },
    { ackId: "a2", rows: 1 },
    { ackId: "a3", rows: 1 },
  ]);
  expect(transport.nacked).toEqual([]);
});

test("when the inbox cannot be written, the message is nacked for redelivery, never acked; it is stored once it can", async () => {
  const transport = new InMemoryTransport();
  const consumer = new WebhookConsumer({ source: "pubsub", transport });
  // A real failure of the real database: the inbox table is not there.
  await prisma.$executeRawUnsafe(`ALTER TABLE "WebhookDelivery" RENAME TO "WebhookDeliveryAway"`);
  let outcomes;
  try {
    outcomes = await consumer.consume([pubSub("a1")]);
  } finally {
    await prisma.$executeRawUnsafe(`ALTER TABLE "WebhookDeliveryAway" RENAME TO "WebhookDelivery"`);
  }

  expect(outcomes).toEqual(["NACKED"]);
  expect(transport.acked).toEqual([]);
  expect(transport.nacked).toEqual(["a1"]);
  // The cloud redelivers it.
  expect(await consumer.consume([pubSub("a1-again")])).toEqual(["STORED"]);
  expect(transport.acked).toEqual(["a1-again"]);
  expect(await prisma.webhookDelivery.count()).toBe(1);
});

test("a message with an unusable payload is stored FAILED with the reason and no job, then acked", async () => {
  const transport = new InMemoryTransport();
  const outcomes = await new WebhookConsumer({ source: "pubsub", transport }).consume([
    pubSub("a1", {}, Buffer.from("<not-json/>").toString("base64")),
  ]);

  expect(outcomes).toEqual(["STORED_FAILED"]);
  const row = await prisma.webhookDelivery.findFirstOrThrow();
  expect(row).toMatchObject({
    status: "FAILED",
    lastError: "Pub/Sub message: the data is not JSON",
    rawBody: "<not-json/>",
    source: "pubsub",
  });
  expect(await jobs()).toHaveLength(0);
  expect(transport.acked).toEqual(["a1"]);
});

test("a message that names no delivery is dead-lettered with the reason, never acked as processed, and stores nothing", async () => {
  const transport = new InMemoryTransport();
  const noShop = pubSub("a1");
  delete (noShop.body as { attributes: Record<string, string> }).attributes["X-Shopify-Shop-Domain"];
  const outcomes = await new WebhookConsumer({ source: "pubsub", transport }).consume([
    noShop,
    { ackId: "a2", body: "garbage" },
    pubSub("a3", { "X-Shopify-Webhook-Id": "wh-fine", "X-Shopify-Event-Id": "ev-fine" }),
  ]);

  expect(outcomes).toEqual(["DEAD_LETTERED", "DEAD_LETTERED", "STORED"]);
  expect(transport.deadLetters).toEqual([
    { ackId: "a1", reason: "Pub/Sub message: missing x-shopify-shop-domain" },
    { ackId: "a2", reason: "not a Pub/Sub message (not an object)" },
  ]);
  expect(transport.acked).toEqual(["a3"]);
  expect(await prisma.webhookDelivery.findMany({ select: { webhookId: true } })).toEqual([{ webhookId: "wh-fine" }]);
});

test("stopping the consumer ends its pull loop and leaves nothing in hand", async () => {
  const transport = new InMemoryTransport();
  const consumer = new WebhookConsumer({ source: "eventbridge", transport });
  consumer.start();
  transport.publish(eventBridge("r1"));
  await waitFor(async () => transport.acked.length === 1);
  await consumer.stop();
  transport.publish(eventBridge("r2", { "X-Shopify-Webhook-Id": "later", "X-Shopify-Event-Id": "later" }));

  expect(transport.queue.map((m) => m.ackId)).toEqual(["r2"]);
  expect(transport.settled).toBe(1);
});

test("a delivery from either cloud is processed by the same job as an HTTP one, which cannot tell them apart", async () => {
  const transport = new InMemoryTransport();
  await new WebhookConsumer({ source: "pubsub", transport }).consume([pubSub("a1")]);
  await new WebhookConsumer({ source: "eventbridge", transport }).consume([
    eventBridge("r1", { "X-Shopify-Event-Id": "another-event" }),
  ]);
  const http = await sendWebhook({ topic: "fulfillment_events/create", body: payload, eventId: "third-event" });
  expect(http.status).toBe(200);

  const rows = await prisma.webhookDelivery.findMany({ orderBy: { source: "asc" } });
  const outcomes = [];
  for (const row of rows) outcomes.push({ source: row.source, outcome: (await processDelivery(row.id)).kind });
  expect(outcomes.map((o) => o.source)).toEqual(["eventbridge", "http", "pubsub"]);
  // One outcome for the three: whatever the job makes of this payload, it makes the same of each.
  expect(new Set(outcomes.map((o) => o.outcome)).size).toBe(1);
  expect(outcomes[0]?.outcome).not.toBe("FAILED");
});
