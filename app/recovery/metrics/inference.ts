/**
 * Inference for the experiment readout (decision 0111): a lift interval that allows for several
 * incidents of one customer, how small a lift the data could detect, how many incidents a
 * conclusion needs, and bootstrap intervals for incremental revenue and ROI.
 *
 * Customers, not incidents, are the independent units: one customer's incidents share an
 * assignment (the holdout is per customer, guardrails/holdout.ts) and tend to share an outcome.
 * The lift interval stays Newcombe's hybrid score interval (statistics.ts) but on each group's
 * effective sample size, the incident count divided by its design effect (the cluster-robust
 * variance of the group's rate over the binomial one, never below 1). With one incident per
 * customer it is the plain Newcombe interval.
 */
import { seededRandom } from "../random";
import { newcombeDifference, Z_95, type Interval } from "./statistics";

/** One customer's incidents in a group: how many, how many came back, and what they brought. */
export interface CustomerOutcome {
  incidents: number;
  returned: number;
  /** Revenue of the distinct orders that brought them back (minor units). */
  revenueMinor: number;
  /** Value of their issued make-goods that customers used and that revenue does not already net out. */
  costMinor: number;
  /** Value of their issued make-goods that customers used. */
  usedMinor: number;
}

export interface ClusteredGroup {
  incidents: number;
  returned: number;
  customers: number;
  rate: number | null;
  /** Cluster-robust variance of the rate over the binomial variance; 1 when incidents are independent. */
  designEffect: number;
}

export function clusteredGroup(customers: readonly CustomerOutcome[]): ClusteredGroup {
  let n = 0;
  let x = 0;
  for (const c of customers) {
    n += c.incidents;
    x += c.returned;
  }
  const g = customers.length;
  if (n === 0) return { incidents: 0, returned: 0, customers: 0, rate: null, designEffect: 1 };
  const p = x / n;
  const binomial = (p * (1 - p)) / n;
  let sum = 0;
  for (const c of customers) sum += (c.returned - p * c.incidents) ** 2;
  const robust = g > 1 ? ((g / (g - 1)) * sum) / (n * n) : binomial;
  const designEffect = binomial > 0 ? Math.max(1, robust / binomial) : 1;
  return { incidents: n, returned: x, customers: g, rate: p, designEffect };
}

/** Newcombe's interval for rate(a) - rate(b) on the groups' effective sample sizes. */
export function clusteredDifference(a: ClusteredGroup, b: ClusteredGroup, z = Z_95): Interval & { difference: number } {
  const { low, high } = newcombeDifference(
    a.returned / a.designEffect,
    a.incidents / a.designEffect,
    b.returned / b.designEffect,
    b.incidents / b.designEffect,
    z,
  );
  return { difference: (a.rate ?? 0) - (b.rate ?? 0), low, high };
}

/** One-sided 80th percentile of the standard normal: 80% power. */
const Z_80 = 0.8416212335729143;

/**
 * The smallest true lift a two-sided 5% test on these group sizes finds with 80% power, for a
 * baseline return rate: (z_0.975 + z_0.8) x sqrt(p(1 - p)(1/n1 + 1/n0)).
 */
export function minimumDetectableLift(treatedEffective: number, holdoutEffective: number, baseline: number): number {
  if (treatedEffective <= 0 || holdoutEffective <= 0) return 1;
  const p = Math.min(Math.max(baseline, 0.01), 0.99);
  return (Z_95 + Z_80) * Math.sqrt(p * (1 - p) * (1 / treatedEffective + 1 / holdoutEffective));
}

/** Incidents (both groups together) a readout needs to detect `lift` with 80% power. */
export function incidentsForLift(lift: number, baseline: number, holdoutShare: number, designEffect = 1): number {
  if (lift <= 0 || holdoutShare <= 0 || holdoutShare >= 1) return Number.POSITIVE_INFINITY;
  const p = Math.min(Math.max(baseline, 0.01), 0.99);
  const perIncident = p * (1 - p) * (1 / (1 - holdoutShare) + 1 / holdoutShare) * designEffect;
  return Math.ceil(((Z_95 + Z_80) ** 2 * perIncident) / (lift * lift));
}

export interface Estimate {
  value: number;
  /** 95% percentile bootstrap interval; null when too few replicates could be formed. */
  interval: Interval | null;
}

export interface RevenueEstimates {
  /** Treated revenue per incident minus holdout revenue per incident, times the treated incidents. */
  incrementalMinor: Estimate;
  /** (incremental revenue - make-good value not already netted out) / value used; null with nothing used. */
  roi: Estimate | null;
}

interface Totals {
  n: number;
  revenue: number;
  cost: number;
  used: number;
}

const totals = (list: readonly CustomerOutcome[]): Totals => {
  const t = { n: 0, revenue: 0, cost: 0, used: 0 };
  for (const c of list) {
    t.n += c.incidents;
    t.revenue += c.revenueMinor;
    t.cost += c.costMinor;
    t.used += c.usedMinor;
  }
  return t;
};

function statistics(treated: Totals, holdout: Totals): { incremental: number; roi: number | null } | null {
  if (treated.n === 0 || holdout.n === 0) return null;
  const incremental = (treated.revenue / treated.n - holdout.revenue / holdout.n) * treated.n;
  return { incremental, roi: treated.used > 0 ? (incremental - treated.cost) / treated.used : null };
}

const percentile = (sorted: readonly number[], q: number) => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (at - lo);
};

const resample = (list: readonly CustomerOutcome[], random: () => number): Totals => {
  const t = { n: 0, revenue: 0, cost: 0, used: 0 };
  for (let i = 0; i < list.length; i++) {
    const c = list[Math.floor(random() * list.length)];
    if (!c) continue;
    t.n += c.incidents;
    t.revenue += c.revenueMinor;
    t.cost += c.costMinor;
    t.used += c.usedMinor;
  }
  return t;
};

/**
 * Incremental revenue and ROI with 95% intervals from a customer-level bootstrap, stratified by
 * group (customers are resampled within treated and within holdout). Revenue figures are heavy
 * tailed and ROI is a ratio: the bootstrap needs neither to be normal.
 */
export function revenueEstimates(
  treated: readonly CustomerOutcome[],
  holdout: readonly CustomerOutcome[],
  options: { replicates?: number; seed?: number } = {},
): RevenueEstimates | null {
  const point = statistics(totals(treated), totals(holdout));
  if (!point) return null;
  const replicates = options.replicates ?? 1000;
  const random = seededRandom(options.seed ?? 0x5eed);
  const incremental: number[] = [];
  const roi: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const s = statistics(resample(treated, random), resample(holdout, random));
    if (!s) continue;
    incremental.push(s.incremental);
    if (s.roi !== null) roi.push(s.roi);
  }
  const interval = (values: number[]): Interval | null => {
    if (values.length < replicates / 2) return null;
    values.sort((a, b) => a - b);
    return { low: percentile(values, 0.025), high: percentile(values, 0.975) };
  };
  return {
    incrementalMinor: { value: point.incremental, interval: interval(incremental) },
    roi: point.roi === null ? null : { value: point.roi, interval: interval(roi) },
  };
}
