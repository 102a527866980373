/**
 * Closed-loop benchmark: `npm run bench:loop [-- options]`.
 *
 The sandbox store runs in its own Node process (tests/bench/sandbox-process), so this process's
 * CPU is the app's alone: the app's Admin API and OAuth calls reach it through a forwarder (a fetch
 * wrapper, tests/bench/sandbox-process/forwarder.ts), its webhooks come by HTTP. The app runs here with its embedded PostgreSQL (a fresh
 * temporary folder) and the job worker in-process (WORKER_IN_WEB=true). S shops (Standard plan bucket: 2,000 points, 100/s) install the app (a session-token
 * request to /app, so an offline session exists) and get settings that auto-approve every offer
 * (no holdout, no cooldown, no yearly cap, a high auto-approve ceiling, no monthly budget).
 *
 * Then, per shop and in parallel across shops, N orders are placed, fulfilled, and given a
 * carrier `delayed` event (a DELIVERY_DELAY failure signal). The signal time is when the
 * fulfillment_events/create webhook left for the app. The bench waits until every incident is
 * decided and no offer is still APPROVED/ISSUING, then reports failure-signal-to-issued latency
 * (Offer.issuedAt), its stages, Admin API cost points per incident (from the sandbox's call log,
 * by operation), throughput, errors and the machine. Results: tests/bench/results/loop-latest.json.
 *
 * Note: detect-order is debounced by DETECT_DEBOUNCE_MS by design, so a burst of webhooks
 * about one order becomes one read; the latency is also shown without it.
 *
 * Options: --rate=N (signals per second over all shops; sets --interval), --shops=3, --orders=30 (per shop), --interval=600 (ms between orders of a shop: 5 signals/s over 3 shops, below what one 2-core machine sustains; 250 shows saturation; 0 = burst),
 * --concurrency=8 (WORKER_CONCURRENCY), --timeout=90 (s to wait for offers), --production (serve
 * the built app from build/ instead of Vite middleware; run `npm run build` first).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { BenchLifecycle, appTomlScopes } from "./common/lifecycle";
import { AUTO_APPROVE_SETTINGS, placeFailureSignal, setUpShop, STANDARD_BUCKET, type BenchShop } from "./common/store";
import { integerRows, OptionError, parseOptionsOrExit, type OptionTable } from "./common/options";
import { distribution, gitCommit, machine, ms, round, table, type Distribution } from "./loop/report";
import { cpuByName, snapshotTree } from "./proc-cpu";
import {
  compareWithApp,
  runBaseline,
  type BaselineComparison,
  type BaselineResult,
  type ForwarderMode,
} from "./loop/baseline";
import { startSandboxProcess, type SandboxProcess } from "./sandbox-process";
import { installForwarder } from "./sandbox-process/forwarder";
import { freePort } from "../../app/db/embedded-postgres.server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RESULTS_FILE = path.join(ROOT, "tests/bench/results/loop-latest.json");
const P95_TARGET_MS = 1_000;
const COST_TARGET = 30;
const REQUESTED_COST_TARGET = 150;
const APP_CPU_TARGET_MS = 25;

// ---------------------------------------------------------------- options

interface Options {
  shops: number;
  orders: number;
  intervalMs: number;
  concurrency: number;
  timeoutS: number;
  production: boolean;
  /** The same-run baseline (tests/bench/loop/baseline.ts) after the loop. */
  baseline: boolean;
}

const int = integerRows<Options & { rate?: number }>();
const OPTIONS: OptionTable<Options & { rate?: number }> = {
  command: "npm run bench:loop --",
  defaults: () => ({
    shops: 3,
    orders: 30,
    intervalMs: 600,
    concurrency: 8,
    timeoutS: 90,
    production: false,
    baseline: true,
  }),
  rows: [
    int("--shops", "shops", 1, "sandbox shops"),
    int("--orders", "orders", 1, "orders per shop"),
    int("--interval", "intervalMs", 0, "between one shop's orders (250 shows saturation; 0 = burst)", "ms"),
    {
      flag: "--rate",
      value: "N",
      help: "signals per second over all shops (sets --interval)",
      apply: (o, v) => {
        const rate = Number(v);
        if (!(rate > 0)) throw new OptionError(`--rate must be a positive number of signals per second, got "${v}"`);
        o.rate = rate;
      },
    },
    int("--concurrency", "concurrency", 1, "WORKER_CONCURRENCY"),
    int("--timeout", "timeoutS", 1, "to wait for offers", "s"),
    {
      flag: "--production",
      help: "serve the built app from build/ instead of Vite middleware (run `npm run build` first)",
      apply: (o) => (o.production = true),
    },
    {
      flag: "--no-baseline",
      help: "skip the same-run baseline (a bare client doing the loop's I/O, through the forwarder, without it, and through msw)",
      apply: (o) => (o.baseline = false),
    },
  ],
  // Signals per second over all shops: the interval between one shop's signals follows.
  finish: (o) => {
    if (o.rate !== undefined) o.intervalMs = Math.round((1000 * o.shops) / o.rate);
    delete o.rate;
  },
};

// ---------------------------------------------------------------- environment (before any app module loads)

const options: Options = parseOptionsOrExit(OPTIONS);
if (options.production && !existsSync(path.join(ROOT, "build/server/index.js")))
  throw new Error("--production needs `npm run build` first");

const bench = new BenchLifecycle("the app and its database");
const tmpParent = bench.tempDir("amends-loop-");
const port = await freePort();
const apiKey = "amends-loop-bench";
const secret = randomBytes(24).toString("hex");
const scopes = appTomlScopes();
process.env.NODE_ENV = options.production ? "production" : "development";
delete process.env.AMENDS_DEMO;
delete process.env.DATABASE_URL;
Object.assign(process.env, {
  SHOPIFY_API_KEY: apiKey,
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
  SCOPES: scopes,
  PORT: String(port),
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
  WORKER_IN_WEB: "true",
  WORKER_CONCURRENCY: String(options.concurrency),
  EMBEDDED_DB_DIR: path.join(tmpParent, "pg"),
});
const checkInterrupted = () => bench.checkInterrupted();

/** Fast shutdown of embedded PostgreSQL (SIGINT to the postmaster) when the app could not stop it. */
function stopPostgres(): void {
  try {
    const pid = Number(readFileSync(path.join(tmpParent, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, "SIGINT");
  } catch {
    // not running
  }
}

/** Stop the app: first let the webhook deliveries on their way reach it (its close waits for busy keep-alive connections). */
async function stopApp(sandboxProcess: SandboxProcess, close: () => Promise<void>): Promise<void> {
  const drainUntil = Date.now() + 10_000;
  while (Date.now() < drainUntil) {
    const inFlight = await sandboxProcess.control
      .deliveries()
      .then((d) => d.inFlight)
      .catch(() => 0);
    if (inFlight === 0) break;
    await sleep(50);
  }
  try {
    const closed = await Promise.race([close().then(() => true), sleep(30_000, false, { ref: false })]);
    if (!closed) {
      console.error("the app did not stop within 30 s; stopping its PostgreSQL directly");
      stopPostgres();
      await sleep(3_000);
    }
  } catch (error) {
    console.error("stopping the app failed:", error instanceof Error ? error.message : error);
    stopPostgres();
  }
}

// ---------------------------------------------------------------- main

interface Signal {
  shop: string;
  orderRestId: string;
  sentAt: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const shops = Array.from({ length: options.shops }, (_, i) => `loop-bench-${i + 1}.myshopify.com`);

  // The logger was built when a static import above loaded it, before LOG_LEVEL was set: info lines
  // for every job cost the app CPU this bench measures.
  const { logger } = await import("../../app/logger.server");
  logger.level = process.env.LOG_LEVEL ?? "warn";
  const { mintSessionToken } = await import("../../sandbox/session-token");
  const { DEFAULT_STAFF } = await import("../../sandbox");

  const sandboxProcess = await startSandboxProcess({
    apiKey,
    secret,
    scopes,
    logFile: path.join(tmpParent, "sandbox.log"),
  });
  bench.onCleanup("sandbox process", () => sandboxProcess.stop().catch(() => undefined));
  const control = sandboxProcess.control;
  // Shops, catalogue and customers (one customer per order, so per-customer limits never interfere).
  const catalogue = new Map<string, BenchShop>();
  for (const [s, shop] of shops.entries())
    catalogue.set(
      shop,
      await setUpShop(
        control,
        { domain: shop, name: `Loop Bench ${s + 1}`, currency: "USD", ianaTimezone: "America/New_York" },
        options.orders,
        {
          product: (p) => `Bench product ${p}`,
          first: (c) => `Bench${c + 1}`,
          last: `Shop${s + 1}`,
          email: (c) => `bench${c + 1}.shop${s + 1}@example.com`,
        },
      ),
    );

  // The forwarder before the app's modules load: the Shopify library captures fetch when it is imported.
  const forwarder = await installForwarder(sandboxProcess.url);
  bench.onCleanup("forwarder", () => forwarder.close());
  const { startServer } = await import("../../server");
  console.log(
    `Starting Amends (${process.env.NODE_ENV}, worker in-process, concurrency ${options.concurrency}) on 127.0.0.1:${port}, embedded PostgreSQL in ${tmpParent} ...`,
  );
  const running = await startServer({ port });
  bench.onCleanup("the app", () => stopApp(sandboxProcess, () => running.close()));
  await control.setWebhookTargets([running.url]);
  checkInterrupted();
  const { prisma } = await import("../../app/db.server");

  // Install on each shop (token exchange, shop facts), then auto-approve everything.
  const settings = AUTO_APPROVE_SETTINGS;
  for (const shop of shops) {
    const owner = DEFAULT_STAFF[0];
    const response = await fetch(new URL("/app", running.url), {
      headers: {
        authorization: `Bearer ${mintSessionToken({ shop, apiKey, secret, userId: String(owner?.id ?? 1) })}`,
        "user-agent": "Mozilla/5.0 (amends-loop-bench)",
      },
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`installing on ${shop}: GET /app answered ${response.status}`);
    const deadline = Date.now() + 30_000;
    while (!(await prisma.shop.findUnique({ where: { shop } }))) {
      if (Date.now() > deadline) throw new Error(`no Shop row for ${shop} 30 s after install`);
      await sleep(100);
    }
    const session = await prisma.session.findFirst({ where: { shop, isOnline: false } });
    if (!session) throw new Error(`no offline session for ${shop} after install`);
    await prisma.shop.update({ where: { shop }, data: { settings } });
  }
  // Let the install's own jobs (if any) settle before the clock starts.
  await sleep(1_000);
  checkInterrupted();

  // ---- Load
  await control.resetCosts();
  const webhooksSentBefore = (await control.deliveries()).sent;
  const loadAverageBefore = os.loadavg().map((n) => round(n, 2));
  const cpuBefore = process.cpuUsage();
  const sandboxCpuBefore = snapshotTree(sandboxProcess.child.workerPid());
  const loadStartedAt = Date.now();
  console.log(
    `Placing ${options.orders} orders on each of ${shops.length} shops (fulfilled, then a carrier "delayed" event; ${options.intervalMs} ms apart per shop) ...`,
  );
  const placementErrors: string[] = [];
  await Promise.all(
    shops.map(async (shop) => {
      const store = catalogue.get(shop) ?? { variants: [], customers: [] };
      for (let i = 0; i < options.orders; i++) {
        checkInterrupted();
        const due = loadStartedAt + i * options.intervalMs;
        if (due > Date.now()) await sleep(due - Date.now());
        try {
          await placeFailureSignal(control, shop, store, i, { prefix: "1ZBENCH", message: "Weather delay" });
        } catch (error) {
          placementErrors.push(`${shop} order ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
  const loadEndedAt = Date.now();
  const signals = new Map<string, Signal>();
  for (const signal of (await control.deliveries()).signals)
    signals.set(`${signal.shop}|${signal.orderRestId}`, signal);
  const expected = signals.size;
  console.log(
    `  ${expected} failure signals sent in ${round((loadEndedAt - loadStartedAt) / 1000, 1)} s; waiting for the offers (timeout ${options.timeoutS} s) ...`,
  );

  // ---- Wait: every incident decided, no offer still on its way.
  const waitDeadline = Date.now() + options.timeoutS * 1000;
  let timedOut = false;
  let lastProgress = "";
  for (;;) {
    checkInterrupted();
    const [incidents, undecided, inFlight, issued] = await Promise.all([
      prisma.incident.count({ where: { shop: { in: shops }, type: "DELIVERY_DELAY" } }),
      prisma.incident.count({ where: { shop: { in: shops }, decision: null } }),
      prisma.offer.count({ where: { shop: { in: shops }, status: { in: ["PROPOSED", "APPROVED", "ISSUING"] } } }),
      prisma.offer.count({ where: { shop: { in: shops }, status: "ISSUED" } }),
    ]);
    const progress = `incidents ${incidents}/${expected}, undecided ${undecided}, in flight ${inFlight}, issued ${issued}`;
    if (progress !== lastProgress) {
      console.log(`  ${round((Date.now() - loadStartedAt) / 1000, 1)} s: ${progress}`);
      lastProgress = progress;
    }
    if (incidents >= expected && undecided === 0 && inFlight === 0) break;
    if (Date.now() > waitDeadline) {
      timedOut = true;
      break;
    }
    await sleep(200);
  }
  const waitedUntil = Date.now();
  const cpu = process.cpuUsage(cpuBefore);
  const processCpuSeconds = round((cpu.user + cpu.system) / 1e6, 2);
  const sandboxCpuSeconds = round(
    Object.values(cpuByName(sandboxCpuBefore, snapshotTree(sandboxProcess.child.workerPid()))).reduce(
      (a, b) => a + b,
      0,
    ),
    2,
  );
  const deliveries = await control.deliveries();
  const webhookStatuses = deliveries.statuses;
  const webhookFailures = deliveries.failures;
  const loadAverageAfter = os.loadavg().map((n) => round(n, 2));

  // ---- Measure
  const offers = await prisma.offer.findMany({ where: { shop: { in: shops } }, include: { incident: true } });
  const transitions = await prisma.offerTransition.findMany({ where: { shop: { in: shops }, toStatus: "ISSUED" } });
  const issuedTransition = new Map(transitions.map((t) => [t.offerId, t.at]));
  const incidents = await prisma.incident.findMany({ where: { shop: { in: shops } } });
  const statusCounts: Record<string, number> = {};
  for (const offer of offers) statusCounts[offer.status] = (statusCounts[offer.status] ?? 0) + 1;
  const decisionCounts: Record<string, number> = {};
  for (const incident of incidents)
    decisionCounts[`${incident.type} ${incident.decision ?? "undecided"}`] =
      (decisionCounts[`${incident.type} ${incident.decision ?? "undecided"}`] ?? 0) + 1;

  const restIdOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
  const latencies: number[] = [];
  const toDetected: number[] = [];
  const toDecided: number[] = [];
  const toIssued: number[] = [];
  let firstSignal = Number.POSITIVE_INFINITY;
  let lastIssued = 0;
  const notIssued: Array<{ shop: string; order: string; status: string; approval: string; error: string | null }> = [];
  for (const s of signals.values()) firstSignal = Math.min(firstSignal, s.sentAt);
  for (const offer of offers) {
    const signal = signals.get(`${offer.shop}|${restIdOf(offer.incident.orderGid)}`);
    const issuedAt = offer.issuedAt ?? issuedTransition.get(offer.id) ?? null;
    if (offer.status !== "ISSUED" || !issuedAt) {
      notIssued.push({
        shop: offer.shop,
        order: offer.incident.orderName,
        status: offer.status,
        approval: offer.approval,
        error: offer.lastError,
      });
      continue;
    }
    if (!signal || offer.approval !== "AUTO") continue;
    latencies.push(issuedAt.getTime() - signal.sentAt);
    toDetected.push(offer.incident.detectedAt.getTime() - signal.sentAt);
    toDecided.push(offer.createdAt.getTime() - offer.incident.detectedAt.getTime());
    toIssued.push(issuedAt.getTime() - offer.createdAt.getTime());
    lastIssued = Math.max(lastIssued, issuedAt.getTime());
  }
  const { DETECT_DEBOUNCE_MS } = await import("../../app/services/detection.server");
  const latency = distribution(latencies);
  const latencyLessDebounce = distribution(latencies.map((l) => l - DETECT_DEBOUNCE_MS));
  const stages = {
    signalToDetected: distribution(toDetected),
    detectedToDecided: distribution(toDecided),
    decidedToIssued: distribution(toIssued),
  };
  const incidentsWithoutOffer = incidents.filter((i) => !offers.some((o) => o.incidentId === i.id));
  const signalsWithoutIncident = [...signals.values()].filter(
    (s) => !incidents.some((i) => i.shop === s.shop && restIdOf(i.orderGid) === s.orderRestId),
  );

  // Admin API cost: every call the app made during the run (webhook processing, detection, decision, issue, notification).
  const costs = await control.costSummary();
  const byOperation = new Map<
    string,
    { calls: number; requested: number; actual: number; throttled: number; failed: number }
  >();
  for (const shop of shops)
    for (const [name, t] of Object.entries(costs.byShop[shop] ?? {})) {
      const row = byOperation.get(name) ?? { calls: 0, requested: 0, actual: 0, throttled: 0, failed: 0 };
      row.calls += t.calls;
      row.requested += t.requested;
      row.actual += t.actual;
      row.throttled += t.throttled;
      row.failed += t.failed;
      byOperation.set(name, row);
    }
  const totalsOf = (key: "calls" | "requested" | "actual" | "throttled") =>
    [...byOperation.values()].reduce((sum, r) => sum + r[key], 0);
  const requested = totalsOf("requested");
  const actual = totalsOf("actual");
  const throttled = totalsOf("throttled");
  const callCount = totalsOf("calls");
  const incidentCount = incidents.length;
  const perIncident = (n: number) => (incidentCount > 0 ? round(n / incidentCount, 1) : Number.NaN);
  const costRows = [...byOperation.entries()]
    .sort((a, b) => b[1].actual - a[1].actual)
    .map(([operation, r]) => ({
      operation,
      ...r,
      actualPerIncident: perIncident(r.actual),
      requestedPerIncident: perIncident(r.requested),
      callsPerIncident: perIncident(r.calls),
    }));

  const jobErrors = await prisma.$queryRawUnsafe<Array<{ task: string; attempts: number; last_error: string | null }>>(
    `SELECT t.identifier AS task, j.attempts, j.last_error FROM graphile_worker._private_jobs j
     JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.last_error IS NOT NULL ORDER BY j.id LIMIT 20`,
  );
  const issuedCount = statusCounts.ISSUED ?? 0;
  const runSeconds = lastIssued > 0 ? (lastIssued - firstSignal) / 1000 : Number.NaN;
  const throughput = Number.isFinite(runSeconds) && runSeconds > 0 ? round(issuedCount / runSeconds, 2) : Number.NaN;
  const costPerIncident = perIncident(actual);
  const p95Met = Number.isFinite(latency.p95) && latency.p95 < P95_TARGET_MS;
  const costMet = Number.isFinite(costPerIncident) && costPerIncident <= COST_TARGET;
  const m = machine();
  const appCpuMsPerIncident = incidentCount > 0 ? round((processCpuSeconds * 1000) / incidentCount, 1) : Number.NaN;
  const appCpuMet = Number.isFinite(appCpuMsPerIncident) && appCpuMsPerIncident <= APP_CPU_TARGET_MS;

  // ---- Same-run baseline: the loop's external I/O for as many incidents, without the app's logic,
  // in its own process; once through the fetch forwarder (as the app's calls go), once without it,
  // once through the msw handler it replaced (what that plumbing cost).
  const loopWebhooks = deliveries.sent - webhooksSentBefore;
  let baseline:
    | { forwarder: BaselineResult; direct: BaselineResult; msw: BaselineResult; comparison: BaselineComparison }
    | undefined;
  if (options.baseline && incidentCount > 0) {
    const { API_VERSION } = await import("../../app/shopify.server");
    const run = (mode: ForwarderMode) => {
      console.log(`Baseline (${mode}): ${incidentCount} incidents' webhooks and ${callCount} Admin API calls ...`);
      return runBaseline({
        sandbox: sandboxProcess,
        secret,
        databaseUrl: process.env.DATABASE_URL ?? "",
        apiVersion: API_VERSION,
        mode,
        shops: options.shops,
        incidents: incidentCount,
        calls: callCount,
        tag: mode,
        logFile: path.join(tmpParent, `baseline-${mode}.log`),
      });
    };
    const forwarder = await run("forwarder");
    checkInterrupted();
    const direct = await run("direct");
    checkInterrupted();
    const msw = await run("msw");
    baseline = { forwarder, direct, msw, comparison: compareWithApp(appCpuMsPerIncident, forwarder, direct, msw) };
  }

  // ---- Print
  console.log("\nFailure signal (fulfillment_events/create sent) to offer ISSUED, auto-approved offers, ms");
  console.log(
    table(
      ["", "n", "p50", "p95", "p99", "max", "mean"],
      [
        [
          "signal → issued",
          latency.count,
          ms(latency.p50),
          ms(latency.p95),
          ms(latency.p99),
          ms(latency.max),
          ms(latency.mean),
        ],
        [
          `less the ${DETECT_DEBOUNCE_MS / 1000} s detect debounce`,
          latencyLessDebounce.count,
          ms(latencyLessDebounce.p50),
          ms(latencyLessDebounce.p95),
          ms(latencyLessDebounce.p99),
          ms(latencyLessDebounce.max),
          ms(latencyLessDebounce.mean),
        ],
        ...stageRows(stages),
      ],
    ),
  );
  console.log(
    `  detect-order waits ${DETECT_DEBOUNCE_MS} ms by design (debounce: a burst of webhooks about one order becomes one Admin read).`,
  );
  console.log(
    `\nAdmin API cost during the run: ${actual} points actual (${requested} requested) over ${incidentCount} incidents = ${costPerIncident} actual / ${perIncident(requested)} requested per incident; ${callCount} calls, ${throttled} throttled`,
  );
  console.log(
    table(
      [
        "operation",
        "calls",
        "calls/incident",
        "actual",
        "actual/incident",
        "requested/incident",
        "throttled",
        "failed",
      ],
      costRows.map((r) => [
        r.operation,
        r.calls,
        r.callsPerIncident,
        r.actual,
        r.actualPerIncident,
        r.requestedPerIncident,
        r.throttled,
        r.failed,
      ]),
    ),
  );
  console.log(
    `\nThroughput: ${issuedCount} offers issued in ${round(runSeconds, 1)} s from the first signal to the last issue = ${throughput}/s (signals sent at ${round(expected / Math.max((loadEndedAt - loadStartedAt) / 1000, 0.001), 1)}/s${options.intervalMs === 0 ? ", as fast as the app answered the webhooks" : ""})`,
  );
  console.log(`Offers by status: ${JSON.stringify(statusCounts)}; incidents: ${JSON.stringify(decisionCounts)}`);
  console.log(`Webhooks: ${JSON.stringify(webhookStatuses)}`);
  if (placementErrors.length > 0)
    console.log(`Store activity errors (${placementErrors.length}): ${placementErrors.slice(0, 5).join("; ")}`);
  if (signalsWithoutIncident.length > 0)
    console.log(
      `Signals without an incident: ${signalsWithoutIncident.length} (e.g. ${signalsWithoutIncident
        .slice(0, 3)
        .map((s) => `${s.shop} ${s.orderRestId}`)
        .join(", ")})`,
    );
  if (incidentsWithoutOffer.length > 0)
    console.log(
      `Incidents without an offer: ${incidentsWithoutOffer.length} (${incidentsWithoutOffer
        .slice(0, 3)
        .map((i) => `${i.orderName}: ${i.decision ?? "undecided"} ${i.summary ?? ""}`)
        .join("; ")})`,
    );
  if (notIssued.length > 0)
    console.log(
      `Offers not issued: ${notIssued.length} (${notIssued
        .slice(0, 5)
        .map((o) => `${o.order} ${o.status}/${o.approval}${o.error ? `: ${o.error}` : ""}`)
        .join("; ")})`,
    );
  if (jobErrors.length > 0)
    console.log(
      `Jobs with errors: ${jobErrors.length} (${jobErrors
        .slice(0, 5)
        .map((j) => `${j.task} x${j.attempts}: ${(j.last_error ?? "").slice(0, 160)}`)
        .join("; ")})`,
    );
  if (timedOut) console.log(`TIMED OUT after ${options.timeoutS} s: ${lastProgress}`);

  const verdict =
    `p95 signal → issued ${ms(latency.p95)} ms (target < ${P95_TARGET_MS} ms: ${p95Met ? "met" : "NOT met"}; ` +
    `${ms(latencyLessDebounce.p95)} ms without the ${DETECT_DEBOUNCE_MS / 1000} s debounce: ${latencyLessDebounce.p95 < P95_TARGET_MS ? "met" : "NOT met"}); ` +
    `${costPerIncident} Admin API points per incident (target ≤ ${COST_TARGET}: ${costMet ? "met" : "NOT met"})`;
  console.log(`\n${verdict}`);
  console.log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`);
  console.log(
    `CPU: the app (web and worker in this process; the sandbox and PostgreSQL not included) used ${processCpuSeconds} s over ${round((waitedUntil - loadStartedAt) / 1000, 1)} s = ${appCpuMsPerIncident} ms per incident (target ≤ ${APP_CPU_TARGET_MS} ms: ${appCpuMet ? "met" : "NOT met"}); the sandbox process ${sandboxCpuSeconds} s; ` +
      `load average ${loadAverageBefore.join(" ")} before, ${loadAverageAfter.join(" ")} after`,
  );
  if (baseline) {
    console.log(
      "\nSame-run baseline: the loop's external I/O per incident without the app's logic (CPU of its own process)",
    );
    console.log(
      table(BASELINE_HEADER, baselineRows(baseline, { appCpuMsPerIncident, loopWebhooks, callCount, incidentCount })),
    );
    const c = baseline.comparison;
    console.log(
      `  app / baseline: ${c.appToBaseline}x; the fetch forwarder's own tax ${c.forwarderTaxMsPerIncident} ms per incident = ${round(c.forwarderShareOfApp * 100, 1)}% of the app's CPU (the msw handler it replaced: ${c.mswTaxMsPerIncident} ms; msw sees every socket, the database's too)`,
    );
    const problems = [baseline.forwarder, baseline.direct, baseline.msw].flatMap((b) =>
      b.stats.failures.length > 0 || b.stats.received !== b.webhooksSent
        ? [
            `${b.mode}: ${b.stats.received}/${b.webhooksSent} webhooks received, ${b.stats.callsFailed} calls failed ${b.stats.failures.slice(0, 3).join("; ")}`,
          ]
        : [],
    );
    if (problems.length > 0) console.log(`  baseline problems: ${problems.join(" | ")}`);
  }
  const busy = (loadAverageBefore[0] ?? 0) > m.cores * 0.5;
  if (busy)
    console.log(
      `Warning: the machine was busy before the run (1-minute load ${loadAverageBefore[0]} on ${m.cores} cores): latency figures are pessimistic.`,
    );

  const date = new Date().toISOString().slice(0, 10);
  const commit = gitCommit(ROOT);
  const markdown = [
    `Closed loop, \`npm run bench:loop\` (${date}${commit ? `, ${commit}` : ""}): ${options.shops} sandbox shops (Standard plan API bucket, 2,000 points at 100/s) × ` +
      `${options.orders} orders, each fulfilled and then given a carrier \`delayed\` event, ${options.intervalMs} ms apart per shop; the app in one process ` +
      `(${process.env.NODE_ENV} server, embedded PostgreSQL, worker in-process with concurrency ${options.concurrency}), the sandbox store in its own; every offer auto-approved. ` +
      `Latency from the fulfillment_events/create webhook being sent to Offer.issuedAt; detect-order is debounced ${DETECT_DEBOUNCE_MS / 1000} s by design.`,
    "",
    table(
      ["Measure", "Value", "Target"],
      [
        [
          "Signal → issued p50 / p95 / p99",
          `${ms(latency.p50)} / ${ms(latency.p95)} / ${ms(latency.p99)} ms`,
          `p95 < ${P95_TARGET_MS} ms: ${p95Met ? "met" : "not met"}`,
        ],
        [
          `Same, less the ${DETECT_DEBOUNCE_MS / 1000} s debounce`,
          `${ms(latencyLessDebounce.p50)} / ${ms(latencyLessDebounce.p95)} / ${ms(latencyLessDebounce.p99)} ms`,
          `${latencyLessDebounce.p95 < P95_TARGET_MS ? "met" : "not met"}`,
        ],
        [
          "Admin API points per incident (actual / requested)",
          `${costPerIncident} / ${perIncident(requested)}`,
          `≤ ${COST_TARGET} / ≤ ${REQUESTED_COST_TARGET}: ${costMet ? "met" : "not met"} / ${perIncident(requested) <= REQUESTED_COST_TARGET ? "met" : "not met"}`,
        ],
        [
          "App CPU per incident (web and worker; sandbox apart)",
          `${appCpuMsPerIncident} ms (sandbox ${incidentCount > 0 ? round((sandboxCpuSeconds * 1000) / incidentCount, 1) : "-"} ms)`,
          `≤ ${APP_CPU_TARGET_MS} ms: ${appCpuMet ? "met" : "not met"}`,
        ],
        ...(baseline
          ? [
              [
                "Same-run baseline CPU per incident (same I/O, no app logic): via the forwarder / direct",
                `${baseline.comparison.baselineCpuMsPerIncident} / ${baseline.comparison.directCpuMsPerIncident} ms; app ${baseline.comparison.appToBaseline}x the baseline`,
                "-",
              ],
              [
                "Fetch forwarder's own tax per incident",
                `${baseline.comparison.forwarderTaxMsPerIncident} ms (${round(baseline.comparison.forwarderShareOfApp * 100, 1)}% of app CPU; the msw handler it replaced: ${baseline.comparison.mswTaxMsPerIncident} ms)`,
                "-",
              ],
            ]
          : []),
        ["Throughput", `${throughput} issued/s (${issuedCount} offers)`, "-"],
        ["Failed / not issued offers", `${statusCounts.FAILED ?? 0} / ${notIssued.length}`, "0"],
      ],
    ),
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, Node ${m.node}; the app (web and worker) in one Node process, the sandbox (answering the Admin API) in another, PostgreSQL beside them` +
      `${busy ? ` (the machine was already busy: 1-minute load ${loadAverageBefore[0]} before the run)` : ""}.`,
  ].join("\n");
  console.log(`\nMarkdown for README.md:\n\n${markdown}\n`);

  const report = {
    generatedAt: new Date().toISOString(),
    commit: commit ?? null,
    machine: m,
    host: {
      loadAverageBefore,
      loadAverageAfter,
      processCpuSeconds,
      appCpuMsPerIncident,
      sandboxCpuSeconds,
      busyBeforeRun: (loadAverageBefore[0] ?? 0) > m.cores * 0.5,
    },
    options: {
      ...options,
      nodeEnv: process.env.NODE_ENV,
      bucket: STANDARD_BUCKET,
      detectDebounceMs: DETECT_DEBOUNCE_MS,
    },
    targets: {
      p95BelowMs: P95_TARGET_MS,
      costPointsPerIncidentAtMost: COST_TARGET,
      requestedPointsPerIncidentAtMost: REQUESTED_COST_TARGET,
      appCpuMsPerIncidentAtMost: APP_CPU_TARGET_MS,
      p95Met,
      costMet,
      appCpuMet,
    },
    signals: expected,
    incidents: incidentCount,
    offersByStatus: statusCounts,
    incidentsByDecision: decisionCounts,
    latencyMs: latency,
    latencyLessDebounceMs: latencyLessDebounce,
    stagesMs: stages,
    adminApi: {
      calls: callCount,
      requested,
      actual,
      throttled,
      actualPerIncident: costPerIncident,
      requestedPerIncident: perIncident(requested),
      byOperation: costRows,
    },
    throughput: {
      issued: issuedCount,
      seconds: round(runSeconds, 2),
      perSecond: throughput,
      loadSeconds: round((loadEndedAt - loadStartedAt) / 1000, 2),
    },
    errors: {
      placement: placementErrors,
      webhooks: webhookStatuses,
      webhookFailures,
      signalsWithoutIncident: signalsWithoutIncident.length,
      incidentsWithoutOffer: incidentsWithoutOffer.map((i) => ({
        order: i.orderName,
        decision: i.decision,
        summary: i.summary,
      })),
      notIssued,
      jobErrors,
      timedOut,
    },
    baseline: baseline
      ? {
          ...baseline.comparison,
          app: { webhooksPerIncident: perIncident(loopWebhooks), adminCallsPerIncident: perIncident(callCount) },
          forwarder: baseline.forwarder,
          direct: baseline.direct,
          msw: baseline.msw,
        }
      : null,
    markdown,
    waitSeconds: round((waitedUntil - loadEndedAt) / 1000, 1),
    totalSeconds: round((Date.now() - started) / 1000, 1),
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Results written to ${path.relative(ROOT, RESULTS_FILE)} (run took ${report.totalSeconds} s)`);
}

const BASELINE_HEADER = [
  "",
  "CPU ms/incident",
  "webhooks/incident",
  "Admin API calls/incident",
  "incidents",
  "bench driver CPU ms/incident",
];

function baselineRows(
  baseline: { forwarder: BaselineResult; direct: BaselineResult; msw: BaselineResult },
  app: { appCpuMsPerIncident: number; loopWebhooks: number; callCount: number; incidentCount: number },
): Array<Array<string | number>> {
  const per = (n: number, d: number) => (d > 0 ? round(n / d, 1) : "-");
  const row = (label: string, b: BaselineResult) => [
    label,
    b.cpuMsPerIncident,
    per(b.stats.received, b.incidents),
    per(b.stats.calls, b.incidents),
    b.incidents,
    b.driverCpuMsPerIncident,
  ];
  return [
    [
      "app (web + worker, this process)",
      app.appCpuMsPerIncident,
      per(app.loopWebhooks, app.incidentCount),
      per(app.callCount, app.incidentCount),
      app.incidentCount,
      "(in the app's)",
    ],
    row("baseline through the fetch forwarder (as the app)", baseline.forwarder),
    row("baseline straight to the sandbox port", baseline.direct),
    row("baseline through the msw handler (replaced)", baseline.msw),
  ];
}

function stageRows(stages: Record<string, Distribution>): Array<Array<string | number>> {
  const names: Record<string, string> = {
    signalToDetected: "  stage: signal → incident detected",
    detectedToDecided: "  stage: detected → offer decided",
    decidedToIssued: "  stage: decided → issued",
  };
  return Object.entries(stages).map(([key, d]) => [
    names[key] ?? key,
    d.count,
    ms(d.p50),
    ms(d.p95),
    ms(d.p99),
    ms(d.max),
    ms(d.mean),
  ]);
}

await bench.run(main, { verbose: true });
