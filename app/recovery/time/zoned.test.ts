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
  localWeekStart,
  startOfLocalDay,
  wallTimeAt,
} from "./zoned";

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
