/**
 * The chaos suite: `npm run chaos [-- --seed=14 --scale=1 --faults=worker-kill,admin-faults,...]`.
 *
 * The recovery loop on loopback under faults, one fault at a time, each on its own sandbox shop:
 * - this process runs the sandbox store (the truth), the app's webhook route (real signatures,
 *   real inbox) and the approval service, and serves the sandbox's Admin API on a loopback
 *   "bridge" (where Admin API answers can be lost);
 * - the job worker (the production task list) runs in its own process (worker-child.ts), so it can
 *   be killed with SIGKILL; a supervisor here restarts it;
 * - PostgreSQL is the embedded server, started here on a fixed port, so it can be stopped and
 *   started again on the same data folder.
 *
 * Per fault it counts, from the sandbox store and the database once the system has settled:
 * offers decided, issued, duplicated (more than one Shopify make-good object for one customer or
 * incident), lost (a signal without a settled offer), budget over-spend (issued + committed face
 * value above the month's budget, from the ledger and from what the store holds) and deliveries
 * lost (a webhook answered 200 whose delivery row is missing). Targets: 0 / 0 / 0 / 0.
 *
 * "Settled" lets time pass the way it does in production, faster: a worker killed with SIGKILL
 * leaves its jobs locked, which graphile-worker frees after 4 hours (docs/decisions/0004); the
 * suite ages those locks at once. An ISSUING claim of a killed attempt is taken over after the
 * 5-minute lease, and failed jobs retry with backoff; when nothing moves, the suite moves the
 * store clock on by the lease and brings pending jobs forward (each such step is counted).
 *
 * Results: tests/chaos/results/chaos-latest.json (or --out=FILE). See docs/decisions/0022-chaos-suite.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { getResponse } from "msw";
import type { EmbeddedServer } from "../../app/db/embedded-postgres.server";
import { seededRandom } from "../../app/recovery/random";
import { gitCommit, machine, table } from "../bench/loop/report";

const print = (line: string) => process.stdout.write(`${line}\n`);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
import { FAULTS, type FaultName } from "./faults";

export { FAULTS, type FaultName };

// ---------------------------------------------------------------- options

interface Options {
  seed: number;
  scale: number;
  faults: FaultName[];
  out: string;
  concurrency: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    seed: 14,
    scale: 1,
    faults: [...FAULTS],
    out: path.join(ROOT, "tests/chaos/results/chaos-latest.json"),
    concurrency: 4,
  };
  for (const arg of argv) {
    const [flag, value = ""] = arg.split("=", 2) as [string, string | undefined];
    switch (flag) {
      case "--seed":
        options.seed = Number(value);
        if (!Number.isInteger(options.seed)) throw new Error(`--seed must be an integer, got "${value}"`);
        break;
      case "--scale":
        options.scale = Number(value);
        if (!(options.scale > 0 && options.scale <= 20)) throw new Error(`--scale must be in (0, 20], got "${value}"`);
        break;
      case "--faults": {
        const names = value.split(",").filter(Boolean);
        for (const n of names)
          if (!(FAULTS as readonly string[]).includes(n)) throw new Error(`unknown fault ${n} (${FAULTS.join(", ")})`);
        options.faults = names as FaultName[];
        break;
      }
      case "--out":
        options.out = path.resolve(value);
        break;
      case "--concurrency":
        options.concurrency = Number(value);
        break;
      case "--help":
        print(`npm run chaos -- [--seed=14] [--scale=1] [--faults=${FAULTS.join(",")}] [--out=FILE]`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg} (try --help)`);
    }
  }
  return options;
}

const options = parseOptions(process.argv.slice(2));
const count = (base: number, min = 1) => Math.max(min, Math.round(base * options.scale));

// ---------------------------------------------------------------- environment (before any app module loads)

// Before any app module loads: the logger reads its level once.
process.env.LOG_LEVEL = process.env.CHAOS_LOG_LEVEL ?? "silent";
const { freePort, startEmbeddedPostgres, createDatabase } = await import("../../app/db/embedded-postgres.server");
const tmpParent = mkdtempSync(path.join(os.tmpdir(), "amends-chaos-"));
chmodSync(tmpParent, 0o755);
const dataDir = path.join(tmpParent, "pg");
const pgPort = await freePort();
const apiKey = "amends-chaos";
const secret = randomBytes(24).toString("hex");
const scopes = /scopes = "([^"]+)"/.exec(readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8"))?.[1] ?? "";
let pg: EmbeddedServer = await startEmbeddedPostgres({ dataDir, port: pgPort });
await createDatabase(pg.url("postgres"), "amends");
const databaseUrl = pg.url("amends");
Object.assign(process.env, {
  NODE_ENV: "test",
  TZ: process.env.TZ ?? "UTC",
  DATABASE_URL: databaseUrl,
  SHOPIFY_API_KEY: apiKey,
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: "https://amends.chaos.test",
  SCOPES: scopes,
  WORKER_IN_WEB: "false",
});
const { migrate } = await import("../../app/db/prepare.server");
await migrate(databaseUrl);

// ---------------------------------------------------------------- sandbox, clock, bridge

const { createSandbox, DAY } = await import("../../sandbox");
const { ControlledClock } = await import("../../sandbox/clock");
const { installClock } = await import("../../app/clock.server");
const { followStoreClock, bringPendingJobsForward } = await import("../../app/queue/store-clock.server");
const { prisma } = await import("../../app/db.server");
const { action: webhookRoute } = await import("../../app/routes/webhooks");

// A Monday at 15:00 UTC; the store clock runs at real speed from there (and is moved on by faults).
const START = new Date("2026-11-23T15:00:00Z");
const storeClock = new ControlledClock(START);

/** Webhooks the route answered 200, by shop: each must have its delivery row. */
const acknowledged = new Map<string, Set<string>>();
const webhookAnswers: Record<string, number> = {};
let deliveriesInFlight = 0;

const sandbox = createSandbox({
  apiKey,
  secret,
  scopes,
  clock: storeClock,
  deliver: async (request) => {
    deliveriesInFlight++;
    try {
      let response: Response;
      try {
        response = await webhookRoute({ request, params: {}, context: {} });
      } catch (error) {
        response = error instanceof Response ? error : new Response(null, { status: 500 });
      }
      const key = String(response.status);
      webhookAnswers[key] = (webhookAnswers[key] ?? 0) + 1;
      if (response.status === 200) {
        const shop = request.headers.get("x-shopify-shop-domain") ?? "?";
        const id = request.headers.get("x-shopify-webhook-id") ?? "?";
        const ids = acknowledged.get(shop) ?? new Set<string>();
        ids.add(id);
        acknowledged.set(shop, ids);
      }
      return response;
    } finally {
      deliveriesInFlight--;
    }
  },
  webhooks: { policy: (topic, shop) => webhookPolicy(topic, shop) },
});
installClock(storeClock);
followStoreClock(() => storeClock.now());

/** Per-shop delivery faults (the webhooks fault sets its own). */
type Policy = NonNullable<Parameters<typeof sandbox.sender.send>[3]>;
const policies = new Map<string, (topic: string) => Policy>();
function webhookPolicy(topic: string, shop: string): Policy {
  return policies.get(shop)?.(topic) ?? {};
}

/**
 * Admin API answers lost after the mutation ran, per shop: the share and its seeded draw, and
 * make-good mutations whose first answer is lost whatever the draw.
 */
interface LostAnswers {
  share: number;
  random: () => number;
  lost: number;
  firstOf: Set<string>;
  /** Lost answers to the make-good creating mutations, by mutation. */
  byMutation: Record<string, number>;
}
const lostAnswers = new Map<string, LostAnswers>();
/** The mutations that create a make-good (money leaves the shop when one runs twice). */
const MAKE_GOOD_MUTATIONS = [
  "discountCodeBasicCreate",
  "discountRedeemCodeBulkAdd",
  "giftCardCreate",
  "storeCreditAccountCredit",
] as const;
const MAKE_GOOD_FIELD = new RegExp(`\\b(${MAKE_GOOD_MUTATIONS.join("|")})\\s*\\(`);

const bridge = http.createServer((req, res) => {
  void (async () => {
    if (req.url === "/clock") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ now: storeClock.now().getTime() }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = String(req.headers["x-chaos-url"] ?? "");
    const method = String(req.headers["x-chaos-method"] ?? "POST");
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name.startsWith("x-chaos-") || name === "host" || name === "content-length") continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const request = new Request(url, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : body,
    });
    const response = await getResponse(sandbox.handlers, request);
    if (!response || response.type === "error") {
      res.destroy();
      return;
    }
    const shop = new URL(url).hostname;
    const lost = lostAnswers.get(shop);
    const text = body.toString("utf8");
    if (lost && url.includes("/graphql.json") && /\bmutation\b/.test(text)) {
      const makeGood = MAKE_GOOD_FIELD.exec(text)?.[1];
      const first = makeGood !== undefined && lost.firstOf.delete(makeGood);
      if (lost.random() < lost.share || first) {
        // The mutation ran in the store; its answer never reaches the app.
        lost.lost++;
        if (makeGood) lost.byMutation[makeGood] = (lost.byMutation[makeGood] ?? 0) + 1;
        res.destroy();
        return;
      }
    }
    const answer = Buffer.from(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding") out[name] = value;
    });
    res.writeHead(response.status, out);
    res.end(answer);
  })().catch((error: unknown) => {
    console.error("bridge:", error instanceof Error ? error.message : error);
    res.destroy();
  });
});
await new Promise<void>((resolve) => bridge.listen(0, "127.0.0.1", resolve));
const bridgeAddress = bridge.address();
if (!bridgeAddress || typeof bridgeAddress === "string") throw new Error("the bridge has no port");
const bridgeUrl = `http://127.0.0.1:${bridgeAddress.port}`;

// ---------------------------------------------------------------- the worker process and its supervisor

class WorkerSupervisor {
  private child: ChildProcess | undefined;
  private stopping = false;
  /** Exits nobody asked for (the worker gave up on its own), each restarted. */
  unexpectedExits = 0;
  kills = 0;
  private readonly tail: string[] = [];

  async start(): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests/chaos/worker-child.ts")], {
      cwd: ROOT,
      env: { ...process.env, CHAOS_BRIDGE_URL: bridgeUrl, CHAOS_CONCURRENCY: String(options.concurrency) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const remember = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line.trim()) continue;
        this.tail.push(line.slice(0, 400));
        if (this.tail.length > 40) this.tail.shift();
      }
    };
    child.stderr?.on("data", remember);
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the worker exited before READY (${code}):\n${this.logTail()}`));
      child.once("exit", onExit);
      child.stdout?.on("data", (chunk: Buffer) => {
        remember(chunk);
        if (chunk.toString().includes("READY")) {
          child.off("exit", onExit);
          resolve();
        }
      });
    });
    child.once("exit", () => {
      if (this.child !== child || this.stopping) return;
      // Not asked for: the worker process ended by itself. Restart it, as a process supervisor would.
      this.unexpectedExits++;
      this.child = undefined;
      void this.recover();
    });
  }

  private async recover(): Promise<void> {
    // The dead worker's locks first (the database may still be down: wait for it), then a new worker.
    for (let attempt = 0; attempt < 240 && !this.stopping; attempt++) {
      try {
        await ageDeadLocks();
        break;
      } catch {
        await sleep(500);
      }
    }
    for (let attempt = 0; attempt < 60 && !this.child && !this.stopping; attempt++) {
      try {
        await this.start();
      } catch {
        await sleep(1000);
      }
    }
  }

  logTail(): string {
    return this.tail.join("\n");
  }

  /** SIGKILL, as the OOM killer or a host failure would; then a fresh worker. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    this.kills++;
    await ageDeadLocks();
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * Jobs locked by a worker that no longer exists: graphile-worker frees them once locked for 4 hours
 * (docs/decisions/0004). No other worker runs while this is called, so every lock is a dead one's;
 * the suite stands in for those 4 hours by dating the locks back.
 */
async function ageDeadLocks(): Promise<void> {
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '5 hours' WHERE locked_at IS NOT NULL`;
  await prisma.$executeRaw`UPDATE graphile_worker._private_job_queues SET locked_at = now() - interval '5 hours' WHERE locked_at IS NOT NULL`;
}

const worker = new WorkerSupervisor();

// ---------------------------------------------------------------- shops and signals

const { saveGrid } = await import("../../app/models/grid.server");
const { DEFAULT_GRID, gridSchema, SEVERITIES, TIERS } = await import("../../app/recovery");

const OFFER_VALUE_MINOR = 1_000;
/** The worker-kill and admin-faults shops' budget: never reached, so the ledger is kept and checked. */
const MONEY_SHOP_BUDGET_MINOR = 1_000_000;

interface ShopSetup {
  budgetMinor: number | null;
  approval: "AUTO" | "STAFF";
  /**
   * The kinds the grid gives: every cell a fixed-amount code, or by severity (minor a code,
   * moderate store credit, major and critical a gift card; see mixedSignal).
   */
  kinds?: "codes" | "mixed";
}

type CellKind = "DISCOUNT_FIXED" | "STORE_CREDIT" | "GIFT_CARD";
const MIXED_KINDS: Record<(typeof SEVERITIES)[number], CellKind> = {
  minor: "DISCOUNT_FIXED",
  moderate: "STORE_CREDIT",
  major: "GIFT_CARD",
  critical: "GIFT_CARD",
};

async function installShop(shop: string, setup: ShopSetup): Promise<void> {
  sandbox.store.addShop({ domain: shop, currency: "USD", ianaTimezone: "UTC", plan: "Shopify Plus" });
  const settings = {
    decision: {
      holdoutShare: 0,
      cooldownDays: 0,
      yearlyCapPerCustomerMinor: null,
      autoApproveCeilingMinor: 100_000_000,
      monthlyBudgetMinor: setup.budgetMinor,
    },
    authority: { limits: { STAFF: 100_000, MANAGER: 1_000_000 }, members: { "staff-1": "STAFF", "staff-2": "STAFF" } },
  };
  await prisma.shop.create({ data: { shop, timezone: "UTC", currency: "USD", settings } });
  const issued = sandbox.tokens.issueOffline(shop, scopes, { expiring: true });
  const now = storeClock.now().getTime();
  const session = {
    shop,
    state: "",
    isOnline: false,
    scope: scopes,
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token ?? null,
    expires: new Date(now + (issued.expires_in ?? 0) * 1000),
    refreshTokenExpires: new Date(now + (issued.refresh_token_expires_in ?? 0) * 1000),
  };
  await prisma.session.create({ data: { id: `offline_${shop}`, ...session } });
  const cell = (kind: CellKind) => ({
    kind,
    value: OFFER_VALUE_MINOR,
    expiryDays: 30,
    approval: setup.approval,
    messageTemplateKey: "standard",
  });
  const row = (kind: CellKind) => Object.fromEntries(TIERS.map((t) => [t, cell(kind)]));
  const kindOf = (severity: (typeof SEVERITIES)[number]) =>
    setup.kinds === "mixed" ? MIXED_KINDS[severity] : "DISCOUNT_FIXED";
  await saveGrid(
    shop,
    gridSchema.parse({
      ...DEFAULT_GRID,
      cells: Object.fromEntries(SEVERITIES.map((s) => [s, row(kindOf(s))])),
      overrides: {},
    }),
    "chaos",
  );
}

interface Signal {
  customerId: string;
  orderId: string;
}

/** A customer's order (of `quantity` mugs at 40 USD), shipped: the parcel a carrier event is about. */
async function shippedOrder(shop: string, n: number, quantity = 1) {
  const customer = sandbox.activity.createCustomer(shop, {
    firstName: `Chaos${n}`,
    lastName: "Customer",
    email: `chaos${n}@example.com`,
  });
  const variant = variantOf(shop);
  const order = await sandbox.activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [{ variantId: variant, quantity }],
  });
  const fulfillment = await sandbox.activity.fulfill(shop, order.id, {
    trackingCompany: "UPS",
    trackingNumber: `1ZCHAOS${order.id}`,
  });
  return { customer, order, fulfillment };
}

/** A customer's order, shipped, then a carrier "delayed" event: a DELIVERY_DELAY failure signal (minor). */
async function delaySignal(shop: string, n: number, quantity = 1): Promise<Signal> {
  const { customer, order, fulfillment } = await shippedOrder(shop, n, quantity);
  await sandbox.activity.addFulfillmentEvent(shop, order.id, fulfillment.id, {
    status: "delayed",
    message: "Weather delay",
  });
  return { customerId: customer.id, orderId: order.id };
}

/** A shipped order whose carrier reports a failed delivery: DELIVERY_FAILURE (major). */
async function failureSignal(shop: string, n: number): Promise<Signal> {
  const { customer, order, fulfillment } = await shippedOrder(shop, n);
  await sandbox.activity.addFulfillmentEvent(shop, order.id, fulfillment.id, {
    status: "failure",
    message: "Address not found",
  });
  return { customerId: customer.id, orderId: order.id };
}

/**
 * With the "mixed" grid, one make-good kind in turn: a delay on a 40 USD order (minor: a code), a
 * delay on a 280 USD order (above the default 250 USD high-value line, raised to moderate: store
 * credit), a failed delivery (major: a gift card).
 */
async function mixedSignal(shop: string, n: number): Promise<Signal> {
  switch (n % 3) {
    case 1:
      return delaySignal(shop, n);
    case 2:
      return delaySignal(shop, n, 7);
    default:
      return failureSignal(shop, n);
  }
}

/** A customer's order that is never shipped: LATE_FULFILLMENT once its ship-by deadline passes. */
async function unshippedSignal(shop: string, n: number): Promise<Signal> {
  const customer = sandbox.activity.createCustomer(shop, {
    firstName: `Late${n}`,
    lastName: "Customer",
    email: `late${n}@example.com`,
  });
  const order = await sandbox.activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [{ variantId: variantOf(shop), quantity: 1 }],
  });
  return { customerId: customer.id, orderId: order.id };
}

const variants = new Map<string, string>();
function variantOf(shop: string): string {
  let id = variants.get(shop);
  if (!id) {
    const product = sandbox.activity.createProduct(shop, { title: "Chaos mug", variants: [{ price: "40.00" }] });
    id = product.variants[0]?.id ?? "";
    variants.set(shop, id);
  }
  return id;
}

// ---------------------------------------------------------------- settling

const FINAL = new Set([
  "ISSUED",
  "PENDING_APPROVAL",
  "EXPIRED",
  "REJECTED",
  "UNUSED",
  "REDEEMED",
  "HOLDOUT",
  "SUPERSEDED",
]);

async function waitForIdleQueue(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await sleep(500);
  for (;;) {
    const jobs = await jobsOutstanding();
    if ((jobs.due === 0 && jobs.locked === 0) || Date.now() > deadline) return;
    await sleep(250);
  }
}

async function jobsOutstanding(): Promise<{ due: number; locked: number }> {
  const [row] = await prisma.$queryRaw<Array<{ due: bigint; locked: bigint }>>`
    SELECT count(*) FILTER (WHERE locked_at IS NULL AND run_at <= now() AND attempts < max_attempts) AS due,
           count(*) FILTER (WHERE locked_at IS NOT NULL) AS locked
    FROM graphile_worker._private_jobs`;
  return { due: Number(row?.due ?? 0), locked: Number(row?.locked ?? 0) };
}

/** Offers of these orders that are not settled yet, and signals without any offer. */
async function unsettled(shop: string, signals: Signal[]): Promise<number> {
  const incidents = await prisma.incident.findMany({ where: { shop }, include: { offers: true } });
  let open = 0;
  for (const s of signals) {
    const mine = incidents.filter((i) => i.orderGid === `gid://shopify/Order/${s.orderId}`);
    const offers = mine.flatMap((i) => i.offers);
    if (offers.length === 0 || offers.some((o) => !FINAL.has(o.status))) open++;
  }
  return open;
}

/**
 * Wait until every signal has a settled offer and the queue is idle, letting time pass when nothing
 * moves: due webhook retries are flushed, and after 3 s without progress the store clock moves on by
 * the issuing lease (5 min) and pending jobs (timers, retry backoffs) come forward by as much.
 */
async function settle(
  shop: string,
  signals: Signal[],
  timeoutMs: number,
): Promise<{ timeSteps: number; timedOut: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let timeSteps = 0;
  let lastProgress = Date.now();
  let last = "";
  let stepsAtLastChange = 0;
  for (;;) {
    await sandbox.sender.flushDue();
    const open = await unsettled(shop, signals).catch(() => -1);
    const jobs = await jobsOutstanding().catch(() => ({ due: -1, locked: -1 }));
    const state = `${open}/${jobs.due}/${jobs.locked}`;
    if (open === 0 && jobs.due === 0 && jobs.locked === 0 && deliveriesInFlight === 0)
      return { timeSteps, timedOut: false };
    if (state !== last) {
      stepsAtLastChange = timeSteps;
      if (process.env.CHAOS_DEBUG) print(`  [settle ${shop}] unsettled/due/locked ${state}`);
      last = state;
      lastProgress = Date.now();
    }
    if (Date.now() > deadline) return { timeSteps, timedOut: true };
    // Nothing left to run and nothing moved for a simulated hour: what is still open is lost.
    if (jobs.due === 0 && jobs.locked === 0 && timeSteps - stepsAtLastChange >= 10)
      return { timeSteps, timedOut: false };
    if (Date.now() - lastProgress > 3_000) {
      const step = 6 * 60_000;
      storeClock.advance(step);
      await bringPendingJobsForward(step).catch(() => 0);
      timeSteps++;
      lastProgress = Date.now();
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------- measuring

export interface FaultResult {
  fault: FaultName;
  shop: string;
  signals: number;
  offersDecided: number;
  issued: number;
  duplicated: number;
  lost: number;
  overSpendMinor: number;
  /**
   * Per month, how far the budget ledger's issued total and the face value of the make-goods the
   * store holds (by the month the ledger counts each in) disagree, summed: 0 when every card, credit
   * and code is in the ledger once at its face value.
   */
  ledgerMismatchMinor: number;
  deliveriesLost: number;
  /** Offers issued (ISSUED, UNUSED, REDEEMED), by make-good kind. */
  issuedByKind: Record<string, number>;
  /** What the fault did (kills, restarts, lost answers, ...). */
  injected: Record<string, number | string>;
  offersByStatus: Record<string, number>;
  timeSteps: number;
  timedOut: boolean;
  seconds: number;
  problems: string[];
}

const restId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

async function measure(
  fault: FaultName,
  shop: string,
  signals: Signal[],
  budgetMinor: number | null,
): Promise<Omit<FaultResult, "injected" | "timeSteps" | "timedOut" | "seconds">> {
  const problems: string[] = [];
  const incidents = await prisma.incident.findMany({ where: { shop }, include: { offers: true } });
  const offers = incidents.flatMap((i) => i.offers);
  const offersByStatus: Record<string, number> = {};
  for (const o of offers) offersByStatus[o.status] = (offersByStatus[o.status] ?? 0) + 1;

  // Duplicates, from the store: make-good objects per customer (each signal has its own customer).
  const state = sandbox.store.shop(shop);
  const perCustomer = new Map<string, Array<{ id: string; at: Date; minor: number; what: string }>>();
  const add = (customerId: string | null, at: Date, minor: number, what: string) => {
    const key = customerId ?? "(none)";
    const list = perCustomer.get(key) ?? [];
    list.push({ id: what.slice(what.lastIndexOf(" ") + 1), at, minor, what });
    perCustomer.set(key, list);
  };
  for (const d of state.discounts.values()) {
    const minor = "amount" in d.value ? Math.round(Number(d.value.amount) * 100) : 0;
    for (const c of d.customerIds.length > 0 ? d.customerIds : [null]) add(c, d.createdAt, minor, `discount ${d.id}`);
  }
  for (const g of state.giftCards.values())
    add(g.customerId, g.createdAt, Math.round(Number(g.initialValue) * 100), `gift card ${g.id}`);
  for (const a of state.storeCreditAccounts.values())
    for (const t of a.transactions)
      if (t.kind === "credit")
        add(a.customerId, t.createdAt, Math.round(Number(t.amount) * 100), `store credit ${t.id}`);
  for (const d of state.draftOrders.values()) add(d.customerId, d.createdAt, 0, `draft order ${d.id}`);
  let duplicated = 0;
  for (const [customer, made] of perCustomer) {
    if (made.length > 1) {
      duplicated += made.length - 1;
      problems.push(`customer ${customer} got ${made.length} make-goods: ${made.map((m) => m.what).join(", ")}`);
    }
  }
  // And from the database: one incident with two issued offers.
  for (const i of incidents) {
    const issuedHere = i.offers.filter((o) => ["ISSUED", "UNUSED", "REDEEMED"].includes(o.status)).length;
    if (issuedHere > 1) {
      duplicated += issuedHere - 1;
      problems.push(`incident ${i.id} has ${issuedHere} issued offers`);
    }
  }

  // Lost: a signal whose order has no incident with a settled offer.
  let lost = 0;
  for (const s of signals) {
    const mine = incidents.filter((i) => i.orderGid === `gid://shopify/Order/${s.orderId}`);
    const settledOffer = mine.flatMap((i) => i.offers).find((o) => FINAL.has(o.status));
    if (!settledOffer) {
      lost++;
      const seen = mine.flatMap((i) => i.offers.map((o) => `${o.status}${o.lastError ? ` (${o.lastError})` : ""}`));
      // What the queue still holds for those offers (a completed job is gone from it).
      for (const o of mine.flatMap((i) => i.offers)) {
        const jobs = await prisma.$queryRaw<
          Array<{ task: string; attempts: number; max_attempts: number; last_error: string | null }>
        >`
          SELECT t.identifier AS task, j.attempts, j.max_attempts, j.last_error FROM graphile_worker._private_jobs j
          JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.payload->>'offerId' = ${o.id}`;
        const trail = await prisma.offerTransition.findMany({ where: { offerId: o.id }, orderBy: { at: "asc" } });
        seen.push(
          `offer ${o.id.slice(0, 8)} attempts ${o.attempts}, updated ${o.updatedAt.toISOString()}, trail ${trail.map((t) => `${t.toStatus}@${t.at.toISOString().slice(11, 19)}${t.note ? `(${t.note})` : ""}`).join(" ")}; jobs: ${jobs.map((j) => `${j.task} ${j.attempts}/${j.max_attempts} ${(j.last_error ?? "").slice(0, 120)}`).join("; ") || "none"}`,
        );
      }
      problems.push(`order ${s.orderId}: ${mine.length === 0 ? "no incident" : `offers ${seen.join(", ") || "none"}`}`);
    }
  }

  // Over-spend: the ledger (committed + issued) and the store's make-goods, per month, above the budget.
  let overSpendMinor = 0;
  let ledgerMismatchMinor = 0;
  if (budgetMinor !== null) {
    for (const m of await prisma.budgetMonth.findMany({ where: { shop } })) {
      const over = m.committedMinor + m.issuedMinor - budgetMinor;
      if (over > 0) {
        overSpendMinor = Math.max(overSpendMinor, over);
        problems.push(
          `ledger ${m.month}: committed ${m.committedMinor} + issued ${m.issuedMinor} > budget ${budgetMinor}`,
        );
      }
    }
    // A make-good counts in the month its offer's budget was held in (the ledger's rule: an offer decided
    // in November and issued after midnight on the 30th is November's); one no offer owns, when made.
    const issuedMonth = new Map<string, string>();
    for (const t of await prisma.offerTransition.findMany({ where: { shop, toStatus: "ISSUED" } })) {
      const month = (t.data as { budget?: { month?: string } } | null)?.budget?.month;
      if (month) issuedMonth.set(t.offerId, month);
    }
    const monthOfObject = new Map<string, string>();
    for (const o of offers) {
      const month = issuedMonth.get(o.id);
      // Keyed by object and customer: a discount group (decision 0109) is one discount for many customers.
      if (o.shopifyGid && month)
        monthOfObject.set(`${restId(o.shopifyGid)}|${o.customerGid ? restId(o.customerGid) : "(none)"}`, month);
    }
    const storeByMonth = new Map<string, number>();
    for (const [customer, made] of perCustomer)
      for (const m of made) {
        const key = `${m.id}|${customer}`;
        const month = monthOfObject.get(key) ?? monthOf(m.at);
        if (!monthOfObject.has(key)) problems.push(`${m.what} is no issued offer's (counted in ${month})`);
        storeByMonth.set(month, (storeByMonth.get(month) ?? 0) + m.minor);
      }
    // Exactly once in the ledger too: what it says was issued is what the store holds, month by month.
    const ledgerByMonth = new Map(
      (await prisma.budgetMonth.findMany({ where: { shop } })).map((l) => [l.month, l.issuedMinor]),
    );
    for (const month of new Set([...storeByMonth.keys(), ...ledgerByMonth.keys()])) {
      const inStore = storeByMonth.get(month) ?? 0;
      const inLedger = ledgerByMonth.get(month) ?? 0;
      if (inStore !== inLedger) {
        ledgerMismatchMinor += Math.abs(inStore - inLedger);
        problems.push(`ledger ${month}: issued ${inLedger}, the store holds ${inStore} of make-goods`);
      }
    }
    for (const [month, minor] of storeByMonth) {
      if (minor > budgetMinor) {
        overSpendMinor = Math.max(overSpendMinor, minor - budgetMinor);
        problems.push(`store ${month}: ${minor} of make-goods > budget ${budgetMinor}`);
        const ledger = await prisma.budgetMonth.findMany({ where: { shop } });
        problems.push(
          `  ledger: ${ledger.map((l) => `${l.month} committed ${l.committedMinor} issued ${l.issuedMinor}`).join("; ")}`,
        );
        for (const t of await prisma.offerTransition.findMany({ where: { shop }, orderBy: { at: "asc" } }))
          problems.push(
            `  ${t.offerId.slice(0, 8)} ${t.fromStatus ?? "-"} -> ${t.toStatus} at ${t.at.toISOString()} ${JSON.stringify(t.data)}`,
          );
      }
    }
  }

  // Deliveries acknowledged with 200 but not in the inbox.
  const acked = [...(acknowledged.get(shop) ?? [])];
  const stored = new Set(
    (await prisma.webhookDelivery.findMany({ where: { shop }, select: { webhookId: true } })).map((d) => d.webhookId),
  );
  const missing = acked.filter((id) => !stored.has(id));
  if (missing.length > 0)
    problems.push(`${missing.length} deliveries answered 200 are not stored (e.g. ${missing[0]})`);

  const issuedOffers = offers.filter((o) => ["ISSUED", "UNUSED", "REDEEMED"].includes(o.status));
  const issuedByKind: Record<string, number> = {};
  for (const o of issuedOffers) issuedByKind[o.kind] = (issuedByKind[o.kind] ?? 0) + 1;
  return {
    fault,
    shop,
    signals: signals.length,
    offersDecided: incidents.filter((i) => i.decision !== null).length,
    issued: issuedOffers.length,
    issuedByKind,
    duplicated,
    lost,
    overSpendMinor,
    ledgerMismatchMinor,
    deliveriesLost: missing.length,
    offersByStatus,
    problems: problems.slice(0, 60),
  };
}

// ---------------------------------------------------------------- the faults

type Runner = (
  shop: string,
  random: () => number,
) => Promise<{
  signals: Signal[];
  budgetMinor: number | null;
  injected: Record<string, number | string | Promise<number>>;
  settleTimeoutMs?: number;
}>;

/** Signals sent `gapMs` apart, each waiting for its webhooks to be answered. */
async function sendSignals(
  shop: string,
  n: number,
  gapMs: number,
  make: (shop: string, i: number) => Promise<Signal> = delaySignal,
  during?: (i: number) => Promise<void>,
): Promise<Signal[]> {
  const signals: Signal[] = [];
  for (let i = 0; i < n; i++) {
    signals.push(await make(shop, i + 1));
    await during?.(i);
    await sleep(gapMs);
  }
  return signals;
}

const runners: Record<FaultName, Runner> = {
  /** SIGKILL the worker at seeded random moments while offers are being issued, restarting it each time. */
  "worker-kill": async (shop, random) => {
    await installShop(shop, { budgetMinor: MONEY_SHOP_BUDGET_MINOR, approval: "AUTO", kinds: "mixed" });
    const kills = count(20, 3);
    const killsBefore = worker.kills;
    const hits: Record<string, number> = {};
    let sending = true;
    // Kill at seeded random moments while the signals arrive and detection, decisions and issues run.
    const killing = (async () => {
      for (let k = 0; k < kills; k++) {
        await sleep(sending ? 200 + Math.floor(random() * 1_200) : 50 + Math.floor(random() * 600));
        // Then aim at an issue in progress when one comes within a second (the moment the brief is about).
        for (let wait = 0; wait < 1_000; wait += 20) {
          const [issuing] = await prisma.$queryRaw<Array<{ n: bigint }>>`
            SELECT count(*) AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
            WHERE j.locked_at IS NOT NULL AND t.identifier = 'issue-offer'`;
          if (Number(issuing?.n ?? 0) > 0) break;
          await sleep(20);
        }
        // What the worker was running when it died (its locked jobs), to show the kills landed mid-job.
        const running = await prisma.$queryRaw<Array<{ task: string }>>`
          SELECT t.identifier AS task FROM graphile_worker._private_jobs j
          JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.locked_at IS NOT NULL`;
        const tasks = new Set(running.map((r) => r.task));
        const label = tasks.has("issue-offer") ? "during issue-offer" : tasks.size > 0 ? "during other jobs" : "idle";
        hits[label] = (hits[label] ?? 0) + 1;
        await worker.kill9();
      }
    })();
    const signals = await sendSignals(shop, count(12, 3), 300, mixedSignal);
    sending = false;
    await killing;
    // Kills that found a worker to kill (kill9 does nothing while it is being restarted).
    return { signals, budgetMinor: MONEY_SHOP_BUDGET_MINOR, injected: { kills: worker.kills - killsBefore, ...hits } };
  },

  /** 20% of Admin API requests fail (5xx, gateway timeouts), and a fifth of the rest of the mutations lose their answer after they ran. */
  "admin-faults": async (shop, random) => {
    await installShop(shop, { budgetMinor: MONEY_SHOP_BUDGET_MINOR, approval: "AUTO", kinds: "mixed" });
    sandbox.admin.faults.configure(shop, {
      serverErrorShare: 0.12,
      timeoutShare: 0.08,
      networkErrorShare: 0,
      seed: Math.floor(random() * 2 ** 31),
      timeoutMs: 2_500,
    });
    // Of the mutations that got through, one in five loses its answer after it ran; and the first
    // that creates each kind of make-good always does, so even the short run loses a card's and a
    // credit's answer.
    const lost: LostAnswers = {
      share: 0.2,
      random: seededRandom(Math.floor(random() * 2 ** 31)),
      lost: 0,
      firstOf: new Set(MAKE_GOOD_MUTATIONS),
      byMutation: {},
    };
    lostAnswers.set(shop, lost);
    const callsBefore = sandbox.admin.calls.length;
    const signals = await sendSignals(shop, count(12, 3), 200, mixedSignal);
    return {
      signals,
      budgetMinor: MONEY_SHOP_BUDGET_MINOR,
      injected: {
        get "5xx/timeouts"() {
          return sandbox.admin.calls.slice(callsBefore).filter((c) => c.shop === shop && c.outcome !== "ok").length;
        },
        get "lost answers"() {
          return lost.lost;
        },
        get "lost answers to creates"() {
          return Object.entries(lost.byMutation)
            .map(([mutation, n]) => `${mutation} ${n}`)
            .join(" / ");
        },
      },
    };
  },

  /** PostgreSQL stopped (fast shutdown) while signals arrive, started again on the same data folder and port. */
  "postgres-restart": async (shop, random) => {
    await installShop(shop, { budgetMinor: null, approval: "AUTO" });
    const n = count(12, 4);
    const stopAfter = 1 + Math.floor(random() * Math.max(1, n / 2));
    const outageMs = 3_000 + Math.floor(random() * 2_000);
    const exitsBefore = worker.unexpectedExits;
    let restarts = 0;
    let restarted: Promise<void> | undefined;
    const signals = await sendSignals(shop, n, 300, delaySignal, async (i) => {
      if (i !== stopAfter) return;
      await pg.stop();
      restarted = (async () => {
        await sleep(outageMs);
        pg = await startEmbeddedPostgres({ dataDir, port: pgPort });
        restarts++;
      })();
    });
    await restarted;
    return {
      signals,
      budgetMinor: null,
      injected: {
        get restarts() {
          return restarts;
        },
        "outage ms": outageMs,
        get "worker exits"() {
          return worker.unexpectedExits - exitsBefore;
        },
      },
    };
  },

  /**
   * Two kinds of signal, their webhooks dropped (15%), duplicated (25%) and delivered in a shuffled
   * order: orders never shipped (LATE_FULFILLMENT once their ship-by deadline passes), and orders
   * shipped whose carrier then reports a delay, the `fulfillment_events/create` dropped more often
   * (30%), three days later, past the ship-by checks (so nothing else reads the event). The
   * first orders/create and the first carrier event are always dropped and the first delivery
   * always duplicated, so even the short run has each. Then the daily reconcile runs (the cron
   * task, through the worker) and the store clock moves past the deadlines.
   */
  webhooks: async (shop, random) => {
    await installShop(shop, { budgetMinor: null, approval: "AUTO" });
    const firsts = new Set(["orders/create", "fulfillment_events/create", "duplicate"]);
    policies.set(shop, (topic) => {
      const share = topic === "fulfillment_events/create" ? 0.3 : 0.15;
      const drop = random() < share || firsts.delete(topic);
      const duplicate = random() < 0.25 || (!drop && firsts.delete("duplicate"));
      return { drop, duplicate: duplicate ? 1 : 0, hold: true };
    });
    const deliver = async () => {
      await sandbox.sender.flush({ order: "shuffle", seed: Math.floor(random() * 2 ** 31) });
      // Detection runs 0.5 s after a delivery is processed (its debounce): wait for that too.
      await waitForIdleQueue(60_000);
      await sleep(1_000);
      await waitForIdleQueue(60_000);
    };
    const unshipped = await sendSignals(shop, count(6, 2), 50, unshippedSignal);
    const shipped: Array<Awaited<ReturnType<typeof shippedOrder>>> = [];
    for (let i = 0; i < count(6, 2); i++) shipped.push(await shippedOrder(shop, 100 + i));
    await deliver();
    // Days later (as carriers' delays come), past the orders' ship-by deadlines, so no ship-by check
    // still to run re-reads a shipped order and finds its carrier event by chance.
    storeClock.advance(3 * DAY);
    await bringPendingJobsForward(3 * DAY);
    await waitForIdleQueue(60_000);
    // The carrier's delays, once detection has seen every shipped order as it was.
    for (const { order, fulfillment } of shipped)
      await sandbox.activity.addFulfillmentEvent(shop, order.id, fulfillment.id, {
        status: "delayed",
        message: "Weather delay",
      });
    policies.delete(shop);
    await deliver();
    const log = sandbox.sender.log.filter((d) => d.shop === shop);
    const dropped = log.filter((d) => d.dropped).length;
    const droppedOf = (topic: string) => log.filter((d) => d.dropped && d.topic === topic).length;
    const duplicated = log.filter((d) => d.history.some((h) => h.duplicate)).length;
    // The daily sweep at its hour (04:00 UTC, the next day), as its cron would start it.
    const now = storeClock.now();
    const sweepAt = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 4, 1);
    storeClock.advance(sweepAt - now.getTime());
    await bringPendingJobsForward(sweepAt - now.getTime());
    await waitForIdleQueue(60_000);
    await prisma.$executeRaw`SELECT graphile_worker.add_job('reconcile-all-shops', '{}'::json)`;
    await waitForIdleQueue(60_000);
    // Friday: every order is past its two handling days.
    storeClock.advance(4 * DAY);
    await bringPendingJobsForward(4 * DAY);
    const signals = [
      ...unshipped,
      ...shipped.map(({ customer, order }) => ({ customerId: customer.id, orderId: order.id })),
    ];
    return {
      signals,
      budgetMinor: null,
      injected: {
        dropped,
        "orders/create dropped": droppedOf("orders/create"),
        "fulfillment_events/create dropped": droppedOf("fulfillment_events/create"),
        duplicated,
        delivered: "shuffled",
      },
    };
  },

  /** 50 approvals at once (two staff members, some offers approved by both) against a budget for 5 offers. */
  approvals: async (shop) => {
    const budgetMinor = 5 * OFFER_VALUE_MINOR;
    await installShop(shop, { budgetMinor, approval: "STAFF" });
    const signals = await sendSignals(shop, count(30, 10), 100);
    const first = await settle(shop, signals, 120_000);
    if (first.timedOut) throw new Error("the offers never all waited for approval");
    const { approveOffer } = await import("../../app/services/approvals.server");
    const pending = await prisma.offer.findMany({
      where: { shop, status: "PENDING_APPROVAL" },
      orderBy: { createdAt: "asc" },
    });
    const outcomes: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const offer = pending[i % pending.length];
        if (!offer) return;
        try {
          await approveOffer(shop, offer.id, { userId: i % 2 === 0 ? "staff-1" : "staff-2" });
          outcomes.approved = (outcomes.approved ?? 0) + 1;
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error instanceof Error ? error.message : "error");
          outcomes[code] = (outcomes[code] ?? 0) + 1;
        }
      }),
    );
    return { signals, budgetMinor, injected: { approvals: 50, offers: pending.length, ...outcomes } };
  },

  /**
   * The store clock (the app's clock) jumps forward into the next month mid-run. The month's budget
   * holds two offers: the first half of the signals issue two and leave the rest waiting for a
   * manager; then, with the next signals in flight, the clock jumps: the waiting offers expire (48 h)
   * and give their budget back, timers fall due at once, and the new month's budget takes two more.
   */
  "clock-jump": async (shop, random) => {
    const budgetMinor = 2 * OFFER_VALUE_MINOR;
    await installShop(shop, { budgetMinor, approval: "AUTO" });
    const n = count(12, 6);
    const half = Math.floor(n / 2);
    const first = await sendSignals(shop, half, 250);
    await settle(shop, first, 60_000);
    const waitingBefore = await prisma.offer.count({ where: { shop, status: "PENDING_APPROVAL" } });
    const now = storeClock.now();
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 12);
    const jumpMs = Math.max(3 * DAY, nextMonth - now.getTime()) + Math.floor(random() * 6 * 3_600_000);
    const rest = await sendSignals(shop, n - half, 250, delaySignal, async (i) => {
      if (i !== 0) return;
      // The next signal's webhooks are in, its detection and decision not yet: jump under them.
      await sleep(Math.floor(random() * 600));
      storeClock.advance(jumpMs);
      await bringPendingJobsForward(jumpMs);
    });
    return {
      signals: [...first, ...rest],
      budgetMinor,
      injected: {
        "jump h": Math.round(jumpMs / 3_600_000),
        from: monthOf(now),
        to: monthOf(storeClock.now()),
        "waiting at the jump": waitingBefore,
        get expired() {
          return prisma.offer.count({ where: { shop, status: "EXPIRED" } });
        },
      },
    };
  },
};

async function runFault(fault: FaultName): Promise<FaultResult> {
  const shop = `chaos-${fault}.myshopify.com`;
  // Per fault, so a fault run alone (--faults=...) draws what it draws in the full run.
  const random = seededRandom(options.seed * 1_000 + FAULTS.indexOf(fault));
  const started = Date.now();
  const run = await runners[fault](shop, random);
  const settled = await settle(shop, run.signals, run.settleTimeoutMs ?? 180_000);
  const measured = await measure(fault, shop, run.signals, run.budgetMinor);
  // Read the getters (counts taken once the fault is over).
  const injected = Object.fromEntries(
    await Promise.all(Object.entries(run.injected).map(async ([k, v]) => [k, await v] as const)),
  );
  sandbox.admin.faults.configure(shop, {});
  lostAnswers.delete(shop);
  policies.delete(shop);
  return { ...measured, injected, ...settled, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

// ---------------------------------------------------------------- main

const KIND_SHORT: Record<string, string> = {
  DISCOUNT_FIXED: "codes",
  STORE_CREDIT: "credits",
  GIFT_CARD: "cards",
};

async function main(): Promise<void> {
  const started = Date.now();
  await worker.start();
  const results: FaultResult[] = [];
  for (const fault of options.faults) {
    process.stdout.write(`${fault} ...`);
    const result = await runFault(fault);
    results.push(result);
    process.stdout.write(
      ` ${result.issued} issued, ${result.duplicated} duplicated, ${result.lost} lost, ${result.overSpendMinor} over-spent, ledger off by ${result.ledgerMismatchMinor}, ${result.deliveriesLost} deliveries lost (${result.seconds} s)\n`,
    );
  }
  const m = machine();
  const date = new Date().toISOString();
  const rows = results.map((r) => [
    r.fault,
    r.signals,
    r.offersDecided,
    Object.entries(r.issuedByKind)
      .map(([kind, n]) => `${n} ${KIND_SHORT[kind] ?? kind}`)
      .join(", ") || 0,
    r.duplicated,
    r.lost,
    r.overSpendMinor === 0 ? 0 : `${(r.overSpendMinor / 100).toFixed(2)} USD`,
    r.ledgerMismatchMinor === 0 ? 0 : `${(r.ledgerMismatchMinor / 100).toFixed(2)} USD`,
    r.deliveriesLost,
    Object.entries(r.injected)
      .map(([k, v]) => `${k} ${v}`)
      .join(", "),
    r.timedOut ? `${r.seconds} (timed out)` : r.seconds,
  ]);
  const printed = table(
    [
      "fault",
      "signals",
      "decided",
      "issued",
      "duplicated",
      "lost",
      "over-spend",
      "ledger off",
      "deliveries lost",
      "injected",
      "s",
    ],
    rows,
  );
  const pass = results.every(
    (r) =>
      r.duplicated === 0 &&
      r.lost === 0 &&
      r.overSpendMinor === 0 &&
      r.ledgerMismatchMinor === 0 &&
      r.deliveriesLost === 0 &&
      !r.timedOut,
  );
  print(`\nChaos suite, seed ${options.seed}, scale ${options.scale}, ${date}`);
  print(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}\n`);
  print(printed);
  print(
    `\nWorker: ${worker.kills} SIGKILLs, ${worker.unexpectedExits} exits on its own (restarted). Webhook answers: ${JSON.stringify(webhookAnswers)}`,
  );
  for (const r of results) for (const p of r.problems) print(`  ${r.fault}: ${p}`);
  print(`\nTargets 0 duplicated, 0 lost, 0 over-spent, ledger = store, 0 deliveries lost: ${pass ? "met" : "NOT met"}`);
  const report = {
    generatedAt: date,
    commit: gitCommit(ROOT) ?? null,
    machine: m,
    options: { seed: options.seed, scale: options.scale, faults: options.faults, concurrency: options.concurrency },
    pass,
    results,
    worker: { kills: worker.kills, unexpectedExits: worker.unexpectedExits },
    webhookAnswers,
    table: printed,
    totalSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  print(`Results written to ${path.relative(ROOT, options.out)} (${report.totalSeconds} s)`);
  if (!pass) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  console.error(`worker log tail:\n${worker.logTail()}`);
  process.exitCode = 1;
} finally {
  await worker.stop();
  bridge.close();
  const { disconnectDatabase } = await import("../../app/db.server");
  await disconnectDatabase().catch(() => undefined);
  await pg.stop().catch(() => undefined);
  rmSync(tmpParent, { recursive: true, force: true });
  // Sandbox timers (webhook retries, held answers) must not keep the process alive.
  process.exit();
}
