/**
 * Recovery rates, treated against holdout, and the lift between them.
 *
 * Groups are by assignment (intent to treat): "treated" is every eligible
 * incident the holdout draw did not hold out, whether or not its offer was
 * then approved and issued. Only assignment is random, so only this
 * comparison measures what running the program does.
 */
import { newcombeDifference, wilsonInterval, type Interval } from "./statistics";
import type { IncidentRecord } from "./records";

/** Below this many incidents in either group the interval is too wide to act on (about +/-25 points). */
export const MIN_INCIDENTS_PER_GROUP = 30;

export interface GroupRate {
  incidents: number;
  wonBack: number;
  rate: number | null;
  interval: Interval | null;
}

export type Lift =
  | { insufficientData: false; difference: number; interval: Interval; method: "NEWCOMBE_WILSON_95" }
  | { insufficientData: true; rule: string; minPerGroup: number };

export interface RecoveryComparison {
  treated: GroupRate;
  holdout: GroupRate;
  lift: Lift;
  sentence: string;
}

function groupRate(incidents: readonly IncidentRecord[]): GroupRate {
  const wonBack = incidents.filter((i) => i.wonBack).length;
  const n = incidents.length;
  return {
    incidents: n,
    wonBack,
    rate: n === 0 ? null : wonBack / n,
    interval: n === 0 ? null : wilsonInterval(wonBack, n),
  };
}

export function treatedIncidents(incidents: readonly IncidentRecord[]): IncidentRecord[] {
  return incidents.filter((i) => i.eligible && !i.holdout);
}

export function holdoutIncidents(incidents: readonly IncidentRecord[]): IncidentRecord[] {
  return incidents.filter((i) => i.eligible && i.holdout);
}

export function recoveryComparison(
  incidents: readonly IncidentRecord[],
  minPerGroup = MIN_INCIDENTS_PER_GROUP,
): RecoveryComparison {
  const treated = groupRate(treatedIncidents(incidents));
  const holdout = groupRate(holdoutIncidents(incidents));
  if (treated.incidents < minPerGroup || holdout.incidents < minPerGroup) {
    const lift: Lift = {
      insufficientData: true,
      rule: `at least ${minPerGroup} treated and ${minPerGroup} holdout incidents`,
      minPerGroup,
    };
    return { treated, holdout, lift, sentence: liftSentence(treated, holdout, lift) };
  }
  const { difference, low, high } = newcombeDifference(
    treated.wonBack,
    treated.incidents,
    holdout.wonBack,
    holdout.incidents,
  );
  const lift: Lift = { insufficientData: false, difference, interval: { low, high }, method: "NEWCOMBE_WILSON_95" };
  return { treated, holdout, lift, sentence: liftSentence(treated, holdout, lift) };
}

const points = (fraction: number) => {
  const rounded = Math.round(fraction * 100);
  return rounded === 0 ? 0 : rounded; // no "-0"
};
const incidentsText = (n: number) => `${n} ${n === 1 ? "incident" : "incidents"}`;

export function liftSentence(treated: GroupRate, holdout: GroupRate, lift: Lift): string {
  if (lift.insufficientData) {
    if (holdout.incidents === 0 && treated.incidents > 0) {
      return `No holdout group yet: ${incidentsText(treated.incidents)} treated and none held out; set a holdout share above 0 to measure the lift.`;
    }
    return `Too little data yet: ${treated.incidents} treated and ${holdout.incidents} holdout incidents; we need at least ${lift.minPerGroup} in each group.`;
  }
  const d = points(lift.difference);
  const ci = `(95% CI ${points(lift.interval.low)} to ${points(lift.interval.high)} points)`;
  const effect =
    d === 0
      ? "as often as"
      : `${Math.abs(d)} ${Math.abs(d) === 1 ? "point" : "points"} ${d > 0 ? "more" : "less"} often than`;
  const caveat = lift.interval.low <= 0 && lift.interval.high >= 0 ? "; not yet distinguishable from no effect" : "";
  return `Customers who got a make-good came back ${effect} the holdout ${ci}${caveat}.`;
}
