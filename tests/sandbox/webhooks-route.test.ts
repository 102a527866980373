/**
 * The sandbox's webhooks through the app's real route: signed with the
 * tests' API secret they are accepted, stored once and processed by the app's
 * handlers; a tampered body or a wrong secret gets 401 and stores nothing.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action } from "../../app/routes/webhooks";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { StoreActivity } from "../../sandbox/activity";
import { everyTopicScenario } from "../../sandbox/activity/scenarios";
import { ControlledClock } from "../../sandbox/clock";
import { SandboxStore } from "../../sandbox/store";
import { AMENDS_SUBSCRIPTIONS, WebhookSender, type WebhookSenderOptions } from "../../sandbox/webhooks";
import { runShopRedaction } from "../../app/services/privacy/shop-redaction.server";
import { jobs, truncateAll } from "../helpers/db";

const SHOP = "route.myshopify.com";
const deliver = (request: Request) =>
  action({ request, params: {}, context: {} }).catch((e: unknown) => (e instanceof Response ? e : Promise.reject(e)));

function setup(options: Partial<WebhookSenderOptions> = {}) {
  const clock = new ControlledClock();
  clock.freeze(new Date("2026-03-02T15:00:00Z"));
  const store = new SandboxStore(clock);
  store.addShop({ domain: SHOP });
  const sender = new WebhookSender({
    secret: "test-api-secret",
    apiVersion: "2026-10",
    deliver,
    clock,
    topics: AMENDS_SUBSCRIPTIONS,
    timeoutMs: 20_000,
    ...options,
  });
  return { clock, store, sender, activity: new StoreActivity(store, sender) };
}

beforeEach(truncateAll);

test("every subscribed topic is accepted, stored once with its headers, and processed by the app", async () => {
  const { sender, activity, clock } = setup();
  await everyTopicScenario(activity, SHOP);
  // shop/redact comes 48 hours after the uninstall.
  clock.advance(48 * 3_600_000);
  await sender.flushDue();

  const sent = sender.log.filter((r) => r.state !== "unsubscribed");
  expect(sent.every((r) => r.state === "delivered" && r.status === 200)).toBe(true);
  // app/scopes_update is not store activity: sandbox.changeScopes() sends it (tests/integration/kinds-and-scopes).
  expect(new Set(sent.map((r) => r.topic))).toEqual(
    new Set(AMENDS_SUBSCRIPTIONS.filter((t) => t !== "app/scopes_update")),
  );
  // Not subscribed by Amends, so never sent.
  expect(sender.deliveries({ state: "unsubscribed" }).map((r) => r.topic)).toEqual(
    expect.arrayContaining(["orders/fulfilled", "orders/partially_fulfilled", "fulfillment_orders/hold_released"]),
  );

  const rows = await prisma.webhookDelivery.findMany({ orderBy: { receivedAt: "asc" } });
  expect(rows).toHaveLength(sent.length);
  const byWebhookId = new Map(rows.map((r) => [r.webhookId, r]));
  for (const record of sent) {
    expect(byWebhookId.get(record.webhookId)).toMatchObject({
      shop: SHOP,
      topic: record.topic,
      eventId: record.eventId,
      apiVersion: "2026-10",
      triggeredAt: record.triggeredAt,
      rawBody: record.body,
    });
  }

  // Process in arrival order, like the worker would: every delivery is understood by its handler.
  const process = async (records: typeof sent) => {
    for (const record of records) {
      const outcome = await processDelivery(byWebhookId.get(record.webhookId)?.id ?? "");
      expect({ topic: record.topic, outcome }).toEqual({
        topic: record.topic,
        outcome: { kind: "PROCESSED", topic: record.topic },
      });
    }
  };
  expect(sent.at(-1)?.topic).toBe("shop/redact");
  await process(sent.slice(0, -1));
  expect(await prisma.orderRecord.count()).toBe(5);
  expect(await prisma.refundRecord.count()).toBe(2);
  expect(await prisma.fulfillmentEventRecord.count()).toBe(3);
  expect(await prisma.fulfillmentHoldRecord.count()).toBe(1);
  const cancelled = await prisma.orderRecord.findFirstOrThrow({ where: { cancelReason: "inventory" } });
  expect(cancelled.cancelledAt).not.toBeNull();
  // shop/redact, 48 hours after the uninstall, erases the shop's data (its job deletes in batches).
  await process(sent.slice(-1));
  const [redaction] = await jobs("redact-shop");
  await runShopRedaction(redaction!.payload.requestId as string);
  expect(await prisma.orderRecord.count({ where: { shop: SHOP } })).toBe(0);
});

test("a body changed after signing is answered 401 and nothing is stored", async () => {
  const { activity, sender, store } = setup({ retry: false });
  const customer = activity.createCustomer(SHOP, { firstName: "T", lastName: "T", email: "t@example.com" });
  const product = activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "12.00" }] });
  await activity.placeOrder(
    SHOP,
    { customerId: customer.id, lines: [{ variantId: product.variants[0]?.id ?? "", quantity: 1 }] },
    { tamper: true },
  );

  expect(sender.log).toEqual([
    expect.objectContaining({ topic: "orders/create", state: "failed", status: 401, attempts: 1 }),
  ]);
  expect(sender.log[0]?.body).toContain('"tampered":true');
  expect(await prisma.webhookDelivery.count()).toBe(0);
  expect(store.shop(SHOP).orders.size).toBe(1);
});

test("a delivery signed with another secret is answered 401; the right secret is accepted", async () => {
  const { sender } = setup({ retry: false });
  const wrong = await sender.send(
    SHOP,
    "shop/redact",
    { shop_id: 1, shop_domain: SHOP },
    { signWith: "not-the-secret" },
  );
  const right = await sender.send(SHOP, "shop/redact", { shop_id: 1, shop_domain: SHOP });

  expect([wrong.status, right.status]).toEqual([401, 200]);
  expect(await prisma.webhookDelivery.count()).toBe(1);
});

test("a duplicate delivery (same webhook id) is stored once, and so is a resend of the event under a new webhook id (same X-Shopify-Event-Id)", async () => {
  const { sender } = setup();
  const payload = { shop_id: 1, shop_domain: SHOP };
  const duplicated = await sender.send(SHOP, "shop/redact", payload, { duplicate: 2 });
  expect(duplicated).toMatchObject({ attempts: 3, state: "delivered" });
  expect(duplicated.history.map((h) => h.status)).toEqual([200, 200, 200]);
  expect(await prisma.webhookDelivery.count()).toBe(1);

  const resent = await sender.send(SHOP, "shop/redact", payload, { resend: 1 });
  const eventId = sender.log.at(-1)?.eventId ?? "";
  expect(new Set(sender.log.filter((l) => l.eventId === eventId).map((l) => l.webhookId)).size).toBe(2);
  expect(resent.status).toBe(200);
  const rows = await prisma.webhookDelivery.findMany({ where: { eventId } });
  // Both ids are kept on the one row; the second webhook id is answered 200 and stored nowhere.
  expect(rows).toHaveLength(1);
  expect(rows[0]?.webhookId).toBe(sender.log.find((l) => l.eventId === eventId)?.webhookId);
  expect(await prisma.webhookDelivery.count()).toBe(2);
});

test("one event delivered for two topics is two deliveries: the event id is unique per topic", async () => {
  const { sender } = setup();
  const eventId = "7f0c1b52-4a8e-4b5e-9c55-0d9b0d5e0001";
  await sender.send(SHOP, "shop/redact", { shop_id: 1, shop_domain: SHOP }, { eventId });
  await sender.send(
    SHOP,
    "customers/redact",
    { shop_id: 1, shop_domain: SHOP, customer: { id: 1 }, orders_to_redact: [] },
    { eventId },
  );
  expect(await prisma.webhookDelivery.count({ where: { eventId } })).toBe(2);
});
