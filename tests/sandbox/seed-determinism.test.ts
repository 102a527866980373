/**
 * seedStore is deterministic: the same seed gives the same store, another
 * seed another store, and a live run (webhooks sent) gives the same orders and
 * customers as a bulk run. Its ground truth agrees with what the store shows.
 */
import { expect, test } from "vitest";
import { createStoreKit } from "../../sandbox/activity";
import { findFailures, seedStore, type SeedOptions } from "../../sandbox/seed";
import type { SandboxStore } from "../../sandbox/store";

const SHOP = "seeded.myshopify.com";
const OPTIONS: SeedOptions = { shop: SHOP, customers: 80, orders: 400, weeks: 8, seed: 20260302 };

/** What a person would compare: every order's story and every customer's totals. */
function digest(store: SandboxStore) {
  const shop = store.shop(SHOP);
  return {
    orders: [...shop.orders.values()].map((o) => ({
      name: o.name,
      createdAt: o.createdAt.toISOString(),
      customerId: o.customerId,
      lines: o.lineItems.map((l) => `${l.variantId}x${l.quantity}@${l.price}-${l.discount}`),
      total: o.total,
      codes: o.discountCodes,
      status: [o.financialStatus, o.cancelReason, o.fulfillmentOrders.map((f) => f.status).join()],
      fulfillments: o.fulfillments.map((f) => [
        f.createdAt.toISOString(),
        f.trackingCompany,
        f.trackingNumber,
        f.events.map((e) => `${e.status}@${e.happenedAt.toISOString()}`),
      ]),
      refunds: o.refunds.map((r) => [r.createdAt.toISOString(), r.amount, r.note]),
    })),
    customers: [...shop.customers.values()].map((c) => [
      c.id,
      c.email,
      c.createdAt.toISOString(),
      c.amountSpent,
      c.numberOfOrders,
    ]),
    products: [...shop.products.values()].map((p) => [p.title, p.variants.map((v) => v.price)]),
  };
}

test("the same seed gives the same store, down to every object", async () => {
  const a = createStoreKit({ shops: [] });
  const b = createStoreKit({ shops: [] });
  const summaryA = await seedStore(a.store, null, OPTIONS);
  const summaryB = await seedStore(b.store, null, OPTIONS);
  expect(b.store.shop(SHOP)).toEqual(a.store.shop(SHOP));
  const { elapsedMs: _a, ...restA } = summaryA;
  const { elapsedMs: _b, ...restB } = summaryB;
  expect(restB).toEqual(restA);
});

test("another seed gives another store", async () => {
  const a = createStoreKit({ shops: [] });
  const b = createStoreKit({ shops: [] });
  await seedStore(a.store, null, OPTIONS);
  await seedStore(b.store, null, { ...OPTIONS, seed: OPTIONS.seed + 1 });
  expect(digest(b.store).orders).not.toEqual(digest(a.store).orders);
  expect(b.store.shop(SHOP).orders.size).toBe(a.store.shop(SHOP).orders.size);
});

test("a live run sends the webhooks, in time order, and leaves the same orders and customers as a bulk run", async () => {
  const bulk = createStoreKit({ shops: [] });
  const live = createStoreKit({ shops: [] });
  const bulkSummary = await seedStore(bulk.store, null, OPTIONS);
  const liveSummary = await seedStore(live.store, live.activity, OPTIONS);

  expect(digest(live.store)).toEqual(digest(bulk.store));
  expect(liveSummary.failures).toEqual(bulkSummary.failures);
  expect(liveSummary.mode).toBe("live");

  const log = live.sender.log;
  const orders = live.store.shop(SHOP).orders.size;
  expect(log.filter((r) => r.topic === "orders/create")).toHaveLength(orders);
  expect(log.every((r) => r.state === "delivered")).toBe(true);
  const times = log.map((r) => r.triggeredAt.getTime());
  expect(times).toEqual([...times].sort((x, y) => x - y));
  expect(Math.max(...times)).toBeLessThanOrEqual(live.clock.now().getTime());
  // The payloads are dated when things happened, not when the seed ran.
  const first = log[0]?.payload as { created_at: string };
  expect(new Date(first.created_at).getTime()).toBeLessThan(live.clock.now().getTime() - 7 * 86_400_000);
  const topics = new Set(log.map((r) => r.topic));
  for (const topic of [
    "orders/create",
    "orders/updated",
    "orders/cancelled",
    "fulfillments/create",
    "fulfillments/update",
    "fulfillment_events/create",
    "refunds/create",
  ]) {
    expect(topics).toContain(topic);
  }
});

test("the ground truth agrees with the failures the store shows", async () => {
  const { store } = createStoreKit({ shops: [] });
  const summary = await seedStore(store, null, { ...OPTIONS, customers: 300, orders: 1500 });
  const observed = findFailures(store, SHOP);
  const key = (f: { kind: string; orderId: string; occurredAt: Date }) =>
    `${f.kind}|${f.orderId}|${f.occurredAt.toISOString()}`;
  expect(observed.map(key).sort()).toEqual(summary.truth.map(key).sort());
  expect(observed.length).toBeGreaterThan(50);
});

test("orders are numbered in time order and dated inside the window, up to now", async () => {
  const { store, clock } = createStoreKit({ shops: [] });
  await seedStore(store, null, OPTIONS);
  const orders = [...store.shop(SHOP).orders.values()];
  const byName = [...orders].sort((x, y) => x.number - y.number);
  expect(byName.map((o) => o.createdAt.getTime())).toEqual(
    orders.map((o) => o.createdAt.getTime()).sort((x, y) => x - y),
  );
  expect(byName[0]?.name).toBe("#1001");
  const windowStart = clock.now().getTime() - OPTIONS.weeks * 7 * 86_400_000;
  expect(orders.every((o) => o.createdAt.getTime() >= windowStart && o.createdAt <= clock.now())).toBe(true);
  // Nothing happened in the future.
  const events = orders.flatMap((o) => o.fulfillments.flatMap((f) => f.events));
  expect(events.every((e) => e.happenedAt <= clock.now())).toBe(true);
});
