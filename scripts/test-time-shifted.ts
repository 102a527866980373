/**
 * `npm run test:time-shifted [-- --browser] [-- <vitest filters>]`: the test suite at the instants and
 * in the process time zones where date handling breaks, to prove that no test depends on when or
 * where it runs. Each run starts every store clock at AMENDS_CLOCK_START (sandbox/clock.ts) and sets
 * the process zone with TZ; the shop's zone in the tests is America/New_York.
 *
 * By default the core project (unit and integration tests) runs once per point; --browser adds the
 * browser project to the first point. CI runs this after `npm test` (.ci/run).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

export const TIME_SHIFTED_RUNS = [
  {
    name: "just before local midnight in the shop's zone (23:59:30 in New York), process in Pacific/Kiritimati (UTC+14)",
    clock: "2026-11-21T04:59:30Z",
    tz: "Pacific/Kiritimati",
  },
  {
    name: "just after local midnight in the shop's zone (00:00:30 in New York), process in Pacific/Pago_Pago (UTC-11)",
    clock: "2026-11-21T05:00:30Z",
    tz: "Pacific/Pago_Pago",
  },
  {
    name: "a daylight-saving change day: 30 s before New York falls back (01:59:30 EDT on 2026-11-01), process in America/New_York",
    clock: "2026-11-01T05:59:30Z",
    tz: "America/New_York",
  },
] as const;

const args = process.argv.slice(2);
const browser = args.includes("--browser");
const filters = args.filter((a) => a !== "--browser");
const vitest = path.resolve("node_modules/.bin/vitest");

const outcomes: Array<{ name: string; ok: boolean; seconds: number }> = [];
for (const [index, run] of TIME_SHIFTED_RUNS.entries()) {
  const projects = browser && index === 0 ? ["--project", "core", "--project", "browser"] : ["--project", "core"];
  console.warn(`\n== ${run.name}\n   AMENDS_CLOCK_START=${run.clock} TZ=${run.tz}`);
  const started = Date.now();
  const result = spawnSync(vitest, ["run", ...projects, ...filters], {
    stdio: "inherit",
    env: { ...process.env, AMENDS_CLOCK_START: run.clock, TZ: run.tz },
  });
  outcomes.push({ name: run.name, ok: result.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
console.warn("\nTime-shifted runs:");
for (const o of outcomes) console.warn(`  ${o.ok ? "passed" : "FAILED"}  ${o.name} (${o.seconds} s)`);
process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
