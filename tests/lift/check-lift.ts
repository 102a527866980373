/**
 * `npm run check:lift`: how honest is the dashboard's lift? Many simulated shops per world, each with
 * a known true effect, through the app's own attribution and report (tests/lift/worlds.ts). Prints,
 * per world, the truth, the mean reported lift, its bias, the 95% interval's coverage, and how often
 * it is significant, beside the targets of issue 12. It reports; it never fails on a missed target.
 *
 *   npm run check:lift -- --shops=400 --seed=12 --world=not-sent
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { everSignificantWithDailyLooks, runShop, WORLDS, type World } from "./worlds";

export interface Options {
  shops: number;
  seed: number;
  world: string | null;
}

export function parseOptions(argv: readonly string[]): Options {
  const options: Options = { shops: 400, seed: 12, world: null };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, "").split("=");
    if (key === "shops" && value) options.shops = Number.parseInt(value, 10);
    else if (key === "seed" && value) options.seed = Number.parseInt(value, 10);
    else if (key === "world" && value) options.world = value;
    else throw new Error(`unknown option ${arg} (use --shops=N, --seed=N, --world=name)`);
  }
  if (!Number.isInteger(options.shops) || options.shops < 1) throw new Error("--shops must be a positive integer");
  if (!Number.isInteger(options.seed)) throw new Error("--seed must be an integer");
  if (options.world !== null && !WORLDS.some((w) => w.name === options.world)) {
    throw new Error(`unknown world ${options.world}; one of ${WORLDS.map((w) => w.name).join(", ")}`);
  }
  return options;
}

export interface WorldSummary {
  world: World;
  shops: number;
  /** Shops whose report showed a lift (enough incidents in both groups). */
  withLift: number;
  trueEffect: number;
  trueOfferEffect: number;
  meanLift: number;
  /** Standard error of the mean lift across shops. */
  liftSe: number;
  bias: number;
  coverage: number;
  excludesZero: number;
  significantPositive: number;
  meanTreatedRate: number;
  meanHoldoutRate: number;
  issuedShare: number;
}

/** A shop's seed: distinct per world and shop, the same on every run with the same --seed. */
export const shopSeed = (seed: number, worldIndex: number, shop: number) =>
  (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(worldIndex + 1, 0x85ebca6b) ^ Math.imul(shop + 1, 0xc2b2ae35)) >>> 0;

export function summariseWorld(world: World, shops: number, seed: number): WorldSummary {
  const worldIndex = WORLDS.findIndex((w) => w.name === world.name);
  let n = 0;
  let issued = 0;
  let effectSum = 0;
  let issuedEffectSum = 0;
  const lifts: Array<{ difference: number; low: number; high: number }> = [];
  let treatedRates = 0;
  let holdoutRates = 0;
  let treatedIncidents = 0;
  let issuedOffers = 0;
  for (let s = 0; s < shops; s++) {
    const result = runShop(world, shopSeed(seed, worldIndex, s));
    n += result.truth.n;
    issued += result.truth.issued;
    effectSum += result.truth.effectSum;
    issuedEffectSum += result.truth.issuedEffectSum;
    const { lift, treated, holdout } = result.report.recovery;
    treatedIncidents += treated.incidents;
    issuedOffers += result.issuedOffers;
    if (lift.insufficientData) continue;
    lifts.push({ difference: lift.difference, ...lift.interval });
    treatedRates += treated.rate ?? 0;
    holdoutRates += holdout.rate ?? 0;
  }
  const trueEffect = effectSum / n;
  const m = lifts.length;
  const meanLift = lifts.reduce((sum, l) => sum + l.difference, 0) / m;
  const variance = lifts.reduce((sum, l) => sum + (l.difference - meanLift) ** 2, 0) / Math.max(1, m - 1);
  const share = (test: (l: (typeof lifts)[number]) => boolean) => lifts.filter(test).length / m;
  return {
    world,
    shops,
    withLift: m,
    trueEffect,
    trueOfferEffect: issuedEffectSum / issued,
    meanLift,
    liftSe: Math.sqrt(variance / m),
    bias: meanLift - trueEffect,
    coverage: share((l) => l.low <= trueEffect && trueEffect <= l.high),
    excludesZero: share((l) => l.low > 0 || l.high < 0),
    significantPositive: share((l) => l.low > 0),
    meanTreatedRate: treatedRates / m,
    meanHoldoutRate: holdoutRates / m,
    issuedShare: issuedOffers / Math.max(1, treatedIncidents),
  };
}

const pts = (fraction: number) => `${(fraction * 100).toFixed(2)} pts`;
const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
const mark = (ok: boolean) => (ok ? "meets" : "MISSES");

export function formatWorld(s: WorldSummary): string {
  const w = s.world;
  const none = w.offerEffect === 0;
  const rows: Array<[string, string, string]> = [
    ["true effect by assignment (ITT)", pts(s.trueEffect), ""],
    ["true effect of an issued offer", pts(s.trueOfferEffect), ""],
    ["mean reported lift", `${pts(s.meanLift)} (+/- ${pts(1.96 * s.liftSe)} MC)`, ""],
    ["bias (reported - true ITT)", pts(s.bias), `|bias| < 0.30 pts: ${mark(Math.abs(s.bias) < 0.003)}`],
    ["95% CI covers true ITT", pct(s.coverage), `93-97%: ${mark(s.coverage >= 0.93 && s.coverage <= 0.97)}`],
    [
      none ? "false positives (CI excludes 0)" : "CI excludes 0",
      pct(s.excludesZero),
      none ? `<= 5%: ${mark(s.excludesZero <= 0.05)}` : "",
    ],
    ["power (CI above 0)", pct(s.significantPositive), none ? "(no effect: one-sided false positives)" : ""],
    ["mean treated / holdout rate", `${pct(s.meanTreatedRate)} / ${pct(s.meanHoldoutRate)}`, ""],
    ["issued offers / treated incidents", pct(s.issuedShare), ""],
  ];
  const head = `${w.title} [--world=${w.name}]: ${s.shops} shops (${s.withLift} with a lift), ${w.incidents} incidents each, ${pct(w.holdoutShare)} holdout, ${pct(w.baseline)} baseline, ${w.view === "default" ? "default 30-day view on a 30-day-old shop" : "a matured 30-day range"}`;
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  return [
    head,
    ...rows.map(([label, value, target]) =>
      `  ${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${target}`.trimEnd(),
    ),
  ].join("\n");
}

/** Lines to stdout (the table is the output, not a log). */
const say = (line: string) => process.stdout.write(`${line}\n`);

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const worlds = options.world ? WORLDS.filter((w) => w.name === options.world) : WORLDS;
  const started = performance.now();
  say("check:lift: the dashboard's lift against simulated shops with a known effect (issue 12)");
  say(
    `machine: node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"} (${os.cpus().length} cores); seed ${options.seed}, ${options.shops} shops per world`,
  );
  say("targets: coverage 93-97%, |bias| < 0.3 points, false positives <= 5% (also with daily looks)\n");
  for (const world of worlds) {
    const t = performance.now();
    say(formatWorld(summariseWorld(world, options.shops, options.seed)));
    say(`  (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  }
  const first = WORLDS[0];
  if (first && (options.world === null || options.world === first.name)) {
    const t = performance.now();
    let ever = 0;
    let looks = 0;
    for (let s = 0; s < options.shops; s++) {
      const result = everSignificantWithDailyLooks(first, shopSeed(options.seed, 100, s));
      if (result.significant) ever++;
      looks += result.looks;
    }
    const rate = ever / options.shops;
    say(
      `1b. no effect, daily looks: ${options.shops} shops, ${first.incidents} incidents over a year, the cumulative lift looked at every day`,
    );
    say(
      `  shops that ever see a significant lift  ${pct(rate)}  <= 5%: ${mark(rate <= 0.05)} (${(looks / options.shops).toFixed(0)} looks per shop before stopping, mean)`,
    );
    say(`  (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  }
  say(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
