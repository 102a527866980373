/**
 * The sandbox store as its own process (started by ./index.ts): the app's calls to Shopify arrive
 * over loopback HTTP from ./forwarder.ts in each app process, as `/shopify/<host><path>`, and are
 * answered by the sandbox's own handlers (the same ones msw serves in-process). Its webhooks go by
 * HTTP to the app's /webhooks, round-robin over the targets it is given. `/control/<command>`
 * (POST, JSON) is the bench's remote control: shops, rate limits, store activity, the call log.
 *
 * Environment: AMENDS_SANDBOX_PORT, AMENDS_SANDBOX_API_KEY, AMENDS_SANDBOX_SECRET,
 * AMENDS_SANDBOX_SCOPES, AMENDS_SANDBOX_WEBHOOK_URLS (comma-separated app base URLs; optional,
 * `setWebhookTargets` sets them later).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { getResponse } from "msw";
import { createSandbox, type Sandbox } from "../../../sandbox";
import type { CallRecord } from "../../../sandbox/admin";
import { CallTally, type DeliveryTally } from "./tally";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const port = Number(required("AMENDS_SANDBOX_PORT"));
let targets = (process.env.AMENDS_SANDBOX_WEBHOOK_URLS ?? "")
  .split(",")
  .map((u) => u.trim())
  .filter(Boolean);
let nextTarget = 0;

const deliveries: DeliveryTally = { statuses: {}, failures: [], signals: [], inFlight: 0, sent: 0 };
const signalKeys = new Set<string>();

const sandbox: Sandbox = createSandbox({
  apiKey: required("AMENDS_SANDBOX_API_KEY"),
  secret: required("AMENDS_SANDBOX_SECRET"),
  scopes: required("AMENDS_SANDBOX_SCOPES"),
  deliver: async (request) => {
    const target = targets[nextTarget++ % Math.max(targets.length, 1)];
    if (!target) throw new Error("the sandbox has no webhook target yet (setWebhookTargets)");
    const topic = request.headers.get("x-shopify-topic") ?? "?";
    const shop = request.headers.get("x-shopify-shop-domain") ?? "?";
    const body = await request.text();
    if (topic === "fulfillment_events/create") {
      // The failure signal the loop benches time from: when its webhook first left for the app.
      const orderRestId = String((JSON.parse(body) as { order_id?: number | string }).order_id ?? "");
      const key = `${shop}|${orderRestId}`;
      if (!signalKeys.has(key)) {
        signalKeys.add(key);
        deliveries.signals.push({ shop, orderRestId, sentAt: sandbox.clock.now().getTime() });
      }
    }
    deliveries.inFlight++;
    deliveries.sent++;
    try {
      const response = await fetch(new URL("/webhooks", target), { method: "POST", headers: request.headers, body });
      const status = `${topic} ${response.status}`;
      deliveries.statuses[status] = (deliveries.statuses[status] ?? 0) + 1;
      if (!response.ok && deliveries.failures.length < 20) deliveries.failures.push(`${shop} ${status}`);
      // Read the answer here, so the connection is idle again when the delivery counts as done.
      return new Response(await response.arrayBuffer(), { status: response.status, headers: response.headers });
    } catch (error) {
      const status = `${topic} network error`;
      deliveries.statuses[status] = (deliveries.statuses[status] ?? 0) + 1;
      throw error;
    } finally {
      deliveries.inFlight--;
    }
  },
});
const tally = new CallTally();

type Json = Record<string, unknown>;
type Command = (input: Json) => unknown;

const str = (input: Json, key: string): string => {
  const value = input[key];
  if (typeof value !== "string" || value === "") throw new Error(`"${key}" must be a non-empty string`);
  return value;
};
/** A call record without its variables (they can name customers), for the bench's reading. */
const callView = (c: CallRecord) => ({
  at: c.at.toISOString(),
  shop: c.shop,
  operationName: c.operationName ?? null,
  rootFields: c.rootFields,
  cost: c.cost,
  status: c.status,
  outcome: c.outcome,
});

const commands: Record<string, Command> = {
  clock: () => ({ nowMs: sandbox.clock.now().getTime(), realMs: Date.now() }),
  setWebhookTargets: (input) => {
    const urls = input.urls;
    if (!Array.isArray(urls) || urls.some((u) => typeof u !== "string")) throw new Error('"urls" must be strings');
    targets = urls as string[];
    return { targets };
  },
  addShop: (input) => {
    const shop = sandbox.store.addShop({
      domain: str(input, "domain"),
      ...(typeof input.name === "string" ? { name: input.name } : {}),
      ...(typeof input.currency === "string" ? { currency: input.currency } : {}),
      ...(typeof input.ianaTimezone === "string" ? { ianaTimezone: input.ianaTimezone } : {}),
      ...(typeof input.plan === "string" ? { plan: input.plan } : {}),
    });
    return { domain: shop.domain, plan: shop.plan };
  },
  configureRateLimit: (input) => {
    const shop = str(input, "shop");
    sandbox.admin.rateLimits.configure(shop, {
      ...(typeof input.maximumAvailable === "number" ? { maximumAvailable: input.maximumAvailable } : {}),
      ...(typeof input.restoreRate === "number" ? { restoreRate: input.restoreRate } : {}),
      ...(typeof input.currentlyAvailable === "number" ? { currentlyAvailable: input.currentlyAvailable } : {}),
    });
    return sandbox.admin.rateLimits.status(shop);
  },
  rateLimitStatus: (input) => sandbox.admin.rateLimits.status(str(input, "shop")),
  issueOfflineToken: (input) =>
    sandbox.tokens.issueOffline(
      str(input, "shop"),
      typeof input.scope === "string" ? input.scope : required("AMENDS_SANDBOX_SCOPES"),
      { expiring: input.expiring === true },
    ),
  createProduct: (input) => {
    const product = sandbox.activity.createProduct(str(input, "shop"), input.product as never);
    return { id: product.id, variants: product.variants.map((v) => ({ id: v.id })) };
  },
  createCustomer: (input) => ({
    id: sandbox.activity.createCustomer(str(input, "shop"), input.customer as never).id,
  }),
  placeOrder: async (input) => {
    const order = await sandbox.activity.placeOrder(str(input, "shop"), input.order as never);
    return { id: order.id, name: order.name };
  },
  fulfill: async (input) => ({
    id: (await sandbox.activity.fulfill(str(input, "shop"), str(input, "orderId"), input.fulfillment as never)).id,
  }),
  addFulfillmentEvent: async (input) => ({
    id: (
      await sandbox.activity.addFulfillmentEvent(
        str(input, "shop"),
        str(input, "orderId"),
        str(input, "fulfillmentId"),
        input.event as never,
      )
    ).id,
  }),
  /** The latest call records (without variables), oldest first; `shop` filters. */
  calls: (input) => {
    const limit = typeof input.limit === "number" ? input.limit : 1_000;
    const shop = typeof input.shop === "string" ? input.shop : undefined;
    return sandbox.admin.calls
      .filter((c) => shop === undefined || c.shop === shop)
      .slice(-limit)
      .map(callView);
  },
  /** Cost and outcomes of every Admin API call since the last resetCosts, per shop and operation (never trimmed). */
  costSummary: () => {
    tally.catchUp(sandbox.admin.calls);
    return tally.summary();
  },
  resetCosts: () => {
    tally.catchUp(sandbox.admin.calls);
    tally.reset();
    return { ok: true };
  },
  deliveries: () => deliveries,
  stop: () => {
    setImmediate(() => void shutdown());
    return { stopping: true };
  },
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** A forwarded Shopify request: `/shopify/<host><path>` becomes https://<host><path> for the sandbox's handlers. */
async function forwarded(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
  const body = await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === "host" || name === "connection" || name === "content-length" || value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const method = req.method ?? "GET";
  const request = new Request(`https://${rest}`, {
    method,
    headers,
    ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }),
  });
  const response = await getResponse(sandbox.handlers, request);
  tally.catchUp(sandbox.admin.calls);
  if (!response) {
    sendJson(res, 502, { errors: `the sandbox does not serve ${method} https://${rest.split("?")[0]}` });
    return;
  }
  const out = Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "transfer-encoding") outHeaders[name] = value;
  });
  outHeaders["content-length"] = String(out.length);
  res.writeHead(response.status, outHeaders);
  res.end(out);
}

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  const handle = async () => {
    if (url.startsWith("/shopify/")) return forwarded(req, res, url.slice("/shopify/".length));
    const control = /^\/control\/([A-Za-z]+)$/.exec(url);
    const command = control?.[1] ? commands[control[1]] : undefined;
    if (!command || req.method !== "POST") return sendJson(res, 404, { error: `no such control command: ${url}` });
    const raw = (await readBody(req)).toString("utf8");
    const input = (raw ? JSON.parse(raw) : {}) as Json;
    try {
      sendJson(res, 200, { result: (await command(input)) ?? null });
    } catch (error) {
      sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  };
  handle().catch((error: unknown) => {
    if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());

server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`SANDBOX READY ${port}\n`);
});
