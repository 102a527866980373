/**
 * The dashboard's period: shop-local calendar dates from the URL (`from`, `to`, both inclusive),
 * validated, with presets. Invalid input falls back to the default range and says why, so a
 * mistyped link still shows a dashboard.
 */
import { z } from "zod";
import { dayNumberOf, isLocalDate, localDateOfDayNumber, startOfLocalDay, type LocalDate } from "../time/zoned";

export const DATE_RANGE_PRESETS = ["last7", "last30", "last90", "thisMonth"] as const;
export type DateRangePreset = (typeof DATE_RANGE_PRESETS)[number];

export const PRESET_LABELS: Record<DateRangePreset, string> = {
  last7: "Last 7 days",
  last30: "Last 30 days",
  last90: "Last 90 days",
  thisMonth: "This month",
};

/** A year and a day: enough for "same month last year" comparisons, and it bounds every query. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_PRESET: DateRangePreset = "last30";

// zod runs object refinements even when a field failed: check the fields again before using them.
const bothDates = (r: { from: string; to: string }) => isLocalDate(r.from) && isLocalDate(r.to);
const localDateSchema = z.string().refine(isLocalDate, "must be a date as YYYY-MM-DD");

export const dateRangeQuerySchema = z
  .object({ from: localDateSchema, to: localDateSchema })
  .refine((r) => !bothDates(r) || r.from <= r.to, {
    message: "the start date must not be after the end date",
    path: ["to"],
  })
  .refine((r) => !bothDates(r) || dayNumberOf(r.to) - dayNumberOf(r.from) + 1 <= MAX_RANGE_DAYS, {
    message: `a range can cover at most ${MAX_RANGE_DAYS} days`,
    path: ["to"],
  });

export interface DateRange {
  from: LocalDate;
  to: LocalDate;
  /** The preset the range equals today, if any (for the picker's selected option). */
  preset: DateRangePreset | null;
}

export interface ResolvedDateRange extends DateRange {
  /** Why the URL's range was not used; null when it was (or none was given). */
  problem: string | null;
}

const shift = (date: LocalDate, days: number): LocalDate => localDateOfDayNumber(dayNumberOf(date) + days);

export function presetRange(preset: DateRangePreset, today: LocalDate): { from: LocalDate; to: LocalDate } {
  switch (preset) {
    case "last7":
      return { from: shift(today, -6), to: today };
    case "last30":
      return { from: shift(today, -29), to: today };
    case "last90":
      return { from: shift(today, -89), to: today };
    case "thisMonth":
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

export function matchingPreset(range: { from: LocalDate; to: LocalDate }, today: LocalDate): DateRangePreset | null {
  return (
    DATE_RANGE_PRESETS.find((p) => {
      const r = presetRange(p, today);
      return r.from === range.from && r.to === range.to;
    }) ?? null
  );
}

/**
 * The range to show for the URL's `from`/`to` given the shop's today. Neither given: the default
 * preset. Only one given, or anything invalid: the default preset and a problem to show.
 */
export function resolveDateRange(
  query: { from?: string | null; to?: string | null },
  today: LocalDate,
): ResolvedDateRange {
  const fallback = (problem: string | null): ResolvedDateRange => ({
    ...presetRange(DEFAULT_PRESET, today),
    preset: DEFAULT_PRESET,
    problem,
  });
  const from = query.from ?? null;
  const to = query.to ?? null;
  if (from === null && to === null) return fallback(null);
  const parsed = dateRangeQuerySchema.safeParse({ from, to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === "from" ? "start date" : "end date";
    const detail =
      issue?.code === "invalid_type" ? `the ${field} is missing` : `the ${field}: ${issue?.message ?? "invalid"}`;
    return fallback(
      `The date range in the link could not be used (${detail}); showing the ${PRESET_LABELS[DEFAULT_PRESET].toLowerCase()} instead.`,
    );
  }
  return { ...parsed.data, preset: matchingPreset(parsed.data, today), problem: null };
}

/** The instants [from 00:00, day after `to` 00:00) in the shop's time zone. */
export function periodOfRange(range: { from: LocalDate; to: LocalDate }, timeZone: string): { from: Date; to: Date } {
  return { from: startOfLocalDay(range.from, timeZone), to: startOfLocalDay(shift(range.to, 1), timeZone) };
}
