/**
 * Many processes, one database: `npm run bench:scale [-- options]`.
 *
 * One embedded PostgreSQL; the sandbox store in its own process (tests/bench/sandbox-process,
 * Standard plan bucket per shop: 2,000 points at 100/s); for each configuration N web processes
 * (production build, `server.ts`) and M worker processes (`scripts/worker.ts`), each its own Node
 * process with the sandbox forwarder. The sandbox spreads its webhooks round-robin over the web
 * processes, as a load balancer would per request. Each configuration gets a fresh database and
 * its own shops, installed through a web process (token exchange), set to auto-approve.
 *
 * Load: per shop, orders placed, fulfilled and given a carrier `delayed` event (a failure signal)
 * `--interval` ms apart, all shops at once. Measured per configuration: offers issued per second
 * (first signal to last issue), signal -> issued latency p50/p95 (the fulfillment_events/create
 * webhook leaving the sandbox to Offer.issuedAt), exactly-once in SQL (no code on two offers, no
 * incident with two live offers, each shop's budget ledger equal to the face value of its issued
 * offers, nothing left committed) and the Admin API: calls, THROTTLED answers (0 expected: the
 * bucket is shared through AdminApiBucket), from the sandbox's own count. CPU per process kind
 * from /proc. Results: tests/bench/results/scale-latest.json.
 *
 * Options: --matrix=1x1,2x2 (web x workers; default every N, M in {1, 2, 4}), --shops=8,
 * --orders=5 (per shop and configuration), --interval=1000 (ms between one shop's orders),
 * --concurrency=4 (WORKER_CONCURRENCY per worker process), --timeout=90 (s to wait for offers),
 * --no-build.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { createDatabase, freePort, startEmbeddedPostgres } from "../../app/db/embedded-postgres.server";
import { mintSessionToken } from "../../sandbox/session-token";
import { BROWSER_UA, buildApp, ChildServer, ROOT } from "../helpers/child-server";
import { appTomlScopes, BenchLifecycle, waitForLine } from "./common/lifecycle";
import { AUTO_APPROVE_SETTINGS, placeFailureSignal, setUpShop, STANDARD_BUCKET, type BenchShop } from "./common/store";
import { integer, integerRows, OptionError, parseOptionsOrExit, type OptionTable } from "./common/options";
import { distribution, gitCommit, machine, ms, round, table, type Distribution } from "./loop/report";
import { cpuByName, snapshotTree, type TreeSnapshot } from "./proc-cpu";
import { APP_WEB_ENTRY, APP_WORKER_ENTRY, startSandboxProcess, type SandboxProcess } from "./sandbox-process";

const RESULTS_FILE = path.join(ROOT, "tests/bench/results/scale-latest.json");

interface Options {
  matrix: Array<{ web: number; workers: number }>;
  shops: number;
  orders: number;
  intervalMs: number;
  concurrency: number;
  timeoutS: number;
  build: boolean;
}

const SIZES = [1, 2, 4];
const int = integerRows<Options>();
const OPTIONS: OptionTable<Options> = {
  command: "npm run bench:scale --",
  defaults: () => ({
    matrix: SIZES.flatMap((web) => SIZES.map((workers) => ({ web, workers }))),
    shops: 8,
    orders: 5,
    intervalMs: 1_000,
    concurrency: 4,
    timeoutS: 90,
    build: true,
  }),
  rows: [
    {
      flag: "--matrix",
      value: "WxM,...",
      help: "web x worker processes per configuration, e.g. 1x1,2x2 (default every N, M in {1, 2, 4})",
      apply: (o, v) => {
        o.matrix = v.split(",").map((cell) => {
          const m = /^(\d+)x(\d+)$/.exec(cell.trim());
          if (!m) throw new OptionError(`--matrix cells are WEBxWORKERS, e.g. 2x4; got "${cell}"`);
          return { web: integer("--matrix", m[1] ?? "", 1), workers: integer("--matrix", m[2] ?? "", 1) };
        });
      },
    },
    int("--shops", "shops", 1, "shops per configuration"),
    int("--orders", "orders", 1, "orders per shop"),
    int("--interval", "intervalMs", 0, "between one shop's orders", "ms"),
    int("--concurrency", "concurrency", 1, "WORKER_CONCURRENCY per worker process"),
    int("--timeout", "timeoutS", 1, "to wait for offers", "s"),
    { flag: "--no-build", help: "use the existing build/", apply: (o) => (o.build = false) },
  ],
};

interface ConfigResult {
  web: number;
  workers: number;
  shops: number;
  signals: number;
  incidents: number;
  issued: number;
  notIssued: number;
  throughputPerS: number;
  latencyMs: Distribution;
  exactlyOnce: {
    duplicateCodes: number;
    incidentsWithTwoLiveOffers: number;
    shopsWithBudgetMismatch: number;
    committedLeftMinor: number;
  };
  adminApi: { calls: number; throttled: number; failed: number; actualPerIncident: number };
  webhooks: Record<string, number>;
  cpuSeconds: { web: number; workers: number; sandbox: number; postgres: number };
  wallSeconds: number;
  timedOut: boolean;
  problems: string[];
  /** Warning and error lines the app processes logged (pino level >= 40), with a few samples. */
  appWarnings: { count: number; samples: string[] };
}

const options = parseOptionsOrExit(OPTIONS);
const apiKey = "amends-scale-bench";
const secret = randomBytes(24).toString("hex");
const scopes = appTomlScopes();
const bench = new BenchLifecycle("the processes and the database");
const tmpParent = bench.tempDir("amends-scale-");

const running: ChildServer[] = [];
let sandbox: SandboxProcess | undefined;

async function stopAll(children: ChildServer[]): Promise<void> {
  await Promise.all(children.map((c) => c.stop(30_000)));
  for (const c of children) running.splice(running.indexOf(c), 1);
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: secret,
    SCOPES: scopes,
    LOG_LEVEL: "warn",
    WORKER_IN_WEB: "false",
    ...extra,
  };
  delete env.AMENDS_DEMO;
  return env;
}

function treeOf(children: ChildServer[]): TreeSnapshot {
  const merged: TreeSnapshot = new Map();
  for (const c of children) for (const [pid, info] of snapshotTree(c.proc.pid)) merged.set(pid, info);
  return merged;
}
const cpuOf = (before: TreeSnapshot, after: TreeSnapshot) =>
  round(
    Object.values(cpuByName(before, after)).reduce((a, b) => a + b, 0),
    2,
  );

async function runConfig(
  index: number,
  web: number,
  workers: number,
  pgServerUrl: (db: string) => string,
  postgresPid: () => TreeSnapshot,
): Promise<ConfigResult> {
  const sandboxProcess = sandbox;
  if (!sandboxProcess) throw new Error("no sandbox");
  const control = sandboxProcess.control;
  const problems: string[] = [];
  const dbName = `scale_${index}_${web}x${workers}`;
  await createDatabase(pgServerUrl("postgres"), dbName);
  const databaseUrl = pgServerUrl(dbName);
  const shops = Array.from(
    { length: options.shops },
    (_, i) => `scale-${index}-${web}x${workers}-${i + 1}.myshopify.com`,
  );

  // Web processes: the first one migrates (the others wait for it), all on the same database.
  const ports = await Promise.all(Array.from({ length: web }, () => freePort()));
  const appUrl = `http://127.0.0.1:${ports[0]}`;
  const webs: ChildServer[] = [];
  for (const [i, port] of ports.entries()) {
    const child = ChildServer.start(
      `web ${i + 1}`,
      APP_WEB_ENTRY,
      childEnv({
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        SHOPIFY_APP_URL: appUrl,
        AMENDS_SANDBOX_URL: sandboxProcess.url,
      }),
    );
    running.push(child);
    webs.push(child);
    // Migrations run in the first; the rest start once it serves (no two migrate at once).
    if (i === 0) await waitForLine(child, "APP READY", 120_000);
  }
  for (const child of webs) await waitForLine(child, "APP READY", 120_000);
  const workerChildren: ChildServer[] = [];
  for (let i = 0; i < workers; i++) {
    const child = ChildServer.start(
      `worker ${i + 1}`,
      APP_WORKER_ENTRY,
      childEnv({
        DATABASE_URL: databaseUrl,
        SHOPIFY_APP_URL: appUrl,
        WORKER_CONCURRENCY: String(options.concurrency),
        AMENDS_SANDBOX_URL: sandboxProcess.url,
      }),
    );
    running.push(child);
    workerChildren.push(child);
  }
  for (const child of workerChildren) await waitForLine(child, "WORKER STARTING", 60_000);
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  await control.setWebhookTargets(urls);

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // Shops, catalogue, install (round-robin over the web processes), auto-approve everything.
    const catalogue = new Map<string, BenchShop>();
    for (const [s, shop] of shops.entries()) {
      catalogue.set(
        shop,
        await setUpShop(control, { domain: shop, name: `Scale ${s + 1}` }, options.orders, {
          product: (p) => `P${p}`,
          first: (c) => `Scale${c + 1}`,
          last: `Shop${s + 1}`,
          email: (c) => `scale${c + 1}.shop${s + 1}.${index}@example.com`,
        }),
      );
      const response = await fetch(new URL("/app", urls[s % urls.length]), {
        headers: {
          authorization: `Bearer ${mintSessionToken({ shop, apiKey, secret, userId: "1001" })}`,
          "user-agent": BROWSER_UA,
        },
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`installing on ${shop}: GET /app answered ${response.status}`);
    }
    const settings = JSON.stringify(AUTO_APPROVE_SETTINGS);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rowCount } = await db.query(`UPDATE "Shop" SET settings = $1::jsonb WHERE shop = ANY($2)`, [
        settings,
        shops,
      ]);
      if (rowCount === shops.length) break;
      if (Date.now() > deadline) throw new Error(`only ${rowCount} of ${shops.length} shops installed after 30 s`);
      await sleep(200);
    }
    await sleep(1_000);
    await control.resetCosts();

    // ---- Load
    const cpuBefore = {
      web: treeOf(webs),
      workers: treeOf(workerChildren),
      sandbox: treeOf([sandboxProcess.child]),
      pg: postgresPid(),
    };
    const startedAt = Date.now();
    await Promise.all(
      shops.map(async (shop) => {
        const store = catalogue.get(shop) ?? { variants: [], customers: [] };
        for (let i = 0; i < options.orders; i++) {
          const due = startedAt + i * options.intervalMs;
          if (due > Date.now()) await sleep(due - Date.now());
          try {
            await placeFailureSignal(control, shop, store, i, { prefix: "1ZSCALE", message: "Weather" });
          } catch (error) {
            if (problems.length < 10)
              problems.push(`${shop}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }),
    );
    const expected = shops.length * options.orders;

    // ---- Wait: every incident decided, no offer on its way.
    let timedOut = false;
    const waitUntil = Date.now() + options.timeoutS * 1000;
    for (;;) {
      const { rows } = await db.query<{ incidents: number; undecided: number; pending: number }>(
        `SELECT (SELECT count(*)::int FROM "Incident" WHERE shop = ANY($1)) AS incidents,
                (SELECT count(*)::int FROM "Incident" WHERE shop = ANY($1) AND decision IS NULL) AS undecided,
                (SELECT count(*)::int FROM "Offer" WHERE shop = ANY($1) AND status IN ('APPROVED', 'ISSUING')) AS pending`,
        [shops],
      );
      const r = rows[0];
      if (r && r.incidents >= expected && r.undecided === 0 && r.pending === 0) break;
      if (Date.now() > waitUntil) {
        timedOut = true;
        problems.push(`timed out: ${JSON.stringify(r)}`);
        break;
      }
      await sleep(200);
    }
    const cpuAfter = {
      web: treeOf(webs),
      workers: treeOf(workerChildren),
      sandbox: treeOf([sandboxProcess.child]),
      pg: postgresPid(),
    };

    // ---- Measure
    const deliveries = await control.deliveries();
    const signals = new Map(
      deliveries.signals.filter((s) => shops.includes(s.shop)).map((s) => [`${s.shop}|${s.orderRestId}`, s.sentAt]),
    );
    const { rows: offers } = await db.query<{
      shop: string;
      order_gid: string;
      status: string;
      issued_at: Date | null;
    }>(
      `SELECT o.shop, i."orderGid" AS order_gid, o.status::text AS status, o."issuedAt" AS issued_at
       FROM "Offer" o JOIN "Incident" i ON i.id = o."incidentId" WHERE o.shop = ANY($1)`,
      [shops],
    );
    const latencies: number[] = [];
    let firstSignal = Number.POSITIVE_INFINITY;
    let lastIssued = 0;
    for (const sentAt of signals.values()) firstSignal = Math.min(firstSignal, sentAt);
    let issued = 0;
    for (const o of offers) {
      if (o.status !== "ISSUED" || !o.issued_at) continue;
      issued++;
      const sentAt = signals.get(`${o.shop}|${o.order_gid.slice(o.order_gid.lastIndexOf("/") + 1)}`);
      if (sentAt === undefined) continue;
      latencies.push(o.issued_at.getTime() - sentAt);
      lastIssued = Math.max(lastIssued, o.issued_at.getTime());
    }
    const seconds = (lastIssued - firstSignal) / 1000;
    const { rows: checks } = await db.query<{
      duplicate_codes: number;
      two_live: number;
      budget_mismatch: number;
      committed: number;
      incidents: number;
    }>(
      `SELECT
        (SELECT count(*)::int FROM (SELECT code FROM "Offer" WHERE shop = ANY($1) AND code IS NOT NULL
           GROUP BY shop, code HAVING count(*) > 1) d) AS duplicate_codes,
        (SELECT count(*)::int FROM (SELECT "incidentId" FROM "Offer" WHERE shop = ANY($1)
           AND status NOT IN ('SUPERSEDED', 'REJECTED', 'EXPIRED', 'FAILED')
           GROUP BY "incidentId" HAVING count(*) > 1) t) AS two_live,
        (SELECT count(*)::int FROM (
           SELECT s.shop FROM unnest($1::text[]) AS s(shop)
           WHERE COALESCE((SELECT sum("issuedMinor") FROM "BudgetMonth" b WHERE b.shop = s.shop), 0)
              <> COALESCE((SELECT sum("faceValueMinor") FROM "Offer" o WHERE o.shop = s.shop AND o."issuedAt" IS NOT NULL), 0)
         ) m) AS budget_mismatch,
        (SELECT COALESCE(sum("committedMinor"), 0)::int FROM "BudgetMonth" WHERE shop = ANY($1)) AS committed,
        (SELECT count(*)::int FROM "Incident" WHERE shop = ANY($1)) AS incidents`,
      [shops],
    );
    const check = checks[0];
    const costs = await control.costSummary();
    let calls = 0;
    let throttled = 0;
    let failed = 0;
    let actual = 0;
    for (const shop of shops)
      for (const t of Object.values(costs.byShop[shop] ?? {})) {
        calls += t.calls;
        throttled += t.throttled;
        failed += t.failed;
        actual += t.actual;
      }
    const webhooks: Record<string, number> = {};
    for (const [status, n] of Object.entries(deliveries.statuses)) webhooks[status] = n;
    const incidents = check?.incidents ?? 0;
    return {
      web,
      workers,
      shops: shops.length,
      signals: signals.size,
      incidents,
      issued,
      notIssued: offers.length - issued,
      throughputPerS: seconds > 0 ? round(issued / seconds, 2) : Number.NaN,
      latencyMs: distribution(latencies),
      exactlyOnce: {
        duplicateCodes: check?.duplicate_codes ?? -1,
        incidentsWithTwoLiveOffers: check?.two_live ?? -1,
        shopsWithBudgetMismatch: check?.budget_mismatch ?? -1,
        committedLeftMinor: check?.committed ?? -1,
      },
      adminApi: {
        calls,
        throttled,
        failed,
        actualPerIncident: incidents > 0 ? round(actual / incidents, 1) : Number.NaN,
      },
      webhooks,
      cpuSeconds: {
        web: cpuOf(cpuBefore.web, cpuAfter.web),
        workers: cpuOf(cpuBefore.workers, cpuAfter.workers),
        sandbox: cpuOf(cpuBefore.sandbox, cpuAfter.sandbox),
        postgres: cpuOf(cpuBefore.pg, cpuAfter.pg),
      },
      wallSeconds: round((Date.now() - startedAt) / 1000, 1),
      timedOut,
      appWarnings: [...webs, ...workerChildren].reduce(
        (all, c) => {
          const w = c.warningSummary();
          return { count: all.count + w.count, samples: [...all.samples, ...w.samples].slice(0, 5) };
        },
        { count: 0, samples: [] as string[] },
      ),
      problems: [...problems, ...deliveries.failures.filter((f) => shops.some((s) => f.startsWith(s))).slice(0, 5)],
    };
  } finally {
    await db.end();
    await stopAll([...webs, ...workerChildren]);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  if (options.build) {
    console.log("Building the app (npm run build) ...");
    buildApp();
  }
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(tmpParent, "pg"), ephemeral: true });
  bench.onCleanup("PostgreSQL", () => postgres.stop());
  const postmaster = Number(readFileSync(path.join(tmpParent, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  sandbox = await startSandboxProcess({ apiKey, secret, scopes });
  bench.onCleanup("sandbox process", () => sandbox?.stop());
  // Registered last, so run first: the app processes stop before their database and sandbox.
  bench.onCleanup("app processes", () => stopAll([...running]));
  const m = machine();
  const loadAverageBefore = os.loadavg().map((n) => round(n, 2));
  console.log(
    `bench:scale: ${options.matrix.map((c) => `${c.web}x${c.workers}`).join(", ")} (web x workers); ${options.shops} shops x ${options.orders} orders, ${options.intervalMs} ms apart per shop; worker concurrency ${options.concurrency}`,
  );
  const results: ConfigResult[] = [];
  for (const [i, cell] of options.matrix.entries()) {
    if (bench.interrupted) break;
    console.log(`\n[${i + 1}/${options.matrix.length}] ${cell.web} web x ${cell.workers} worker processes ...`);
    const result = await runConfig(i + 1, cell.web, cell.workers, postgres.url, () => snapshotTree(postmaster));
    results.push(result);
    console.log(
      `  ${result.issued}/${result.signals} issued, ${result.throughputPerS}/s, p50 ${ms(result.latencyMs.p50)} ms, p95 ${ms(result.latencyMs.p95)} ms, THROTTLED ${result.adminApi.throttled}, app warnings ${result.appWarnings.count}${result.problems.length ? `; problems: ${result.problems.join("; ")}` : ""}`,
    );
  }

  // The same-run baseline: the matrix's first configuration (1 x 1 by default), measured on the same
  // database, sandbox and machine moments before the others.
  const base = results[0];
  const ratio = (value: number, of: number | undefined) =>
    of !== undefined && of > 0 && Number.isFinite(value) ? `${round(value / of, 2)}x` : "-";
  const rows = results.map((r) => [
    `${r.web} x ${r.workers}`,
    `${r.issued}/${r.signals}`,
    r.throughputPerS,
    `${ratio(r.throughputPerS, base?.throughputPerS)} / ${ratio(r.latencyMs.p95, base?.latencyMs.p95)}`,
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p95),
    r.exactlyOnce.duplicateCodes,
    r.exactlyOnce.incidentsWithTwoLiveOffers,
    r.exactlyOnce.shopsWithBudgetMismatch,
    `${r.adminApi.calls} / ${r.adminApi.throttled}`,
    `${r.cpuSeconds.web} / ${r.cpuSeconds.workers} / ${r.cpuSeconds.postgres}`,
  ]);
  const header = [
    "web x workers",
    "issued/signals",
    "issued/s",
    `issued/s, p95 vs ${base ? `${base.web} x ${base.workers}` : "first"}`,
    "p50 ms",
    "p95 ms",
    "dup codes",
    "2 offers/incident",
    "budget mismatch",
    "API calls / THROTTLED",
    "CPU s web / workers / pg",
  ];
  const rendered = table(header, rows);
  console.log(`\n${rendered}`);
  const exactlyOnce = results.every(
    (r) =>
      r.exactlyOnce.duplicateCodes === 0 &&
      r.exactlyOnce.incidentsWithTwoLiveOffers === 0 &&
      r.exactlyOnce.shopsWithBudgetMismatch === 0 &&
      r.exactlyOnce.committedLeftMinor === 0,
  );
  const throttledTotal = results.reduce((n, r) => n + r.adminApi.throttled, 0);
  console.log(
    `Exactly once: ${exactlyOnce ? "held in every configuration" : "VIOLATED"}; THROTTLED answers: ${throttledTotal} (0 expected)`,
  );
  console.log(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; load before ${loadAverageBefore.join(" ")}`,
  );

  const report = {
    generatedAt: new Date().toISOString(),
    commit: gitCommit(ROOT) ?? null,
    machine: m,
    host: { loadAverageBefore, loadAverageAfter: os.loadavg().map((n) => round(n, 2)) },
    options: { ...options, bucket: STANDARD_BUCKET },
    exactlyOnce,
    throttled: throttledTotal,
    results,
    baseline: base
      ? {
          configuration: `${base.web}x${base.workers}`,
          throughputRatios: results.map((r) => ({
            configuration: `${r.web}x${r.workers}`,
            issuedPerSecond: base.throughputPerS > 0 ? round(r.throughputPerS / base.throughputPerS, 2) : null,
            p95: base.latencyMs.p95 > 0 ? round(r.latencyMs.p95 / base.latencyMs.p95, 2) : null,
          })),
        }
      : null,
    markdown: rendered,
    totalSeconds: round((Date.now() - started) / 1000, 1),
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Results written to ${path.relative(ROOT, RESULTS_FILE)} (run took ${report.totalSeconds} s)`);
}

await bench.run(main, { verbose: true });
