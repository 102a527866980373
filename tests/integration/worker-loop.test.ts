/**
 * The loop on a real graphile-worker runner: store activity -> signed webhooks through the real
 * route -> jobs -> an unshipped order's ship-by timer fires -> incident -> decision -> issued code.
 * graphile-worker compares run_at with PostgreSQL's clock, so the store clock is followed as the
 * demo does it (app/queue/store-clock.server.ts): timers go on the real timeline and moving the store
 * clock on brings pending ones forward.
 */
import { afterEach, beforeEach, expect, test } from "vitest";
import { installQueueTime } from "../../app/clock.server";
import { prisma } from "../../app/db.server";
import { bringPendingJobsForward, followStoreClock } from "../../app/queue/store-clock.server";
import { DAY } from "../../sandbox";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { waitFor } from "../helpers/wait";
import { startTestWorker, type TestWorker } from "../helpers/worker";

const SHOP = "amends-worker-loop.myshopify.com";
// A Monday: with the default two handling days the order is due to ship by the end of Wednesday.
const MONDAY = new Date("2026-11-02T15:00:00Z");
const sandbox = sandboxForTests();
let worker: TestWorker | undefined;

beforeEach(async () => {
  await resetSandbox(sandbox, MONDAY);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  await prisma.shop.create({
    data: { shop: SHOP, timezone: "UTC", currency: "USD", settings: { decision: { holdoutShare: 0 } } },
  });
  await installOfflineSession(SHOP, { scope: "read_orders,read_customers,write_discounts" });
  followStoreClock(() => sandbox.clock.now());
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  installQueueTime(undefined);
});

test("a real worker runs the ship-by timer when the store clock passes the deadline, and the make-good is issued", async () => {
  worker = await startTestWorker(4);
  const ada = sandbox.activity.createCustomer(SHOP, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
  });
  const mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] })
    .variants[0]!;
  await sandbox.activity.placeOrder(SHOP, { customerId: ada.id, lines: [{ variantId: mug.id, quantity: 1 }] });

  const timer = await waitFor(
    async () =>
      (
        await prisma.$queryRaw<Array<{ run_at: Date }>>`
    SELECT run_at FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'check-ship-by'`
      )[0],
  );
  // On the real timeline, about two and a half days from now.
  expect(timer.run_at.getTime() - Date.now()).toBeGreaterThan(2 * DAY);
  expect(await prisma.incident.count()).toBe(0);

  // Four days later in the store: Friday, the order still unshipped.
  sandbox.clock.advance(4 * DAY);
  await bringPendingJobsForward(4 * DAY);

  const offer = await waitFor(
    () => prisma.offer.findFirst({ where: { shop: SHOP, status: "ISSUED" }, include: { incident: true } }),
    20_000,
  );
  expect(offer.incident).toMatchObject({ type: "LATE_FULFILLMENT", state: "OPEN" });
  expect(offer.code).toBe(offer.issueKey);
  expect([...sandbox.store.shop(SHOP).discounts.values()].flatMap((d) => d.codes.map((c) => c.code))).toEqual([
    offer.code,
  ]);
}, 60_000);
