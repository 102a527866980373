import fc from "fast-check";
import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import {
  addBusinessDays,
  businessDaysBetween,
  businessDeadlineDate,
  isBusinessDate,
  type BusinessCalendar,
} from "./business-days";
import { localDate, wallTimeAt } from "./zoned";

const NY = "America/New_York";
const ny: BusinessCalendar = { timeZone: NY };

test.each([
  // start (UTC), business days, deadline local date
  ["2026-03-02T15:00:00Z", 2, "2026-03-04"], // Monday -> Wednesday
  ["2026-03-06T15:00:00Z", 1, "2026-03-09"], // Friday -> Monday
  ["2026-03-06T15:00:00Z", 2, "2026-03-10"], // Friday -> Tuesday, across spring-forward
  ["2026-03-07T15:00:00Z", 0, "2026-03-09"], // Saturday counts as received Monday
  ["2026-03-07T15:00:00Z", 1, "2026-03-10"], // Saturday + 1 -> Tuesday
  ["2026-03-06T04:30:00Z", 1, "2026-03-06"], // Thursday 23:30 New York, not Friday as in UTC
  ["2026-10-30T15:00:00Z", 1, "2026-11-02"], // Friday -> Monday, across fall-back
])("%s + %i business days is due on %s (New York)", (start, days, due) => {
  expect(businessDeadlineDate(new Date(start), days, ny)).toBe(due);
  const deadline = addBusinessDays(new Date(start), days, ny);
  expect(localDate(deadline, NY)).toBe(due);
  expect(wallTimeAt(deadline, NY)).toMatchObject({ hour: 23, minute: 59, second: 59, millisecond: 999 });
});

test("the deadline is the last millisecond of the local day on both sides of DST", () => {
  expect(addBusinessDays(new Date("2026-03-06T15:00:00Z"), 2, ny).toISOString()).toBe("2026-03-11T03:59:59.999Z");
  expect(addBusinessDays(new Date("2026-10-30T15:00:00Z"), 1, ny).toISOString()).toBe("2026-11-03T04:59:59.999Z");
});

test("holidays and custom weekends are skipped", () => {
  const calendar: BusinessCalendar = { timeZone: NY, holidays: ["2026-12-25"], weekendDays: [0] };
  // Thursday 24 Dec + 1: Friday is a holiday, Saturday works, Sunday is off.
  expect(businessDeadlineDate(new Date("2026-12-24T15:00:00Z"), 1, calendar)).toBe("2026-12-26");
  expect(isBusinessDate("2026-12-25", calendar)).toBe(false);
  expect(isBusinessDate("2026-12-26", calendar)).toBe(true);
});

test("a Friday/Saturday weekend (Dubai) is honoured", () => {
  const dubai: BusinessCalendar = { timeZone: "Asia/Dubai", weekendDays: [5, 6] };
  expect(businessDeadlineDate(new Date("2026-03-05T06:00:00Z"), 1, dubai)).toBe("2026-03-08"); // Thursday -> Sunday
});

test.each([
  // deadline, now, business days late
  ["2026-03-04T04:59:59.999Z", "2026-03-04T14:00:00Z", 1], // due Tuesday, now Wednesday
  ["2026-03-07T04:59:59.999Z", "2026-03-07T15:00:00Z", 0], // due Friday, now Saturday
  ["2026-03-07T04:59:59.999Z", "2026-03-09T14:00:00Z", 1], // due Friday, now Monday
  ["2026-03-07T04:59:59.999Z", "2026-03-17T14:00:00Z", 7],
  ["2026-03-17T14:00:00Z", "2026-03-07T04:59:59.999Z", -7],
])("from %s to %s is %i business days", (a, b, days) => {
  expect(businessDaysBetween(new Date(a), new Date(b), ny)).toBe(days);
});

test("bad calendars are typed errors", () => {
  expect(() =>
    addBusinessDays(new Date("2026-03-02T15:00:00Z"), 1, { timeZone: NY, weekendDays: [0, 1, 2, 3, 4, 5, 6] }),
  ).toThrow(RecoveryError);
  expect(() => addBusinessDays(new Date("2026-03-02T15:00:00Z"), -1, ny)).toThrow(/whole number/);
  expect(() =>
    addBusinessDays(new Date("2026-03-02T15:00:00Z"), 1, { timeZone: NY, holidays: ["25/12/2026"] }),
  ).toThrow(/YYYY-MM-DD/);
});

const ZONES = [
  NY,
  "Europe/London",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Pacific/Chatham",
  "UTC",
  "Asia/Dubai",
];
const calendarArb = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  weekendDays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
  holidays: fc.uniqueArray(
    fc
      .integer({ min: 0, max: 730 })
      .map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
    { maxLength: 20 },
  ),
});
const instantArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => new Date(ms));

test("property: a deadline is never on a weekend day or holiday in shop time, and never before the start", () => {
  fc.assert(
    fc.property(instantArb, fc.integer({ min: 0, max: 15 }), calendarArb, (start, days, calendar) => {
      const deadline = addBusinessDays(start, days, calendar);
      const due = localDate(deadline, calendar.timeZone);
      expect(isBusinessDate(due, calendar)).toBe(true);
      expect(deadline.getTime()).toBeGreaterThan(start.getTime());
      expect(localDate(new Date(deadline.getTime() + 1), calendar.timeZone)).not.toBe(due);
    }),
  );
});

test("property: counting business days back from the deadline gives the days asked for", () => {
  fc.assert(
    fc.property(instantArb, fc.integer({ min: 0, max: 15 }), calendarArb, (start, days, calendar) => {
      const deadline = addBusinessDays(start, days, calendar);
      const receivedOnDayOff = isBusinessDate(localDate(start, calendar.timeZone), calendar) ? 0 : 1;
      expect(businessDaysBetween(start, deadline, calendar)).toBe(days + receivedOnDayOff);
    }),
  );
});
