/**
 * What the dashboard's charts are drawn from (issue 17 item 7, decision 0124): incidents by type
 * in the period against the period of the same length just before it, sorted; an axis of whole
 * numbers; and which counts are too small to read as a pattern. Pure.
 */
import { MIN_INCIDENTS_FOR_A_FIX } from "../digest/digest";
import { dayNumberOf, localDateOfDayNumber, type LocalDate } from "../time/zoned";
import { INCIDENT_TYPES, type IncidentType } from "../vocabulary";

/** Root causes the dashboard lists per kind (products, carriers, locations). */
export const TOP_ROOT_CAUSES = 5;

/** The days just before `range`, as many as it has: "last 30 days" against the 30 days before them. */
export function previousRange(range: { from: LocalDate; to: LocalDate }): { from: LocalDate; to: LocalDate } {
  const from = dayNumberOf(range.from);
  const days = dayNumberOf(range.to) - from + 1;
  return { from: localDateOfDayNumber(from - days), to: localDateOfDayNumber(from - 1) };
}

export interface TypeComparisonRow {
  type: IncidentType;
  /** Incidents of this type detected in the period. */
  count: number;
  /** In the period of the same length just before. */
  previous: number;
  /** Too few this period to read as a pattern (isSmallCount). */
  small: boolean;
}

/**
 * One row per type seen in either period, most incidents this period first; a tie by the previous
 * period's count, then in INCIDENT_TYPES order, so the same data always reads the same.
 */
export function typeComparison(
  current: Partial<Record<IncidentType, number>>,
  previous: Partial<Record<IncidentType, number>>,
): TypeComparisonRow[] {
  return INCIDENT_TYPES.map((type) => ({
    type,
    count: current[type] ?? 0,
    previous: previous[type] ?? 0,
    small: isSmallCount(current[type] ?? 0),
  }))
    .filter((row) => row.count > 0 || row.previous > 0)
    .sort(
      (a, b) =>
        b.count - a.count || b.previous - a.previous || INCIDENT_TYPES.indexOf(a.type) - INCIDENT_TYPES.indexOf(b.type),
    );
}

/**
 * Fewer incidents than the digest needs to name a cause (MIN_INCIDENTS_FOR_A_FIX): one or two are
 * as likely chance as process, so a chart shows them greyed, with their count. Zero is not a bucket.
 */
export function isSmallCount(count: number): boolean {
  return count > 0 && count < MIN_INCIDENTS_FOR_A_FIX;
}

export interface CountAxis {
  /** Whole incidents between ticks: 1, 2 or 5 times a power of ten. */
  step: number;
  /** The axis's end, a multiple of step at or above the largest count (at least one step). */
  max: number;
  /** 0, step, 2·step … max. */
  ticks: number[];
}

/**
 * An axis for counts of incidents: ticks at whole numbers only (half an incident means nothing),
 * at most `maxTicks` intervals, the smallest such step of 1, 2 or 5 times a power of ten.
 */
export function countAxis(largest: number, maxTicks = 5): CountAxis {
  if (!Number.isFinite(largest) || largest < 0) throw new RangeError(`a count axis needs a count, got ${largest}`);
  if (!Number.isInteger(maxTicks) || maxTicks < 1) throw new RangeError(`maxTicks must be a positive whole number`);
  const top = Math.max(1, Math.ceil(largest));
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const fit = [1, 2, 5].map((m) => m * power).find((s) => Math.ceil(top / s) <= maxTicks);
    if (fit !== undefined) {
      step = fit;
      break;
    }
  }
  const max = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= max; t += step) ticks.push(t);
  return { step, max, ticks };
}

/**
 * The ticks that get a number under a narrow chart (every tick keeps its grid line): zero and the
 * end always, and every second tick between them that is at least two steps from the end, so no
 * two numbers meet ("4050" under a column eight characters wide).
 */
export function labelledTicks(ticks: readonly number[]): number[] {
  if (ticks.length <= 3) return [...ticks];
  const last = ticks.length - 1;
  return ticks.filter((_, i) => i === 0 || i === last || (i % 2 === 0 && last - i >= 2));
}
