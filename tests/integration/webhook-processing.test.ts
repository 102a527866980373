import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { truncateAll } from "../helpers/db";
import { installOfflineSession } from "../helpers/sandbox";
import { examplePayload, sendWebhook, TEST_SHOP } from "../helpers/webhooks";

beforeEach(truncateAll);

/** Deliver through the real route, then run the processing job's service for the stored row. */
async function deliverAndProcess(topic: string, body: object, webhookId?: string) {
  const response = await sendWebhook({ topic, body, webhookId });
  expect(response.status).toBe(200);
  const row = await prisma.webhookDelivery.findFirstOrThrow({
    where: webhookId ? { webhookId } : { topic },
    orderBy: { receivedAt: "desc" },
  });
  return { id: row.id, outcome: await processDelivery(row.id) };
}

function order(overrides: Record<string, unknown> = {}) {
  return { ...examplePayload("orders/create"), ...overrides };
}

test.each(["orders/create", "orders/updated", "orders/cancelled"])("%s becomes a typed order record", async (topic) => {
  const { outcome, id } = await deliverAndProcess(topic, examplePayload(topic));

  expect(outcome).toEqual({ kind: "PROCESSED", topic });
  const record = await prisma.orderRecord.findFirstOrThrow();
  expect(record).toMatchObject({
    shop: TEST_SHOP,
    orderGid: "gid://shopify/Order/820982911946154508",
    name: "#9999",
    customerGid: "gid://shopify/Customer/115310627314723954",
    cancelReason: "customer",
    currency: "USD",
    test: true,
    tags: ["tag1", "tag2"],
  });
  expect(record.totalPrice.toString()).toBe("404.95");
  const delivery = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
  expect(delivery).toMatchObject({
    status: "PROCESSED",
    attempts: 1,
    orderGid: record.orderGid,
    customerGid: record.customerGid,
  });
});

test("an older order payload arriving after a newer one does not overwrite it", async () => {
  await deliverAndProcess("orders/updated", order({ updated_at: "2026-11-02T10:00:00Z", tags: "newer" }), "new");
  await deliverAndProcess("orders/updated", order({ updated_at: "2026-11-01T10:00:00Z", tags: "older" }), "old");

  const record = await prisma.orderRecord.findFirstOrThrow();
  expect(record.tags).toEqual(["newer"]);
});

test("big REST ids are kept exact rather than rounded", async () => {
  const body = JSON.stringify(examplePayload("refunds/create")).replace(
    /"order_id":\s*\d+/,
    '"order_id":9007199254740993123',
  );
  await sendWebhook({ topic: "refunds/create", body, webhookId: "big" });
  const row = await prisma.webhookDelivery.findFirstOrThrow();
  await processDelivery(row.id);

  const refund = await prisma.refundRecord.findFirstOrThrow();
  expect(refund.orderGid).toBe("gid://shopify/Order/9007199254740993123");
});

test("refunds/create records the refunded amount, note and order", async () => {
  const { outcome } = await deliverAndProcess("refunds/create", examplePayload("refunds/create"));

  expect(outcome.kind).toBe("PROCESSED");
  const refund = await prisma.refundRecord.findFirstOrThrow();
  expect(refund).toMatchObject({
    refundGid: "gid://shopify/Refund/890088186047892319",
    note: "Things were damaged",
    lineCount: 5,
  });
  // Two successful refund transactions in the example: 75.00 + 10.00.
  expect(refund.amount.toString()).toBe("85");
});

test("fulfillments/create and fulfillments/update keep the newest fulfillment state", async () => {
  const created = examplePayload("fulfillments/create");
  await deliverAndProcess(
    "fulfillments/create",
    { ...created, updated_at: "2026-11-01T00:00:00Z", status: "pending" },
    "f1",
  );
  await deliverAndProcess(
    "fulfillments/update",
    { ...created, updated_at: "2026-11-02T00:00:00Z", status: "success", shipment_status: "in_transit" },
    "f2",
  );

  const records = await prisma.fulfillmentRecord.findMany();
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ status: "success", shipmentStatus: "in_transit", trackingCompany: "UPS" });
});

test("fulfillment_events/create records a carrier event once, even when delivered twice", async () => {
  const event = {
    ...examplePayload("fulfillment_events/create"),
    status: "delayed",
    estimated_delivery_at: "2026-11-30T12:00:00Z",
  };
  await deliverAndProcess("fulfillment_events/create", event, "e1");
  await deliverAndProcess("fulfillment_events/create", event, "e2");

  const events = await prisma.fulfillmentEventRecord.findMany();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ status: "delayed", fulfillmentGid: "gid://shopify/Fulfillment/123456" });
  expect(events[0]?.estimatedDeliveryAt?.toISOString()).toBe("2026-11-30T12:00:00.000Z");
});

test("an unknown fulfillment event status fails validation naming the field", async () => {
  const { outcome } = await deliverAndProcess("fulfillment_events/create", {
    ...examplePayload("fulfillment_events/create"),
    status: "teleported",
  });

  expect(outcome.kind).toBe("FAILED");
  expect(outcome.kind === "FAILED" && outcome.reason).toMatch(/status/);
});

test("fulfillment_orders/placed_on_hold records the new hold with its reason", async () => {
  const { outcome } = await deliverAndProcess(
    "fulfillment_orders/placed_on_hold",
    examplePayload("fulfillment_orders/placed_on_hold"),
  );

  expect(outcome.kind).toBe("PROCESSED");
  const holds = await prisma.fulfillmentHoldRecord.findMany();
  expect(holds).toEqual([
    expect.objectContaining({
      holdGid: "gid://shopify/FulfillmentHold/1",
      reason: "other",
      fulfillmentOrderGid: "gid://shopify/FulfillmentOrder/1",
    }),
  ]);
});

test("app/scopes_update stores the granted scopes on the shop and its sessions", async () => {
  await prisma.shop.create({ data: { shop: TEST_SHOP, scopes: "read_orders" } });
  await installOfflineSession(TEST_SHOP, { scope: "read_orders" });

  await deliverAndProcess("app/scopes_update", {
    ...examplePayload("app/scopes_update"),
    current: ["read_orders", "write_discounts"],
  });

  expect((await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).scopes).toBe(
    "read_orders,write_discounts",
  );
  expect((await prisma.session.findFirstOrThrow()).scope).toBe("read_orders,write_discounts");
});

test("every example payload of a subscribed topic parses", async () => {
  const topics = [
    "orders/create",
    "orders/updated",
    "orders/cancelled",
    "refunds/create",
    "fulfillments/create",
    "fulfillments/update",
    "fulfillment_events/create",
    "fulfillment_orders/placed_on_hold",
    "app/scopes_update",
    "app/uninstalled",
    // Shopify sends these after uninstall too, so they are still processed.
    "customers/data_request",
    "customers/redact",
    "shop/redact",
  ];
  await prisma.shop.create({ data: { shop: TEST_SHOP } });
  for (const topic of topics) {
    const payload = examplePayload(topic);
    if ("shop_domain" in payload) payload.shop_domain = TEST_SHOP;
    const { outcome } = await deliverAndProcess(topic, payload, `all-${topic}`);
    expect({ topic, outcome: outcome.kind }).toEqual({ topic, outcome: "PROCESSED" });
  }
});
