import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { jobs, truncateAll } from "../helpers/db";
import { routeDelivery } from "../helpers/sandbox";
import { examplePayload, sendWebhook, sign, TEST_SHOP, webhookRequest } from "../helpers/webhooks";

beforeEach(truncateAll);

test("a correctly signed delivery is stored once with one process-webhook job and answered 200", async () => {
  const response = await sendWebhook({
    topic: "orders/create",
    body: examplePayload("orders/create"),
    webhookId: "wh-1",
  });

  expect(response.status).toBe(200);
  const rows = await prisma.webhookDelivery.findMany();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    shop: TEST_SHOP,
    webhookId: "wh-1",
    topic: "orders/create",
    status: "RECEIVED",
    apiVersion: "2026-10",
  });
  const queued = await jobs("process-webhook");
  expect(queued).toHaveLength(1);
  expect(queued[0]?.payload).toEqual({ v: 1, shop: TEST_SHOP, deliveryId: rows[0]?.id });
});

test("a bad HMAC gets 401 and stores nothing", async () => {
  const body = JSON.stringify(examplePayload("orders/create"));
  const response = await sendWebhook({ topic: "orders/create", body, hmac: sign(body, "not-the-secret") });

  expect(response.status).toBe(401);
  expect(await prisma.webhookDelivery.count()).toBe(0);
  expect(await jobs()).toHaveLength(0);
});

test("a body changed after signing gets 401 and stores nothing", async () => {
  const body = JSON.stringify(examplePayload("orders/create"));
  const response = await sendWebhook({
    topic: "orders/create",
    body: body.replace("#9999", "#1000"),
    hmac: sign(body),
  });

  expect(response.status).toBe(401);
  expect(await prisma.webhookDelivery.count()).toBe(0);
});

test("a missing HMAC header is rejected and stores nothing", async () => {
  const response = await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), hmac: null });

  expect([400, 401]).toContain(response.status);
  expect(await prisma.webhookDelivery.count()).toBe(0);
});

test("the same webhook id three times gives one row and one job, and 200 each time", async () => {
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const response = await sendWebhook({
      topic: "orders/create",
      body: examplePayload("orders/create"),
      webhookId: "wh-dup",
    });
    statuses.push(response.status);
  }

  expect(statuses).toEqual([200, 200, 200]);
  expect(await prisma.webhookDelivery.count()).toBe(1);
  expect(await jobs("process-webhook")).toHaveLength(1);
});

test("concurrent duplicates of one delivery still give one row and one job", async () => {
  const responses = await Promise.all(
    Array.from({ length: 8 }, () =>
      sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "wh-race" }),
    ),
  );

  expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
  expect(await prisma.webhookDelivery.count()).toBe(1);
  expect(await jobs("process-webhook")).toHaveLength(1);
});

test("many different deliveries at once are each stored with their own job", async () => {
  const topics = Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? "products/update" : "orders/create"));
  const responses = await Promise.all(
    topics.map((topic, i) => sendWebhook({ topic, body: examplePayload("orders/create"), webhookId: `burst-${i}` })),
  );

  expect(responses.every((r) => r.status === 200)).toBe(true);
  const rows = await prisma.webhookDelivery.findMany({ select: { id: true, status: true } });
  expect(rows).toHaveLength(60);
  expect(rows.filter((r) => r.status === "IGNORED")).toHaveLength(12);
  const queued = await jobs("process-webhook");
  expect(queued).toHaveLength(48);
  const received = new Set(rows.filter((r) => r.status === "RECEIVED").map((r) => r.id));
  expect(new Set(queued.map((j) => j.payload.deliveryId))).toEqual(received);
});

test("the same webhook id from two shops is two deliveries", async () => {
  await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "wh-same" });
  await sendWebhook({
    topic: "orders/create",
    body: examplePayload("orders/create"),
    webhookId: "wh-same",
    shop: "other-shop.myshopify.com",
  });

  expect(await prisma.webhookDelivery.count()).toBe(2);
});

test("an unknown topic is answered 200 and stored as IGNORED with no job", async () => {
  const response = await sendWebhook({ topic: "products/update", body: { id: 1 } });

  expect(response.status).toBe(200);
  const row = await prisma.webhookDelivery.findFirstOrThrow();
  expect(row.status).toBe("IGNORED");
  expect(row.lastError).toMatch(/no handler for topic products\/update/);
  expect(await jobs()).toHaveLength(0);
});

test("a body that is not JSON, correctly signed, is stored and then marked FAILED with the reason", async () => {
  const response = await sendWebhook({ topic: "orders/create", body: '{"id": 1, "name": ' });

  expect(response.status).toBe(200);
  const row = await prisma.webhookDelivery.findFirstOrThrow();
  expect(row.rawBody).toBe('{"id": 1, "name": ');
  const outcome = await processDelivery(row.id);
  expect(outcome.kind).toBe("FAILED");
  const failed = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
  expect(failed.status).toBe("FAILED");
  expect(failed.lastError).toMatch(/not valid JSON/);
});

test("a JSON payload missing fields is marked FAILED naming the fields, and is not processed again", async () => {
  const payload = examplePayload("orders/create");
  delete payload.admin_graphql_api_id;
  payload.created_at = "yesterday";
  await sendWebhook({ topic: "orders/create", body: payload });
  const row = await prisma.webhookDelivery.findFirstOrThrow();

  const first = await processDelivery(row.id);
  const second = await processDelivery(row.id);

  expect(first.kind).toBe("FAILED");
  expect(first.kind === "FAILED" && first.reason).toMatch(/admin_graphql_api_id/);
  expect(first.kind === "FAILED" && first.reason).toMatch(/created_at/);
  expect(second).toEqual({ kind: "ALREADY_DONE", status: "FAILED" });
  expect(await prisma.orderRecord.count()).toBe(0);
});

test("GET on the webhook route is refused", async () => {
  const { action } = await import("../../app/routes/webhooks");
  const response = await action({
    request: new Request("https://amends.test/webhooks"),
    params: {},
    context: {},
  }).catch((e: unknown) => e as Response);
  expect(response.status).toBe(405);
});

/** A request whose body breaks off after a few bytes, as when a client hangs up mid-upload. */
function abortedBodyRequest(headers: Headers): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"id":'));
      setTimeout(() => controller.error(new Error("aborted")), 5);
    },
  });
  return new Request("https://amends.test/webhooks", { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

test("a body that breaks off mid-read is a 400, with nothing stored and no rejection left unhandled", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const signedHeaders = webhookRequest({ topic: "orders/create", body: "{}" }).headers;
    const unsigned = new Headers(signedHeaders);
    unsigned.delete("x-shopify-hmac-sha256");
    for (const headers of [signedHeaders, unsigned]) {
      const response = await routeDelivery(abortedBodyRequest(headers));
      expect(response.status).toBe(400);
    }
    // Give a stray rejection the turns of the event loop it needs to be reported.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    expect(await prisma.webhookDelivery.count()).toBe(0);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test.each([
  ["a path", "../../etc/passwd"],
  ["a path inside a shop domain", "shop.myshopify.com/../other"],
  ["another host", "evil.example.com"],
  ["upper case", "Amends-Test.myshopify.com"],
  ["10 KB", `${"a".repeat(10_000)}.myshopify.com`],
])(
  "a correctly signed delivery whose shop header is %s is refused with 400 and stores nothing",
  async (_case, shop) => {
    const response = await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), shop });
    expect(response.status).toBe(400);
    expect(await prisma.webhookDelivery.count()).toBe(0);
    expect(await jobs()).toHaveLength(0);
  },
);

test("an empty shop header is refused and stores nothing", async () => {
  const request = webhookRequest({ topic: "orders/create", body: examplePayload("orders/create") });
  request.headers.set("x-shopify-shop-domain", "");
  const response = await routeDelivery(request);
  expect(response.status).toBe(400);
  expect(await prisma.webhookDelivery.count()).toBe(0);
});

test("a correctly signed body with NUL characters is stored FAILED with the reason, and does not fail deliveries stored with it", async () => {
  const poisoned = '{"id": 1, "note": "a\u0000b"}';
  const [bad, good] = await Promise.all([
    sendWebhook({ topic: "orders/create", body: poisoned, webhookId: "wh-nul" }),
    sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "wh-beside-it" }),
  ]);
  expect([bad.status, good.status]).toEqual([200, 200]);
  const stored = await prisma.webhookDelivery.findUniqueOrThrow({
    where: { uniqueShopWebhook: { shop: TEST_SHOP, webhookId: "wh-nul" } },
  });
  expect(stored).toMatchObject({ status: "FAILED", rawBody: '{"id": 1, "note": "a\\u0000b"}' });
  expect(stored.lastError).toMatch(/not JSON: it contains NUL/);
  expect(
    await prisma.webhookDelivery.findUniqueOrThrow({
      where: { uniqueShopWebhook: { shop: TEST_SHOP, webhookId: "wh-beside-it" } },
    }),
  ).toMatchObject({ status: "RECEIVED" });
  expect(await jobs("process-webhook")).toHaveLength(1);
});
