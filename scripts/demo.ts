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

const { installClock } = await import("../app/clock.server");
installClock(sandbox.clock);
const { startServer, stopOnSignals } = await import("../server");
const { prisma } = await import("../app/db.server");

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
