/**
 * Timing arms (issue 16 part 7, decision 0119): an arm whose make-good waits until the shop's next
 * morning, to ask "does same-day matter?" on the shop's own customers. The next morning is a wall
 * clock reading in the shop's time zone: 09:00 on the local day after the decision, whatever the
 * offset that day (DST) and however far the zone is from UTC.
 */
import { instantFromWallTime, localDateOfDayNumber, localDayNumber } from "../time/zoned";

export const NEXT_MORNING_HOUR = 9;

/** 09:00 shop time on the local day after `at` (an hour skipped by DST moves forward by the gap). */
export function nextMorning(at: Date, timeZone: string, hour = NEXT_MORNING_HOUR): Date {
  const next = localDateOfDayNumber(localDayNumber(at, timeZone) + 1);
  const [year, month, day] = next.split("-").map(Number) as [number, number, number];
  return instantFromWallTime({ year, month, day, hour, minute: 0, second: 0, millisecond: 0 }, timeZone);
}
