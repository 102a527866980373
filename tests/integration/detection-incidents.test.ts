/**
 * Detection end to end: the sandbox store sends its webhooks through the real
 * route, the deliveries are processed, and the detection jobs they queue run
 * on the sandbox clock (a job is due when its run_at has passed on that clock),
 * each calling the same service its task calls. The Admin API re-reads go to
 * the sandbox through the stored offline session.
 */
import type { JobHelpers } from "graphile-worker";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import type { JobName, JobPayload } from "../../app/queue/payloads";
import { detectOrderTask } from "../../app/jobs/detection/detect-order.server";
import { fanOutReconcile } from "../../app/jobs/detection/reconcile-all-shops.server";
import { customerValueFor } from "../../app/models/customer-value.server";
import { exportCustomerData, redactCustomer } from "../../app/services/compliance.server";
import {
  checkShipBy,
  DETECT_DEBOUNCE_MS,
  detectOrder,
  openManualIncident,
  reconcileShop,
} from "../../app/services/detection.server";
import { MANUAL_CATEGORIES } from "../../app/recovery";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { DAY, HOUR, gid } from "../../sandbox";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { jobs } from "../helpers/db";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-detect.myshopify.com";
const OTHER = "amends-detect-other.myshopify.com";
// A Monday; with the default 2 handling days, an order placed now is due by the end of Wednesday (UTC).
const NOW = new Date("2026-11-02T15:00:00Z");
const THURSDAY = new Date("2026-11-05T09:00:00Z");

const sandbox = sandboxForTests();

let ada: Customer;
let mug: ProductVariant;

async function installShop(shop: string) {
  sandbox.store.addShop({ domain: shop, currency: "USD", ianaTimezone: "UTC" });
  await prisma.shop.create({ data: { shop, timezone: "UTC", currency: "USD" } });
  await installOfflineSession(shop, { scope: "read_orders" });
}

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  await installShop(SHOP);
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
});

/** Process every stored delivery not processed yet, oldest first (what the process-webhook job does). */
async function processInbox(): Promise<void> {
  const rows = await prisma.webhookDelivery.findMany({ where: { status: "RECEIVED" }, orderBy: { receivedAt: "asc" } });
  for (const row of rows) await processDelivery(row.id);
}

/** After webhooks: process them, then let the detect-order debounce pass and run what is due. */
async function settle(): Promise<void> {
  await processInbox();
  sandbox.clock.advance(DETECT_DEBOUNCE_MS + 1);
  await runDueJobs();
}

type DetectionJob = "detect-order" | "check-ship-by" | "reconcile-shop";
const DETECTION_JOBS: readonly string[] = ["detect-order", "check-ship-by", "reconcile-shop"];

/** Run detection jobs due on the sandbox clock until none is left; each is removed before it runs, as a worker locks it. */
async function runDueJobs(): Promise<number> {
  await processInbox();
  let ran = 0;
  for (;;) {
    const due = (await jobs()).filter(
      (j) => DETECTION_JOBS.includes(j.task_identifier) && j.run_at <= sandbox.clock.now(),
    );
    const job = due.sort((a, b) => a.run_at.getTime() - b.run_at.getTime())[0];
    if (!job) return ran;
    await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE id = ${BigInt(job.id)}`;
    await runJob(job.task_identifier as DetectionJob, job.payload);
    ran += 1;
    await processInbox();
  }
}

async function runJob<N extends DetectionJob & JobName>(name: N, payload: unknown): Promise<void> {
  if (name === "detect-order") {
    const p = payload as JobPayload<"detect-order">;
    await detectOrder(p.shop, p.orderGid);
  } else if (name === "check-ship-by") {
    const p = payload as JobPayload<"check-ship-by">;
    await checkShipBy(p.shop, p.orderGid, p.check);
  } else {
    await reconcileShop((payload as JobPayload<"reconcile-shop">).shop);
  }
}

async function placeOrder(
  shop = SHOP,
  extra: { quantity?: number; tags?: string[]; test?: boolean; customerId?: string } = {},
) {
  const customerId = extra.customerId ?? ada.id;
  const order = await sandbox.activity.placeOrder(shop, {
    customerId,
    lines: [{ variantId: mug.id, quantity: extra.quantity ?? 1 }],
    ...(extra.tags ? { tags: extra.tags } : {}),
    ...(extra.test ? { test: true } : {}),
  });
  await runDueJobs();
  return order;
}

const incidents = (shop = SHOP) =>
  prisma.incident.findMany({
    where: { shop },
    include: { events: { orderBy: { at: "asc" } } },
    orderBy: { createdAt: "asc" },
  });

async function at(instant: Date): Promise<void> {
  sandbox.clock.set(instant);
  await runDueJobs();
}

test("orders/create sets the ship-by timer at the handling deadline, keyed by the order", async () => {
  const order = await placeOrder();

  const [timer] = await jobs("check-ship-by");
  expect(timer).toMatchObject({ payload: { v: 1, shop: SHOP, orderGid: gid("Order", order.id), check: 1 } });
  // Due just after the end of Wednesday, the second business day.
  expect(timer!.run_at.toISOString()).toBe("2026-11-05T00:00:00.000Z");
  expect(await incidents()).toEqual([]);
});

test("an unshipped order becomes a minor LATE_FULFILLMENT past its deadline and escalates on later checks", async () => {
  const order = await placeOrder();

  await at(new Date("2026-11-04T23:00:00Z"));
  expect(await incidents()).toEqual([]);

  await at(THURSDAY);
  const [late] = await incidents();
  expect(late).toMatchObject({
    type: "LATE_FULFILLMENT",
    severity: "minor",
    state: "OPEN",
    orderGid: gid("Order", order.id),
    orderName: order.name,
    customerGid: gid("Customer", ada.id),
  });
  expect(late!.measure).toEqual({ kind: "BUSINESS_DAYS_LATE", days: 1 });
  expect(late!.events.map((e) => e.kind)).toEqual(["SIGNAL"]);
  expect(await jobs("decide-incident")).toMatchObject([{ payload: { v: 1, shop: SHOP, incidentId: late!.id } }]);
  const [next] = await jobs("check-ship-by");
  expect(next).toMatchObject({ payload: { check: 2 } });
  expect(next!.run_at.toISOString()).toBe("2026-11-06T00:00:00.000Z");

  // Friday is day 2 (still minor); the weekend does not count; Monday is day 3: moderate.
  await at(new Date("2026-11-06T09:00:00Z"));
  await at(new Date("2026-11-07T09:00:00Z"));
  expect((await incidents())[0]!.severity).toBe("minor");
  await at(new Date("2026-11-09T09:00:00Z"));
  const [raised] = await incidents();
  expect(raised).toMatchObject({
    id: late!.id,
    severity: "moderate",
    measure: { kind: "BUSINESS_DAYS_LATE", days: 3 },
  });
  expect(raised!.events.map((e) => e.kind)).toEqual(["SIGNAL", "SEVERITY_RAISED"]);
  expect(raised!.events[1]!.data).toMatchObject({ from: "minor", to: "moderate" });
  // Still one incident: its first decision, and a re-decision that may supersede a make-good not yet issued.
  expect(await prisma.incident.count()).toBe(1);
  expect((await jobs("decide-incident")).map((j) => j.payload.reason)).toEqual(["OPENED", "RAISED"]);
});

test("an order shipped in time opens nothing and its timer stops", async () => {
  const order = await placeOrder();
  sandbox.clock.set(new Date("2026-11-04T10:00:00Z"));
  await sandbox.activity.fulfill(SHOP, order.id, { trackingCompany: "UPS", trackingNumber: "1Z1" });

  await at(THURSDAY);
  await at(new Date("2026-11-12T09:00:00Z"));

  expect(await incidents()).toEqual([]);
  expect(await jobs("check-ship-by")).toEqual([]);
});

test("a carrier `delayed` event on a shipped order opens DELIVERY_DELAY", async () => {
  const order = await placeOrder();
  const fulfillment = await sandbox.activity.fulfill(SHOP, order.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z2",
    estimatedDeliveryAt: new Date(NOW.getTime() + 3 * DAY),
  });
  sandbox.clock.advance(DAY);
  await sandbox.activity.addFulfillmentEvent(SHOP, order.id, fulfillment.id, {
    status: "delayed",
    estimatedDeliveryAt: new Date(NOW.getTime() + 6 * DAY),
  });
  await settle();

  const found = await incidents();
  expect(found.map((i) => i.type)).toEqual(["DELIVERY_DELAY"]);
  // The estimate given at fulfillment is not a carrier event, so the first estimate the read shows is
  // the delayed one: judged on the `delayed` event alone, at least one day late.
  expect(found[0]!.severity).toBe("minor");
});

test("a carrier `failure` event opens a major DELIVERY_FAILURE", async () => {
  const order = await placeOrder();
  const fulfillment = await sandbox.activity.fulfill(SHOP, order.id, { trackingCompany: "UPS", trackingNumber: "1Z3" });
  sandbox.clock.advance(DAY);
  await sandbox.activity.addFulfillmentEvent(SHOP, order.id, fulfillment.id, { status: "failure" });
  await settle();

  const found = await incidents();
  expect(found.map((i) => [i.type, i.severity])).toEqual([["DELIVERY_FAILURE", "major"]]);
});

test("a staff refund opens REFUND with severity from the refunded share", async () => {
  const order = await placeOrder(SHOP, { quantity: 4 });
  sandbox.clock.advance(HOUR);
  // 40.00 of 160.00 (plus any shipping): at least 25% is moderate... under is minor.
  await sandbox.activity.refund(SHOP, order.id, { amount: "20.00", note: "Chipped" });
  await settle();

  const [refund] = await incidents();
  expect(refund).toMatchObject({ type: "REFUND", severity: "minor" });
  expect(refund!.measure).toMatchObject({ kind: "REFUND_SHARE", refundedMinor: 2000 });

  // A second refund takes the share past 25%: the same incident is raised, not a second one opened.
  await sandbox.activity.refund(SHOP, order.id, { amount: "30.00", note: "And the handle" });
  await settle();
  const after = await incidents();
  expect(after).toHaveLength(1);
  expect(after[0]).toMatchObject({ id: refund!.id, severity: "moderate", measure: { refundedMinor: 5000 } });
});

test("a cancellation for inventory opens a major MERCHANT_CANCELLATION; customer and fraud cancellations open nothing", async () => {
  const inventory = await placeOrder();
  const customer = await placeOrder();
  const fraud = await placeOrder();
  sandbox.clock.advance(HOUR);
  await sandbox.activity.cancel(SHOP, inventory.id, { reason: "inventory" });
  await sandbox.activity.cancel(SHOP, customer.id, { reason: "customer" });
  await sandbox.activity.cancel(SHOP, fraud.id, { reason: "fraud" });
  await settle();

  const found = await incidents();
  expect(found.map((i) => [i.orderGid, i.type, i.severity])).toEqual([
    [gid("Order", inventory.id), "MERCHANT_CANCELLATION", "major"],
  ]);
  // Cancelled orders are never late: their timers end without an incident.
  await at(new Date("2026-11-10T09:00:00Z"));
  expect(await prisma.incident.count()).toBe(1);
});

test("the same webhook delivered twice and webhooks out of order give one incident", async () => {
  const order = await placeOrder();
  sandbox.clock.advance(HOUR);
  sandbox.sender.hold();
  await sandbox.activity.refund(SHOP, order.id, { amount: "5.00" }, { duplicate: 1 });
  // A day later, so the refund is not the cancellation's own.
  sandbox.clock.advance(DAY);
  await sandbox.activity.cancel(SHOP, order.id, { reason: "inventory" }, { duplicate: 1 });
  await sandbox.sender.flush({ order: "reverse" });
  await settle();
  // Run detection again for good measure, as a late duplicate would.
  await detectOrder(SHOP, gid("Order", order.id));

  const found = await incidents();
  expect(found.map((i) => i.type).sort()).toEqual(["MERCHANT_CANCELLATION", "REFUND"]);
  expect(found.every((i) => i.events.length === 1)).toBe(true);
  expect(await jobs("decide-incident")).toHaveLength(2);
});

test("test orders and orders with an excluded tag open nothing", async () => {
  await placeOrder(SHOP, { test: true });
  await placeOrder(SHOP, { tags: ["Amends-Exclude"] });

  await at(new Date("2026-11-10T09:00:00Z"));

  expect(await incidents()).toEqual([]);
});

test("a second shop never sees the first shop's incidents", async () => {
  await installShop(OTHER);
  const bob = sandbox.activity.createCustomer(OTHER, { firstName: "Bob", lastName: "B", email: "bob@example.com" });
  const cup = sandbox.activity.createProduct(OTHER, { title: "Cup", variants: [{ price: "10.00", sku: "CUP" }] })
    .variants[0]!;
  await placeOrder();
  const other = await sandbox.activity.placeOrder(OTHER, {
    customerId: bob.id,
    lines: [{ variantId: cup.id, quantity: 1 }],
  });
  await runDueJobs();
  sandbox.clock.advance(HOUR);
  await sandbox.activity.fulfill(OTHER, other.id, { trackingCompany: "UPS", trackingNumber: "9" });

  await at(THURSDAY);

  expect((await incidents(SHOP)).map((i) => i.type)).toEqual(["LATE_FULFILLMENT"]);
  expect(await incidents(OTHER)).toEqual([]);
});

test("the daily reconcile gives an order whose orders/create webhook was dropped its ship-by timer", async () => {
  const order = await sandbox.activity.placeOrder(
    SHOP,
    { customerId: ada.id, lines: [{ variantId: mug.id, quantity: 1 }] },
    { drop: true },
  );
  await runDueJobs();
  expect(await jobs("check-ship-by")).toEqual([]);

  sandbox.clock.set(new Date("2026-11-03T04:00:00Z"));
  const outcome = await reconcileShop(SHOP);
  expect(outcome).toMatchObject({ timersEnsured: 1 });
  const [timer] = await jobs("check-ship-by");
  expect(timer).toMatchObject({ payload: { orderGid: gid("Order", order.id), check: 1 } });

  // A second sweep keeps the one timer where it is.
  await reconcileShop(SHOP);
  expect(await jobs("check-ship-by")).toHaveLength(1);

  await at(THURSDAY);
  expect((await incidents()).map((i) => [i.type, i.severity])).toEqual([["LATE_FULFILLMENT", "minor"]]);
});

test("the daily reconcile records carrier events whose fulfillment_events/create webhook was dropped, through the webhook's path, once", async () => {
  const drop = { drop: true };
  const delayedOrder = await placeOrder();
  const delayedParcel = await sandbox.activity.fulfill(SHOP, delayedOrder.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z4",
    estimatedDeliveryAt: new Date(NOW.getTime() + 3 * DAY),
  });
  const failedOrder = await placeOrder();
  const failedParcel = await sandbox.activity.fulfill(SHOP, failedOrder.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z5",
  });
  // A parcel already delivered is left out of the sweep: its own dropped `delivered` event stays unrecorded.
  const deliveredOrder = await placeOrder();
  const deliveredParcel = await sandbox.activity.fulfill(SHOP, deliveredOrder.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z6",
  });
  await settle();
  sandbox.clock.advance(DAY);
  await sandbox.activity.addFulfillmentEvent(
    SHOP,
    deliveredOrder.id,
    deliveredParcel.id,
    { status: "delivered" },
    drop,
  );
  await sandbox.activity.addFulfillmentEvent(SHOP, delayedOrder.id, delayedParcel.id, { status: "in_transit" });
  await settle();
  // Detection re-reads the order, so a later webhook about it would find the event: the drops come last.
  await sandbox.activity.addFulfillmentEvent(
    SHOP,
    delayedOrder.id,
    delayedParcel.id,
    { status: "delayed", estimatedDeliveryAt: new Date(NOW.getTime() + 6 * DAY) },
    drop,
  );
  await sandbox.activity.addFulfillmentEvent(SHOP, failedOrder.id, failedParcel.id, { status: "failure" }, drop);
  await settle();
  expect(await incidents()).toEqual([]);
  expect(await prisma.fulfillmentEventRecord.count({ where: { shop: SHOP } })).toBe(1);

  sandbox.clock.advance(HOUR);
  const outcome = await reconcileShop(SHOP);
  expect(outcome).toMatchObject({ shippedOrders: 3, eventsRecovered: 2 });
  // Stored as the webhook stores them, and detected by the same debounced detect-order.
  const records = await prisma.fulfillmentEventRecord.findMany({
    where: { shop: SHOP, status: { in: ["delayed", "failure"] } },
    orderBy: { status: "asc" },
  });
  expect(records.map((r) => [r.orderGid, r.fulfillmentGid, r.status])).toEqual([
    [gid("Order", delayedOrder.id), gid("Fulfillment", delayedParcel.id), "delayed"],
    [gid("Order", failedOrder.id), gid("Fulfillment", failedParcel.id), "failure"],
  ]);
  expect((await jobs("detect-order")).map((j) => j.payload)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ orderGid: gid("Order", delayedOrder.id) }),
      expect.objectContaining({ orderGid: gid("Order", failedOrder.id) }),
    ]),
  );
  await settle();
  const found = await incidents();
  expect(found.map((i) => [i.orderGid, i.type]).sort()).toEqual(
    [
      [gid("Order", delayedOrder.id), "DELIVERY_DELAY"],
      [gid("Order", failedOrder.id), "DELIVERY_FAILURE"],
    ].sort(),
  );

  // A second sweep finds nothing missing and opens nothing new.
  sandbox.clock.advance(HOUR);
  expect(await reconcileShop(SHOP)).toMatchObject({ shippedOrders: 3, eventsRecovered: 0 });
  await settle();
  expect((await incidents()).map((i) => i.id)).toEqual(found.map((i) => i.id));
  expect(await prisma.fulfillmentEventRecord.count({ where: { shop: SHOP } })).toBe(3);
});

test("the daily reconcile sweeps every order that can still become late: partly fulfilled and on hold too, not fulfilled ones", async () => {
  const drop = { drop: true };
  const lines = [{ variantId: mug.id, quantity: 2 }];
  const partial = await sandbox.activity.placeOrder(SHOP, { customerId: ada.id, lines }, drop);
  await sandbox.activity.fulfill(
    SHOP,
    partial.id,
    { lines: [{ lineItemId: partial.lineItems[0]!.id, quantity: 1 }], trackingCompany: null, trackingNumber: null },
    drop,
  );
  const held = await sandbox.activity.placeOrder(SHOP, { customerId: ada.id, lines }, drop);
  await sandbox.activity.placeOnHold(SHOP, held.id, { reason: "OTHER" }, drop);
  const shipped = await sandbox.activity.placeOrder(SHOP, { customerId: ada.id, lines }, drop);
  await sandbox.activity.fulfill(SHOP, shipped.id, { trackingCompany: null, trackingNumber: null }, drop);
  await runDueJobs();
  expect(await jobs("check-ship-by")).toEqual([]);

  sandbox.clock.set(new Date("2026-11-03T04:00:00Z"));
  const outcome = await reconcileShop(SHOP);
  expect(outcome).toMatchObject({ orders: 2, timersEnsured: 2 });
  expect((await jobs("check-ship-by")).map((j) => (j.payload as { orderGid: string }).orderGid).sort()).toEqual(
    [gid("Order", partial.id), gid("Order", held.id)].sort(),
  );
});

test("an uninstalled shop's detection stops terminally", async () => {
  const order = await placeOrder();
  await prisma.shop.update({ where: { shop: SHOP }, data: { installState: "UNINSTALLED" } });

  await expect(detectOrder(SHOP, gid("Order", order.id))).rejects.toMatchObject({
    code: "SHOP_UNINSTALLED",
    terminal: true,
  });
});

test("an order Shopify does not have ends the job terminally", async () => {
  await expect(detectOrder(SHOP, "gid://shopify/Order/999999")).rejects.toMatchObject({
    code: "ORDER_NOT_FOUND",
    terminal: true,
  });
});

test("an explicit fulfillBy wins: later than the handling time, the check waits for it; earlier, a read moves the timer", async () => {
  const later = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    fulfillBy: new Date("2026-11-10T12:00:00Z"),
  });
  await runDueJobs();
  await at(THURSDAY);
  expect(await incidents()).toEqual([]);
  const [waiting] = (await jobs("check-ship-by")).filter((j) => j.payload.orderGid === gid("Order", later.id));
  expect(waiting!.run_at.toISOString()).toBe("2026-11-10T12:00:00.001Z");

  const earlier = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    fulfillBy: new Date("2026-11-05T18:00:00Z"),
  });
  await runDueJobs();
  // Any read of the order (here a staff refund's detection) finds the promise and moves the timer to it.
  await sandbox.activity.refund(SHOP, earlier.id, { amount: "0.01" });
  await settle();
  const [moved] = (await jobs("check-ship-by")).filter((j) => j.payload.orderGid === gid("Order", earlier.id));
  expect(moved!.run_at.toISOString()).toBe("2026-11-05T18:00:00.001Z");
  await at(new Date("2026-11-05T19:00:00Z"));
  expect((await incidents()).filter((i) => i.type === "LATE_FULFILLMENT").map((i) => i.orderGid)).toEqual([
    gid("Order", earlier.id),
  ]);
});

test("customerValueFor caches the customer's value for ten minutes; a guest is null (NEW)", async () => {
  const customerGid = gid("Customer", ada.id);
  expect(await customerValueFor(SHOP, null)).toBeNull();

  const first = await customerValueFor(SHOP, customerGid);
  expect(first).toMatchObject({ amountSpentMinor: 0, numberOfOrders: 0 });
  await sandbox.activity.placeOrder(SHOP, { customerId: ada.id, lines: [{ variantId: mug.id, quantity: 1 }] });

  sandbox.clock.advance(5 * 60_000);
  expect(await customerValueFor(SHOP, customerGid)).toMatchObject({ amountSpentMinor: 0, numberOfOrders: 0 });
  sandbox.clock.advance(6 * 60_000);
  const fresh = await customerValueFor(SHOP, customerGid);
  expect(fresh!.numberOfOrders).toBe(1);
  expect(fresh!.amountSpentMinor).toBeGreaterThanOrEqual(4000);
  expect(await prisma.customerValue.count({ where: { shop: SHOP } })).toBe(1);
});

test("the daily cron fans out one reconcile-shop per installed shop, once", async () => {
  await installShop(OTHER);
  await prisma.shop.create({ data: { shop: "gone.myshopify.com", installState: "UNINSTALLED" } });

  expect(await fanOutReconcile()).toBe(2);
  await fanOutReconcile();

  const queued = await jobs("reconcile-shop");
  expect(queued.map((j) => j.payload.shop).sort()).toEqual([OTHER, SHOP]);
});

test("customers/redact unlinks the customer's incidents, erases their timeline and cached value; data requests export them", async () => {
  const order = await placeOrder();
  await at(THURSDAY);
  await customerValueFor(SHOP, gid("Customer", ada.id));
  const ref = { shop: SHOP, customerGid: gid("Customer", ada.id), orderGids: [] };

  const { document: exported } = await prisma.$transaction((tx) => exportCustomerData(tx, ref));
  expect(exported.incidents).toMatchObject([{ orderGid: gid("Order", order.id), type: "LATE_FULFILLMENT" }]);
  expect(exported.incidentEvents).toMatchObject([{ kind: "SIGNAL" }]);
  expect(exported.customerValue).toMatchObject([{ customerGid: ref.customerGid }]);

  const result = await prisma.$transaction((tx) => redactCustomer(tx, ref));
  expect(result).toMatchObject({ incidentsRedacted: 1, incidentEventsErased: 1, customerValuesErased: 1 });
  const [incident] = await incidents();
  expect(incident).toMatchObject({ customerGid: null, evidence: { redacted: true }, events: [] });
});

test("concurrent detections of one order open one incident", async () => {
  const order = await placeOrder();
  sandbox.clock.set(THURSDAY);

  await Promise.all([1, 2, 3].map(() => detectOrder(SHOP, gid("Order", order.id))));

  expect((await incidents()).map((i) => [i.type, i.events.length])).toEqual([["LATE_FULFILLMENT", 1]]);
  expect(await jobs("decide-incident")).toHaveLength(1);
});

test("the detect-order task completes without retrying when the order is gone or the shop uninstalled", async () => {
  const helpers = { job: { id: "1", attempts: 1, max_attempts: 10 } } as unknown as JobHelpers;
  await expect(
    detectOrderTask({ v: 1, shop: SHOP, orderGid: "gid://shopify/Order/424242", reason: "test" }, helpers),
  ).resolves.toBeUndefined();

  await prisma.shop.update({ where: { shop: SHOP }, data: { installState: "UNINSTALLED" } });
  await expect(
    detectOrderTask({ v: 1, shop: SHOP, orderGid: "gid://shopify/Order/424242", reason: "test" }, helpers),
  ).resolves.toBeUndefined();
  expect(await prisma.incident.count()).toBe(0);
});

test("a repeat customer's second incident and a high-value order are raised one level each", async () => {
  await placeOrder();
  sandbox.clock.set(new Date("2026-11-03T10:00:00Z"));
  const second = await placeOrder();
  const big = await placeOrder(SHOP, {
    quantity: 7,
    customerId: sandbox.activity.createCustomer(SHOP, { firstName: "Cy", lastName: "C", email: "cy@example.com" }).id,
  });

  await at(THURSDAY);
  await at(new Date("2026-11-06T09:00:00Z"));

  const byOrder = new Map((await incidents()).map((i) => [i.orderGid, i]));
  expect(byOrder.get(gid("Order", second.id))).toMatchObject({
    severity: "moderate",
    evidence: { severity: { base: "minor", boosts: ["REPEAT_CUSTOMER"] } },
  });
  // 7 x 40.00 = 280.00, above the default 250.00 threshold.
  expect(byOrder.get(gid("Order", big.id))).toMatchObject({
    severity: "moderate",
    evidence: { severity: { base: "minor", boosts: ["HIGH_VALUE_ORDER"] } },
  });
});

test("a parcel still in transit past its promised date opens DELIVERY_DELAY with no new webhook, and escalates", async () => {
  const order = await placeOrder();
  const fulfillment = await sandbox.activity.fulfill(SHOP, order.id, { trackingCompany: "UPS", trackingNumber: "1Z4" });
  await sandbox.activity.addFulfillmentEvent(SHOP, order.id, fulfillment.id, {
    status: "in_transit",
    estimatedDeliveryAt: new Date("2026-11-05T12:00:00Z"),
  });
  await settle();
  const [timer] = await jobs("detect-order");
  expect(timer).toMatchObject({ payload: { reason: "delivery-promise" } });
  expect(timer!.run_at.toISOString()).toBe("2026-11-06T00:00:00.000Z");

  await at(new Date("2026-11-06T08:00:00Z"));
  expect((await incidents()).map((i) => [i.type, i.severity])).toEqual([["DELIVERY_DELAY", "minor"]]);

  for (const day of ["07", "08", "09"]) await at(new Date(`2026-11-${day}T08:00:00Z`));
  expect((await incidents()).map((i) => [i.type, i.severity])).toEqual([["DELIVERY_DELAY", "moderate"]]);

  // Delivered: the re-checks stop.
  await sandbox.activity.addFulfillmentEvent(SHOP, order.id, fulfillment.id, { status: "delivered" });
  await settle();
  await at(new Date("2026-11-12T08:00:00Z"));
  expect(await jobs("detect-order")).toEqual([]);
});

test("a late resend of orders/create does not postpone or restart an escalating ship-by timer", async () => {
  await placeOrder();
  await at(THURSDAY);
  const [before] = await jobs("check-ship-by");
  expect(before).toMatchObject({ payload: { check: 2 } });

  const original = sandbox.sender.deliveries({ topic: "orders/create", shop: SHOP })[0]!;
  await sandbox.sender.send(SHOP, "orders/create", original.payload);
  await processInbox();

  const [after] = await jobs("check-ship-by");
  expect(after!.run_at).toEqual(before!.run_at);
  await at(new Date("2026-11-09T09:00:00Z"));
  expect((await incidents()).map((i) => i.severity)).toEqual(["moderate"]);
});

test("staff open a MANUAL incident with their category and severity; a second report raises it, a test order is excluded", async () => {
  const order = await placeOrder();
  await settle();
  const orderGid = gid("Order", order.id);

  const first = await openManualIncident(SHOP, orderGid, {
    category: MANUAL_CATEGORIES[0],
    severity: "moderate",
    note: "Phoned about a scratched mug",
    reportedBy: "1002",
  });
  const again = await openManualIncident(SHOP, orderGid, {
    category: MANUAL_CATEGORIES[0],
    severity: "major",
    note: "Called back, still upset",
    reportedBy: "1002",
  });

  expect(first.kind).toBe("OPENED");
  expect(again).toEqual({ kind: "RAISED", incidentId: first.kind === "EXCLUDED" ? "" : first.incidentId });
  const incidents = await prisma.incident.findMany({ where: { shop: SHOP, type: "MANUAL" } });
  expect(incidents).toHaveLength(1);
  expect(incidents[0]).toMatchObject({
    severity: "major",
    orderName: order.name,
    customerGid: gid("Customer", ada.id),
  });
  expect((await jobs("decide-incident")).map((j) => [j.payload.incidentId, j.payload.reason])).toEqual([
    [incidents[0]!.id, "OPENED"],
    [incidents[0]!.id, "RAISED"],
  ]);

  const testOrder = await placeOrder(SHOP, { test: true });
  await settle();
  const excluded = await openManualIncident(SHOP, gid("Order", testOrder.id), {
    category: MANUAL_CATEGORIES[0],
    severity: "minor",
    note: "n/a",
    reportedBy: "1002",
  });
  expect(excluded.kind).toBe("EXCLUDED");
});
