import { expect, test } from "vitest";
import { countAxis, isSmallCount, labelledTicks, previousRange, typeComparison } from "./charts";

test.each([
  // range, the same number of days just before it
  [
    { from: "2026-11-01", to: "2026-11-30" },
    { from: "2026-10-02", to: "2026-10-31" },
  ],
  [
    { from: "2026-11-07", to: "2026-11-07" },
    { from: "2026-11-06", to: "2026-11-06" },
  ],
  [
    { from: "2026-03-01", to: "2026-03-07" },
    { from: "2026-02-22", to: "2026-02-28" },
  ],
  [
    { from: "2024-03-01", to: "2024-03-07" },
    { from: "2024-02-23", to: "2024-02-29" },
  ],
  [
    { from: "2027-01-01", to: "2027-01-10" },
    { from: "2026-12-22", to: "2026-12-31" },
  ],
])("the period before %o is %o", (range, expected) => {
  expect(previousRange(range)).toEqual(expected);
});

test.each([
  // largest count, step, axis end, ticks: whole numbers only, at most five intervals
  [0, 1, 1, [0, 1]],
  [1, 1, 1, [0, 1]],
  [3, 1, 3, [0, 1, 2, 3]],
  [5, 1, 5, [0, 1, 2, 3, 4, 5]],
  [6, 2, 6, [0, 2, 4, 6]],
  [7, 2, 8, [0, 2, 4, 6, 8]],
  [11, 5, 15, [0, 5, 10, 15]],
  [25, 5, 25, [0, 5, 10, 15, 20, 25]],
  [26, 10, 30, [0, 10, 20, 30]],
  [60, 20, 60, [0, 20, 40, 60]],
  [101, 50, 150, [0, 50, 100, 150]],
  [2.5, 1, 3, [0, 1, 2, 3]],
])("an axis for a largest count of %d steps by %d up to %d", (largest, step, max, ticks) => {
  const axis = countAxis(largest);
  expect(axis).toEqual({ step, max, ticks });
  expect(axis.ticks.every(Number.isInteger)).toBe(true);
});

test("an axis refuses what is not a count", () => {
  expect(() => countAxis(-1)).toThrow(RangeError);
  expect(() => countAxis(Number.NaN)).toThrow(RangeError);
  expect(() => countAxis(3, 0)).toThrow(RangeError);
});

test.each([
  [0, false],
  [1, true],
  [2, true],
  [3, false],
  [40, false],
])("a count of %d is small (greyed): %s", (count, small) => {
  expect(isSmallCount(count)).toBe(small);
});

test.each([
  {
    name: "most incidents this period first",
    current: { REFUND: 2, LATE_FULFILLMENT: 9, DELIVERY_DELAY: 4 },
    previous: { LATE_FULFILLMENT: 3 },
    rows: [
      { type: "LATE_FULFILLMENT", count: 9, previous: 3, small: false },
      { type: "DELIVERY_DELAY", count: 4, previous: 0, small: false },
      { type: "REFUND", count: 2, previous: 0, small: true },
    ],
  },
  {
    name: "a type seen only in the period before stays, at zero, after those seen now",
    current: { MANUAL: 1 },
    previous: { DELIVERY_FAILURE: 5, MANUAL: 1 },
    rows: [
      { type: "MANUAL", count: 1, previous: 1, small: true },
      { type: "DELIVERY_FAILURE", count: 0, previous: 5, small: false },
    ],
  },
  {
    name: "a tie goes to the larger previous count, then to the types' order",
    current: { REFUND: 3, MERCHANT_CANCELLATION: 3, DELIVERY_DELAY: 3 },
    previous: { MERCHANT_CANCELLATION: 1 },
    rows: [
      { type: "MERCHANT_CANCELLATION", count: 3, previous: 1, small: false },
      { type: "DELIVERY_DELAY", count: 3, previous: 0, small: false },
      { type: "REFUND", count: 3, previous: 0, small: false },
    ],
  },
  { name: "nothing in either period: no rows", current: {}, previous: { REFUND: 0 }, rows: [] },
])("incidents by type: $name", ({ current, previous, rows }) => {
  expect(typeComparison(current, previous)).toEqual(rows);
});

test.each([
  [
    [0, 1],
    [0, 1],
  ],
  [
    [0, 1, 2],
    [0, 1, 2],
  ],
  [
    [0, 2, 4, 6],
    [0, 6],
  ],
  [
    [0, 5, 10, 15, 20],
    [0, 10, 20],
  ],
  // The root-cause column's axis that read "4050": 40 sits one step from the end.
  [
    [0, 10, 20, 30, 40, 50],
    [0, 20, 50],
  ],
  [
    [0, 20, 40, 60, 80, 100],
    [0, 40, 100],
  ],
])("%j is numbered at %j", (ticks, labelled) => {
  expect(labelledTicks(ticks)).toEqual(labelled);
});

test("every axis countAxis draws numbers zero and its end, and no two neighbouring ticks", () => {
  for (let largest = 0; largest <= 1_000; largest++) {
    const { ticks, max } = countAxis(largest);
    const labelled = labelledTicks(ticks);
    expect(labelled[0]).toBe(0);
    expect(labelled.at(-1)).toBe(max);
    if (ticks.length > 3)
      for (let i = 1; i < labelled.length; i++)
        expect(ticks.indexOf(labelled[i]!) - ticks.indexOf(labelled[i - 1]!)).toBeGreaterThanOrEqual(2);
  }
});
