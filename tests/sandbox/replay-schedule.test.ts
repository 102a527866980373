/** The replay's daily schedule (sandbox/history/pipeline.ts) runs at the worker's cron time, 12:00 UTC. */
import { expect, test } from "vitest";
import { nextNoonUtc } from "../../sandbox/history/pipeline";

test.each([
  ["2026-03-02T00:00:00.000Z", "2026-03-02T12:00:00.000Z"],
  ["2026-03-02T11:59:59.999Z", "2026-03-02T12:00:00.000Z"],
  ["2026-03-02T12:00:00.000Z", "2026-03-03T12:00:00.000Z"],
  ["2026-03-02T23:30:00.000Z", "2026-03-03T12:00:00.000Z"],
  ["2026-12-31T13:00:00.000Z", "2027-01-01T12:00:00.000Z"],
])("after %s the schedule next runs at %s", (from, next) => {
  expect(new Date(nextNoonUtc(Date.parse(from))).toISOString()).toBe(next);
});
