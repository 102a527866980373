/**
 * The demo as a function: Amends against the sandbox store, with no Shopify
 * account and no internet. Starts the app (embedded PostgreSQL unless
 * DATABASE_URL is set, in-process worker unless WORKER_IN_WEB=false), a seeded
 * sandbox shop answering the app's Admin API calls through msw, the demo
 * sign-in and the store control panel, and installs the app on the shop.
 *
 * `npm run demo` (scripts/demo.ts) and the browser tests (tests/browser/) both
 * start the demo through startDemo().
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { RequestHandler } from "msw";
import type { Sandbox } from "../sandbox";
import type { HistoryTruth } from "../sandbox/demo/panel";
import type { HistorySnapshot } from "./demo-history";

export const DEMO_SHOP = "evergreen-outfitters.myshopify.com";

export interface DemoOptions {
  /** Where the app listens; 0 picks a free port. Default: PORT, else 3000. */
  port?: number;
  /** Size of the seeded store. Default: 400 customers, 2,000 orders over 8 weeks. */
  seed?: { customers?: number; orders?: number; weeks?: number };
  /**
   * Route the app's outbound Shopify requests to the sandbox. Called once the sandbox exists and
   * before any app module is imported (the Shopify library captures fetch at import). `appUrl` is
   * where the app will listen: webhooks and the install request go there over real HTTP. Default:
   * an msw server of the demo's own that lets every other request through; tests pass their own.
   */
  interceptRequests?: (handlers: RequestHandler[], appUrl: string) => void;
  /**
   * Open on a shop where Amends has run for months: a seeded world replayed through the app
   * (scripts/demo-history.ts), cached as a template database after the first start. Replaces the
   * `seed` store. Needs the embedded database (DATABASE_URL unset). Default: off.
   */
  history?: boolean;
  /** Progress of a first (uncached) history replay. */
  onProgress?: (message: string) => void;
}

export interface RunningDemo {
  url: string;
  /** The one-time sign-in URL: sets the demo cookie and lands on /app. */
  signInUrl: string;
  shop: string;
  sandbox: Sandbox;
  seeded: { customers: number; orders: number };
  /** With `history`: whether it came from the cache, how long preparing it took, and the world's truth. */
  history: { cached: boolean; ms: number; truth: HistoryTruth } | null;
  /** Stop the server, its worker and database connections (and embedded PostgreSQL if it was started). */
  close(): Promise<void>;
}

/** A port nobody listens on right now (the app URL must be known before the app starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Environment the app reads, with the demo's defaults; variables already set win. */
async function prepareEnvironment(requestedPort: number | undefined, history: boolean) {
  process.env.NODE_ENV ??= "development";
  process.env.AMENDS_DEMO = "true";
  const apiKey = (process.env.SHOPIFY_API_KEY ??= "amends-demo");
  // A throw-away secret per run: the sandbox signs its webhooks and session tokens with it.
  const secret = (process.env.SHOPIFY_API_SECRET ??= randomBytes(24).toString("hex"));
  if (requestedPort !== undefined) process.env.PORT = String(requestedPort === 0 ? await freePort() : requestedPort);
  process.env.PORT ??= "3000";
  // The same host the browser is sent to, so the library's redirects (admin.redirect) stay on this origin.
  const host = process.env.HOST ?? "127.0.0.1";
  process.env.SHOPIFY_APP_URL ??= `http://${host === "0.0.0.0" ? "localhost" : host}:${process.env.PORT}`;
  const scopes = /scopes = "([^"]+)"/.exec(readFileSync("shopify.app.toml", "utf8"))?.[1];
  if (!scopes) throw new Error("shopify.app.toml has no [access_scopes] scopes line");
  process.env.SCOPES ??= scopes;
  // The history's server (its database is replaced at every start, its templates kept) apart from the plain demo's.
  process.env.EMBEDDED_DB_DIR ??= history ? ".data/demo-history/postgres" : ".data/demo-postgres";
  return { apiKey, secret, scopes: process.env.SCOPES, port: Number(process.env.PORT) };
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const { apiKey, secret, scopes, port } = await prepareEnvironment(
    options.port,
    options.history === true && !process.env.DATABASE_URL,
  );
  // The URL server.ts will report for this host and port.
  const host = process.env.HOST ?? "127.0.0.1";
  const appUrl = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;

  const { createSandbox } = await import("../sandbox");
  const { seedStore } = await import("../sandbox/seed");
  const { mountDemoSignIn } = await import("../sandbox/demo/sign-in");
  const { mountControlPanel } = await import("../sandbox/demo/panel");

  const target: { url?: string } = {};
  const sandbox = createSandbox({
    apiKey,
    secret,
    scopes,
    // Webhooks go to the running app over HTTP, like Shopify's.
    deliver: async (request) => {
      if (!target.url) throw new Error("the app is not running yet");
      return fetch(new URL("/webhooks", target.url), {
        method: "POST",
        headers: request.headers,
        body: await request.text(),
      });
    },
  });
  sandbox.store.addShop({
    domain: DEMO_SHOP,
    name: "Evergreen Outfitters",
    currency: "USD",
    ianaTimezone: "America/New_York",
    plan: "Shopify",
  });
  const withHistory = options.history === true && !process.env.DATABASE_URL;
  if (options.history && !withHistory)
    console.warn("The demo's history needs the embedded database: DATABASE_URL is set, so it starts without one.");
  const size = { customers: 400, orders: 2_000, weeks: 8, ...options.seed };
  let seeded = { customers: 0, orders: 0 };
  if (!withHistory) seeded = await seedStore(sandbox.store, null, { shop: DEMO_SHOP, ...size, seed: 2026 });

  // Before the app's modules load: the Shopify library captures fetch when it is imported.
  let closeMsw = () => {};
  if (options.interceptRequests) {
    options.interceptRequests(sandbox.handlers, appUrl);
  } else {
    const { setupServer } = await import("msw/node");
    const msw = setupServer(...sandbox.handlers);
    msw.listen({ onUnhandledFrame: "bypass" });
    closeMsw = () => msw.close();
  }

  const { installClock, installQueueTime } = await import("../app/clock.server");
  installClock(sandbox.clock);
  // The job queue runs on real time (PostgreSQL's clock); the store clock runs ahead of it by however
  // far the person has moved it. Timers are scheduled on the real timeline, and moving the clock on
  // brings the pending ones forward by the same amount, so "3 days later" fires what is due.
  const { followStoreClock, bringPendingJobsForward } = await import("../app/queue/store-clock.server");
  followStoreClock(() => sandbox.clock.now());
  const { startServer } = await import("../server");
  const { prisma } = await import("../app/db.server");
  const { formatMoney } = await import("../app/recovery");

  const history = withHistory ? await import("./demo-history") : null;
  const historyKey = history?.historyKey(history.demoWorld(DEMO_SHOP), {
    holdout: history.DEMO_HOLDOUT_SHARE,
    grid: await history.demoGrid(),
    lifecycle: history.DEMO_LIFECYCLE,
  });
  let cachedHistory: HistorySnapshot<HistoryTruth> | null = null;
  let historyTruth: HistoryTruth | null = null;
  let historyInfo: RunningDemo["history"] = null;
  const historyStarted = performance.now();

  /**
   * Install the app on the sandbox shop, as opening it in the admin would (token exchange, shop
   * facts), so store activity is processed even before anyone opens the app; and tell it, as Flow
   * would, that the merchant has workflows on its triggers.
   */
  async function installOnShop(appUrl: string): Promise<void> {
    const { mintSessionToken } = await import("../sandbox/session-token");
    // Sessions kept from an earlier run (the cached history's database) hold tokens this run's sandbox
    // never issued, and it refuses them: install afresh, as a reinstall would (token exchange).
    await prisma.session.deleteMany({ where: { shop: DEMO_SHOP } });
    const owner = sandbox.staff[0];
    const install = await fetch(new URL("/app", appUrl), {
      headers: {
        authorization: `Bearer ${mintSessionToken({ shop: DEMO_SHOP, apiKey, secret, userId: String(owner?.id ?? 1) })}`,
        "user-agent": "Mozilla/5.0 (amends-demo)",
      },
    });
    // Read the page so the connection is released.
    await install.arrayBuffer();
    if (!install.ok) console.warn(`Installing the app on the sandbox shop answered ${install.status}`);

    // The demo merchant has Shopify Flow workflows on Amends's customer triggers (the acknowledgement,
    // the apology, the follow-up with its rating link), on "Recovery rated low" and on the weekly
    // "Recovery digest ready". With a history,
    // this runs before the replay, so the replayed incidents are acknowledged and followed up too:
    // Flow tells the app so with signed lifecycle callbacks, and only then does the app send them.
    // Flow names each trigger by its title, the form of Shopify's documented example (decision 0301).
    const { sign: signBody } = await import("../sandbox/webhooks/sign");
    const {
      FLOW_TRIGGERS,
      INCIDENT_DETECTED_TRIGGER,
      OFFER_ISSUED_TRIGGER,
      FOLLOW_UP_TRIGGER,
      RATED_LOW_TRIGGER,
      DIGEST_READY_TRIGGER,
    } = await import("../app/shopify/flow/triggers");
    for (const trigger of [
      INCIDENT_DETECTED_TRIGGER,
      OFFER_ISSUED_TRIGGER,
      FOLLOW_UP_TRIGGER,
      RATED_LOW_TRIGGER,
      DIGEST_READY_TRIGGER,
    ] as const) {
      const body = JSON.stringify({
        flow_trigger_definition_id: FLOW_TRIGGERS[trigger].name,
        has_enabled_flow: true,
        shop_id: 1,
        shopify_domain: DEMO_SHOP,
        timestamp: sandbox.clock.now().toISOString(),
      });
      const answer = await fetch(new URL("/flow/lifecycle", appUrl), {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-hmac-sha256": signBody(body, secret) },
        body,
      });
      // 204: recorded. A 200 means the app did not recognise the trigger and will never send it.
      if (answer.status !== 204) console.warn(`Flow lifecycle callback for ${trigger} answered ${answer.status}`);
    }
  }

  const running = await startServer({
    port,
    ...(history && historyKey
      ? {
          beforeMigrate: async (url: string) => {
            cachedHistory = await history.prepareHistoryDatabase<HistoryTruth>(url, historyKey);
          },
        }
      : {}),
    beforeWorker: async (url: string) => {
      target.url = url;
      await installOnShop(url);
      if (!history || !historyKey) return;
      const databaseUrl = process.env.DATABASE_URL ?? "";
      const { toLiveQueue } = await import("../sandbox/history/pipeline");
      if (cachedHistory) {
        sandbox.store.restore(cachedHistory.store);
        historyTruth = cachedHistory.truth;
        sandbox.clock.set(cachedHistory.endedAt);
        await toLiveQueue(cachedHistory.endedAt);
      } else {
        const { replayDemoHistory } = await import("./demo-replay");
        const made = await replayDemoHistory({
          sandbox,
          shop: DEMO_SHOP,
          world: history.demoWorld(DEMO_SHOP),
          holdoutShare: history.DEMO_HOLDOUT_SHARE,
          grid: await history.demoGrid(),
          lifecycle: history.DEMO_LIFECYCLE,
          owner: { userId: String(sandbox.staff[0]?.id ?? 1), accountOwner: true },
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
        historyTruth = made.truth;
        followStoreClock(() => sandbox.clock.now());
        // The template is copied from the app's database: close the app's connections first.
        const { disconnectDatabase } = await import("../app/db.server");
        await disconnectDatabase();
        // A cache that cannot be written only costs the next start a replay.
        await history
          .saveHistory(databaseUrl, historyKey, {
            endedAt: made.endedAt,
            store: sandbox.store.snapshot(),
            truth: made.truth,
          })
          .catch((error: unknown) => console.warn(`The demo's history was not cached: ${String(error)}`));
        await toLiveQueue(made.endedAt);
      }
      if (historyTruth)
        historyInfo = {
          cached: cachedHistory !== null,
          ms: Math.round(performance.now() - historyStarted),
          truth: historyTruth,
        };
      const shop = sandbox.store.shop(DEMO_SHOP);
      seeded = { customers: shop.customers.size, orders: shop.orders.size };
    },
    configure(app) {
      mountDemoSignIn(app, {
        shop: DEMO_SHOP,
        apiKey,
        secret,
        staff: sandbox.staff.map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}` })),
      });
      mountControlPanel(app, {
        sandbox,
        shop: DEMO_SHOP,
        recovery: async () => {
          const incidents = await prisma.incident.findMany({
            where: { shop: DEMO_SHOP },
            orderBy: { detectedAt: "desc" },
            take: 12,
            include: { offers: { orderBy: { createdAt: "desc" }, take: 1 } },
          });
          return incidents.map((i) => {
            const offer = i.offers[0];
            return {
              orderName: i.orderName,
              type: i.type,
              severity: i.severity,
              detectedAt: i.detectedAt,
              decision: i.decision,
              summary: i.summary,
              offer: offer
                ? {
                    kind: offer.kind,
                    status: offer.status,
                    code: offer.code,
                    faceValue: formatMoney(offer.faceValueMinor, offer.currency),
                  }
                : null,
            };
          });
        },
        ...(withHistory
          ? {
              truth: async () => {
                if (!historyTruth) return null;
                const { measuredLift } = await import("./demo-replay");
                return { world: historyTruth, measured: await measuredLift(DEMO_SHOP, historyTruth) };
              },
            }
          : {}),
        onClockAdvanced: async (ms) => {
          await bringPendingJobsForward(ms);
        },
        // "Make this order late": the deadline as the app's detection computes it, from its settings for the shop.
        shipBy: async (orderGid) => (await import("../app/services/detection.server")).orderShipBy(DEMO_SHOP, orderGid),
        inbox: () =>
          prisma.webhookDelivery.findMany({
            where: { shop: DEMO_SHOP },
            orderBy: { receivedAt: "desc" },
            take: 12,
            select: { topic: true, status: true, receivedAt: true, lastError: true },
          }),
      });
    },
  });
  return {
    url: running.url,
    signInUrl: `${running.url}/demo/sign-in`,
    shop: DEMO_SHOP,
    sandbox,
    seeded,
    history: historyInfo,
    async close() {
      await running.close();
      closeMsw();
      installClock(undefined);
      installQueueTime(undefined);
    },
  };
}
