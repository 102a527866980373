import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import { currencyExponent, formatMoney, fromMinorUnits, percentOf, toMinorUnits } from "./money";

test.each([
  ["USD", 2],
  ["JPY", 0],
  ["KWD", 3],
])("currency %s has %i minor digits", (currency, digits) => {
  expect(currencyExponent(currency)).toBe(digits);
});

test.each([
  ["12.50", "USD", 1250],
  ["0.1", "USD", 10],
  ["1200.0", "JPY", 1200],
  ["1.234", "KWD", 1234],
  ["-3.05", "USD", -305],
  ["19.99", "USD", 1999],
])("toMinorUnits(%s, %s) is %i, exactly", (amount, currency, minor) => {
  expect(toMinorUnits(amount, currency)).toBe(minor);
});

test("amounts with more precision than the currency are refused, not rounded", () => {
  expect(() => toMinorUnits("1.005", "USD")).toThrow(RecoveryError);
  expect(() => toMinorUnits("12,50", "USD")).toThrow(/Not a decimal amount/);
  expect(() => toMinorUnits("1", "usd")).toThrow(/ISO 4217/);
});

test("fromMinorUnits round-trips through toMinorUnits", () => {
  for (const minor of [0, 5, 99, 100, 1999, -305, 123456789]) {
    expect(toMinorUnits(fromMinorUnits(minor, "USD"), "USD")).toBe(minor);
  }
  expect(fromMinorUnits(5, "USD")).toBe("0.05");
  expect(fromMinorUnits(1500, "JPY")).toBe("1500");
});

test("money is formatted in the shop currency, without .00 on whole amounts", () => {
  expect(formatMoney(124_000, "USD")).toBe("$1,240");
  expect(formatMoney(1_250, "USD")).toBe("$12.50");
  expect(formatMoney(1_500, "JPY")).toBe("¥1,500");
  expect(formatMoney(1_250, "EUR", "de")).toBe("12,50\u00a0€");
});

test.each([
  [24_000, 20, 4_800],
  [999, 12.5, 125], // 124.875 rounds half up
  [1, 50, 1], // 0.5 rounds up
  [0, 30, 0],
  [9_007_199_254_740, 100, 9_007_199_254_740],
])("percentOf(%i, %f) is %i", (minor, percent, expected) => {
  expect(percentOf(minor, percent)).toBe(expected);
});

test("a percent with more than two decimals is refused", () => {
  expect(() => percentOf(100, 12.345)).toThrow(RecoveryError);
});
