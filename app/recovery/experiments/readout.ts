/**
 * Which arm works (decision 0119): per experiment, each arm against the cell's holdout and the arms
 * against each other, read the way the shop's experiment is read (metrics/experiment.ts, decision
 * 0111): intent to treat (every drawn incident counts in the arm it was assigned, offer issued or
 * not), fixed readout rounds of matured incidents, each read once, and customers as the
 * independent units (clustered Newcombe intervals, bootstrap for revenue).
 *
 * An arm is declared the winner of a readout only when its interval against every other arm
 * excludes zero; with more than two arms the pairwise intervals are Bonferroni-widened so the
 * chance of declaring any winner among equal arms stays at most 5% per readout.
 */
import {
  customerOutcomes,
  MIN_INCIDENTS_PER_GROUP,
  readoutRounds,
  usedByIncident,
  withInterval,
} from "../metrics/experiment";
import {
  clusteredDifference,
  clusteredGroup,
  revenueEstimates,
  type ClusteredGroup,
  type CustomerOutcome,
  type RevenueEstimates,
} from "../metrics/inference";
import type { IncidentRecord, OfferRecord } from "../metrics/records";
import { Z_95, type Interval } from "../metrics/statistics";
import { csatGroup, type CsatGroup } from "../ratings/csat";
import { ARM_LETTERS, type ArmTiming } from "./arms-field";

/** An incident's arm as stored (ArmAssignment): arm null for the experiment's held-out incidents. */
export interface ArmAssignmentRecord {
  incidentId: string;
  experimentKey: string;
  arm: number | null;
  label: string | null;
  arms: number;
  /** The arm's timing (NOW, NEXT_MORNING); null when held out; absent in records from before timings: NOW. */
  timing?: string | null;
  /** The experiment's arms differ only in timing; absent: false. */
  timingOnly?: boolean;
}

export interface ArmsSettings {
  windowDays: number;
  readoutIncidents: number;
}

/**
 * z for two-sided 95% family-wise over m pairwise comparisons (Bonferroni): the 1 - 0.025/m
 * quantile of the standard normal, for m = 1 (2 arms), 3 (3 arms), 6 (4 arms).
 */
export const PAIRWISE_Z: Readonly<Record<number, number>> = { 1: Z_95, 3: 2.3939797998185104, 6: 2.638257273476751 };

export interface ArmGroup extends ClusteredGroup {
  index: number;
  letter: string;
  label: string | null;
  interval: Interval | null;
  /** Against the holdout: the repurchase lift, null with too few incidents in either group. */
  lift: (Interval & { difference: number }) | null;
  /** Won-back revenue per incident, minor units. */
  revenuePerIncident: number;
  /** Value of its make-goods the customers used (not already netted out of revenue) per incident. */
  costPerIncident: number;
  /** Revenue less cost, per incident. */
  netPerIncident: number;
  /** Incremental revenue and ROI against the holdout (bootstrap 95%). */
  revenue: RevenueEstimates | null;
}

export interface ArmComparison {
  /** Arm indexes: the difference is rate(a) - rate(b). */
  a: number;
  b: number;
  difference: number;
  interval: Interval;
}

export interface ArmsReadout {
  round: number;
  firstDetectedAt: Date;
  lastDetectedAt: Date;
  arms: ArmGroup[];
  holdout: (ClusteredGroup & { interval: Interval | null; revenuePerIncident: number }) | null;
  comparisons: ArmComparison[];
  /** The arm whose interval against every other arm is above zero; null when none is. */
  winner: number | null;
  verdict: "WINNER" | "NO_CLEAR_WINNER" | "TOO_FEW";
  sentence: string;
}

export interface ArmsExperiment {
  experimentKey: string;
  armCount: number;
  labels: (string | null)[];
  /** Each arm's timing (NOW unless an assignment says NEXT_MORNING). */
  timings: ArmTiming[];
  /** A timing experiment: the arms give the same make-good, now or the next morning. */
  timingOnly: boolean;
  readouts: ArmsReadout[];
  /** Matured incidents waiting for the next round, and those still in their window. */
  waiting: number;
  maturing: number;
  sentence: string;
  /** Satisfaction per arm (decision 0117's figures), over every rated incident of the experiment. */
  csat: ArmsCsat;
}

/**
 * CSAT per arm: one group per arm (A first, also with no responses), small under MIN_RESPONSES
 * (too few to read). Held-out customers got no make-good: their ratings, if any, stand apart.
 */
export interface ArmsCsat {
  arms: CsatGroup[];
  heldOut: CsatGroup | null;
}

/** A customer's rating of an incident's recovery (model Rating). */
export interface ArmRatingRecord {
  incidentId: string;
  score: number;
}

export interface ArmsInput {
  incidents: readonly IncidentRecord[];
  offers: readonly OfferRecord[];
  assignments: readonly ArmAssignmentRecord[];
  asOf: Date;
  settings: ArmsSettings;
  minPerGroup?: number;
  /** Ratings of the shop's incidents; absent: no CSAT (every arm shows no responses). */
  ratings?: readonly ArmRatingRecord[];
}

const armWord = (index: number, label: string | null) =>
  `arm ${ARM_LETTERS[index] ?? index + 1}${label ? ` (“${label}”)` : ""}`;
const pts = (fraction: number) => {
  const rounded = Math.round(fraction * 100);
  return rounded === 0 ? 0 : rounded;
};

const perIncident = (customers: readonly CustomerOutcome[], pick: (c: CustomerOutcome) => number) => {
  let n = 0;
  let total = 0;
  for (const c of customers) {
    n += c.incidents;
    total += pick(c);
  }
  return n === 0 ? 0 : total / n;
};

function readArmsRound(
  round: number,
  incidents: readonly IncidentRecord[],
  byIncident: ReadonlyMap<string, ArmAssignmentRecord>,
  labels: readonly (string | null)[],
  used: ReadonlyMap<string, { cost: number; used: number }>,
  minPerGroup: number,
  withRevenue: boolean,
  timing: TimingArms | null = null,
): ArmsReadout {
  const k = labels.length;
  const armIncidents = labels.map((_, i) => incidents.filter((x) => !x.holdout && byIncident.get(x.id)?.arm === i));
  const heldOut = incidents.filter((x) => x.holdout);
  const holdoutCustomers = customerOutcomes(heldOut, used);
  const holdoutGroup = heldOut.length > 0 ? withInterval(clusteredGroup(holdoutCustomers)) : null;
  const enough = (g: ClusteredGroup | null) => g !== null && g.incidents >= minPerGroup;
  const arms: ArmGroup[] = armIncidents.map((list, index) => {
    const customers = customerOutcomes(list, used);
    const group = withInterval(clusteredGroup(customers));
    const revenuePerIncident = perIncident(customers, (c) => c.revenueMinor);
    const costPerIncident = perIncident(customers, (c) => c.costMinor);
    const vsHoldout = enough(group) && holdoutGroup && enough(holdoutGroup);
    return {
      ...group,
      index,
      letter: ARM_LETTERS[index] ?? String(index + 1),
      label: labels[index] ?? null,
      lift: vsHoldout ? clusteredDifference(group, holdoutGroup) : null,
      revenuePerIncident,
      costPerIncident,
      netPerIncident: revenuePerIncident - costPerIncident,
      revenue:
        vsHoldout && withRevenue
          ? revenueEstimates(customers, holdoutCustomers, { seed: 0xa4a5 + round * 8 + index })
          : null,
    };
  });
  const z = PAIRWISE_Z[(k * (k - 1)) / 2] ?? Z_95;
  const comparisons: ArmComparison[] = [];
  if (arms.every(enough))
    for (let a = 0; a < k; a++)
      for (let b = a + 1; b < k; b++) {
        const d = clusteredDifference(arms[a]!, arms[b]!, z);
        comparisons.push({ a, b, difference: d.difference, interval: { low: d.low, high: d.high } });
      }
  const beats = (w: number, other: number) =>
    comparisons.some(
      (c) => (c.a === w && c.b === other && c.interval.low > 0) || (c.a === other && c.b === w && c.interval.high < 0),
    );
  const winner =
    comparisons.length === 0
      ? null
      : (arms.find((w) => arms.every((o) => o.index === w.index || beats(w.index, o.index)))?.index ?? null);
  const verdict = comparisons.length === 0 ? "TOO_FEW" : winner === null ? "NO_CLEAR_WINNER" : "WINNER";
  const readout = {
    round,
    firstDetectedAt: incidents[0]?.detectedAt ?? new Date(0),
    lastDetectedAt: incidents[incidents.length - 1]?.detectedAt ?? new Date(0),
    arms,
    holdout: holdoutGroup
      ? { ...holdoutGroup, revenuePerIncident: perIncident(holdoutCustomers, (c) => c.revenueMinor) }
      : null,
    comparisons,
    winner,
    verdict,
  } as const;
  return {
    ...readout,
    sentence:
      timing && readout.verdict !== "TOO_FEW" ? timingSentence(readout, timing) : armsSentence(readout, minPerGroup),
  };
}

/** A two-arm timing experiment: which arm is same-day and which the next morning. */
interface TimingArms {
  now: number;
  nextMorning: number;
}

function timingArms(timings: readonly ArmTiming[], timingOnly: boolean): TimingArms | null {
  if (!timingOnly || timings.length !== 2) return null;
  const now = timings.indexOf("NOW");
  const nextMorning = timings.indexOf("NEXT_MORNING");
  return now >= 0 && nextMorning >= 0 ? { now, nextMorning } : null;
}

/**
 * "Does same-day matter?" in one plain sentence: same-day against next-morning make-goods, the
 * difference in points with its 95% interval, and whether it is clear yet.
 */
function timingSentence(r: Omit<ArmsReadout, "sentence">, t: TimingArms): string {
  const now = r.arms[t.now]!;
  const later = r.arms[t.nextMorning]!;
  const c = r.comparisons.find(
    (x) => (x.a === t.now && x.b === t.nextMorning) || (x.a === t.nextMorning && x.b === t.now),
  )!;
  // Oriented as same-day minus next morning.
  const sign = c.a === t.now ? 1 : -1;
  const difference = sign * c.difference;
  const low = sign === 1 ? c.interval.low : -c.interval.high;
  const high = sign === 1 ? c.interval.high : -c.interval.low;
  const lead = `Same-day make-goods brought back ${Math.round(now.rate! * 100)}% vs ${Math.round(later.rate! * 100)}% next morning (difference ${pts(difference)} points, 95% interval ${pts(low)} to ${pts(high)} points)`;
  if (r.winner === t.now) return `${lead}. Same-day works better: you can make it this cell's only make-good.`;
  if (r.winner === t.nextMorning)
    return `${lead}. The next morning works better: you can make it this cell's only make-good.`;
  return `${lead}; not a clear difference yet, so keep the experiment running.`;
}

function armsSentence(r: Omit<ArmsReadout, "sentence">, minPerGroup: number): string {
  if (r.verdict === "TOO_FEW")
    return `Too few incidents to compare the arms: ${r.arms.map((a) => `${a.incidents} in ${armWord(a.index, a.label)}`).join(", ")}; each arm needs at least ${minPerGroup}.`;
  // The arm with the highest rate against the next best.
  const sorted = [...r.arms].sort((x, y) => (y.rate ?? 0) - (x.rate ?? 0));
  const best = sorted[0]!;
  const next = sorted[1]!;
  const c = r.comparisons.find(
    (x) => (x.a === best.index && x.b === next.index) || (x.a === next.index && x.b === best.index),
  )!;
  const sign = c.a === best.index ? 1 : -1;
  const low = sign === 1 ? c.interval.low : -c.interval.high;
  const high = sign === 1 ? c.interval.high : -c.interval.low;
  const d = pts(best.rate! - next.rate!);
  const lead = `Customers given ${armWord(best.index, best.label)} ordered again ${Math.round(best.rate! * 100)}% of the time, ${armWord(next.index, next.label)} ${Math.round(next.rate! * 100)}%: ${d === 0 ? "no difference" : `${d} points more`} (95% interval ${pts(low)} to ${pts(high)} points)`;
  if (r.verdict === "WINNER")
    return `${lead}. ${armWord(best.index, best.label).replace(/^a/, "A")} works better: you can make it this cell's only make-good.`;
  return `${lead}; not a clear difference yet, so keep the experiment running.`;
}

/** The readouts of every experiment with incidents so far, newest experiments last. */
export function armsExperiments(input: ArmsInput, options: { revenue?: boolean } = {}): ArmsExperiment[] {
  const minPerGroup = input.minPerGroup ?? MIN_INCIDENTS_PER_GROUP;
  const byIncident = new Map(input.assignments.map((a) => [a.incidentId, a]));
  const keys = [...new Set(input.assignments.map((a) => a.experimentKey))];
  const used = usedByIncident(input.offers);
  return keys.map((experimentKey) => {
    const assignments = input.assignments.filter((a) => a.experimentKey === experimentKey);
    const armCount = Math.max(...assignments.map((a) => a.arms));
    const labels = Array.from(
      { length: armCount },
      (_, i) => assignments.find((a) => a.arm === i && a.label !== null)?.label ?? null,
    );
    const timings = Array.from({ length: armCount }, (_, i): ArmTiming =>
      assignments.some((a) => a.arm === i && a.timing === "NEXT_MORNING") ? "NEXT_MORNING" : "NOW",
    );
    const timingOnly = assignments.some((a) => a.timingOnly === true);
    const timing = timingArms(timings, timingOnly);
    const incidents = input.incidents.filter((i) => byIncident.get(i.id)?.experimentKey === experimentKey);
    const { rounds, waiting, maturing } = readoutRounds(incidents, input.asOf, input.settings);
    const readouts = rounds.map((round, k) =>
      readArmsRound(k + 1, round, byIncident, labels, used, minPerGroup, options.revenue ?? true, timing),
    );
    const latest = readouts[readouts.length - 1];
    const sentence =
      latest?.sentence ??
      `The first readout of this experiment comes once ${input.settings.readoutIncidents} of its incidents have been followed for ${input.settings.windowDays} days: ${waiting.length} have, ${maturing.length} are still maturing.`;
    return {
      experimentKey,
      armCount,
      labels,
      timings,
      timingOnly,
      readouts,
      waiting: waiting.length,
      maturing: maturing.length,
      sentence,
      csat: armsCsat(assignments, labels, input.ratings ?? []),
    };
  });
}

/**
 * Ratings by the arm their incident was assigned (ArmAssignment): a rating counts in its arm
 * whenever it was given, matured or not; a held-out incident's (arm null) stands apart.
 */
export function armsCsat(
  assignments: readonly ArmAssignmentRecord[],
  labels: readonly (string | null)[],
  ratings: readonly ArmRatingRecord[],
): ArmsCsat {
  const armOf = new Map(assignments.map((a) => [a.incidentId, a.arm]));
  const scores = labels.map((): number[] => []);
  const heldOut: number[] = [];
  for (const rating of ratings) {
    if (!armOf.has(rating.incidentId)) continue;
    const arm = armOf.get(rating.incidentId) ?? null;
    if (arm === null) heldOut.push(rating.score);
    else scores[arm]?.push(rating.score);
  }
  return {
    arms: scores.map((list, index) => {
      const word = armWord(index, labels[index] ?? null);
      return csatGroup(ARM_LETTERS[index] ?? String(index + 1), word.charAt(0).toUpperCase() + word.slice(1), list);
    }),
    heldOut: heldOut.length > 0 ? csatGroup("HELD_OUT", "Held out (no make-good)", heldOut) : null,
  };
}
