/**
 * simulateRepurchases: after a seeded history, the caller treats some failed
 * customers (here: a personal discount code or store credit, as Amends would);
 * the customers who come back do so at the model's rates, the treated ones
 * often with what they were given, and the clock ends at the horizon.
 */
import { expect, test } from "vitest";
import { createStoreKit } from "../../sandbox/activity";
import { DAY } from "../../sandbox/clock";
import {
  DEFAULT_MODEL,
  findFailures,
  repurchaseProbability,
  seedStore,
  simulateRepurchases,
  type SimulationResult,
} from "../../sandbox/seed";
import type { Id } from "../../sandbox/store";

const SHOP = "again.myshopify.com";

async function scenario(seed: number) {
  const kit = createStoreKit({ shops: [] });
  await seedStore(kit.store, null, { shop: SHOP, customers: 4000, orders: 6000, weeks: 12, seed: 3 });
  const failed = [
    ...new Set(
      findFailures(kit.store, SHOP, { now: kit.clock.now() })
        .filter((f) => f.occurredAt.getTime() > kit.clock.now().getTime() - 90 * DAY)
        .map((f) => f.customerId),
    ),
  ].filter((id): id is Id => id !== null);
  // Treat every other failed customer: alternately a personal 15% code and 20.00 of store credit.
  const treated = new Set<Id>();
  failed.forEach((id, i) => {
    if (i % 2) return;
    treated.add(id);
    if (i % 4 === 0)
      kit.activity.createDiscount(SHOP, {
        code: `SORRY-${id}`,
        value: { percentage: 0.15 },
        customerIds: [id],
        usageLimit: 1,
        endsAt: new Date(kit.clock.now().getTime() + 60 * DAY),
      });
    else
      kit.activity.issueStoreCredit(SHOP, id, "20.00", { expiresAt: new Date(kit.clock.now().getTime() + 60 * DAY) });
  });
  const startedAt = kit.clock.now();
  const result = await simulateRepurchases(kit.store, kit.activity, { shop: SHOP, treated, horizonDays: 60, seed });
  return { ...kit, result, treated, failed, startedAt };
}

/** Observed rate within 4 standard errors of the model's expectation. */
function expectNear(rate: SimulationResult["rates"]["failedTreated"], expected: number | null) {
  expect(rate.rate).not.toBeNull();
  const p = expected ?? 0;
  const se = Math.sqrt((p * (1 - p)) / rate.eligible);
  expect(Math.abs((rate.rate ?? 0) - p)).toBeLessThan(4 * se + 0.01);
}

test("treated failed customers come back more than untreated ones, at the model's rates", async () => {
  const { result, failed } = await scenario(1);
  const { rates, expected } = result;
  expect(failed.length).toBeGreaterThan(300);
  expect(rates.failedTreated.eligible + rates.failedUntreated.eligible).toBe(failed.length);
  expectNear(rates.failedTreated, expected.failedTreated);
  expectNear(rates.failedUntreated, expected.failedUntreated);
  expectNear(rates.noFailure, expected.noFailure);
  // The model, customer by customer: base by tier, 12 points off for a failure, 10 back for treatment.
  for (const o of result.outcomes)
    expect(o.probability).toBeCloseTo(repurchaseProbability(DEFAULT_MODEL, o.tier, o.failed, o.treated), 10);
  expect(
    result.outcomes
      .filter((o) => o.failed && o.treated)
      .every((o) => o.probability === DEFAULT_MODEL.base[o.tier] - 0.12 + 0.1),
  ).toBe(true);
  expect(rates.failedTreated.rate).toBeGreaterThan(rates.failedUntreated.rate ?? 1);
});

test("returning treated customers redeem their code or spend their credit; the clock ends at the horizon and the app got orders/create", async () => {
  const { result, store, clock, sender, startedAt } = await scenario(1);
  const shop = store.shop(SHOP);
  const redeemed = result.outcomes.filter((o) => o.redeemed !== null);
  expect(redeemed.length).toBeGreaterThan(20);
  for (const o of redeemed) {
    const order = o.order;
    expect(o.treated).toBe(true);
    if (o.redeemed === "discount") expect(order?.discountCodes).toEqual([`SORRY-${o.customerId}`]);
    if (o.redeemed === "storeCredit") expect(Number(order?.storeCreditUsed)).toBeGreaterThan(0);
  }
  const codes = [...shop.discounts.values()].filter((d) => d.title.startsWith("SORRY-"));
  expect(codes.filter((d) => d.codes[0]?.usageCount === 1).length).toBe(
    redeemed.filter((o) => o.redeemed === "discount").length,
  );
  // Untreated customers never use someone's offer.
  expect(result.outcomes.filter((o) => !o.treated).every((o) => o.redeemed === null)).toBe(true);

  expect(clock.now()).toEqual(new Date(startedAt.getTime() + 60 * DAY));
  const created = result.orders.map((o) => o.createdAt.getTime());
  expect(created).toEqual([...created].sort((a, b) => a - b));
  expect(created.every((t) => t > startedAt.getTime() && t <= clock.now().getTime())).toBe(true);
  expect(sender.deliveries({ topic: "orders/create" })).toHaveLength(result.orders.length);
});

test("the same seed repeats the same outcomes; another seed draws others", async () => {
  const a = await scenario(5);
  const b = await scenario(5);
  const c = await scenario(6);
  const story = (r: SimulationResult) =>
    r.outcomes.map((o) => `${o.customerId}:${o.order?.createdAt.toISOString() ?? "-"}:${o.redeemed ?? "-"}`);
  expect(story(b.result)).toEqual(story(a.result));
  expect(story(c.result)).not.toEqual(story(a.result));
});
