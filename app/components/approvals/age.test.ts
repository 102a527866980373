import { expect, test } from "vitest";
import { ageText, formatDuration } from "./age";

const MIN = 60_000;
const H = 60 * MIN;

test.each([
  [0, "0 min"],
  [59 * 1000, "0 min"],
  [45 * MIN, "45 min"],
  [3 * H, "3 h"],
  [3 * H + 12 * MIN + 59_000, "3 h 12 min"],
  [24 * H, "1 d"],
  [2 * 24 * H + 4 * H + 30 * MIN, "2 d 4 h"],
  [-5 * MIN, "0 min"],
])("formatDuration(%i) is %s", (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});

test("the age reads time since the failure and what is left of the same-day goal, or that it passed", () => {
  const occurred = new Date("2026-11-02T10:00:00Z");
  const deadline = new Date("2026-11-02T23:59:59.999Z");
  expect(ageText(occurred, deadline, new Date("2026-11-02T13:12:00Z"))).toEqual({
    since: "3 h 12 min since the failure",
    goal: "same-day goal: 10 h 47 min left",
    late: false,
  });
  expect(ageText(occurred, deadline, new Date("2026-11-02T23:59:30Z"))).toEqual({
    since: "13 h 59 min since the failure",
    goal: "same-day goal: 1 min left",
    late: false,
  });
  expect(ageText(occurred, deadline, new Date("2026-11-03T00:00:00Z"))).toEqual({
    since: "14 h since the failure",
    goal: "past the same-day goal",
    late: true,
  });
});
