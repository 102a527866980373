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
import { ARMS_WORLDS, summariseArmsWorld, type ArmsSummary } from "./arms-worlds";

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
  const names = [...WORLDS, ...ARMS_WORLDS].map((w) => w.name);
  if (options.world !== null && !names.includes(options.world)) {
    throw new Error(`unknown world ${options.world}; one of ${names.join(", ")}`);
  }
  return options;
}

export interface WorldSummary {
  world: World;
  shops: number;
  /** Readouts shown over all shops (a readout is a round of matured incidents, read once). */
  readouts: number;
  /** Readouts with a lift (enough incidents in both groups). */
  withLift: number;
  /** Incidents still maturing, mean per shop, when the page was looked at. */
  meanMaturing: number;
  trueEffect: number;
  trueOfferEffect: number;
  meanLift: number;
  /** Standard error of the mean lift across readouts. */
  liftSe: number;
  bias: number;
  coverage: number;
  excludesZero: number;
  significantPositive: number;
  meanTreatedRate: number;
  meanHoldoutRate: number;
  issuedShare: number;
  /** "Per make-good that went out": coverage of the true effect of an issued offer. */
  perIssuedCoverage: number;
  perIssuedBias: number;
  /** Incremental revenue per incident: truth, bias, and the bootstrap interval's coverage (minor units). */
  trueRevenuePerIncident: number;
  revenueBias: number;
  revenueCoverage: number;
  /** ROI: the truth is the true incremental revenue less cost, over the value the customers used. */
  roiBias: number;
  roiCoverage: number;
  meanTrueRoi: number;
}

/** A shop's seed: distinct per world and shop, the same on every run with the same --seed. */
export const shopSeed = (seed: number, worldIndex: number, shop: number) =>
  (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(worldIndex + 1, 0x85ebca6b) ^ Math.imul(shop + 1, 0xc2b2ae35)) >>> 0;

export function summariseWorld(world: World, shops: number, seed: number): WorldSummary {
  const worldIndex = WORLDS.findIndex((w) => w.name === world.name);
  let readouts = 0;
  let maturing = 0;
  let n = 0;
  let issued = 0;
  let effectSum = 0;
  let issuedEffectSum = 0;
  let revenueEffectSum = 0;
  let treatedIncidents = 0;
  let issuedOffers = 0;
  interface Scored {
    difference: number;
    low: number;
    high: number;
    truth: number;
    treatedRate: number;
    holdoutRate: number;
    perIssued: { difference: number; low: number; high: number; truth: number } | null;
    revenue: { value: number; low: number; high: number; truth: number } | null;
    roi: { value: number; low: number; high: number; truth: number } | null;
  }
  const lifts: Scored[] = [];
  for (let s = 0; s < shops; s++) {
    const result = runShop(world, shopSeed(seed, worldIndex, s));
    maturing += result.maturing;
    treatedIncidents += result.treatedIncidents;
    issuedOffers += result.issuedOffers;
    for (const { readout, truth, usedMinor } of result.rounds) {
      readouts++;
      n += truth.n;
      issued += truth.issued;
      effectSum += truth.effectSum;
      issuedEffectSum += truth.issuedEffectSum;
      revenueEffectSum += truth.revenueEffectSum;
      if (!readout.lift) continue;
      const perIncident = (minor: number) => minor / readout.treated.incidents;
      const revenue = readout.revenue?.incrementalMinor;
      const roi = readout.revenue?.roi;
      // Every make-good here is a code, so none of the value used is a cost on top of revenue.
      const trueRoi =
        usedMinor > 0 ? ((truth.revenueEffectSum / truth.n) * readout.treated.incidents) / usedMinor : null;
      lifts.push({
        difference: readout.lift.difference,
        ...readout.lift.interval,
        truth: truth.effectSum / truth.n,
        treatedRate: readout.treated.rate ?? 0,
        holdoutRate: readout.holdout.rate ?? 0,
        perIssued: readout.perIssued
          ? {
              difference: readout.perIssued.difference,
              ...readout.perIssued.interval,
              truth: truth.issuedEffectSum / Math.max(1, truth.issued),
            }
          : null,
        revenue:
          revenue && revenue.interval
            ? {
                value: perIncident(revenue.value),
                low: perIncident(revenue.interval.low),
                high: perIncident(revenue.interval.high),
                truth: truth.revenueEffectSum / truth.n,
              }
            : null,
        roi:
          roi && roi.interval && trueRoi !== null
            ? { value: roi.value, low: roi.interval.low, high: roi.interval.high, truth: trueRoi }
            : null,
      });
    }
  }
  const m = lifts.length;
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  const meanLift = mean(lifts.map((l) => l.difference));
  const variance = lifts.reduce((sum, l) => sum + (l.difference - meanLift) ** 2, 0) / Math.max(1, m - 1);
  const share = <T>(list: T[], test: (l: T) => boolean) => list.filter(test).length / Math.max(1, list.length);
  const perIssued = lifts.flatMap((l) => (l.perIssued ? [l.perIssued] : []));
  const revenue = lifts.flatMap((l) => (l.revenue ? [l.revenue] : []));
  const roi = lifts.flatMap((l) => (l.roi ? [l.roi] : []));
  return {
    world,
    shops,
    readouts,
    withLift: m,
    meanMaturing: maturing / shops,
    trueEffect: effectSum / Math.max(1, n),
    trueOfferEffect: issuedEffectSum / Math.max(1, issued),
    meanLift,
    liftSe: Math.sqrt(variance / Math.max(1, m)),
    bias: mean(lifts.map((l) => l.difference - l.truth)),
    coverage: share(lifts, (l) => l.low <= l.truth && l.truth <= l.high),
    excludesZero: share(lifts, (l) => l.low > 0 || l.high < 0),
    significantPositive: share(lifts, (l) => l.low > 0),
    meanTreatedRate: mean(lifts.map((l) => l.treatedRate)),
    meanHoldoutRate: mean(lifts.map((l) => l.holdoutRate)),
    issuedShare: issuedOffers / Math.max(1, treatedIncidents),
    perIssuedCoverage: share(perIssued, (l) => l.low <= l.truth && l.truth <= l.high),
    perIssuedBias: mean(perIssued.map((l) => l.difference - l.truth)),
    trueRevenuePerIncident: revenueEffectSum / Math.max(1, n),
    revenueBias: mean(revenue.map((l) => l.value - l.truth)),
    revenueCoverage: share(revenue, (l) => l.low <= l.truth && l.truth <= l.high),
    roiBias: mean(roi.map((l) => l.value - l.truth)),
    roiCoverage: share(roi, (l) => l.low <= l.truth && l.truth <= l.high),
    meanTrueRoi: mean(roi.map((l) => l.truth)),
  };
}

const pts = (fraction: number) => `${(fraction * 100).toFixed(2)} pts`;
const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
const mark = (ok: boolean) => (ok ? "meets" : "MISSES");

const money = (minor: number) => `${(minor / 100).toFixed(2)}`;
const inRange = (coverage: number) => coverage >= 0.93 && coverage <= 0.97;

export function formatWorld(s: WorldSummary): string {
  const w = s.world;
  const none = w.offerEffect === 0;
  const view =
    w.view === "default" ? "the default 30-day view on a 30-day-old shop" : "a history whose windows have all closed";
  const head = `${w.title} [--world=${w.name}]: ${s.shops} shops, ${w.incidents} incidents each, ${pct(w.holdoutShare)} holdout, ${pct(w.baseline)} baseline, ${view}`;
  if (s.readouts === 0) {
    return [
      head,
      `  readouts shown                         0 of ${s.shops} shops  no immature figure presented: ${mark(true)}`,
      `  incidents maturing (mean per shop)     ${s.meanMaturing.toFixed(0)}  (the page says when the first readout is due)`,
    ].join("\n");
  }
  const rows: Array<[string, string, string]> = [
    ["readouts (rounds of matured incidents)", `${s.readouts} (${s.withLift} with a lift)`, ""],
    ["true effect by assignment (ITT)", pts(s.trueEffect), ""],
    ["mean reported lift", `${pts(s.meanLift)} (+/- ${pts(1.96 * s.liftSe)} MC)`, ""],
    ["bias (reported - true ITT)", pts(s.bias), `|bias| < 0.30 pts: ${mark(Math.abs(s.bias) < 0.003)}`],
    ["95% CI covers true ITT", pct(s.coverage), `93-97%: ${mark(inRange(s.coverage))}`],
    [
      none ? "false positives (CI excludes 0)" : "CI excludes 0",
      pct(s.excludesZero),
      none ? `<= 5%: ${mark(s.excludesZero <= 0.05)}` : "",
    ],
    ["power (CI above 0)", pct(s.significantPositive), none ? "(no effect: one-sided false positives)" : ""],
    ["mean treated / holdout rate", `${pct(s.meanTreatedRate)} / ${pct(s.meanHoldoutRate)}`, ""],
    ["issued offers / treated incidents", pct(s.issuedShare), ""],
    ["true effect of an issued offer", pts(s.trueOfferEffect), ""],
    ["per make-good: bias", pts(s.perIssuedBias), `|bias| < 0.30 pts: ${mark(Math.abs(s.perIssuedBias) < 0.003)}`],
    ["per make-good: 95% CI covers", pct(s.perIssuedCoverage), `93-97%: ${mark(inRange(s.perIssuedCoverage))}`],
    ["true incremental revenue / incident", money(s.trueRevenuePerIncident), ""],
    ["incremental revenue: bias", money(s.revenueBias), ""],
    ["incremental revenue: 95% CI covers", pct(s.revenueCoverage), `93-97%: ${mark(inRange(s.revenueCoverage))}`],
    ["true ROI (mean over readouts)", `${s.meanTrueRoi.toFixed(2)}x`, ""],
    ["ROI: bias", `${s.roiBias.toFixed(2)}x`, ""],
    ["ROI: 95% CI covers", pct(s.roiCoverage), `93-97%: ${mark(inRange(s.roiCoverage))}`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  return [
    head,
    ...rows.map(([label, value, target]) =>
      `  ${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${target}`.trimEnd(),
    ),
  ].join("\n");
}

/** An experiment with arms (decision 0119): how often the readout names the better arm, the worse one, or any. */
export function formatArmsWorld(s: ArmsSummary): string {
  const w = s.world;
  const head = `${w.title} [--world=${w.name}]: ${s.shops} shops, ${w.incidents} incidents each, ${pct(w.holdoutShare)} holdout, ${pct(w.baseline)} baseline, arm effects ${w.armEffects.map((e) => pts(e)).join(" / ")}`;
  const rows: Array<[string, string, string]> =
    s.better === null
      ? [
          ["readouts comparing the arms", `${s.compared}`, ""],
          ["a winner declared (false winner)", pct(s.anyWinner), `<= 5%: ${mark(s.anyWinner <= 0.05)}`],
        ]
      : [
          ["readouts comparing the arms", `${s.compared}`, ""],
          [
            "the better arm named (power)",
            pct(s.pickedBetter),
            `planned ${pct(s.plannedPower)}, >= 80%: ${mark(s.pickedBetter >= 0.8)}`,
          ],
          ["the worse arm named", pct(s.pickedWorse), `<= 2.5%: ${mark(s.pickedWorse <= 0.025)}`],
        ];
  if (w.timing)
    rows.push([
      "answered as “Same-day ... vs ... next morning”",
      pct(s.timingSentences),
      `100%: ${mark(s.timingSentences === 1)}`,
    ]);
  rows.push(
    ["mean B - A as read", pts(s.meanDifference), ""],
    ["95% CI of B - A covers the truth", pct(s.coverage), `93-97%: ${mark(inRange(s.coverage))}`],
  );
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
    let readouts = 0;
    for (let s = 0; s < options.shops; s++) {
      const result = everSignificantWithDailyLooks(first, shopSeed(options.seed, 100, s));
      if (result.significant) ever++;
      looks += result.looks;
      readouts += result.readouts;
    }
    const rate = ever / options.shops;
    say(
      `1b. no effect, daily looks: ${options.shops} shops, ${first.incidents} incidents over a year, the dashboard looked at every day`,
    );
    say(
      `  shops that ever see a significant lift  ${pct(rate)}  <= 5%: ${mark(rate <= 0.05)} (${(looks / options.shops).toFixed(0)} looks and ${(readouts / options.shops).toFixed(2)} readouts per shop, mean)`,
    );
    say(`  (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  }
  const armsWorlds = options.world ? ARMS_WORLDS.filter((w) => w.name === options.world) : ARMS_WORLDS;
  if (armsWorlds.length > 0)
    say("experiments with arms (decision 0119): does the readout find the better make-good?\n");
  for (const world of armsWorlds) {
    const t = performance.now();
    say(formatArmsWorld(summariseArmsWorld(world, options.shops, options.seed)));
    say(`  (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  }
  say(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
