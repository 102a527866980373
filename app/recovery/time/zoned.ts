/**
 * Wall-clock time in a shop's IANA time zone, with Intl only (no date library;
 * Temporal is not available). Local calendar dates are handled as day numbers
 * (days since 1970-01-01 on the proleptic Gregorian calendar), which makes
 * date arithmetic plain integer arithmetic, immune to DST; the time zone only
 * matters when an instant is turned into a local date or back.
 */
import { RecoveryError } from "../errors";

export const MS_PER_DAY = 86_400_000;

/** A local calendar date, "YYYY-MM-DD". */
export type LocalDate = string;

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        calendar: "gregory",
        numberingSystem: "latn",
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new RecoveryError("INVALID_TIME_ZONE", `Unknown time zone: "${timeZone}"`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function assertValidDate(date: Date): void {
  if (Number.isNaN(date.getTime())) throw new RecoveryError("INVALID_ARGUMENT", "Invalid Date");
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  assertValidDate(instant);
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const ms = ((instant.getTime() % 1000) + 1000) % 1000;
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    millisecond: ms,
  };
}

function wallAsUtcMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
}

/** Milliseconds east of UTC in `timeZone` at the instant `ms` (negative in the Americas). */
export function offsetMsAt(ms: number, timeZone: string): number {
  return wallAsUtcMs(wallTimeAt(new Date(ms), timeZone)) - ms;
}

/**
 * The instant a wall-clock reading happens in `timeZone`. Readings that do not
 * exist (the hour skipped when clocks go forward) move forward by the gap;
 * readings that happen twice (the hour repeated when clocks go back) take the
 * earlier one. That is Temporal's "compatible" disambiguation, the behaviour
 * people expect from calendars.
 */
export function instantFromWallTime(wall: WallTime, timeZone: string): Date {
  const asUtc = wallAsUtcMs(wall);
  // No zone changes its offset twice within two days, so the offsets a day
  // either side are the only candidates.
  const offsetBefore = offsetMsAt(asUtc - MS_PER_DAY, timeZone);
  const offsetAfter = offsetMsAt(asUtc + MS_PER_DAY, timeZone);
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter]
    .filter((ms) => ms + offsetMsAt(ms, timeZone) === asUtc)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? asUtc - offsetBefore);
}

/** Day number (days since 1970-01-01) of a "YYYY-MM-DD" date; throws on an impossible date. */
export function dayNumberOf(date: LocalDate): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RecoveryError("INVALID_ARGUMENT", `Not a calendar date (YYYY-MM-DD): "${date}"`);
  }
  return ms / MS_PER_DAY;
}

export function isLocalDate(value: string): boolean {
  try {
    dayNumberOf(value);
    return true;
  } catch {
    return false;
  }
}

export function localDateOfDayNumber(dayNumber: number): LocalDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday, as Date.getDay(). */
export function weekdayOfDayNumber(dayNumber: number): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCDay();
}

export function localDayNumber(instant: Date, timeZone: string): number {
  const wall = wallTimeAt(instant, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day) / MS_PER_DAY;
}

/** The shop-local calendar date of an instant, "YYYY-MM-DD". */
export function localDate(instant: Date, timeZone: string): LocalDate {
  return localDateOfDayNumber(localDayNumber(instant, timeZone));
}

/** The first instant of a local date (01:00 where midnight is skipped by DST). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const [year, month, day] = date.split("-").map(Number);
  dayNumberOf(date);
  return instantFromWallTime(
    { year: year ?? 1970, month: month ?? 1, day: day ?? 1, hour: 0, minute: 0, second: 0, millisecond: 0 },
    timeZone,
  );
}

/** The last millisecond of a local date: the start of the next local day, minus 1 ms. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  const next = localDateOfDayNumber(dayNumberOf(date) + 1);
  return new Date(startOfLocalDay(next, timeZone).getTime() - 1);
}

/**
 * `localDayNumber` for many instants in one zone, with one Intl reading per UTC day met instead of
 * one per instant (time to offer reads two instants of every issued make-good of a year). A UTC day
 * whose first and last millisecond have the same offset has that offset throughout, under this
 * module's assumption that no zone changes its offset twice within two days; a day where the
 * offset changes is read instant by instant. Keep the function for one batch: it remembers the
 * offset of every UTC day it met.
 */
export function localDayNumbers(timeZone: string): (instant: Date) => number {
  const offsets = new Map<number, number | null>();
  return (instant) => {
    assertValidDate(instant);
    const ms = instant.getTime();
    const utcDay = Math.floor(ms / MS_PER_DAY);
    let offset = offsets.get(utcDay);
    if (offset === undefined) {
      const first = offsetMsAt(utcDay * MS_PER_DAY, timeZone);
      offset = first === offsetMsAt((utcDay + 1) * MS_PER_DAY - 1, timeZone) ? first : null;
      offsets.set(utcDay, offset);
    }
    // ms + offset is the wall-clock reading as a UTC time (offsetMsAt), so its day is the local date.
    return offset === null ? localDayNumber(instant, timeZone) : Math.floor((ms + offset) / MS_PER_DAY);
  };
}

/** Whole local calendar days from a's date to b's date (negative when b's date is earlier). */
export function calendarDaysBetween(a: Date, b: Date, timeZone: string): number {
  return localDayNumber(b, timeZone) - localDayNumber(a, timeZone);
}

/**
 * End of the local day `days` calendar days after the local date of `from`.
 * Offer expiries use it, so "60-day expiry" ends at midnight shop time and
 * the message can name a date.
 */
export function endOfLocalDayAfter(from: Date, days: number, timeZone: string): Date {
  const target = localDateOfDayNumber(localDayNumber(from, timeZone) + days);
  return endOfLocalDay(target, timeZone);
}

/** The Monday (or `weekStartsOn`) of the local week an instant falls in, "YYYY-MM-DD". */
export function localWeekStart(instant: Date, timeZone: string, weekStartsOn = 1): LocalDate {
  const dayNumber = localDayNumber(instant, timeZone);
  const back = (weekdayOfDayNumber(dayNumber) - weekStartsOn + 7) % 7;
  return localDateOfDayNumber(dayNumber - back);
}
