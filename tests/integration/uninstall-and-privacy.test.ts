import type { JobHelpers } from "graphile-worker";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { taskList } from "../../app/jobs/task-list.server";
import { cancelShopJobs, enqueue } from "../../app/queue/enqueue.server";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { jobs, truncateAll } from "../helpers/db";
import { examplePayload, sendWebhook, TEST_SHOP } from "../helpers/webhooks";

const OTHER_SHOP = "other-shop.myshopify.com";
const CUSTOMER = "115310627314723954";
const ORDER_GID = "gid://shopify/Order/820982911946154508";

beforeEach(truncateAll);

async function deliver(topic: string, body: object, shop = TEST_SHOP) {
  const webhookId = `${topic}-${Math.random()}`;
  const response = await sendWebhook({ topic, body, shop, webhookId });
  expect(response.status).toBe(200);
  const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
  return { id: row.id, outcome: await processDelivery(row.id) };
}

async function installShop(shop: string) {
  await prisma.shop.create({ data: { shop } });
  await prisma.session.createMany({
    data: [
      { id: `offline_${shop}`, shop, state: "", accessToken: "offline-token" },
      { id: `${shop}_42`, shop, state: "", accessToken: "online-token", isOnline: true, userId: 42n },
    ],
  });
}

test("app/uninstalled marks the shop, deletes its sessions and leaves other shops alone", async () => {
  await installShop(TEST_SHOP);
  await installShop(OTHER_SHOP);

  const { outcome } = await deliver("app/uninstalled", examplePayload("app/uninstalled"));

  expect(outcome.kind).toBe("PROCESSED");
  expect(await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
    installState: "UNINSTALLED",
    uninstalledAt: expect.any(Date),
  });
  expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
  expect(await prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(2);
  expect((await prisma.shop.findUniqueOrThrow({ where: { shop: OTHER_SHOP } })).installState).toBe("INSTALLED");
});

test("after uninstall, later deliveries for the shop are stored but ignored; compliance ones still run", async () => {
  await installShop(TEST_SHOP);
  await deliver("app/uninstalled", examplePayload("app/uninstalled"));

  const late = await deliver("orders/create", examplePayload("orders/create"));
  const redact = await deliver("customers/redact", { ...examplePayload("customers/redact"), shop_domain: TEST_SHOP });

  expect(late.outcome).toEqual({ kind: "IGNORED", reason: "shop has uninstalled Amends" });
  expect(await prisma.orderRecord.count()).toBe(0);
  expect(redact.outcome.kind).toBe("PROCESSED");
});

test("uninstalling cancels the shop's pending jobs and no other shop's", async () => {
  await installShop(TEST_SHOP);
  const future = new Date(Date.now() + 3_600_000);
  await prisma.$transaction(async (tx) => {
    for (const shop of [TEST_SHOP, OTHER_SHOP]) {
      await enqueue(tx, "process-webhook", { v: 1, shop, deliveryId: crypto.randomUUID() }, { runAt: future });
    }
  });

  const cancelled = await prisma.$transaction((tx) => cancelShopJobs(tx, TEST_SHOP, "shop uninstalled Amends"));

  expect(cancelled).toBe(1);
  const remaining = await jobs();
  const byShop = (shop: string) => remaining.find((j) => j.payload.shop === shop);
  expect(byShop(TEST_SHOP)).toMatchObject({ last_error: "shop uninstalled Amends" });
  expect(byShop(TEST_SHOP)!.attempts).toBe(byShop(TEST_SHOP)!.max_attempts);
  expect(byShop(OTHER_SHOP)).toMatchObject({ attempts: 0, last_error: null });
});

test("a job enqueued in a transaction that rolls back does not exist", async () => {
  await expect(
    prisma.$transaction(async (tx) => {
      await tx.shop.create({ data: { shop: TEST_SHOP } });
      await enqueue(tx, "process-webhook", { v: 1, shop: TEST_SHOP, deliveryId: crypto.randomUUID() });
      throw new Error("abort");
    }),
  ).rejects.toThrow("abort");

  expect(await prisma.shop.count()).toBe(0);
  expect(await jobs()).toHaveLength(0);
});

test("an invalid job payload is refused at enqueue time", async () => {
  await expect(
    prisma.$transaction((tx) => enqueue(tx, "process-webhook", { v: 1, shop: "not a shop", deliveryId: "x" })),
  ).rejects.toThrow(/myshopify/);
});

test("customers/data_request stores an export of what Amends holds on the customer, for 30 days, and only counts in the result", async () => {
  await installShop(TEST_SHOP);
  await deliver("orders/create", examplePayload("orders/create"));
  await deliver("refunds/create", { ...examplePayload("refunds/create"), order_id: "820982911946154508" });
  const request = {
    ...examplePayload("customers/data_request"),
    shop_domain: TEST_SHOP,
    customer: { id: CUSTOMER, email: "john@example.com", phone: "555" },
    orders_requested: [],
  };

  const { outcome, id } = await deliver("customers/data_request", request);

  expect(outcome.kind).toBe("PROCESSED");
  const record = await prisma.complianceRequest.findFirstOrThrow({ where: { kind: "CUSTOMER_DATA_REQUEST" } });
  const exported = record.export as { orders: Array<{ orderGid: string }>; refunds: unknown[] };
  expect(record.customerGid).toBe(`gid://shopify/Customer/${CUSTOMER}`);
  expect(exported.orders.map((o) => o.orderGid)).toEqual([ORDER_GID]);
  expect(exported.refunds).toHaveLength(1);
  // The kept result is a summary: row counts, not the data.
  expect(record.result).toMatchObject({ orders: 1, refunds: 1, offers: 0, offerTransitions: 0, fulfillmentHolds: 0 });
  expect(JSON.stringify(record.result)).not.toContain(ORDER_GID);
  expect(record.exportExpiresAt!.getTime() - record.completedAt.getTime()).toBe(30 * 24 * 60 * 60 * 1000);
  // The request's own email and phone are not kept.
  const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
  expect(stored.rawBody).not.toMatch(/john@example\.com|555/);
});

test("customers/redact erases the customer's personal data and records what was erased", async () => {
  await installShop(TEST_SHOP);
  await deliver("orders/create", examplePayload("orders/create"));
  await deliver("orders/create", {
    ...examplePayload("orders/create"),
    customer: null,
    admin_graphql_api_id: "gid://shopify/Order/77",
    name: "#77",
  });
  const other = await deliver("orders/create", examplePayload("orders/create"), OTHER_SHOP);

  const { outcome, id } = await deliver("customers/redact", {
    shop_domain: TEST_SHOP,
    customer: { id: CUSTOMER, email: "john@example.com", phone: "555-625-1199" },
    orders_to_redact: [77],
  });

  expect(outcome.kind).toBe("PROCESSED");
  const deliveries = await prisma.webhookDelivery.findMany({ where: { shop: TEST_SHOP, topic: "orders/create" } });
  // Processing already dropped the bodies (decision 0015); redaction also unlinks the deliveries.
  expect(deliveries.map((d) => [d.rawBody, d.customerGid])).toEqual([
    [null, null],
    [null, null],
  ]);
  expect(await prisma.orderRecord.count({ where: { shop: TEST_SHOP, customerGid: { not: null } } })).toBe(0);
  const record = await prisma.complianceRequest.findFirstOrThrow({ where: { kind: "CUSTOMER_REDACT" } });
  expect(record.result).toMatchObject({ webhookBodiesErased: 2, ordersUnlinked: 2 });
  expect(record.result).not.toHaveProperty("orderGids");
  expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } })).rawBody).not.toMatch(/john@example\.com/);
  // The same customer id in another shop is another shop's business.
  expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: other.id } })).customerGid).not.toBeNull();
});

test("shop/redact erases everything the shop had and keeps the record of the erasure", async () => {
  await installShop(TEST_SHOP);
  await installShop(OTHER_SHOP);
  await deliver("orders/create", examplePayload("orders/create"));
  await deliver("fulfillment_events/create", examplePayload("fulfillment_events/create"));
  await deliver("orders/create", examplePayload("orders/create"), OTHER_SHOP);
  await deliver("app/uninstalled", examplePayload("app/uninstalled"));
  for (const shop of [TEST_SHOP, OTHER_SHOP]) {
    await prisma.gridVersion.create({ data: { shop, version: 1, grid: {}, createdBy: "staff" } });
    await prisma.budgetMonth.create({ data: { shop, month: "2026-11", issuedMinor: 500 } });
    await prisma.discountGroup.create({
      data: { shop, groupKey: "pct:15|2026-W48", slot: 1, title: "Amends make-goods", members: 1 },
    });
  }

  const { outcome } = await deliver("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });

  expect(outcome.kind).toBe("PROCESSED");
  // The deletion itself is the redact-shop job's, in short batches.
  const [job] = await jobs("redact-shop");
  expect(job!.payload).toMatchObject({ shop: TEST_SHOP });
  await taskList["redact-shop"]!(job!.payload, {
    job: { id: job!.id, attempts: 1, max_attempts: 25 },
  } as unknown as JobHelpers);
  for (const count of [
    prisma.shop.count({ where: { shop: TEST_SHOP } }),
    prisma.session.count({ where: { shop: TEST_SHOP } }),
    prisma.orderRecord.count({ where: { shop: TEST_SHOP } }),
    prisma.fulfillmentEventRecord.count({ where: { shop: TEST_SHOP } }),
    prisma.gridVersion.count({ where: { shop: TEST_SHOP } }),
    prisma.budgetMonth.count({ where: { shop: TEST_SHOP } }),
    prisma.discountGroup.count({ where: { shop: TEST_SHOP } }),
  ]) {
    expect(await count).toBe(0);
  }
  expect(await prisma.gridVersion.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  expect(await prisma.budgetMonth.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  expect(await prisma.discountGroup.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(1);
  expect(await prisma.orderRecord.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  const record = await prisma.complianceRequest.findFirstOrThrow({ where: { kind: "SHOP_REDACT" } });
  expect(record.result).toMatchObject({
    state: "DONE",
    deleted: {
      OrderRecord: 1,
      FulfillmentEventRecord: 1,
      GridVersion: 1,
      BudgetMonth: 1,
      DiscountGroup: 1,
      Shop: 1,
    },
  });
});
