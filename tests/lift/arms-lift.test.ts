/**
 * Experiments with arms (decision 0119) against worlds of known effect: the readout names the
 * better arm at about the planned power, almost never the worse one, and with equal arms declares
 * a winner no more often than 5% of readouts. Small runs here, so the checks are binomial;
 * `npm run check:lift` runs 400 shops per world.
 */
import { expect, test } from "vitest";
import { ARMS_WORLDS, summariseArmsWorld, type ArmsWorld } from "./arms-worlds";

const world = (name: string): ArmsWorld => {
  const found = ARMS_WORLDS.find((w) => w.name === name);
  if (!found) throw new Error(`no world ${name}`);
  return found;
};
const tolerance = (p: number, n: number) => 3 * Math.sqrt((p * (1 - p)) / n);

test("arms of different effect: the better arm is named at about the planned power, the worse almost never", () => {
  const s = summariseArmsWorld(world("arms-better"), 60, 21);
  expect(s.compared).toBe(60);
  expect(s.better).toBe(1);
  expect(s.plannedPower).toBeGreaterThan(0.8);
  expect(s.pickedBetter).toBeGreaterThanOrEqual(0.8 - tolerance(0.8, s.compared));
  expect(s.pickedWorse).toBeLessThanOrEqual(0.025 + tolerance(0.025, s.compared));
  expect(Math.abs(s.coverage - 0.95)).toBeLessThanOrEqual(tolerance(0.95, s.compared));
  expect(Math.abs(s.meanDifference - 0.09)).toBeLessThan(0.02);
}, 30_000);

test("equal arms: a winner is declared in at most about 5% of readouts", () => {
  const s = summariseArmsWorld(world("arms-equal"), 60, 22);
  expect(s.compared).toBe(60);
  expect(s.anyWinner).toBeLessThanOrEqual(0.05 + tolerance(0.05, s.compared));
  expect(Math.abs(s.coverage - 0.95)).toBeLessThanOrEqual(tolerance(0.95, s.compared));
}, 30_000);

test("now vs next morning: the same-day arm is named at about the planned power, in the timing sentence", () => {
  const s = summariseArmsWorld(world("arms-timing"), 60, 23);
  expect(s.compared).toBe(60);
  expect(s.better).toBe(0);
  expect(s.plannedPower).toBeGreaterThan(0.8);
  expect(s.pickedBetter).toBeGreaterThanOrEqual(0.8 - tolerance(0.8, s.compared));
  expect(s.pickedWorse).toBeLessThanOrEqual(0.025 + tolerance(0.025, s.compared));
  expect(Math.abs(s.meanDifference + 0.09)).toBeLessThan(0.02);
  expect(s.timingSentences).toBe(1);
  // The other worlds' arms differ in their make-good: never the timing sentence.
  expect(summariseArmsWorld(world("arms-better"), 5, 21).timingSentences).toBe(0);
}, 30_000);
