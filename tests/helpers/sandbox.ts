/**
 * The sandbox store for a test file: every Shopify call the app makes is
 * answered by it through msw, and its webhooks go through the real route.
 */
import type { Prisma } from "@prisma/client";
import { beforeEach } from "vitest";
import { action } from "../../app/routes/webhooks";
import { createSandbox, gid, type Sandbox, type SandboxOptions } from "../../sandbox";
import type { Order } from "../../sandbox/store";
import { installClock, installSleep } from "../../app/clock.server";
import { appTomlScopes } from "./app-scopes";
import { prisma } from "../../app/db.server";
import { truncateAll } from "./db";
import { mswServer } from "./msw";

export const TEST_API_KEY = "test-api-key";
export const TEST_SECRET = "test-api-secret";

/** Post a signed delivery to the real Remix route action, as Shopify would over HTTP. */
export async function routeDelivery(request: Request): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

/** The test file's sandbox (the last sandboxForTests made), whose tokens installOfflineSession issues. */
let current: Sandbox | undefined;

export function sandboxForTests(options: Partial<SandboxOptions> = {}): Sandbox {
  const sandbox = createSandbox({
    apiKey: TEST_API_KEY,
    secret: TEST_SECRET,
    // Granted as on a real install: everything shopify.app.toml asks for (the sandbox refuses the rest).
    scopes: appTomlScopes(),
    deliver: routeDelivery,
    ...options,
  });
  // The app reads the sandbox's clock, so moving it moves both.
  installClock(sandbox.clock);
  // The app's waits for Shopify's later work (bulk code jobs) move that clock instead of taking real time.
  installSleep(async (ms) => {
    sandbox.clock.advance(ms);
  });
  current = sandbox;
  // The setup file resets msw's handlers after every test; put the sandbox in front before each one.
  beforeEach(() => {
    mswServer.use(...sandbox.handlers);
  });
  return sandbox;
}

/** A webhook transport that accepts everything, for tests that do not look at deliveries. */
export const acceptDeliveries = async (): Promise<Response> => new Response(null, { status: 200 });

/** Empty database and job queue, no shops in the store, no Admin API calls or faults recorded; the clock left as it is. */
export async function clearStoreAndDatabase(sandbox: Sandbox): Promise<void> {
  await truncateAll();
  sandbox.admin.reset();
  sandbox.store.shops.clear();
}

/** A clean slate before each test: empty database and job queue, no shops, no calls or faults, time frozen at `now`. */
export async function resetSandbox(sandbox: Sandbox, now: Date): Promise<void> {
  await clearStoreAndDatabase(sandbox);
  sandbox.tokens.reset();
  sandbox.sender.clearLog();
  sandbox.clock.freeze(now);
}

/**
 * A clean slate at `now` with each shop in the store and in the database (USD, UTC), no session:
 * the page and list tests' start. `settings` are the shop's stored settings (none by default).
 */
export async function resetWithShops(
  sandbox: Sandbox,
  now: Date,
  shops: readonly string[],
  options: { plan?: string; settings?: Record<string, unknown> } = {},
): Promise<void> {
  await resetSandbox(sandbox, now);
  for (const shop of shops) {
    sandbox.store.addShop({ domain: shop, currency: "USD", ianaTimezone: "UTC", plan: options.plan });
    const settings = options.settings as Prisma.InputJsonValue | undefined;
    await prisma.shop.create({ data: { shop, timezone: "UTC", currency: "USD", settings } });
  }
}

/**
 * The Admin API client tests' start: a clean slate at `now`, the shop in the store with one customer
 * (Ada Lovelace), and its offline session holding the fixed `token` the sandbox was built to accept.
 * Returns the customer's GID.
 */
export async function shopWithOneCustomer(
  sandbox: Sandbox,
  options: { shop: string; now: Date; token: string; scope?: string },
): Promise<string> {
  await resetSandbox(sandbox, options.now);
  sandbox.store.addShop({ domain: options.shop, currency: "USD", plan: "Basic" });
  const customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(options.shop, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" })
      .id,
  );
  await installOfflineSession(options.shop, {
    accessToken: options.token,
    scope: options.scope ?? "read_orders,read_customers",
  });
  return customerGid;
}

/**
 * The shop's offline session, as installing the app stores it: what background jobs call Shopify
 * with. By default the sandbox issues an expiring offline token (1 h, with a 90-day refresh token,
 * on the sandbox clock) exactly as token exchange with `expiring=1` would, and the session holds
 * it with its expiry and refresh token. `accessToken` stores that fixed token instead, for tests
 * that pin one with the sandbox's `admin.accessTokens` switch (or want an unknown one).
 */
export async function installOfflineSession(
  shop: string,
  options: { accessToken?: string; scope?: string; sandbox?: Sandbox } = {},
): Promise<{ accessToken: string; refreshToken: string | null; expires: Date | null }> {
  const scope = options.scope ?? appTomlScopes();
  let tokens: {
    accessToken: string;
    refreshToken: string | null;
    expires: Date | null;
    refreshTokenExpires: Date | null;
  };
  const sandbox = options.sandbox ?? current;
  if (options.accessToken !== undefined || !sandbox) {
    // Without a sandbox no Admin API answers at all (msw refuses unhandled requests): any token will do.
    tokens = {
      accessToken: options.accessToken ?? "no-sandbox-token",
      refreshToken: null,
      expires: null,
      refreshTokenExpires: null,
    };
  } else {
    const issued = sandbox.tokens.issueOffline(shop, scope, { expiring: true });
    const now = sandbox.clock.now().getTime();
    tokens = {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token ?? null,
      expires: new Date(now + (issued.expires_in ?? 0) * 1000),
      refreshTokenExpires: new Date(now + (issued.refresh_token_expires_in ?? 0) * 1000),
    };
  }
  const session = { shop, state: "", isOnline: false, scope, ...tokens };
  await prisma.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, ...session },
    update: session,
  });
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expires: tokens.expires };
}

/**
 * The OrderRecord the orders/create webhook would store for a sandbox order, for test files that do
 * not process deliveries. Returns the order's gid.
 */
export async function storeOrderRecord(
  shop: string,
  order: Pick<Order, "id" | "name" | "createdAt" | "customerId">,
  fields: { totalPrice: string; tags?: string[]; test?: boolean },
): Promise<string> {
  const orderGid = gid("Order", order.id);
  await prisma.orderRecord.create({
    data: {
      shop,
      orderGid,
      name: order.name,
      customerGid: order.customerId ? gid("Customer", order.customerId) : null,
      createdAt: order.createdAt,
      sourceUpdatedAt: order.createdAt,
      currency: "USD",
      totalPrice: fields.totalPrice,
      lineItemCount: 1,
      tags: fields.tags ?? [],
      test: fields.test ?? false,
    },
  });
  return orderGid;
}
