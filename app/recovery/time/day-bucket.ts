/**
 * Time-to-offer buckets of decision 0099 §8 ("same day 52%, next day 38%, later
 * 23%"), counted in shop-local calendar days: an incident at 23:00 answered at
 * 08:00 the next morning is "next day", as the merchant sees it.
 */
import { calendarDaysBetween } from "./zoned";

export const DAY_BUCKETS = ["SAME_DAY", "NEXT_DAY", "LATER"] as const;
export type DayBucket = (typeof DAY_BUCKETS)[number];

/** Bucket of `to` relative to `from`. A `to` before `from` (clock skew) counts as the same day. */
export function dayBucket(from: Date, to: Date, timeZone: string): DayBucket {
  return dayBucketOfDays(calendarDaysBetween(from, to, timeZone));
}

/** The bucket of a number of local calendar days (calendarDaysBetween, or localDayNumbers' difference). */
export function dayBucketOfDays(days: number): DayBucket {
  if (days <= 0) return "SAME_DAY";
  return days === 1 ? "NEXT_DAY" : "LATER";
}
