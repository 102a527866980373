import { afterEach, expect, test, vi } from "vitest";
import { ControlledClock, configuredClockStart } from "../../sandbox/clock";

afterEach(() => {
  vi.unstubAllEnvs();
});

test("without AMENDS_CLOCK_START a new clock reads real time", () => {
  vi.stubEnv("AMENDS_CLOCK_START", "");
  const before = Date.now();
  const read = new ControlledClock().now().getTime();
  expect(read).toBeGreaterThanOrEqual(before);
  expect(read).toBeLessThanOrEqual(Date.now());
});

test("AMENDS_CLOCK_START starts every new clock at that instant, and it runs on from there", async () => {
  vi.stubEnv("AMENDS_CLOCK_START", "2026-11-01T05:59:30Z");
  const clock = new ControlledClock();
  const first = clock.now().getTime();
  expect(first - Date.parse("2026-11-01T05:59:30Z")).toBeGreaterThanOrEqual(0);
  expect(first - Date.parse("2026-11-01T05:59:30Z")).toBeLessThan(1_000);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(clock.now().getTime()).toBeGreaterThan(first);
  // Freezing and moving work from the configured start as from real time.
  clock.freeze();
  const frozen = clock.now().getTime();
  expect(clock.advance(60_000).getTime()).toBe(frozen + 60_000);
});

test.each([["yesterday"], ["2026-13-01T00:00:00Z"], ["1733382000000"], ["2026-11-01"]])(
  "a malformed AMENDS_CLOCK_START (%s) is refused with the variable named",
  (value) => {
    expect(() => configuredClockStart(value)).toThrow(/AMENDS_CLOCK_START must be an ISO 8601 instant/);
  },
);

test("an explicit start wins over the environment", () => {
  vi.stubEnv("AMENDS_CLOCK_START", "2026-11-01T05:59:30Z");
  const at = new Date("2030-01-01T00:00:00Z");
  expect(Math.abs(new ControlledClock(at).now().getTime() - at.getTime())).toBeLessThan(1_000);
});
