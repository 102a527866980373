/**
 * Retention of webhook deliveries (decision 0021): old rows become per-day counts and are deleted,
 * in batches, idempotently; RECEIVED ones and FAILED ones still keeping their body stay; the
 * dashboard counts deliveries over its own date range, from the rows plus the day counts, with
 * index-backed queries. Every instant here is fixed: nothing depends on when the test runs.
 */
import { randomUUID } from "node:crypto";
import { Prisma, type DeliveryStatus } from "@prisma/client";
import type { JobHelpers } from "graphile-worker";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { PRUNE_WEBHOOK_DELIVERIES, pruneWebhookDeliveries } from "../../app/jobs/prune-webhook-deliveries.server";
import { taskList } from "../../app/jobs/task-list.server";
import { pruneOldFlowActionRuns } from "../../app/models/flow-action-runs.server";
import { deliveryCountsQuery, pruneOldDeliveries } from "../../app/models/webhook-retention.server";
import { periodOfRange } from "../../app/recovery";
import { dashboard } from "../../app/services/dashboard.server";
import { truncateAll } from "../helpers/db";

const SHOP = "amends-retention.myshopify.com";
const STRAY = "amends-no-row.myshopify.com";
const ZONE = "America/New_York";
const DAY = 86_400_000;
const NOW = new Date("2026-10-20T12:00:00Z");

beforeEach(async () => {
  await truncateAll();
  await prisma.webhookDeliveryDay.deleteMany();
  await prisma.shop.create({ data: { shop: SHOP, timezone: ZONE, currency: "USD" } });
});

async function delivery(
  receivedAt: Date,
  status: DeliveryStatus = "PROCESSED",
  options: { shop?: string; topic?: string } = {},
): Promise<string> {
  const row = await prisma.webhookDelivery.create({
    data: {
      shop: options.shop ?? SHOP,
      webhookId: randomUUID(),
      topic: options.topic ?? "orders/create",
      status,
      receivedAt,
      rawBody: status === "RECEIVED" || status === "FAILED" ? "{}" : null,
    },
  });
  return row.id;
}

async function days(): Promise<Array<[string, string, string, string, number]>> {
  const rows = await prisma.webhookDeliveryDay.findMany({
    orderBy: [{ shop: "asc" }, { day: "asc" }, { topic: "asc" }, { status: "asc" }],
  });
  return rows.map((r) => [r.shop, r.day.toISOString().slice(0, 10), r.topic, r.status, r.count]);
}

const remaining = async () => (await prisma.webhookDelivery.findMany({ select: { id: true } })).map((r) => r.id).sort();

test("old deliveries are added to their shop-local day's count and deleted, in batches; waiting and recent ones stay", async () => {
  const old = new Date(NOW.getTime() - 100 * DAY); // 2026-07-12T12:00Z, 08:00 in New York
  await delivery(old);
  await delivery(new Date(old.getTime() + 60 * 60_000));
  // 03:30 UTC on the 13th is still the 12th in New York: the shop's day, as its dashboard shows it.
  await delivery(new Date("2026-07-13T03:30:00Z"));
  await delivery(new Date(NOW.getTime() - 95 * DAY), "IGNORED", { topic: "customers/update" });
  await delivery(old, "FAILED");
  const waiting = await delivery(old, "RECEIVED");
  const recent = await delivery(new Date(NOW.getTime() - 10 * DAY));
  // A shop without a Shop row (deliveries after an uninstall): its days are UTC days.
  await delivery(new Date("2026-07-13T03:30:00Z"), "PROCESSED", { shop: STRAY });
  // Counts from an earlier run are added to, not replaced.
  await prisma.webhookDeliveryDay.create({
    data: { shop: SHOP, day: new Date("2026-07-12"), topic: "orders/create", status: "PROCESSED", count: 5 },
  });

  const policy = { deliveryDays: 90, failedBodyDays: 7 };
  expect(await pruneOldDeliveries(NOW, policy, 2)).toEqual({ deleted: 6, batches: 5 });

  expect(await remaining()).toEqual([waiting, recent].sort());
  const expected = [
    [SHOP, "2026-07-12", "orders/create", "PROCESSED", 8],
    [SHOP, "2026-07-12", "orders/create", "FAILED", 1],
    [SHOP, "2026-07-17", "customers/update", "IGNORED", 1],
    [STRAY, "2026-07-13", "orders/create", "PROCESSED", 1],
  ];
  expect(await days()).toEqual(expect.arrayContaining(expected));
  expect(await days()).toHaveLength(expected.length);

  // A second run finds nothing more and changes no count.
  expect(await pruneOldDeliveries(NOW, policy, 2)).toEqual({ deleted: 0, batches: 0 });
  expect(await days()).toHaveLength(expected.length);
  expect(await days()).toEqual(expect.arrayContaining(expected));
});

test("a FAILED delivery is kept while it keeps its body for diagnosis, even past the row retention", async () => {
  const at = new Date(NOW.getTime() - 45 * DAY);
  const failed = await delivery(at, "FAILED");
  await delivery(at, "PROCESSED");
  expect(await pruneOldDeliveries(NOW, { deliveryDays: 30, failedBodyDays: 60 })).toMatchObject({ deleted: 1 });
  expect(await remaining()).toEqual([failed]);
  expect(
    await pruneOldDeliveries(new Date(NOW.getTime() + 16 * DAY), { deliveryDays: 30, failedBodyDays: 60 }),
  ).toMatchObject({
    deleted: 1,
  });
  expect(await remaining()).toEqual([]);
});

test("a run interrupted half-way loses and doubles nothing: the next run finishes it", async () => {
  const start = new Date("2026-06-01T16:00:00Z");
  for (let i = 0; i < 4; i++) await delivery(new Date(start.getTime() + i * DAY));
  // A real failure inside the third batch's transaction, after its count was written: the database refuses
  // that day's count row.
  await prisma.$executeRawUnsafe(`
    CREATE FUNCTION refuse_third_day() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.day = DATE '2026-06-03' THEN RAISE EXCEPTION 'interrupted'; END IF;
      RETURN NEW;
    END $$`);
  await prisma.$executeRawUnsafe(
    `CREATE TRIGGER refuse_third_day BEFORE INSERT ON "WebhookDeliveryDay" FOR EACH ROW EXECUTE FUNCTION refuse_third_day()`,
  );
  try {
    await expect(pruneOldDeliveries(NOW, { deliveryDays: 90, failedBodyDays: 7 }, 1)).rejects.toThrow(/interrupted/);
    // The first two batches were committed whole; the third left nothing behind.
    expect((await days()).map((d) => [d[1], d[4]])).toEqual([
      ["2026-06-01", 1],
      ["2026-06-02", 1],
    ]);
    expect(await prisma.webhookDelivery.count()).toBe(2);
  } finally {
    await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_third_day ON "WebhookDeliveryDay"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_third_day()`);
  }
  expect(await pruneOldDeliveries(NOW, { deliveryDays: 90, failedBodyDays: 7 }, 1)).toMatchObject({ deleted: 2 });
  expect((await days()).map((d) => [d[1], d[4]])).toEqual([
    ["2026-06-01", 1],
    ["2026-06-02", 1],
    ["2026-06-03", 1],
    ["2026-06-04", 1],
  ]);
  expect(await prisma.webhookDelivery.count()).toBe(0);
});

test("the dashboard counts the deliveries of its own range, from rows and day counts alike, before and after pruning", async () => {
  // The range Oct 1-10 in New York: [Oct 1 04:00Z, Oct 11 04:00Z).
  await delivery(new Date("2026-10-01T03:30:00Z")); // Sep 30, 23:30 local: outside
  await delivery(new Date("2026-10-01T04:30:00Z")); // Oct 1, 00:30 local: inside
  await delivery(new Date("2026-10-05T15:00:00Z"), "IGNORED", { topic: "customers/update" }); // inside
  await delivery(new Date("2026-10-11T03:30:00Z"), "FAILED"); // Oct 10, 23:30 local: inside
  await delivery(new Date("2026-10-11T04:30:00Z")); // Oct 11, 00:30 local: outside
  await delivery(new Date("2026-10-05T15:00:00Z"), "PROCESSED", { shop: STRAY }); // another shop
  // Days already pruned: two inside the range, one before it.
  await prisma.webhookDeliveryDay.createMany({
    data: [
      { shop: SHOP, day: new Date("2026-09-30"), topic: "orders/create", status: "PROCESSED", count: 4 },
      { shop: SHOP, day: new Date("2026-10-01"), topic: "orders/create", status: "PROCESSED", count: 3 },
      { shop: SHOP, day: new Date("2026-10-10"), topic: "orders/create", status: "FAILED", count: 2 },
      { shop: STRAY, day: new Date("2026-10-02"), topic: "orders/create", status: "PROCESSED", count: 9 },
    ],
  });
  const range = { from: "2026-10-01", to: "2026-10-10" };
  const expected = { total: 3 + 3 + 2, failed: 1 + 2 };

  expect((await dashboard(SHOP, range)).inbox).toEqual(expected);

  // The retention boundary moves into the middle of the range (rows before Oct 8 00:00Z are pruned, the
  // FAILED one is recent and stays): the same deliveries, counted the same.
  const pruned = await pruneOldDeliveries(new Date("2026-10-20T00:00:00Z"), { deliveryDays: 12, failedBodyDays: 7 });
  expect(pruned.deleted).toBe(4);
  expect(await prisma.webhookDelivery.count({ where: { shop: SHOP } })).toBe(2);
  expect((await dashboard(SHOP, range)).inbox).toEqual(expected);

  // A range with none of them.
  expect((await dashboard(SHOP, { from: "2026-09-01", to: "2026-09-29" })).inbox).toEqual({ total: 0, failed: 0 });
});

test("the dashboard's delivery counts walk indexes, not whole tables", async () => {
  // Enough rows, over many shops, for the planner to prefer an index when one fits.
  await prisma.$executeRawUnsafe(`
    INSERT INTO "WebhookDelivery" (id, shop, "webhookId", topic, status, "receivedAt", "updatedAt")
    SELECT gen_random_uuid(), 'shop-' || (i % 50) || '.myshopify.com', 'wh-' || i, 'orders/create',
      (ARRAY['PROCESSED', 'IGNORED', 'FAILED']::"DeliveryStatus"[])[1 + i % 3],
      TIMESTAMP '2026-01-01' + (i || ' minutes')::interval, now()
    FROM generate_series(1, 15000) AS i`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "WebhookDeliveryDay" (shop, day, topic, status, count)
    SELECT 'shop-' || (i % 50) || '.myshopify.com', DATE '2020-01-01' + (i / 50), 'orders/create', 'PROCESSED', 1
    FROM generate_series(1, 15000) AS i`);
  await prisma.$executeRawUnsafe(`ANALYZE "WebhookDelivery"; ANALYZE "WebhookDeliveryDay"`);
  const range = { from: "2026-01-10", to: "2026-01-16" };
  const period = periodOfRange(range, ZONE);
  const plan = (
    await prisma.$queryRaw<Array<{ "QUERY PLAN": string }>>(
      Prisma.sql`EXPLAIN ${deliveryCountsQuery("shop-7.myshopify.com", { fromDay: range.from, toDay: range.to, ...period })}`,
    )
  )
    .map((r) => r["QUERY PLAN"])
    .join("\n");
  expect(plan).toContain("WebhookDelivery_shop_status_receivedAt_idx");
  expect(plan).toContain("WebhookDeliveryDay_pkey");
  expect(plan).not.toMatch(/Seq Scan on "WebhookDelivery(Day)?"/);
});

test("Flow action runs are kept through Flow's retries and deleted after 30 days", async () => {
  const run = (actionRunId: string, createdAt: Date) =>
    prisma.flowActionRun.create({ data: { shop: SHOP, actionRunId, handle: "open-recovery-incident", createdAt } });
  await run("old", new Date(NOW.getTime() - 31 * DAY));
  await run("recent", new Date(NOW.getTime() - 2 * DAY));
  expect(await pruneOldFlowActionRuns(NOW)).toBe(1);
  expect((await prisma.flowActionRun.findMany()).map((r) => r.actionRunId)).toEqual(["recent"]);
});

test("the daily job runs from the worker's task list and cron", async () => {
  expect(taskList[PRUNE_WEBHOOK_DELIVERIES]).toBe(pruneWebhookDeliveries);
  await delivery(new Date(Date.now() - 400 * DAY));
  await pruneWebhookDeliveries(undefined, {} as JobHelpers);
  expect(await prisma.webhookDelivery.count()).toBe(0);
  expect((await days()).map((d) => d[4])).toEqual([1]);
});
