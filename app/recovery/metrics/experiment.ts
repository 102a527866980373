/**
 * The experiment readout (decision 0111): did make-goods bring customers back, measured against
 * the holdout the way an experiment must be read.
 *
 * - Intent to treat: every incident that went through the holdout draw counts in the group it
 *   was assigned to, whether or not a make-good then went out, and its outcome is measured the
 *   same way for both groups: a counted order within the attribution window after detection.
 * - Maturity: only incidents whose window has closed (plus a day for late orders to be read)
 *   count. The rest are "maturing" and the page says when the next readout is due.
 * - Guests are outside the comparison: whether a guest orders again cannot be known.
 * - Fixed readouts: the matured incidents, in detection order, are read in rounds of a size set
 *   in advance (`readoutIncidents`). Each round is read once, with a 95% interval, and never
 *   changes afterwards; looking every day cannot manufacture a result, because between readouts
 *   there is no new result to look at.
 * - Customers are the independent units (inference.ts): the interval allows for one customer's
 *   several incidents, and revenue and ROI intervals come from a customer-level bootstrap.
 */
import { MS_PER_DAY } from "../time";
import {
  clusteredDifference,
  clusteredGroup,
  incidentsForLift,
  minimumDetectableLift,
  revenueEstimates,
  type ClusteredGroup,
  type CustomerOutcome,
  type RevenueEstimates,
} from "./inference";
import { wilsonInterval, type Interval } from "./statistics";
import type { IncidentRecord, OfferRecord } from "./records";
import { cost, isIssued } from "./offers";

/** Below this many incidents in either group of a readout the interval is too wide to act on. */
export const MIN_INCIDENTS_PER_GROUP = 30;
/** Orders are attributed by a job after they arrive: a window counts as closed a day after it ends. */
export const MATURITY_GRACE_DAYS = 1;
/** Below this share of treated incidents with an issued make-good, "per make-good" is not shown. */
const MIN_ISSUED_SHARE = 0.05;
/** The lift a plan is sized for when the page says how many incidents a conclusion needs. */
export const PLANNING_LIFT = 0.05;

export interface ExperimentSettings {
  windowDays: number;
  readoutIncidents: number;
  holdoutShare: number;
}

export interface ExperimentGroup extends ClusteredGroup {
  interval: Interval | null;
}

export interface Readout {
  /** 1 for the first round of matured incidents. */
  round: number;
  /** Detection times of the round's first and last incident. */
  firstDetectedAt: Date;
  lastDetectedAt: Date;
  treated: ExperimentGroup;
  holdout: ExperimentGroup;
  /** Null when either group has fewer than MIN_INCIDENTS_PER_GROUP incidents. */
  lift: { difference: number; interval: Interval; method: "NEWCOMBE_WILSON_CLUSTERED_95" } | null;
  /** Treated incidents whose make-good was issued, over all treated incidents. */
  issuedShare: number;
  /** The lift divided by the issued share: the effect of a make-good that actually went out. */
  perIssued: { difference: number; interval: Interval } | null;
  /** The smallest lift this readout could find with 80% power. */
  minimumDetectableLift: number;
  revenue: RevenueEstimates | null;
  verdict: "BETTER" | "WORSE" | "UNCLEAR" | "TOO_FEW";
  sentence: string;
}

export interface ExperimentProgress {
  /** Matured, measurable incidents waiting for the next round. */
  matured: number;
  /** Measurable incidents whose window is still open. */
  maturing: number;
  /** Incidents the next round still needs, matured or not. */
  needed: number;
  /** When the earliest maturing incident's window closes. */
  nextMaturesAt: Date | null;
  /** When the next readout is due: exact if enough incidents are already maturing, else projected. */
  readoutDueAt: Date | null;
  readoutDueIsProjection: boolean;
}

export interface Experiment {
  settings: ExperimentSettings;
  readouts: Readout[];
  progress: ExperimentProgress;
  /** Guest incidents in the draw: outside the comparison. */
  guests: number;
  /** With today's return rate and holdout share: incidents a readout needs to find a PLANNING_LIFT lift. */
  incidentsForPlanningLift: number | null;
  /** The smallest lift a readout of `readoutIncidents` can find with 80% power. */
  plannedMinimumDetectableLift: number | null;
  sentence: string;
}

export interface ExperimentInput {
  /** The shop's incidents (any period that ends at asOf; usually all). */
  incidents: readonly IncidentRecord[];
  offers: readonly OfferRecord[];
  asOf: Date;
  settings: ExperimentSettings;
  minPerGroup?: number;
}

export const maturesAt = (incident: Pick<IncidentRecord, "detectedAt">, windowDays: number) =>
  new Date(incident.detectedAt.getTime() + (windowDays + MATURITY_GRACE_DAYS) * MS_PER_DAY);

export const isMatured = (incident: Pick<IncidentRecord, "detectedAt">, windowDays: number, asOf: Date) =>
  maturesAt(incident, windowDays).getTime() <= asOf.getTime();

/** In the comparison: went through the draw and has a customer to follow. */
export const isMeasurable = (incident: IncidentRecord) => incident.eligible && incident.customerId !== null;

const byDetection = (a: IncidentRecord, b: IncidentRecord) =>
  a.detectedAt.getTime() - b.detectedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Per customer: incidents, returns, distinct orders' revenue and the make-goods' used value. */
export function customerOutcomes(
  incidents: readonly IncidentRecord[],
  usedByIncident: ReadonlyMap<string, { cost: number; used: number }>,
): CustomerOutcome[] {
  const byCustomer = new Map<string, CustomerOutcome & { orders: Set<string> }>();
  for (const i of incidents) {
    const key = i.customerId ?? `incident:${i.id}`;
    let c = byCustomer.get(key);
    if (!c) {
      c = { incidents: 0, returned: 0, revenueMinor: 0, costMinor: 0, usedMinor: 0, orders: new Set() };
      byCustomer.set(key, c);
    }
    c.incidents += 1;
    if (i.wonBack) c.returned += 1;
    if (i.wonBack && i.wonBackOrder && !c.orders.has(i.wonBackOrder.id)) {
      c.orders.add(i.wonBackOrder.id);
      c.revenueMinor += i.wonBackOrder.totalMinor;
    }
    const used = usedByIncident.get(i.id);
    if (used) {
      c.costMinor += used.cost;
      c.usedMinor += used.used;
    }
  }
  return [...byCustomer.values()].map(({ orders: _orders, ...c }) => c);
}

/** Value used per incident, and the part of it revenue does not already net out (cost(): a code lowers the order's total). */
export function usedByIncident(offers: readonly OfferRecord[]): Map<string, { cost: number; used: number }> {
  const byIncident = new Map<string, OfferRecord[]>();
  for (const o of offers) {
    const list = byIncident.get(o.incidentId);
    if (list) list.push(o);
    else byIncident.set(o.incidentId, [o]);
  }
  const map = new Map<string, { cost: number; used: number }>();
  for (const [id, list] of byIncident) {
    const c = cost(list);
    if (c.usedMinor > 0) map.set(id, { cost: c.usedMinor - c.netOfRevenueMinor, used: c.usedMinor });
  }
  return map;
}

/** Each group's own 95% interval, on the same effective sample size as the lift's. */
export function withInterval(group: ClusteredGroup): ExperimentGroup {
  if (group.incidents === 0) return { ...group, interval: null };
  return {
    ...group,
    interval: wilsonInterval(group.returned / group.designEffect, group.incidents / group.designEffect),
  };
}

function readRound(
  round: number,
  incidents: readonly IncidentRecord[],
  offers: readonly OfferRecord[],
  used: ReadonlyMap<string, { cost: number; used: number }>,
  settings: ExperimentSettings,
  minPerGroup: number,
  withRevenue: boolean,
): Readout {
  const treatedIncidents = incidents.filter((i) => !i.holdout);
  const holdoutIncidents = incidents.filter((i) => i.holdout);
  const treatedCustomers = customerOutcomes(treatedIncidents, used);
  const holdoutCustomers = customerOutcomes(holdoutIncidents, used);
  const treated = withInterval(clusteredGroup(treatedCustomers));
  const holdout = withInterval(clusteredGroup(holdoutCustomers));
  const ids = new Set(treatedIncidents.map((i) => i.id));
  const issuedIncidents = new Set(offers.filter((o) => ids.has(o.incidentId) && isIssued(o)).map((o) => o.incidentId));
  const issuedShare = treated.incidents === 0 ? 0 : issuedIncidents.size / treated.incidents;
  const baseline = holdout.rate ?? treated.rate ?? 0.2;
  const mde = minimumDetectableLift(
    treated.incidents / treated.designEffect,
    holdout.incidents / holdout.designEffect,
    baseline,
  );
  const first = incidents[0];
  const last = incidents[incidents.length - 1];
  const common = {
    round,
    firstDetectedAt: first?.detectedAt ?? new Date(0),
    lastDetectedAt: last?.detectedAt ?? new Date(0),
    treated,
    holdout,
    issuedShare,
    minimumDetectableLift: mde,
  };
  if (treated.incidents < minPerGroup || holdout.incidents < minPerGroup) {
    const readout = { ...common, lift: null, perIssued: null, revenue: null, verdict: "TOO_FEW" as const };
    return { ...readout, sentence: readoutSentence(readout, settings, minPerGroup) };
  }
  const d = clusteredDifference(treated, holdout);
  const lift = {
    difference: d.difference,
    interval: { low: d.low, high: d.high },
    method: "NEWCOMBE_WILSON_CLUSTERED_95" as const,
  };
  const perIssued =
    issuedShare >= MIN_ISSUED_SHARE
      ? {
          difference: d.difference / issuedShare,
          interval: { low: d.low / issuedShare, high: d.high / issuedShare },
        }
      : null;
  const verdict = d.low > 0 ? "BETTER" : d.high < 0 ? "WORSE" : "UNCLEAR";
  const readout = {
    ...common,
    lift,
    perIssued,
    revenue: withRevenue ? revenueEstimates(treatedCustomers, holdoutCustomers, { seed: 0x5eed + round }) : null,
    verdict,
  } as const;
  return { ...readout, sentence: readoutSentence(readout, settings, minPerGroup) };
}

const pts = (fraction: number) => {
  const rounded = Math.round(fraction * 100);
  return rounded === 0 ? 0 : rounded; // no "-0"
};
const pointsText = (fraction: number) => {
  const n = Math.abs(pts(fraction));
  return `${n} ${n === 1 ? "point" : "points"}`;
};

function readoutSentence(
  readout: Omit<Readout, "sentence">,
  settings: ExperimentSettings,
  minPerGroup: number,
): string {
  const { treated, holdout } = readout;
  const window = `within ${settings.windowDays} days of the failure`;
  if (!readout.lift) {
    return holdout.incidents === 0
      ? `No holdout group: ${treated.incidents} incidents were all assigned a make-good, so there is nothing to compare with. Set a holdout share above 0.`
      : `Too few incidents to compare: ${treated.incidents} assigned a make-good and ${holdout.incidents} held out; each group needs at least ${minPerGroup}.`;
  }
  const { difference, interval } = readout.lift;
  const d = pts(difference);
  const effect = d === 0 ? "as often as" : `${pointsText(difference)} ${d > 0 ? "more" : "less"} often than`;
  const ci = `(95% interval ${pts(interval.low)} to ${pts(interval.high)} points)`;
  const caveat =
    readout.verdict === "UNCLEAR"
      ? `; not distinguishable from no effect: this readout could only have found a lift of about ${pointsText(readout.minimumDetectableLift)} or more`
      : "";
  const main = `Customers whose incidents were assigned a make-good ordered again ${window} ${effect} held-out customers ${ci}${caveat}.`;
  if (!readout.perIssued || readout.issuedShare >= 0.995) return main;
  const share = `${readout.issuedShare < 0.9 ? "Only " : ""}${Math.round(readout.issuedShare * 100)}% of them actually got one`;
  return `${main} ${share}; per make-good that went out, about ${d === 0 ? "0 points" : `${pts(readout.perIssued.difference) > 0 ? "+" : "−"}${pointsText(readout.perIssued.difference)}`}.`;
}

/**
 * The incidents of each completed round, in order, and those not in one yet. A round is the next
 * `readoutIncidents` matured, measurable incidents in detection order; an incident matures a
 * fixed time after its detection, so a round, once complete, never changes.
 */
export function readoutRounds(
  incidents: readonly IncidentRecord[],
  asOf: Date,
  settings: Pick<ExperimentSettings, "windowDays" | "readoutIncidents">,
): { rounds: IncidentRecord[][]; waiting: IncidentRecord[]; maturing: IncidentRecord[]; guests: number } {
  const size = Math.max(1, Math.floor(settings.readoutIncidents));
  const drawn = incidents.filter((i) => i.eligible && i.detectedAt.getTime() <= asOf.getTime());
  const measurable = drawn.filter((i) => i.customerId !== null).sort(byDetection);
  const matured = measurable.filter((i) => isMatured(i, settings.windowDays, asOf));
  const maturing = measurable.filter((i) => !isMatured(i, settings.windowDays, asOf));
  const rounds: IncidentRecord[][] = [];
  let start = 0;
  for (; start + size <= matured.length; start += size) rounds.push(matured.slice(start, start + size));
  return { rounds, waiting: matured.slice(start), maturing, guests: drawn.length - measurable.length };
}

/**
 * Where completed readouts are kept between calls, by a fingerprint of everything a round's readout
 * is computed from (the caller may hash it). A round, once complete, never changes, yet reading it
 * again costs its customer-level bootstrap (most of the experiment's time on a year-long shop); a
 * round whose inputs did change (say a late attribution) has another fingerprint and is read anew.
 */
export interface ReadoutMemo {
  get(fingerprint: string): Readout | undefined;
  set(fingerprint: string, readout: Readout): void;
}

export interface ExperimentOptions {
  /** Bootstrap revenue and ROI intervals (default true); off for simulations that only need the lift. */
  revenue?: boolean;
  readouts?: ReadoutMemo;
}

/** Everything readRound reads of a round, as one string: equal strings give equal readouts. */
function roundFingerprint(
  round: number,
  incidents: readonly IncidentRecord[],
  issued: ReadonlySet<string>,
  used: ReadonlyMap<string, { cost: number; used: number }>,
  settings: ExperimentSettings,
  minPerGroup: number,
  withRevenue: boolean,
): string {
  const parts = [
    `v1|${round}|${settings.windowDays}|${settings.readoutIncidents}|${settings.holdoutShare}|${minPerGroup}|${withRevenue}`,
    `${incidents[0]?.detectedAt.getTime()}|${incidents[incidents.length - 1]?.detectedAt.getTime()}`,
  ];
  for (const i of incidents) {
    const u = used.get(i.id);
    parts.push(
      `${i.id}|${i.holdout ? 1 : 0}|${i.customerId ?? ""}|${i.wonBack ? 1 : 0}|${i.wonBackOrder ? `${i.wonBackOrder.id}:${i.wonBackOrder.totalMinor}` : ""}|${u ? `${u.cost}:${u.used}` : ""}|${issued.has(i.id) ? 1 : 0}`,
    );
  }
  return parts.join("\n");
}

/** The readouts so far and the progress towards the next one. */
export function experiment(input: ExperimentInput, options: ExperimentOptions = {}): Experiment {
  const { settings, asOf } = input;
  const minPerGroup = input.minPerGroup ?? MIN_INCIDENTS_PER_GROUP;
  const size = Math.max(1, Math.floor(settings.readoutIncidents));
  const { rounds, waiting: waitingIncidents, maturing, guests } = readoutRounds(input.incidents, asOf, settings);
  const used = usedByIncident(input.offers);
  const withRevenue = options.revenue ?? true;
  const memo = options.readouts;
  const issued = memo ? new Set(input.offers.filter(isIssued).map((o) => o.incidentId)) : new Set<string>();
  const readouts = rounds.map((round, k) => {
    if (!memo) return readRound(k + 1, round, input.offers, used, settings, minPerGroup, withRevenue);
    const fingerprint = roundFingerprint(k + 1, round, issued, used, settings, minPerGroup, withRevenue);
    const known = memo.get(fingerprint);
    if (known) return known;
    const readout = readRound(k + 1, round, input.offers, used, settings, minPerGroup, withRevenue);
    memo.set(fingerprint, readout);
    return readout;
  });
  const matured = [...rounds.flat(), ...waitingIncidents];
  const measurable = [...matured, ...maturing];
  const waiting = waitingIncidents.length;
  const needed = size - waiting;
  const nextMaturing = maturing[0];
  const enough = maturing[needed - 1];
  let readoutDueAt: Date | null = null;
  let projection = false;
  if (enough) readoutDueAt = maturesAt(enough, settings.windowDays);
  else {
    // Project from the pace of the last window's incidents.
    const since = asOf.getTime() - settings.windowDays * MS_PER_DAY;
    const recent = measurable.filter((i) => i.detectedAt.getTime() > since).length;
    if (recent > 0) {
      const perDay = recent / settings.windowDays;
      const moreDays = (needed - maturing.length) / perDay;
      readoutDueAt = new Date(asOf.getTime() + (moreDays + settings.windowDays + MATURITY_GRACE_DAYS) * MS_PER_DAY);
      projection = true;
    }
  }
  const pooled = matured.length > 0 ? matured.filter((i) => i.wonBack).length / matured.length : 0.2;
  const share = settings.holdoutShare;
  const planned = share > 0 && share < 1 ? minimumDetectableLift(size * (1 - share), size * share, pooled) : null;
  const forPlanning = share > 0 && share < 1 ? incidentsForLift(PLANNING_LIFT, pooled, share) : null;
  const progress: ExperimentProgress = {
    matured: waiting,
    maturing: maturing.length,
    needed,
    nextMaturesAt: nextMaturing ? maturesAt(nextMaturing, settings.windowDays) : null,
    readoutDueAt,
    readoutDueIsProjection: projection,
  };
  const result = {
    settings,
    readouts,
    progress,
    guests,
    incidentsForPlanningLift: forPlanning,
    plannedMinimumDetectableLift: planned,
  };
  return { ...result, sentence: experimentSentence(result) };
}

function experimentSentence(e: Omit<Experiment, "sentence">): string {
  const latest = e.readouts[e.readouts.length - 1];
  if (latest) return latest.sentence;
  const { progress, settings } = e;
  if (settings.holdoutShare <= 0)
    return "No holdout: every incident gets its make-good, so nothing can show whether make-goods bring customers back. Set a holdout share above 0.";
  const have = progress.matured + progress.maturing;
  return `The first readout comes once ${settings.readoutIncidents} incidents have been followed for ${settings.windowDays} days: ${progress.matured} have, ${progress.maturing} are still maturing${have < settings.readoutIncidents ? `, and ${settings.readoutIncidents - have} more are needed` : ""}.`;
}
