import { expect, test } from "vitest";
import { summariseWorld } from "./check-lift";
import { rowsOf, simulateShop, toRecords, WORLDS, type World } from "./worlds";

const world = (name: string): World => {
  const found = WORLDS.find((w) => w.name === name);
  if (!found) throw new Error(`no world ${name}`);
  return found;
};

/** Three binomial standard errors around p with n trials: a broken harness lands far outside. */
const tolerance = (p: number, n: number) => 3 * Math.sqrt((p * (1 - p)) / n);

test("a simulated shop's rows hold what the worlds need: won-back holdouts and redeemed offers", () => {
  const { incidents, offers } = toRecords(rowsOf(simulateShop(world("not-sent"), 7)));
  expect(incidents.some((i) => i.holdout && i.wonBack)).toBe(true);
  expect(incidents.some((i) => !i.holdout && !i.wonBack)).toBe(true);
  expect(offers.some((o) => o.redeemed)).toBe(true);
  expect(offers.some((o) => o.status === "REJECTED" || o.status === "EXPIRED" || o.status === "FAILED")).toBe(true);
});

// Worlds 1 and 2 test only the interval method: every treated incident gets an offer within minutes,
// one incident per customer, windows closed. There the Newcombe interval keeps its 95%.
test("with no effect, the lift interval covers 0 about 95% of the time and is unbiased", () => {
  const shops = 100;
  const s = summariseWorld(world("none"), shops, 1);
  expect(s.withLift).toBe(shops);
  expect(s.trueEffect).toBe(0);
  expect(Math.abs(s.coverage - 0.95)).toBeLessThanOrEqual(tolerance(0.95, shops));
  expect(s.excludesZero).toBeLessThanOrEqual(0.05 + tolerance(0.05, shops));
  expect(Math.abs(s.bias)).toBeLessThan(4 * s.liftSe);
}, 30_000);

test("with a real effect of +5 points per offer, coverage is near 95% and the lift is often significant", () => {
  const shops = 100;
  const s = summariseWorld(world("effect"), shops, 2);
  expect(s.trueEffect).toBeGreaterThan(0.04);
  expect(s.trueEffect).toBeLessThan(0.06);
  expect(Math.abs(s.coverage - 0.95)).toBeLessThanOrEqual(tolerance(0.95, shops));
  expect(Math.abs(s.bias)).toBeLessThan(4 * s.liftSe);
  expect(s.significantPositive).toBeGreaterThan(0.15);
}, 30_000);

test("issue 12 known defect, measured: treated incidents whose offer never went out pull the lift below the truth", () => {
  const s = summariseWorld(world("not-sent"), 50, 3);
  expect(s.issuedShare).toBeLessThan(0.9);
  expect(s.trueOfferEffect).toBeGreaterThan(s.trueEffect);
  expect(s.bias).toBeLessThan(0);
}, 30_000);
