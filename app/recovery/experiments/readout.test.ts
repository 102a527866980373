/** Which arm works (decision 0119): per-arm statistics against hand-computed values. */
import { expect, test } from "vitest";
import type { IncidentRecord, OfferRecord } from "../metrics/records";
import { buildIncidentRecord, buildOfferRecord } from "../test-support/factories";
import { armsExperiments, PAIRWISE_Z, type ArmAssignmentRecord } from "./readout";

const KEY = "exp-1";
const DAY = 86_400_000;
const START = new Date("2026-01-01T12:00:00Z").getTime();
const AS_OF = new Date("2026-06-01T00:00:00Z");
const SETTINGS = { windowDays: 30, readoutIncidents: 100 };

interface Built {
  incidents: IncidentRecord[];
  offers: OfferRecord[];
  assignments: ArmAssignmentRecord[];
}

/** `n` incidents, one per customer, `returned` of them won back with a $50 order. */
function group(built: Built, arm: number | null, n: number, returned: number, credit = 0): void {
  for (let i = 0; i < n; i++) {
    const id = `${arm ?? "h"}-${i}`;
    const k = built.incidents.length;
    built.incidents.push(
      buildIncidentRecord({
        id,
        customerId: `gid://shopify/Customer/${id}`,
        detectedAt: new Date(START + k * 60_000),
        holdout: arm === null,
        wonBack: i < returned,
        wonBackOrder: i < returned ? { id: `order-${id}`, totalMinor: 5_000 } : null,
      }),
    );
    built.assignments.push({
      incidentId: id,
      experimentKey: KEY,
      arm,
      label: arm === 1 ? "$10 credit" : null,
      arms: 2,
    });
    if (arm !== null && i < credit)
      built.offers.push(
        buildOfferRecord({
          id: `o-${id}`,
          incidentId: id,
          kind: "STORE_CREDIT",
          redeemed: true,
          discountUsedMinor: 1_000,
        }),
      );
  }
}

test("two arms against the holdout and each other: rates, lift, revenue, cost and the winner", () => {
  const built: Built = { incidents: [], offers: [], assignments: [] };
  group(built, 0, 40, 20);
  group(built, 1, 40, 30, 10);
  group(built, null, 20, 5);
  const [experiment] = armsExperiments({ ...built, asOf: AS_OF, settings: SETTINGS, minPerGroup: 20 });
  expect(experiment).toMatchObject({ experimentKey: KEY, armCount: 2, labels: [null, "$10 credit"] });
  const [readout] = experiment!.readouts;
  expect(readout).toBeDefined();
  const [a, b] = readout!.arms;
  expect(a).toMatchObject({ incidents: 40, returned: 20, rate: 0.5, revenuePerIncident: 2_500, costPerIncident: 0 });
  // $10 of credit used on 10 of 40 incidents: $2.50 per incident; 30 x $50 back over 40.
  expect(b).toMatchObject({ incidents: 40, returned: 30, rate: 0.75, revenuePerIncident: 3_750, costPerIncident: 250 });
  expect(b!.netPerIncident).toBe(3_500);
  expect(readout!.holdout).toMatchObject({ incidents: 20, returned: 5, rate: 0.25, revenuePerIncident: 1_250 });
  expect(b!.lift!.difference).toBeCloseTo(0.5, 12);
  // Arm B - arm A = 25 points; Newcombe on effective sizes 40 / (40/39) (one incident per customer),
  // computed by hand: 0.03521 to 0.43530.
  const [c] = readout!.comparisons;
  expect(c).toMatchObject({ a: 0, b: 1 });
  expect(c!.difference).toBeCloseTo(-0.25, 12);
  expect(c!.interval.low).toBeCloseTo(-0.43529648278081257, 10);
  expect(c!.interval.high).toBeCloseTo(-0.03521232198601629, 10);
  expect(readout!.winner).toBe(1);
  expect(readout!.verdict).toBe("WINNER");
  expect(readout!.sentence).toBe(
    "Customers given arm B (“$10 credit”) ordered again 75% of the time, arm A 50%: 25 points more (95% interval 4 to 44 points). Arm B (“$10 credit”) works better: you can make it this cell's only make-good.",
  );
  // Bootstrap: treated revenue per incident over the holdout's, times the arm's incidents.
  expect(b!.revenue!.incrementalMinor.value).toBeCloseTo((3_750 - 1_250) * 40, 6);
});

test("arms that differ less than the interval can tell: no winner, keep running", () => {
  const built: Built = { incidents: [], offers: [], assignments: [] };
  group(built, 0, 40, 20);
  group(built, 1, 40, 24);
  group(built, null, 20, 5);
  const [readout] = armsExperiments({ ...built, asOf: AS_OF, settings: SETTINGS, minPerGroup: 20 })[0]!.readouts;
  expect(readout).toMatchObject({ winner: null, verdict: "NO_CLEAR_WINNER" });
  expect(readout!.sentence).toMatch(
    /^Customers given arm B \(“\$10 credit”\) ordered again 60% of the time, arm A 50%: 10 points more \(95% interval -\d+ to \d+ points\); not a clear difference yet/,
  );
});

test("too few incidents in an arm, or an unfinished round: no comparison and no proposal", () => {
  const built: Built = { incidents: [], offers: [], assignments: [] };
  group(built, 0, 70, 20);
  group(built, 1, 10, 9);
  group(built, null, 20, 5);
  const [readout] = armsExperiments({ ...built, asOf: AS_OF, settings: SETTINGS, minPerGroup: 20 })[0]!.readouts;
  expect(readout).toMatchObject({ winner: null, verdict: "TOO_FEW", comparisons: [] });
  // Still in their window: no readout at all.
  const young = armsExperiments({ ...built, asOf: new Date(START + 5 * DAY), settings: SETTINGS })[0]!;
  expect(young.readouts).toEqual([]);
  expect(young.maturing).toBe(100);
});

test("the pairwise z is Bonferroni for 1, 3 and 6 comparisons", () => {
  expect(PAIRWISE_Z[1]).toBeCloseTo(1.959964, 6);
  expect(PAIRWISE_Z[3]).toBeCloseTo(2.39398, 5);
  expect(PAIRWISE_Z[6]).toBeCloseTo(2.638257, 6);
});

test("CSAT per arm: responses, average and share 4-5 by assigned arm, small groups too few to read, held out apart", () => {
  const built: Built = { incidents: [], offers: [], assignments: [] };
  group(built, 0, 40, 20);
  group(built, 1, 40, 30);
  group(built, null, 20, 5);
  const ratings = [
    // Arm A: 5, 4, 3, 2, 1, 5 -> 6 responses, average 20/6 = 3.333..., 3 of 6 satisfied.
    ...[5, 4, 3, 2, 1, 5].map((score, i) => ({ incidentId: `0-${i}`, score })),
    // Arm B: 4, 4, 5 -> 3 responses (under 5: too few to read), average 13/3, all satisfied.
    ...[4, 4, 5].map((score, i) => ({ incidentId: `1-${i}`, score })),
    // A held-out customer's rating stands apart.
    { incidentId: "h-0", score: 2 },
    // Another experiment's (or no experiment's) incident is not counted.
    { incidentId: "elsewhere", score: 1 },
  ];
  const [experiment] = armsExperiments({ ...built, ratings, asOf: AS_OF, settings: SETTINGS, minPerGroup: 20 });
  const [a, b] = experiment!.csat.arms;
  expect(a).toMatchObject({ key: "A", label: "Arm A", responses: 6, satisfiedShare: 0.5, small: false });
  expect(a!.average).toBeCloseTo(20 / 6, 12);
  expect(b).toMatchObject({ key: "B", label: "Arm B (“$10 credit”)", responses: 3, satisfiedShare: 1, small: true });
  expect(b!.average).toBeCloseTo(13 / 3, 12);
  expect(experiment!.csat.heldOut).toMatchObject({ responses: 1, average: 2, satisfiedShare: 0, small: true });
  // Without ratings every arm is listed with none, and nothing is held out.
  const [bare] = armsExperiments({ ...built, asOf: AS_OF, settings: SETTINGS, minPerGroup: 20 });
  expect(bare!.csat.arms.map((g) => g.responses)).toEqual([0, 0]);
  expect(bare!.csat.heldOut).toBeNull();
});

test("a timing experiment reads as one plain sentence: same-day against next morning, in points with the interval", () => {
  const built: Built = { incidents: [], offers: [], assignments: [] };
  group(built, 0, 40, 20);
  group(built, 1, 40, 30);
  group(built, null, 20, 5);
  // Arm A waits for the next morning, arm B is same-day; the arms give the same make-good.
  const timed = (nextMorning: number) =>
    built.assignments.map((a) => ({
      ...a,
      timing: a.arm === null ? null : a.arm === nextMorning ? "NEXT_MORNING" : "NOW",
      timingOnly: true,
    }));
  const [experiment] = armsExperiments({
    ...built,
    assignments: timed(0),
    asOf: AS_OF,
    settings: SETTINGS,
    minPerGroup: 20,
  });
  expect(experiment).toMatchObject({ timings: ["NEXT_MORNING", "NOW"], timingOnly: true });
  // The same figures as the first test: 75% vs 50%, B - A interval 3.5 to 43.5 points.
  expect(experiment!.readouts[0]!.sentence).toBe(
    "Same-day make-goods brought back 75% vs 50% next morning (difference 25 points, 95% interval 4 to 44 points). Same-day works better: you can make it this cell's only make-good.",
  );
  // The other way round: the next morning wins; the difference is negative.
  const [reversed] = armsExperiments({
    ...built,
    assignments: timed(1),
    asOf: AS_OF,
    settings: SETTINGS,
    minPerGroup: 20,
  });
  expect(reversed!.readouts[0]!.sentence).toBe(
    "Same-day make-goods brought back 50% vs 75% next morning (difference -25 points, 95% interval -44 to -4 points). The next morning works better: you can make it this cell's only make-good.",
  );
  // Arms that differ in more than timing keep the general sentence.
  const [mixed] = armsExperiments({
    ...built,
    assignments: timed(0).map((a) => ({ ...a, timingOnly: false })),
    asOf: AS_OF,
    settings: SETTINGS,
    minPerGroup: 20,
  });
  expect(mixed!.readouts[0]!.sentence).toMatch(/^Customers given arm B/);
});
