/**
 * Confidence intervals for recovery rates and their difference.
 *
 * Wilson's score interval for each rate and Newcombe's hybrid score interval
 * (his "method 10", 1998) for the difference. Unlike the Wald interval, they
 * stay inside [0, 1] / [-1, 1] and keep close to their nominal 95% coverage
 * with the small groups and extreme rates (0 or 100% won back) a holdout
 * produces. See docs/decisions/0107-metrics-and-lift.md.
 */

/** Two-sided 95%: the 97.5th percentile of the standard normal. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export function wilsonInterval(successes: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Interval for p1 - p2 from the two Wilson intervals. */
export function newcombeDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z = Z_95,
): Interval & { difference: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  const difference = p1 - p2;
  return {
    difference,
    low: difference - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: difference + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}
