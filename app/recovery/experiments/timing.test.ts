/** The next morning of a timing arm (decision 0119): 09:00 shop time on the next local day. */
import fc from "fast-check";
import { expect, test } from "vitest";
import { localDate, localDayNumber, wallTimeAt } from "../time/zoned";
import { nextMorning } from "./timing";

test.each([
  // New York, the evening before clocks go forward (8 March 2026): 09:00 EDT is 13:00 UTC.
  ["America/New_York", "2026-03-08T03:30:00Z", "2026-03-08T13:00:00.000Z"],
  // New York, the evening before clocks go back (1 November 2026): 09:00 EST is 14:00 UTC.
  ["America/New_York", "2026-11-01T03:30:00Z", "2026-11-01T14:00:00.000Z"],
  // New York at midnight the day before clocks go back: 09:00 EST on 1 November is 34 hours later
  // (fast-check's counterexample to a 33-hour bound, which forgot the repeated hour).
  ["America/New_York", "2026-10-31T04:00:00Z", "2026-11-01T14:00:00.000Z"],
  // London, the day clocks go back (25 October 2026), at 00:30 BST: the next morning is 26 October, 09:00 GMT.
  ["Europe/London", "2026-10-24T23:30:00Z", "2026-10-26T09:00:00.000Z"],
  // Kiritimati is UTC+14: 10:00 UTC on 1 June is already midnight on 2 June there; the next morning is 3 June.
  ["Pacific/Kiritimati", "2026-06-01T10:00:00Z", "2026-06-02T19:00:00.000Z"],
  // A minute before its midnight (23:59 on 1 June local): the next morning is 2 June, ten hours later.
  ["Pacific/Kiritimati", "2026-06-01T09:59:00Z", "2026-06-01T19:00:00.000Z"],
  // Pago Pago is UTC-11: 23:00 UTC on 1 June is 12:00 on 1 June there.
  ["Pacific/Pago_Pago", "2026-06-01T23:00:00Z", "2026-06-02T20:00:00.000Z"],
  // Early in the morning the next morning is still tomorrow's, not today's 09:00.
  ["UTC", "2026-06-01T01:00:00Z", "2026-06-02T09:00:00.000Z"],
  // Lord Howe moves by half an hour for DST (5 April 2026, 02:00 -> 01:30): 09:00 +10:30 is 22:30 UTC.
  ["Australia/Lord_Howe", "2026-04-04T12:00:00Z", "2026-04-04T22:30:00.000Z"],
])("%s: decided %s, issued %s", (zone, at, expected) => {
  expect(nextMorning(new Date(at), zone).toISOString()).toBe(expected);
});

const ZONES = [
  "UTC",
  "America/New_York",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Berlin",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "Pacific/Chatham",
];

test("property: the next morning is after the decision, on the next local day, at 09:00 local, within 34 hours", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
      (zone, ms) => {
        const at = new Date(ms);
        const morning = nextMorning(at, zone);
        const wall = wallTimeAt(morning, zone);
        expect(morning.getTime()).toBeGreaterThan(at.getTime());
        // At most 24 + 9 hours from local midnight, plus the hour a clock falling back repeats.
        expect(morning.getTime() - at.getTime()).toBeLessThanOrEqual(34 * 3_600_000);
        expect(localDayNumber(morning, zone)).toBe(localDayNumber(at, zone) + 1);
        expect([wall.hour, wall.minute, wall.second]).toEqual([9, 0, 0]);
        expect(localDate(morning, zone)).not.toBe(localDate(at, zone));
      },
    ),
    { numRuns: 500 },
  );
});
