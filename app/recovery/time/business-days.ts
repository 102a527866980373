/**
 * Business-day arithmetic in the shop's time zone.
 *
 * A deadline is the END of a local business day, not the same wall-clock time
 * as the start: "ships within 2 business days" means by close of the second
 * business day, however late in the day the order came in. An order placed on
 * a non-business day counts as received on the next business day. See
 * docs/decisions/0101-business-day-deadlines.md.
 */
import { RecoveryError, invalidArgument } from "../errors";
import {
  dayNumberOf,
  endOfLocalDay,
  localDateOfDayNumber,
  localDayNumber,
  weekdayOfDayNumber,
  type LocalDate,
} from "./zoned";

export interface BusinessCalendar {
  timeZone: string;
  /** Days off each week, 0 = Sunday ... 6 = Saturday. Default Saturday and Sunday. */
  weekendDays?: readonly number[];
  /** Local dates off, "YYYY-MM-DD". */
  holidays?: readonly LocalDate[];
}

export const DEFAULT_WEEKEND_DAYS: readonly number[] = [6, 0];

interface CompiledCalendar {
  timeZone: string;
  weekend: ReadonlySet<number>;
  holidays: ReadonlySet<number>;
}

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const weekendDays = calendar.weekendDays ?? DEFAULT_WEEKEND_DAYS;
  for (const day of weekendDays) {
    if (!Number.isInteger(day) || day < 0 || day > 6) throw invalidArgument(`weekendDays must be 0-6, got ${day}`);
  }
  const weekend = new Set(weekendDays);
  if (weekend.size >= 7) throw new RecoveryError("NO_BUSINESS_DAYS", "Every day of the week is a weekend day");
  const holidays = new Set((calendar.holidays ?? []).map(dayNumberOf));
  return { timeZone: calendar.timeZone, weekend, holidays };
}

function isBusinessDayNumber(dayNumber: number, calendar: CompiledCalendar): boolean {
  return !calendar.weekend.has(weekdayOfDayNumber(dayNumber)) && !calendar.holidays.has(dayNumber);
}

function nextBusinessDayOnOrAfter(dayNumber: number, calendar: CompiledCalendar): number {
  let day = dayNumber;
  while (!isBusinessDayNumber(day, calendar)) day += 1;
  return day;
}

export function isBusinessDate(date: LocalDate, calendar: BusinessCalendar): boolean {
  return isBusinessDayNumber(dayNumberOf(date), compile(calendar));
}

/** The local date of the deadline `days` business days after `start` (see the module comment). */
export function businessDeadlineDate(start: Date, days: number, calendar: BusinessCalendar): LocalDate {
  if (!Number.isInteger(days) || days < 0) throw invalidArgument(`days must be a whole number >= 0, got ${days}`);
  const compiled = compile(calendar);
  let day = nextBusinessDayOnOrAfter(localDayNumber(start, compiled.timeZone), compiled);
  for (let counted = 0; counted < days; counted += 1) {
    day = nextBusinessDayOnOrAfter(day + 1, compiled);
  }
  return localDateOfDayNumber(day);
}

/**
 * The deadline `days` business days after `start`: the last millisecond of
 * that local business day. 0 days means by the end of the day the order is
 * received (the next business day when it arrives on a day off).
 */
export function addBusinessDays(start: Date, days: number, calendar: BusinessCalendar): Date {
  return endOfLocalDay(businessDeadlineDate(start, days, calendar), calendar.timeZone);
}

/**
 * Business days whose local date is after a's date and up to b's date
 * inclusive; negative when b is before a. For a deadline `a` and now `b` it
 * is how many business days late an order is: the business day that has
 * started counts.
 */
export function businessDaysBetween(a: Date, b: Date, calendar: BusinessCalendar): number {
  const compiled = compile(calendar);
  const from = localDayNumber(a, compiled.timeZone);
  const to = localDayNumber(b, compiled.timeZone);
  const [low, high, sign] = from <= to ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let day = low + 1; day <= high; day += 1) {
    if (isBusinessDayNumber(day, compiled)) count += 1;
  }
  return sign * count;
}
