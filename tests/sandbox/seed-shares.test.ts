/**
 * A seeded store looks like a real one: guests, a long tail of customer value
 * with a few VIPs, repeat buyers, and failures and cancellations at plausible
 * rates. The tolerances are wide enough for any seed, narrow enough to catch
 * a broken generator.
 */
import { beforeAll, expect, test } from "vitest";
import { createStoreKit } from "../../sandbox/activity";
import { seedStore, type SeedSummary } from "../../sandbox/seed";
import type { Order, ShopState } from "../../sandbox/store";

const SHOP = "shares.myshopify.com";
let summary: SeedSummary;
let shop: ShopState;
let orders: Order[];

beforeAll(async () => {
  const { store } = createStoreKit({ shops: [] });
  // Half the customers who suffer a failure count as treated (by id parity, so it is reproducible).
  summary = await seedStore(store, null, {
    shop: SHOP,
    customers: 3000,
    orders: 4500,
    weeks: 12,
    seed: 7,
    isTreated: (f) => Number(f.customerId) % 2 === 0,
  });
  shop = store.shop(SHOP);
  orders = [...shop.orders.values()];
});

test("exactly the orders, customers and products asked for; about 12% guest checkouts", () => {
  expect(orders).toHaveLength(4500);
  expect(shop.customers.size).toBe(3000);
  expect(summary.products).toBe(24);
  const guests = orders.filter((o) => o.customerId === null).length / orders.length;
  expect(guests).toBeGreaterThanOrEqual(0.11);
  expect(guests).toBeLessThan(0.16);
});

test("customer value has a long tail: most are new or regular, a few are VIPs, the top tenth spends a large share", () => {
  const { NEW, REGULAR, LOYAL, VIP } = summary.tiers;
  expect(NEW).toBeGreaterThan(REGULAR);
  expect(REGULAR).toBeGreaterThan(LOYAL);
  expect(LOYAL).toBeGreaterThan(VIP);
  expect(VIP / 3000).toBeGreaterThan(0.01);
  expect(VIP / 3000).toBeLessThan(0.12);
  const spend = [...shop.customers.values()].map((c) => Number(c.amountSpent)).sort((a, b) => b - a);
  const total = spend.reduce((a, b) => a + b, 0);
  const top = spend.slice(0, spend.length / 10).reduce((a, b) => a + b, 0);
  expect(top / total).toBeGreaterThan(0.3);
  expect(summary.repeatCustomers).toBeGreaterThan(200);
});

test("failures happen at plausible rates, with every kind present", () => {
  const share = (n: number) => n / orders.length;
  expect(share(summary.failures.LATE_FULFILLMENT)).toBeGreaterThan(0.03);
  expect(share(summary.failures.LATE_FULFILLMENT)).toBeLessThan(0.1);
  expect(share(summary.failures.DELIVERY_DELAY)).toBeGreaterThan(0.025);
  expect(share(summary.failures.DELIVERY_DELAY)).toBeLessThan(0.08);
  expect(share(summary.failures.DELIVERY_FAILURE)).toBeGreaterThan(0.005);
  expect(share(summary.failures.DELIVERY_FAILURE)).toBeLessThan(0.03);
  expect(share(summary.failures.REFUND)).toBeGreaterThan(0.025);
  expect(share(summary.failures.REFUND)).toBeLessThan(0.08);
  expect(share(summary.failures.MERCHANT_CANCELLATION)).toBeGreaterThan(0.005);
  expect(share(summary.failures.MERCHANT_CANCELLATION)).toBeLessThan(0.03);
  // Some orders are still waiting to ship, some sat on hold.
  expect(summary.unfulfilled).toBeGreaterThan(0);
  expect(summary.holds).toBeGreaterThan(0);
});

test("cancellations have realistic reasons, mostly the customer's, some fraud", () => {
  const c = summary.cancellations;
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  expect(total / orders.length).toBeGreaterThan(0.015);
  expect(total / orders.length).toBeLessThan(0.05);
  expect(c.customer).toBeGreaterThan(c.inventory);
  expect(c.fraud).toBeGreaterThan(0);
  const cancelled = orders.filter((o) => o.cancelledAt);
  expect(
    cancelled.every((o) => o.fulfillments.length === 0 && o.fulfillmentOrders.every((f) => f.status === "CANCELLED")),
  ).toBe(true);
});

test("late fulfillments are shipped after the ship-by time, or not yet; delays move the estimate later", () => {
  const late = summary.truth.filter((f) => f.kind === "LATE_FULFILLMENT");
  const stillWaiting = late.filter((f) => (shop.orders.get(f.orderId)?.fulfillments.length ?? 0) === 0);
  expect(late.length).toBeGreaterThan(stillWaiting.length);
  const delays = summary.truth.filter((f) => f.kind === "DELIVERY_DELAY");
  expect(delays.every((f) => f.measure >= 2)).toBe(true);
  for (const f of delays.slice(0, 20)) {
    const fulfillment = shop.orders.get(f.orderId)?.fulfillments[0];
    const first = fulfillment?.events.find((e) => e.status === "in_transit")?.estimatedDeliveryAt;
    expect(fulfillment?.estimatedDeliveryAt?.getTime()).toBeGreaterThan(first?.getTime() ?? Infinity);
  }
});

test("the ground truth: failed customers come back less, treated ones more, and each failure records who was treated", () => {
  const { failedTreated, failedUntreated, noFailure } = summary.repurchase;
  expect(failedTreated.eligible).toBeGreaterThan(50);
  expect(failedUntreated.eligible).toBeGreaterThan(50);
  expect(failedUntreated.rate).toBeLessThan(noFailure.rate ?? 0);
  expect(failedTreated.rate).toBeGreaterThan(failedUntreated.rate ?? 1);
  const registered = summary.truth.filter((f) => f.customerId !== null);
  expect(registered.every((f) => f.treated === (Number(f.customerId) % 2 === 0))).toBe(true);
  expect(
    summary.truth.filter((f) => f.customerId === null).every((f) => f.treated === false && f.repurchased === null),
  ).toBe(true);
});
