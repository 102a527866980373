/**
 * `npm run demo`: Amends against the sandbox store, with no Shopify account and
 * no internet. Starts the app (embedded PostgreSQL, in-process worker), a seeded
 * sandbox shop answering the app's Admin API calls through msw, the demo
 * sign-in and the store control panel, then prints the one URL to open.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

const DEMO_SHOP = "evergreen-outfitters.myshopify.com";

process.env.NODE_ENV ??= "development";
process.env.AMENDS_DEMO = "true";
const apiKey = (process.env.SHOPIFY_API_KEY ??= "amends-demo");
// A throw-away secret per run: the sandbox signs its webhooks and session tokens with it.
const secret = (process.env.SHOPIFY_API_SECRET ??= randomBytes(24).toString("hex"));
process.env.PORT ??= "3000";
process.env.SHOPIFY_APP_URL ??= `http://localhost:${process.env.PORT}`;
const scopes = /scopes = "([^"]+)"/.exec(readFileSync("shopify.app.toml", "utf8"))?.[1];
if (!scopes) throw new Error("shopify.app.toml has no [access_scopes] scopes line");
process.env.SCOPES ??= scopes;
process.env.EMBEDDED_DB_DIR ??= ".data/demo-postgres";

const { setupServer } = await import("msw/node");
const { createSandbox } = await import("../sandbox");
const { seedStore } = await import("../sandbox/seed");
const { mountDemoSignIn } = await import("../sandbox/demo/sign-in");
const { mountControlPanel } = await import("../sandbox/demo/panel");

const target: { url?: string } = {};
const sandbox = createSandbox({
  apiKey,
  secret,
  scopes: process.env.SCOPES,
  // Webhooks go to the running app over HTTP, like Shopify's.
  deliver: async (request) => {
    if (!target.url) throw new Error("the app is not running yet");
    return fetch(new URL("/webhooks", target.url), { method: "POST", headers: request.headers, body: await request.text() });
  },
});
sandbox.store.addShop({ domain: DEMO_SHOP, name: "Evergreen Outfitters", currency: "USD", ianaTimezone: "America/New_York", plan: "Shopify" });
const seeded = await seedStore(sandbox.store, null, { shop: DEMO_SHOP, customers: 400, orders: 2_000, weeks: 8, seed: 2026 });

// Before the app's modules load: the Shopify library captures fetch when it is imported.
const msw = setupServer(...sandbox.handlers);
msw.listen({ onUnhandledFrame: "bypass" });

const { installClock, installQueueTime } = await import("../app/clock.server");
installClock(sandbox.clock);
// The job queue runs on real time (PostgreSQL's clock); the store clock runs ahead of it by however
// far the person has moved it. Timers are scheduled on the real timeline, and moving the clock on
// brings the pending ones forward by the same amount, so "3 days later" fires what is due.
installQueueTime((runAt) => new Date(runAt.getTime() - (sandbox.clock.now().getTime() - Date.now())));
const { startServer, stopOnSignals } = await import("../server");
const { prisma } = await import("../app/db.server");
const { formatMoney } = await import("../app/recovery");

const running = await startServer({
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
              ? { kind: offer.kind, status: offer.status, code: offer.code, faceValue: formatMoney(offer.faceValueMinor, offer.currency) }
              : null,
          };
        });
      },
      onClockAdvanced: async (ms) => {
        await prisma.$executeRaw`UPDATE graphile_worker._private_jobs
          SET run_at = run_at - make_interval(secs => ${ms / 1000}::double precision)
          WHERE locked_at IS NULL AND run_at > now()`;
      },
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
target.url = running.url;

// Install the app on the sandbox shop now, as opening it in the admin would (token exchange, shop facts),
// so store activity is processed even before anyone opens the app.
const { mintSessionToken } = await import("../sandbox/session-token");
const owner = sandbox.staff[0];
const install = await fetch(new URL("/app", running.url), {
  headers: {
    authorization: `Bearer ${mintSessionToken({ shop: DEMO_SHOP, apiKey, secret, userId: String(owner?.id ?? 1) })}`,
    "user-agent": "Mozilla/5.0 (amends-demo)",
  },
});
if (!install.ok) console.warn(`Installing the app on the sandbox shop answered ${install.status}`);
stopOnSignals(async () => {
  msw.close();
  await running.close();
});

console.log(`
  Amends demo: open ${running.url}/demo/sign-in

  Sandbox shop ${DEMO_SHOP}: ${seeded.customers} customers, ${seeded.orders} orders over 8 weeks.
  The store control panel (${running.url}/demo) places orders, ships, delays and refunds them.
  Ctrl-C stops the app and its embedded database.
`);
