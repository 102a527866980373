import { expect, test } from "vitest";
import { buildIncidentRecord, buildOfferRecord, NY } from "../test-support/factories";
import type { IncidentRecord } from "./records";
import { rootCauses } from "./incidents";
import { experiment, isMatured, type Readout } from "./experiment";
import { clusteredGroup, incidentsForLift, minimumDetectableLift, revenueEstimates } from "./inference";
import { consumption, cost, timeToOffer } from "./offers";
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

/** `n` incidents in a group, `wonBack` of them won back, one customer each, detected on `day` (2026-01-01 + day). */
function group(prefix: string, n: number, wonBack: number, holdout: boolean, day = 0): IncidentRecord[] {
  return Array.from({ length: n }, (_, i) =>
    buildIncidentRecord({
      id: `${prefix}${i}`,
      customerId: `customer-${prefix}${i}`,
      detectedAt: new Date(Date.UTC(2026, 0, 1 + day, 12, 0, i % 60)),
      holdout,
      wonBack: i < wonBack,
      wonBackOrder: i < wonBack ? { id: `order-${prefix}${i}`, totalMinor: 10_000 } : null,
    }),
  );
}

const SETTINGS = { windowDays: 90, readoutIncidents: 300, holdoutShare: 0.3 };
const LATER = new Date("2026-12-01T00:00:00Z");

test("a readout compares assigned and held-out incidents, with a sentence by assignment", () => {
  const incidents = [
    ...group("t", 200, 90, false),
    ...group("h", 100, 28, true),
    buildIncidentRecord({ id: "x", eligible: false, wonBack: true }),
  ];
  const result = experiment({ incidents, offers: [], asOf: LATER, settings: SETTINGS });
  const [readout] = result.readouts;
  expect(result.readouts).toHaveLength(1);
  expect(readout?.treated).toMatchObject({ incidents: 200, returned: 90, rate: 0.45, customers: 200 });
  expect(readout?.holdout).toMatchObject({ incidents: 100, returned: 28, rate: 0.28 });
  expect(readout?.lift?.difference).toBeCloseTo(0.17, 12);
  // One incident per customer: the design effect is G/(G-1), so the interval is Newcombe's, a hair wider.
  const plain = newcombeDifference(90, 200, 28, 100);
  expect(readout?.lift?.interval.low).toBeLessThan(plain.low);
  expect(readout?.lift?.interval.low).toBeGreaterThan(plain.low - 0.002);
  expect(readout?.verdict).toBe("BETTER");
  expect(readout?.sentence).toBe(
    "Customers whose incidents were assigned a make-good ordered again within 90 days of the failure 17 points more often than held-out customers (95% interval 5 to 28 points).",
  );
});

test("an interval that spans zero says so and names the lift the readout could have found", () => {
  const result = experiment({
    incidents: [...group("t", 210, 68, false), ...group("h", 90, 25, true)],
    offers: [],
    asOf: LATER,
    settings: SETTINGS,
  });
  const readout = result.readouts[0];
  expect(readout?.verdict).toBe("UNCLEAR");
  expect(readout?.sentence).toMatch(
    /^Customers whose incidents were assigned a make-good ordered again within 90 days of the failure 5 points more often than held-out customers \(95% interval -7 to 15 points\); not distinguishable from no effect: this readout could only have found a lift of about 16 points or more\.$/,
  );
});

test("incidents still in their window are not read; the page says how many and when the readout is due", () => {
  const incidents = [...group("t", 200, 90, false, 0), ...group("h", 100, 28, true, 0)];
  const asOf = new Date("2026-03-01T00:00:00Z"); // 59 days in: nothing matured
  const result = experiment({ incidents, offers: [], asOf, settings: SETTINGS });
  expect(result.readouts).toEqual([]);
  expect(result.progress).toMatchObject({ matured: 0, maturing: 300, needed: 300, readoutDueIsProjection: false });
  // Detected Jan 1, window 90 days, a day's grace: due Apr 2.
  expect(result.progress.readoutDueAt?.toISOString().slice(0, 10)).toBe("2026-04-02");
  expect(result.sentence).toBe(
    "The first readout comes once 300 incidents have been followed for 90 days: 0 have, 300 are still maturing.",
  );
  // Fewer incidents than a round: projected from the pace of the last window.
  const few = experiment({ incidents: group("t", 100, 10, false, 30), offers: [], asOf, settings: SETTINGS });
  expect(few.progress).toMatchObject({ maturing: 100, needed: 300, readoutDueIsProjection: true });
  expect(few.progress.readoutDueAt?.getTime()).toBeGreaterThan(asOf.getTime() + 90 * 86_400_000);
});

test("rounds are read once: later incidents never change a completed readout", () => {
  const first = [...group("t", 210, 60, false, 0), ...group("h", 90, 20, true, 1)];
  const later = [...group("u", 150, 100, false, 40), ...group("k", 150, 10, true, 41)];
  const once = experiment({ incidents: first, offers: [], asOf: LATER, settings: SETTINGS });
  const twice = experiment({ incidents: [...later, ...first], offers: [], asOf: LATER, settings: SETTINGS });
  expect(twice.readouts).toHaveLength(2);
  expect(twice.readouts[0]).toEqual(once.readouts[0]);
});

test("guests are outside the comparison and counted; ineligible incidents are not in it at all", () => {
  const guests = group("g", 40, 0, false).map((i) => ({ ...i, customerId: null }));
  const result = experiment({
    incidents: [...group("t", 210, 60, false), ...group("h", 90, 20, true), ...guests],
    offers: [],
    asOf: LATER,
    settings: SETTINGS,
  });
  expect(result.guests).toBe(40);
  expect(result.readouts[0]?.treated.incidents).toBe(210);
});

test("too few incidents in a group, or no holdout at all, is said plainly", () => {
  const tooFew = experiment({
    incidents: [...group("t", 280, 50, false), ...group("h", 20, 3, true)],
    offers: [],
    asOf: LATER,
    settings: SETTINGS,
  });
  expect(tooFew.readouts[0]).toMatchObject({ verdict: "TOO_FEW", lift: null });
  expect(tooFew.sentence).toBe(
    "Too few incidents to compare: 280 assigned a make-good and 20 held out; each group needs at least 30.",
  );
  const none = experiment({
    incidents: group("t", 50, 5, false),
    offers: [],
    asOf: LATER,
    settings: { ...SETTINGS, holdoutShare: 0 },
  });
  expect(none.sentence).toMatch(/^No holdout/);
});

test("several incidents of one customer widen the interval (design effect above 1)", () => {
  // 100 customers with 3 incidents each, all returning or none: outcomes move together.
  const clustered = (prefix: string, customers: number, returning: number, holdout: boolean) =>
    Array.from({ length: customers * 3 }, (_, k) => {
      const c = Math.floor(k / 3);
      return buildIncidentRecord({
        id: `${prefix}${k}`,
        customerId: `${prefix}-customer-${c}`,
        detectedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)),
        holdout,
        wonBack: c < returning,
        wonBackOrder: c < returning ? { id: `${prefix}-order-${c}`, totalMinor: 5_000 } : null,
      });
    });
  const incidents = [...clustered("t", 70, 21, false), ...clustered("h", 30, 6, true)];
  const result = experiment({ incidents, offers: [], asOf: LATER, settings: SETTINGS });
  const readout = result.readouts[0];
  expect(readout?.treated.designEffect).toBeCloseTo(3 * (70 / 69), 6);
  const naive = newcombeDifference(63, 210, 18, 90);
  const width = (i?: { low: number; high: number }) => (i ? i.high - i.low : 0);
  expect(width(readout?.lift?.interval)).toBeGreaterThan(1.5 * width(naive));
  // Revenue counts each customer's order once, not once per incident it brought back.
  expect(readout?.revenue?.incrementalMinor.value).toBeCloseTo(
    ((21 * 5_000) / 210) * 210 - ((6 * 5_000) / 90) * 210,
    6,
  );
});

test("per make-good that went out: the lift over the share of assigned incidents that got one", () => {
  const treated = group("t", 200, 90, false);
  const offers = treated
    .slice(0, 150)
    .map((i, n) => buildOfferRecord({ id: `o${n}`, incidentId: i.id, status: "ISSUED" }));
  const result = experiment({
    incidents: [...treated, ...group("h", 100, 28, true)],
    offers,
    asOf: LATER,
    settings: SETTINGS,
  });
  const readout = result.readouts[0];
  expect(readout?.issuedShare).toBe(0.75);
  expect(readout?.perIssued?.difference).toBeCloseTo(0.17 / 0.75, 12);
  expect(readout?.sentence).toMatch(
    /Only 75% of them actually got one; per make-good that went out, about \+23 points\.$/,
  );
});

test.each([
  // A $10 code on a $100 order: the order's total is $90, and the $10 is already out of it.
  { kind: "DISCOUNT_FIXED", total: 9_000, used: 1_000 },
  // $10 of store credit or a gift card pays part of a $100 order: the total stays $100; the $10 is a cost.
  { kind: "STORE_CREDIT", total: 10_000, used: 1_000 },
  { kind: "GIFT_CARD", total: 10_000, used: 1_000 },
] as const)("ROI counts a $kind make-good's cost once", ({ kind, total, used }) => {
  const treated = group("t", 200, 100, false).map((i) =>
    i.wonBackOrder ? { ...i, wonBackOrder: { ...i.wonBackOrder, totalMinor: total } } : i,
  );
  const offers = treated
    .filter((i) => i.wonBack)
    .map((i, n) => buildOfferRecord({ id: `o${n}`, incidentId: i.id, kind, redeemed: true, discountUsedMinor: used }));
  const holdout = group("h", 100, 30, true).map((i) =>
    i.wonBackOrder ? { ...i, wonBackOrder: { ...i.wonBackOrder, totalMinor: 10_000 } } : i,
  );
  const result = experiment({ incidents: [...treated, ...holdout], offers, asOf: LATER, settings: SETTINGS });
  const revenue = result.readouts[0]?.revenue;
  const incremental = ((100 * total) / 200) * 200 - ((30 * 10_000) / 100) * 200;
  expect(revenue?.incrementalMinor.value).toBeCloseTo(incremental, 6);
  const cost = kind === "DISCOUNT_FIXED" ? 0 : 100 * used;
  expect(revenue?.roi?.value).toBeCloseTo((incremental - cost) / (100 * used), 9);
  const { low, high } = revenue?.roi?.interval ?? { low: NaN, high: NaN };
  expect(low).toBeLessThan(revenue?.roi?.value ?? NaN);
  expect(high).toBeGreaterThan(revenue?.roi?.value ?? NaN);
});

/** A ReadoutMemo over a Map, counting what it was asked. */
function countingMemo() {
  const kept = new Map<string, Readout>();
  const counts = { hits: 0, misses: 0 };
  return {
    kept,
    counts,
    memo: {
      get(fingerprint: string) {
        const readout = kept.get(fingerprint);
        if (readout) counts.hits += 1;
        else counts.misses += 1;
        return readout;
      },
      set: (fingerprint: string, readout: Readout) => void kept.set(fingerprint, readout),
    },
  };
}

test("completed readouts are kept and reused, and equal the ones read afresh", () => {
  const incidents = [...group("t", 400, 160, false), ...group("h", 200, 60, true, 1)];
  const offers = incidents
    .filter((i) => !i.holdout && i.wonBack)
    .map((i, n) => buildOfferRecord({ id: `o${n}`, incidentId: i.id, redeemed: true, discountUsedMinor: 500 }));
  const input = { incidents, offers, asOf: LATER, settings: SETTINGS };
  const { memo, kept, counts } = countingMemo();
  const first = experiment(input, { readouts: memo });
  expect(first).toEqual(experiment(input));
  expect(first.readouts).toHaveLength(2);
  expect(counts).toEqual({ hits: 0, misses: 2 });
  const second = experiment(input, { readouts: memo });
  expect(counts).toEqual({ hits: 2, misses: 2 });
  expect(kept.size).toBe(2);
  expect(second.readouts[0]).toBe(first.readouts[0]);
  expect(second).toEqual(first);
});

test("a kept readout is not reused once its round's inputs change", () => {
  const incidents = [...group("t", 200, 80, false), ...group("h", 100, 30, true, 1)];
  const { memo, counts } = countingMemo();
  const before = experiment({ incidents, offers: [], asOf: LATER, settings: SETTINGS }, { readouts: memo });
  // A late attribution: one more held-out customer turns out to have come back.
  const later = incidents.map((i) =>
    i.id === "h50" ? { ...i, wonBack: true, wonBackOrder: { id: "order-late", totalMinor: 10_000 } } : i,
  );
  const after = experiment({ incidents: later, offers: [], asOf: LATER, settings: SETTINGS }, { readouts: memo });
  expect(counts).toEqual({ hits: 0, misses: 2 });
  expect(after.readouts[0]?.holdout.returned).toBe(31);
  expect(before.readouts[0]?.holdout.returned).toBe(30);
  expect(after).toEqual(experiment({ incidents: later, offers: [], asOf: LATER, settings: SETTINGS }));
  // Other settings read the same round anew too.
  experiment({ incidents, offers: [], asOf: LATER, settings: { ...SETTINGS, windowDays: 60 } }, { readouts: memo });
  expect(counts.hits).toBe(0);
});

test("how much data is enough: the detectable lift and the incidents a 5-point lift needs agree", () => {
  const needed = incidentsForLift(0.05, 0.2, 0.1);
  expect(minimumDetectableLift(needed * 0.9, needed * 0.1, 0.2)).toBeCloseTo(0.05, 3);
  expect(minimumDetectableLift(900, 100, 0.2)).toBeCloseTo(0.1186, 3);
  expect(incidentsForLift(0.05, 0.2, 0)).toBe(Number.POSITIVE_INFINITY);
  const result = experiment({ incidents: [], offers: [], asOf: LATER, settings: { ...SETTINGS, holdoutShare: 0.1 } });
  expect(result.plannedMinimumDetectableLift).toBeCloseTo(minimumDetectableLift(270, 30, 0.2), 12);
});

test("the bootstrap is reproducible and its interval holds the estimate", () => {
  const outcome = (returned: number, revenueMinor: number) => ({
    incidents: 1,
    returned,
    revenueMinor,
    costMinor: 0,
    usedMinor: 0,
  });
  const treated = Array.from({ length: 300 }, (_, i) => outcome(i % 4 === 0 ? 1 : 0, i % 4 === 0 ? 8_000 : 0));
  const holdout = Array.from({ length: 100 }, (_, i) => outcome(i % 5 === 0 ? 1 : 0, i % 5 === 0 ? 8_000 : 0));
  const a = revenueEstimates(treated, holdout);
  expect(revenueEstimates(treated, holdout)).toEqual(a);
  expect(a?.incrementalMinor.value).toBeCloseTo(((75 * 8_000) / 300) * 300 - ((20 * 8_000) / 100) * 300, 6);
  expect(a?.incrementalMinor.interval?.low).toBeLessThan(a?.incrementalMinor.value ?? NaN);
  expect(a?.incrementalMinor.interval?.high).toBeGreaterThan(a?.incrementalMinor.value ?? NaN);
  expect(a?.roi).toBeNull(); // nothing used
  expect(clusteredGroup([]).rate).toBeNull();
});

const asOf = new Date("2026-06-01T00:00:00Z");

test("consumption counts redeemed offers among offers whose time to be used is over", () => {
  const offers = [
    buildOfferRecord({ id: "a", redeemed: true, status: "REDEEMED" }),
    buildOfferRecord({ id: "b", expiresAt: new Date("2026-04-01T00:00:00Z"), status: "UNUSED" }), // expired unused
    buildOfferRecord({ id: "c", expiresAt: new Date("2026-07-01T00:00:00Z") }), // still open: not counted yet
    buildOfferRecord({ id: "d", kind: "GIFT_PRODUCT", expiresAt: null }), // nothing to redeem
    buildOfferRecord({ id: "e", status: "REJECTED", issuedAt: null }),
    buildOfferRecord({ id: "f", kind: "GIFT_CARD", expiresAt: null, issuedAt: new Date("2026-01-01T00:00:00Z") }), // no expiry, 90 days passed
  ];
  const result = consumption(offers, asOf);
  expect(result).toMatchObject({ issued: 4, settled: 3, redeemed: 1, open: 1 });
  expect(result.consumptionRate).toBeCloseTo(1 / 3, 12);
  expect(result.breakageRate).toBeCloseTo(2 / 3, 12);
  // Used before its expiry: not counted until the expiry passes, or the rate would read "100% used"
  // while the unused offers are still open.
  const early = buildOfferRecord({
    id: "g",
    redeemed: true,
    status: "REDEEMED",
    expiresAt: new Date("2026-07-01T00:00:00Z"),
  });
  expect(consumption([...offers, early], asOf)).toMatchObject({ settled: 3, redeemed: 1, open: 2 });
  expect(consumption([], asOf)).toMatchObject({ consumptionRate: null, breakageRate: null });
});

test("time to offer compares within severity and approval route, in shop-local days, matured only", () => {
  const incidents = [
    buildIncidentRecord({ id: "i1", occurredAt: new Date("2026-03-02T14:00:00Z"), wonBack: true }),
    buildIncidentRecord({ id: "i2", occurredAt: new Date("2026-03-02T14:00:00Z") }),
    buildIncidentRecord({
      id: "i3",
      occurredAt: new Date("2026-03-02T14:00:00Z"),
      wonBack: true,
      severity: "critical",
    }),
    buildIncidentRecord({ id: "i4", occurredAt: new Date("2026-03-02T14:00:00Z"), wonBack: true, holdout: true }),
    buildIncidentRecord({
      id: "i5",
      occurredAt: new Date("2026-11-20T14:00:00Z"),
      detectedAt: new Date("2026-11-20T15:00:00Z"),
    }),
  ];
  const offers = [
    buildOfferRecord({ id: "o1", incidentId: "i1", issuedAt: new Date("2026-03-03T03:00:00Z") }), // 22:00 same day New York
    buildOfferRecord({ id: "o2", incidentId: "i2", issuedAt: new Date("2026-03-03T06:00:00Z") }), // 01:00 next day
    buildOfferRecord({ id: "o3", incidentId: "i3", issuedAt: new Date("2026-03-06T15:00:00Z"), approval: "MANAGER" }),
    buildOfferRecord({ id: "o5", incidentId: "i5", issuedAt: new Date("2026-11-20T16:00:00Z") }), // window still open
  ];
  const rows = timeToOffer(incidents, offers, NY, (i) => isMatured(i, 90, LATER));
  expect(rows.map((r) => [r.severity, r.route, r.bucket, r.offers, r.returned, r.rate])).toEqual([
    ["critical", "STAFF", "LATER", 1, 1, 1],
    ["moderate", "AUTOMATIC", "SAME_DAY", 1, 1, 1],
    ["moderate", "AUTOMATIC", "NEXT_DAY", 1, 0, 0],
  ]);
  expect(rows[0]?.interval?.low).toBeCloseTo(wilsonInterval(1, 1).low, 12);
});

test("cost is face value issued and value used; codes are already net of revenue", () => {
  const offers = [
    buildOfferRecord({ faceValueMinor: 4_000, discountUsedMinor: 2_500 }),
    buildOfferRecord({ id: "o2", status: "PENDING_APPROVAL", issuedAt: null, faceValueMinor: 9_000 }),
    buildOfferRecord({ id: "o3", kind: "STORE_CREDIT", faceValueMinor: 1_000, discountUsedMinor: 1_000 }),
  ];
  expect(cost(offers)).toEqual({ faceValueIssuedMinor: 5_000, usedMinor: 3_500, netOfRevenueMinor: 2_500 });
});

test("root causes rank types, products, carriers and locations", () => {
  const incidents = [
    buildIncidentRecord({ id: "a", type: "DELIVERY_DELAY", carriers: ["UPS"], productIds: ["p1", "p2"] }),
    buildIncidentRecord({ id: "b", type: "DELIVERY_DELAY", carriers: ["UPS"], productIds: ["p1"] }),
    buildIncidentRecord({ id: "c", type: "LATE_FULFILLMENT", locations: ["loc-1"], productIds: ["p1"] }),
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

test("the report puts it all together: the period's figures and the experiment's", () => {
  const report = recoveryReport({
    incidents: group("t", 3, 1, false),
    offers: [],
    experimentIncidents: group("t", 3, 1, false),
    experimentOffers: [],
    settings: SETTINGS,
    timeZone: NY,
    asOf,
  });
  expect(report.experiment.readouts).toEqual([]);
  expect(report.experiment.progress).toMatchObject({ matured: 3, needed: 297 });
  expect(report.rootCauses.byType).toEqual([{ key: "LATE_FULFILLMENT", count: 3 }]);
});
