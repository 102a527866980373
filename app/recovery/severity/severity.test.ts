import fc from "fast-check";
import { expect, test } from "vitest";
import type { MeasuredSignal } from "../incidents";
import { severityRank, SEVERITIES, type Severity } from "../vocabulary";
import { assessSeverity, baseSeverity } from "./severity";
import { DEFAULT_SEVERITY_SETTINGS as settings, severitySettingsSchema } from "./settings";

const late = (days: number): MeasuredSignal => ({
  type: "LATE_FULFILLMENT",
  measure: { kind: "BUSINESS_DAYS_LATE", days },
});
const delay = (days: number): MeasuredSignal => ({ type: "DELIVERY_DELAY", measure: { kind: "DAYS_LATE", days } });
const refund = (refundedMinor: number, orderTotalMinor = 10_000): MeasuredSignal => ({
  type: "REFUND",
  measure: { kind: "REFUND_SHARE", refundedMinor, orderTotalMinor },
});

test.each([
  [late(0), null],
  [late(1), "minor"],
  [late(2), "minor"],
  [late(3), "moderate"],
  [late(5), "moderate"],
  [late(6), "major"],
  [late(9), "major"],
  [late(10), "critical"],
  [late(40), "critical"],
  [delay(2), "minor"],
  [delay(3), "moderate"],
  [delay(6), "moderate"],
  [delay(7), "major"],
  [delay(30), "major"],
  [refund(2_499), "minor"],
  [refund(2_500), "moderate"],
  [refund(7_500), "moderate"],
  [refund(7_501), "major"],
  [refund(10_000), "major"],
  [refund(0), null],
  [{ type: "DELIVERY_FAILURE", measure: { kind: "DELIVERY_FAILED", cause: "FAILURE", attempts: 0 } }, "major"],
  [{ type: "MERCHANT_CANCELLATION", measure: { kind: "CANCELLED", reason: "inventory" } }, "major"],
  [{ type: "MANUAL", measure: { kind: "STAFF_CHOSEN", severity: "minor", category: "SERVICE" } }, "minor"],
] as [MeasuredSignal, Severity | null][])("default rule (decision 0099): %o is %s", (signal, expected) => {
  expect(baseSeverity(signal, settings)).toBe(expected);
});

const at = new Date("2026-03-12T14:00:00Z");
const daysBefore = (days: number) => new Date(at.getTime() - days * 86_400_000);
const customer = "gid://shopify/Customer/7";

test.each([
  ["no boost", 10_000, [], "moderate", []],
  ["repeat customer", 10_000, [daysBefore(30)], "major", ["REPEAT_CUSTOMER"]],
  ["incident 91 days ago is too old", 10_000, [daysBefore(91)], "moderate", []],
  ["high-value order", 30_000, [], "major", ["HIGH_VALUE_ORDER"]],
  ["both", 30_000, [daysBefore(1)], "critical", ["REPEAT_CUSTOMER", "HIGH_VALUE_ORDER"]],
] as const)("boosts: %s", (_name, orderValueMinor, otherIncidentsAt, severity, boosts) => {
  const result = assessSeverity(
    { ...late(4), customerId: customer },
    { orderValueMinor, otherIncidentsAt, at },
    settings,
  );
  expect(result).toEqual({ base: "moderate", severity, boosts });
});

test("boosts cap at critical", () => {
  const result = assessSeverity(
    { ...late(12), customerId: customer },
    { orderValueMinor: 90_000, otherIncidentsAt: [daysBefore(2)], at },
    settings,
  );
  expect(result?.severity).toBe("critical");
});

test("a guest has no history to boost on; a staff-chosen severity is not boosted", () => {
  expect(
    assessSeverity(
      { ...late(4), customerId: null },
      { orderValueMinor: 0, otherIncidentsAt: [daysBefore(2)], at },
      settings,
    )?.boosts,
  ).toEqual([]);
  const manual: MeasuredSignal = {
    type: "MANUAL",
    measure: { kind: "STAFF_CHOSEN", severity: "minor", category: "OTHER" },
  };
  expect(
    assessSeverity(
      { ...manual, customerId: customer },
      { orderValueMinor: 90_000, otherIncidentsAt: [daysBefore(2)], at },
      settings,
    )?.severity,
  ).toBe("minor");
});

test("thresholds are validated: levels must rise with the days", () => {
  const result = severitySettingsSchema.safeParse({ lateFulfillment: { minor: 1, moderate: 5, major: 4 } });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]?.path).toEqual(["lateFulfillment"]);
  expect(
    severitySettingsSchema.safeParse({ refund: { moderateFromPercent: 80, majorAbovePercent: 50 } }).error?.issues[0]
      ?.path,
  ).toEqual(["refund", "majorAbovePercent"]);
});

const ladderArb = fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 4, maxLength: 4 }).chain((values) => {
  const [minor = 1, moderate = 2, major = 3, critical = 4] = [...values].sort((a, b) => a - b);
  return fc.record({
    minor: fc.constant(minor),
    moderate: fc.option(fc.constant(moderate), { nil: null }),
    major: fc.option(fc.constant(major), { nil: null }),
    critical: fc.option(fc.constant(critical), { nil: null }),
  });
});
const settingsArb = fc
  .record({
    lateFulfillment: ladderArb,
    deliveryDelay: ladderArb,
    refundLow: fc.integer({ min: 1, max: 100 }),
    refundSpan: fc.integer({ min: 0, max: 99 }),
    high: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  })
  .map((s) =>
    severitySettingsSchema.parse({
      lateFulfillment: s.lateFulfillment,
      deliveryDelay: s.deliveryDelay,
      refund: { moderateFromPercent: s.refundLow, majorAbovePercent: Math.min(100, s.refundLow + s.refundSpan) },
      highValueOrderMinor: s.high,
    }),
  );
const rank = (s: Severity | null | undefined) => (s ? severityRank(s) : -1);

test("property: more days late never gives a milder severity", () => {
  fc.assert(
    fc.property(settingsArb, fc.nat(100), fc.nat(100), fc.constantFrom(late, delay), (s, a, b, make) => {
      const [fewer, more] = a <= b ? [a, b] : [b, a];
      expect(rank(baseSeverity(make(more), s))).toBeGreaterThanOrEqual(rank(baseSeverity(make(fewer), s)));
    }),
  );
});

test("property: a larger refund share never gives a milder severity", () => {
  fc.assert(
    fc.property(
      settingsArb,
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.nat(1_000_000),
      fc.nat(1_000_000),
      (s, total, a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        expect(rank(baseSeverity(refund(Math.min(more, total), total), s))).toBeGreaterThanOrEqual(
          rank(baseSeverity(refund(Math.min(less, total), total), s)),
        );
      },
    ),
  );
});

test("property: boosts never lower the severity and add at most one level each", () => {
  fc.assert(
    fc.property(
      settingsArb,
      fc.nat(30),
      fc.nat(200_000),
      fc.array(fc.integer({ min: 0, max: 400 }).map(daysBefore), { maxLength: 3 }),
      (s, days, orderValueMinor, otherIncidentsAt) => {
        const result = assessSeverity(
          { ...late(days), customerId: customer },
          { orderValueMinor, otherIncidentsAt, at },
          s,
        );
        if (!result) return;
        expect(severityRank(result.severity)).toBeGreaterThanOrEqual(severityRank(result.base));
        expect(severityRank(result.severity)).toBe(
          Math.min(severityRank(result.base) + result.boosts.length, SEVERITIES.length - 1),
        );
      },
    ),
  );
});
