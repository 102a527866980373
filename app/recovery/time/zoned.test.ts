import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import { dayBucket } from "./day-bucket";
import {
  calendarDaysBetween,
  endOfLocalDay,
  endOfLocalDayAfter,
  instantFromWallTime,
  isValidTimeZone,
  localDate,
  localDateOfDayNumber,
  localDayNumbers,
  localWeekStart,
  offsetMsAt,
  startOfLocalDay,
  wallTimeAt,
} from "./zoned";
import { seededRandom } from "../random";

const NY = "America/New_York";
const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});

test.each([
  ["2026-03-08T06:59:59Z", NY, "2026-03-08"],
  ["2026-03-08T04:59:59Z", NY, "2026-03-07"],
  ["2026-01-01T04:59:59Z", NY, "2025-12-31"],
  ["2026-06-30T23:30:00Z", "Asia/Kolkata", "2026-07-01"],
  ["2026-06-30T23:30:00Z", "Pacific/Kiritimati", "2026-07-01"],
  ["2026-06-30T11:00:00Z", "Pacific/Pago_Pago", "2026-06-30"],
])("localDate(%s, %s) is %s", (instant, tz, expected) => {
  expect(localDate(new Date(instant), tz)).toBe(expected);
});

test("a New York day is 23 hours in March and 25 in November", () => {
  expect(startOfLocalDay("2026-03-08", NY).toISOString()).toBe("2026-03-08T05:00:00.000Z");
  expect(endOfLocalDay("2026-03-08", NY).toISOString()).toBe("2026-03-09T03:59:59.999Z");
  expect(startOfLocalDay("2026-11-01", NY).toISOString()).toBe("2026-11-01T04:00:00.000Z");
  expect(endOfLocalDay("2026-11-01", NY).toISOString()).toBe("2026-11-02T04:59:59.999Z");
});

test("a wall time skipped by spring-forward moves forward by the gap", () => {
  expect(instantFromWallTime(wall(2026, 3, 8, 2, 30), NY).toISOString()).toBe("2026-03-08T07:30:00.000Z");
  expect(wallTimeAt(new Date("2026-03-08T07:30:00Z"), NY).hour).toBe(3);
});

test("a wall time repeated by fall-back takes the earlier instant", () => {
  expect(instantFromWallTime(wall(2026, 11, 1, 1, 30), NY).toISOString()).toBe("2026-11-01T05:30:00.000Z");
});

test("where DST skips midnight, the day starts at 01:00", () => {
  const start = startOfLocalDay("2026-09-06", "America/Santiago");
  expect(wallTimeAt(start, "America/Santiago")).toMatchObject({ day: 6, hour: 1, minute: 0 });
  expect(localDate(new Date(start.getTime() - 1), "America/Santiago")).toBe("2026-09-05");
});

test("calendar days count local dates, not 24-hour periods", () => {
  // 23:00 Saturday to 01:00 Sunday New York is one local day later.
  expect(calendarDaysBetween(new Date("2026-03-08T03:00:00Z"), new Date("2026-03-08T05:00:00Z"), NY)).toBe(1);
  expect(calendarDaysBetween(new Date("2026-03-08T05:00:00Z"), new Date("2026-03-08T03:00:00Z"), NY)).toBe(-1);
});

test.each([
  ["2026-03-02T14:00:00Z", "2026-03-03T03:00:00Z", "SAME_DAY"], // 09:00 -> 22:00 New York
  ["2026-03-02T14:00:00Z", "2026-03-03T05:30:00Z", "NEXT_DAY"], // -> 00:30 next day
  ["2026-03-07T14:00:00Z", "2026-03-09T01:00:00Z", "NEXT_DAY"], // across the DST change
  ["2026-03-02T14:00:00Z", "2026-03-04T14:00:00Z", "LATER"],
  ["2026-03-02T14:00:00Z", "2026-03-02T13:00:00Z", "SAME_DAY"], // clock skew
])("offer at %s after incident at %s is %s", (from, to, bucket) => {
  expect(dayBucket(new Date(from), new Date(to), NY)).toBe(bucket);
});

test("offer expiry ends at midnight shop time, DST included", () => {
  const expiry = endOfLocalDayAfter(new Date("2026-03-01T15:00:00Z"), 10, NY);
  expect(expiry.toISOString()).toBe("2026-03-12T03:59:59.999Z"); // 23:59:59.999 EDT on 11 March
});

test("weeks start on Monday in shop time", () => {
  expect(localWeekStart(new Date("2026-03-08T03:00:00Z"), NY)).toBe("2026-03-02"); // Saturday night
  expect(localWeekStart(new Date("2026-03-09T05:00:00Z"), NY)).toBe("2026-03-09"); // Monday 01:00
});

test("an unknown time zone is a typed error", () => {
  expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  expect(() => localDate(new Date("2026-03-02T15:00:00Z"), "Mars/Olympus_Mons")).toThrow(RecoveryError);
  expect(() => startOfLocalDay("2026-02-30", NY)).toThrow(/calendar date/);
});

// Zones with DST, half- and quarter-hour offsets, a midnight that DST skips or repeats, and a day
// dropped from the calendar (Apia, December 2011).
test.each([
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "America/St_Johns",
  "America/Santiago",
  "America/Havana",
  "Asia/Gaza",
  "Pacific/Apia",
  "Pacific/Chatham",
  "UTC",
])("localDayNumbers(%s) gives localDate's day for every instant, at and around each offset change", (tz) => {
  const HOUR = 3_600_000;
  const start = Date.UTC(2011, 0, 1);
  const end = Date.UTC(2028, 0, 1);
  const instants: number[] = [];
  // Every offset change: a scan every 12 hours, then bisection to the millisecond.
  for (let a = start; a < end; a += 12 * HOUR) {
    let lo = a;
    let hi = a + 12 * HOUR;
    if (offsetMsAt(lo, tz) === offsetMsAt(hi, tz)) continue;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMsAt(mid, tz) === offsetMsAt(lo, tz)) lo = mid;
      else hi = mid;
    }
    for (const d of [0, 1, 60_000, HOUR, 3 * HOUR, 12 * HOUR, 24 * HOUR]) instants.push(hi - d - 1, hi + d);
  }
  // Kathmandu (+05:45) and UTC have not changed their offset since 2011.
  if (tz !== "UTC" && tz !== "Asia/Kathmandu") expect(instants.length).toBeGreaterThan(0);
  const random = seededRandom(0x7a);
  for (let k = 0; k < 3_000; k++) instants.push(start + Math.floor(random() * (end - start)));
  // In an order that crosses days back and forth, as offers of many incidents do.
  const dayOf = localDayNumbers(tz);
  for (const ms of instants) {
    const instant = new Date(ms);
    expect(localDateOfDayNumber(dayOf(instant)), instant.toISOString()).toBe(localDate(instant, tz));
  }
});

test("localDayNumbers refuses an invalid date as localDate does", () => {
  expect(() => localDayNumbers(NY)(new Date(Number.NaN))).toThrow(RecoveryError);
});
