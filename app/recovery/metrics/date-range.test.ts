import { expect, test } from "vitest";
import { MAX_RANGE_DAYS, periodOfRange, presetRange, resolveDateRange } from "./date-range";

const TODAY = "2026-11-23";

test("presets end today", () => {
  expect(presetRange("last7", TODAY)).toEqual({ from: "2026-11-17", to: TODAY });
  expect(presetRange("last30", TODAY)).toEqual({ from: "2026-10-25", to: TODAY });
  expect(presetRange("last90", TODAY)).toEqual({ from: "2026-08-26", to: TODAY });
  expect(presetRange("thisMonth", TODAY)).toEqual({ from: "2026-11-01", to: TODAY });
});

test("no range in the URL: the last 30 days, without a problem", () => {
  expect(resolveDateRange({}, TODAY)).toEqual({ from: "2026-10-25", to: TODAY, preset: "last30", problem: null });
});

test("a valid range is used, and recognised as a preset when it is one", () => {
  expect(resolveDateRange({ from: "2026-10-01", to: "2026-10-31" }, TODAY)).toEqual({
    from: "2026-10-01",
    to: "2026-10-31",
    preset: null,
    problem: null,
  });
  expect(resolveDateRange({ from: "2026-11-01", to: TODAY }, TODAY).preset).toBe("thisMonth");
  expect(resolveDateRange({ from: "2026-11-05", to: "2026-11-05" }, TODAY).problem).toBeNull();
});

test.each([
  [{ from: "2026-13-01", to: "2026-11-02" }, /start date/],
  [{ from: "yesterday", to: "2026-11-02" }, /start date/],
  [{ from: "2026-11-10", to: "2026-11-02" }, /not be after/],
  [{ from: "2026-11-01" }, /end date is missing/],
  [{ from: "2024-01-01", to: "2026-11-02" }, new RegExp(`at most ${MAX_RANGE_DAYS} days`)],
  [{ from: "2026-02-30", to: "2026-03-02" }, /start date/],
])("an invalid range %j falls back to the default with a problem to show", (query, problem) => {
  const range = resolveDateRange(query, TODAY);
  expect(range).toMatchObject({ from: "2026-10-25", to: TODAY, preset: "last30" });
  expect(range.problem).toMatch(problem);
});

test("the period covers whole shop-local days, the end day included", () => {
  expect(periodOfRange({ from: "2026-11-01", to: "2026-11-02" }, "America/New_York")).toEqual({
    from: new Date("2026-11-01T04:00:00Z"), // EDT
    to: new Date("2026-11-03T05:00:00Z"), // EST, after the clocks went back on Nov 1
  });
});
