import { expect, test } from "vitest";
import { buildIncidentRecord, buildOfferRecord, NY } from "../test-support/factories";
import type { IncidentRecord } from "./records";
import { incidentsOverTime, rootCauses } from "./incidents";
import { consumption, cost, returnOnInvestment, revenueWonBack, timeToOffer } from "./offers";
import { recoveryComparison } from "./recovery";
import { recoveryReport } from "./report";
import { newcombeDifference, wilsonInterval } from "./statistics";

test.each([
  // Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10.
  [56, 70, 48, 80, 0.0524, 0.3339],
  [9, 10, 3, 10, 0.1705, 0.809],
  [6, 7, 2, 7, 0.0582, 0.8062],
  [5, 56, 0, 29, -0.0381, 0.1926],
  [0, 10, 0, 20, -0.1611, 0.2775],
])("Newcombe interval for %i/%i - %i/%i is [%f, %f]", (x1, n1, x2, n2, low, high) => {
  const result = newcombeDifference(x1, n1, x2, n2);
  expect(result.low).toBeCloseTo(low, 3);
  expect(result.high).toBeCloseTo(high, 3);
});

test("Wilson interval stays inside [0, 1] at the extremes", () => {
  const none = wilsonInterval(0, 10);
  expect(none.low).toBe(0);
  expect(none.high).toBeCloseTo(0.2775, 4);
  expect(wilsonInterval(10, 10).high).toBeCloseTo(1, 12);
});

/** `n` incidents in a group, `wonBack` of them won back. */
function group(prefix: string, n: number, wonBack: number, holdout: boolean): IncidentRecord[] {
  return Array.from({ length: n }, (_, i) =>
    buildIncidentRecord({
      id: `${prefix}${i}`,
      holdout,
      wonBack: i < wonBack,
      wonBackOrder: i < wonBack ? { id: `order-${prefix}${i}`, totalMinor: 10_000 } : null,
    }),
  );
}

test("lift compares treated and holdout by assignment, with a sentence for the merchant", () => {
  const incidents = [
    ...group("t", 200, 90, false),
    ...group("h", 100, 28, true),
    buildIncidentRecord({ id: "x", eligible: false, wonBack: true }),
  ];
  const result = recoveryComparison(incidents);
  expect(result.treated).toMatchObject({ incidents: 200, wonBack: 90, rate: 0.45 });
  expect(result.holdout).toMatchObject({ incidents: 100, wonBack: 28, rate: 0.28 });
  expect(result.lift).toMatchObject({ insufficientData: false, method: "NEWCOMBE_WILSON_95" });
  expect(result.sentence).toBe(
    "Customers who got a make-good came back 17 points more often than the holdout (95% CI 5 to 27 points).",
  );
});

test("an interval that spans zero says so", () => {
  const result = recoveryComparison([...group("t", 40, 13, false), ...group("h", 40, 11, true)]);
  expect(result.sentence).toBe(
    "Customers who got a make-good came back 5 points more often than the holdout (95% CI -15 to 24 points); not yet distinguishable from no effect.",
  );
});

test("too little data is reported with the rule", () => {
  const result = recoveryComparison([...group("t", 120, 50, false), ...group("h", 12, 3, true)]);
  expect(result.lift).toEqual({
    insufficientData: true,
    rule: "at least 30 treated and 30 holdout incidents",
    minPerGroup: 30,
  });
  expect(result.sentence).toBe(
    "Too little data yet: 120 treated and 12 holdout incidents; we need at least 30 in each group.",
  );
  expect(recoveryComparison(group("t", 50, 5, false)).sentence).toBe(
    "No holdout group yet: 50 incidents treated and none held out; set a holdout share above 0 to measure the lift.",
  );
});

const asOf = new Date("2026-06-01T00:00:00Z");

test("consumption counts redeemed offers against offers whose fate is known", () => {
  const offers = [
    buildOfferRecord({ id: "a", redeemed: true, status: "REDEEMED" }),
    buildOfferRecord({ id: "b", expiresAt: new Date("2026-04-01T00:00:00Z"), status: "UNUSED" }), // expired unused
    buildOfferRecord({ id: "c", expiresAt: new Date("2026-07-01T00:00:00Z") }), // still open: not counted yet
    buildOfferRecord({ id: "d", kind: "GIFT_PRODUCT", expiresAt: null }), // nothing to redeem
    buildOfferRecord({ id: "e", status: "REJECTED", issuedAt: null }),
    buildOfferRecord({ id: "f", kind: "GIFT_CARD", expiresAt: null, issuedAt: new Date("2026-01-01T00:00:00Z") }), // no expiry, 90 days passed
  ];
  const result = consumption(offers, asOf);
  expect(result).toMatchObject({ issued: 4, settled: 3, redeemed: 1 });
  expect(result.consumptionRate).toBeCloseTo(1 / 3, 12);
  expect(result.breakageRate).toBeCloseTo(2 / 3, 12);
  expect(consumption([], asOf)).toMatchObject({ consumptionRate: null, breakageRate: null });
});

test("time to offer is bucketed in shop-local days, with the recovery rate of each bucket", () => {
  const incidents = [
    buildIncidentRecord({ id: "i1", occurredAt: new Date("2026-03-02T14:00:00Z"), wonBack: true }),
    buildIncidentRecord({ id: "i2", occurredAt: new Date("2026-03-02T14:00:00Z") }),
    buildIncidentRecord({ id: "i3", occurredAt: new Date("2026-03-02T14:00:00Z"), wonBack: true }),
  ];
  const offers = [
    buildOfferRecord({ id: "o1", incidentId: "i1", issuedAt: new Date("2026-03-03T03:00:00Z") }), // 22:00 same day New York
    buildOfferRecord({ id: "o2", incidentId: "i2", issuedAt: new Date("2026-03-03T06:00:00Z") }), // 01:00 next day
    buildOfferRecord({ id: "o3", incidentId: "i3", issuedAt: new Date("2026-03-06T15:00:00Z") }),
  ];
  expect(timeToOffer(incidents, offers, NY)).toEqual([
    { bucket: "SAME_DAY", offers: 1, wonBack: 1, recoveryRate: 1 },
    { bucket: "NEXT_DAY", offers: 1, wonBack: 0, recoveryRate: 0 },
    { bucket: "LATER", offers: 1, wonBack: 1, recoveryRate: 1 },
  ]);
});

test("revenue counts each won-back order once; cost is face value issued and value used", () => {
  const shared = { id: "order-9", totalMinor: 12_000 };
  const incidents = [
    buildIncidentRecord({ id: "a", wonBack: true, wonBackOrder: shared }),
    buildIncidentRecord({ id: "b", wonBack: true, wonBackOrder: shared }),
  ];
  expect(revenueWonBack(incidents)).toBe(12_000);
  const offers = [
    buildOfferRecord({ faceValueMinor: 4_000, discountUsedMinor: 2_500 }),
    buildOfferRecord({ id: "o2", status: "PENDING_APPROVAL", issuedAt: null, faceValueMinor: 9_000 }),
  ];
  expect(cost(offers)).toEqual({ faceValueIssuedMinor: 4_000, usedMinor: 2_500, netOfRevenueMinor: 2_500 });
});

test("ROI: incremental revenue per incident is treated minus holdout revenue per incident", () => {
  const incidents = [...group("t", 10, 5, false), ...group("h", 10, 2, true)];
  const offers = group("t", 10, 5, false).map((i, n) =>
    buildOfferRecord({ id: `o${n}`, incidentId: i.id, discountUsedMinor: i.wonBack ? 2_000 : 0 }),
  );
  const roi = returnOnInvestment(incidents, offers);
  expect(roi).toMatchObject({
    revenueWonBackMinor: 50_000,
    holdoutRevenueWonBackMinor: 20_000,
    incrementalRevenuePerIncidentMinor: 3_000,
    incrementalRevenueMinor: 30_000,
  });
  expect(roi.cost.usedMinor).toBe(10_000);
  // Codes: the won-back orders' totals are already net of the discount, so it is not taken off again.
  expect(roi.roi).toBe(3); // 30,000 / 10,000
  expect(returnOnInvestment(group("t", 10, 5, false), offers).roi).toBeNull();
});

test.each([
  // A $10 code on a $100 order: the order's total is $90, and the $10 is already out of it.
  { kind: "DISCOUNT_FIXED", total: 9_000, used: 1_000, roi: 9 },
  // $10 of store credit or a gift card pays part of a $100 order: the total stays $100; the $10 is a cost.
  { kind: "STORE_CREDIT", total: 10_000, used: 1_000, roi: 9 },
  { kind: "GIFT_CARD", total: 10_000, used: 1_000, roi: 9 },
] as const)("ROI counts a $kind make-good's cost once", ({ kind, total, used, roi }) => {
  const incidents = [
    buildIncidentRecord({ id: "t", wonBack: true, wonBackOrder: { id: "order-t", totalMinor: total } }),
    buildIncidentRecord({ id: "h", holdout: true, wonBack: false, wonBackOrder: null }),
  ];
  const offers = [buildOfferRecord({ incidentId: "t", kind, redeemed: true, discountUsedMinor: used })];
  expect(returnOnInvestment(incidents, offers).roi).toBeCloseTo(roi, 9);
});

test("incidents over time fill empty shop-local weeks", () => {
  const incidents = [
    buildIncidentRecord({ id: "a", type: "REFUND", occurredAt: new Date("2026-03-02T15:00:00Z") }),
    buildIncidentRecord({ id: "b", occurredAt: new Date("2026-03-08T03:00:00Z") }), // Saturday 22:00 New York: same week
    buildIncidentRecord({ id: "c", occurredAt: new Date("2026-03-17T15:00:00Z") }),
  ];
  const weeks = incidentsOverTime(incidents, { timeZone: NY, bucket: "week" });
  expect(weeks.map((w) => [w.start, w.total])).toEqual([
    ["2026-03-02", 2],
    ["2026-03-09", 0],
    ["2026-03-16", 1],
  ]);
  expect(weeks[0]?.byType).toMatchObject({ REFUND: 1, LATE_FULFILLMENT: 1, DELIVERY_DELAY: 0 });
  expect(incidentsOverTime(incidents, { timeZone: NY, bucket: "day" })).toHaveLength(16);
});

test("root causes rank types, products, carriers and locations", () => {
  const incidents = [
    buildIncidentRecord({ id: "a", type: "DELIVERY_DELAY", carriers: ["UPS"], productIds: ["p1", "p2"] }),
    buildIncidentRecord({ id: "b", type: "DELIVERY_DELAY", carriers: ["UPS"], productIds: ["p1"] }),
    buildIncidentRecord({ id: "c", type: "LATE_FULFILLMENT", locationIds: ["loc-1"], productIds: ["p1"] }),
  ];
  const causes = rootCauses(incidents);
  expect(causes.byType).toEqual([
    { key: "DELIVERY_DELAY", count: 2 },
    { key: "LATE_FULFILLMENT", count: 1 },
  ]);
  expect(causes.byProduct).toEqual([
    { key: "p1", count: 3 },
    { key: "p2", count: 1 },
  ]);
  expect(causes.byCarrier).toEqual([{ key: "UPS", count: 2 }]);
  expect(causes.byLocation).toEqual([{ key: "loc-1", count: 1 }]);
});

test("the report puts it all together", () => {
  const report = recoveryReport({ incidents: group("t", 3, 1, false), offers: [], timeZone: NY, asOf });
  expect(report.recovery.lift.insufficientData).toBe(true);
  expect(report.overTime).toHaveLength(1);
});
