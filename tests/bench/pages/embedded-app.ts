/**
 * The app as merchants reach it, for bench:pages in production mode: the production build
 * (server.ts with NODE_ENV=production, build/), no demo mode, no demo sign-in. Pages are asked for
 * as the Shopify admin asks for them: the document with `embedded=1&shop&host&id_token` in its URL,
 * data requests with `Authorization: Bearer <session token>` (HS256 with the app secret, what App
 * Bridge sends), both through the real authenticate.admin. The sandbox store answers the token
 * exchange and the Admin API through msw in this process, as in the demo.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { freePort } from "../../../scripts/start-demo";
import { mintSessionToken } from "../../../sandbox/session-token";

export interface EmbeddedApp {
  url: string;
  shop: string;
  /** A fresh session token for the shop's owner, as App Bridge's shopify.idToken() gives one. */
  sessionToken(): string;
  /** The URL the admin loads in its iframe for an app path. */
  documentUrl(path: string): string;
  close(): Promise<void>;
}

export const BENCH_SHOP = "evergreen-outfitters.myshopify.com";

export async function startEmbeddedApp(seed: {
  customers: number;
  orders: number;
  weeks: number;
}): Promise<EmbeddedApp> {
  process.env.NODE_ENV = "production";
  delete process.env.AMENDS_DEMO;
  const apiKey = (process.env.SHOPIFY_API_KEY ??= "amends-bench");
  const secret = (process.env.SHOPIFY_API_SECRET ??= randomBytes(24).toString("hex"));
  const port = await freePort();
  process.env.PORT = String(port);
  process.env.SHOPIFY_APP_URL = `http://127.0.0.1:${port}`;
  const scopes = /scopes = "([^"]+)"/.exec(readFileSync("shopify.app.toml", "utf8"))?.[1];
  if (!scopes) throw new Error("shopify.app.toml has no [access_scopes] scopes line");
  process.env.SCOPES = scopes;

  const { createSandbox } = await import("../../../sandbox");
  const { seedStore } = await import("../../../sandbox/seed");
  const sandbox = createSandbox({
    apiKey,
    secret,
    scopes,
    deliver: () => Promise.reject(new Error("bench:pages sends no webhooks")),
  });
  sandbox.store.addShop({
    domain: BENCH_SHOP,
    name: "Evergreen Outfitters",
    currency: "USD",
    ianaTimezone: "America/New_York",
    plan: "Shopify",
  });
  await seedStore(sandbox.store, null, { shop: BENCH_SHOP, ...seed, seed: 2026 });
  // Before the app's modules load: the Shopify library captures fetch when it is imported.
  const { setupServer } = await import("msw/node");
  const msw = setupServer(...sandbox.handlers);
  msw.listen({ onUnhandledFrame: "bypass" });

  const { startServer } = await import("../../../server");
  const running = await startServer({ port });
  const owner = String(sandbox.staff[0]?.id ?? 1001);
  const sessionToken = () =>
    mintSessionToken({ shop: BENCH_SHOP, apiKey, secret, userId: owner, expiresInSeconds: 60 });
  const host = Buffer.from(`admin.shopify.com/store/${BENCH_SHOP.replace(".myshopify.com", "")}`).toString("base64url");
  const documentUrl = (path: string) => {
    const url = new URL(path, running.url);
    url.search = new URLSearchParams({ embedded: "1", shop: BENCH_SHOP, host, id_token: sessionToken() }).toString();
    return url.toString();
  };
  // Opening the app installs it (token exchange, shop facts), as the admin's first load does.
  const install = await fetch(documentUrl("/app"), { headers: { "user-agent": "Mozilla/5.0 (amends-bench)" } });
  await install.arrayBuffer();
  if (!install.ok) throw new Error(`opening the app on the sandbox shop answered ${install.status}`);
  return {
    url: running.url,
    shop: BENCH_SHOP,
    sessionToken,
    documentUrl,
    async close() {
      await running.close();
      msw.close();
    },
  };
}
