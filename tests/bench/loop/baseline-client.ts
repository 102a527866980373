/**
 * bench:loop's same-run baseline (./baseline.ts starts it as a child process): the loop's external
 * I/O per incident without the app's logic. It receives the sandbox process's webhooks (POST
 * /webhooks, body read whole, HMAC checked, one SQL INSERT per delivery on a pg pool, 200 after the
 * commit) and, when told (POST /control/calls), sends Admin GraphQL calls to the sandbox process:
 * the app's own order read (AmendsOrderForRecovery, same query text), its answer read and parsed.
 *
 * BASELINE_FORWARDER=forwarder: the calls go to https://<shop>/admin/api/... through the bench's
 * fetch forwarder (tests/bench/sandbox-process/forwarder.ts, installForwarder), installed before
 * anything else, as in the app's processes. =direct: no forwarder; the calls go straight to the
 * sandbox process's HTTP port, so the two differ by the forwarder alone. =msw: the calls go to
 * https://<shop>/... through the msw handler the forwarder replaced (forwardingHandlers on an msw
 * node server, which also watches this process's database sockets): what the old plumbing cost.
 *
 * Env: BENCH_SECRET (webhook HMAC key), DATABASE_URL, AMENDS_SANDBOX_URL, BASELINE_FORWARDER
 * (forwarder | msw | direct), BASELINE_API_VERSION (the app's Admin API version), PORT (0), HOST (127.0.0.1). Prints "loop-baseline listening on <port>".
 */
import pg from "pg";
import { ORDER_FOR_RECOVERY_QUERY } from "../../../app/shopify/operations/order-for-recovery";
import {
  answer,
  headerValue,
  listenUntilSignal,
  requiredEnv,
  validSignature,
  webhookServer,
} from "../common/bare-server";
import { forwardingHandlers, installForwarder } from "../sandbox-process/forwarder";

const [secret = "", databaseUrl = "", sandboxUrl = "", mode = "", apiVersion = ""] = requiredEnv(
  "BENCH_SECRET",
  "DATABASE_URL",
  "AMENDS_SANDBOX_URL",
  "BASELINE_FORWARDER",
  "BASELINE_API_VERSION",
);
if (mode !== "forwarder" && mode !== "msw" && mode !== "direct")
  throw new Error(`BASELINE_FORWARDER must be forwarder, msw or direct, got "${mode}"`);
const forwarder = mode === "forwarder" ? await installForwarder(sandboxUrl) : undefined;
const msw = mode === "msw" ? await installMsw(sandboxUrl) : undefined;

async function installMsw(url: string): Promise<{ close(): void }> {
  const { setupServer } = await import("msw/node");
  const server = setupServer(...forwardingHandlers(url));
  server.listen({ onUnhandledFrame: "bypass" });
  return server;
}

export interface BaselineCall {
  shop: string;
  accessToken: string;
  orderGid: string;
}

export interface BaselineStats {
  received: number;
  rejected: number;
  inserted: number;
  insertFailed: number;
  calls: number;
  callsFailed: number;
  /** Calls made by the warm-up (before the measured window), not in `calls`. */
  warmupCalls: number;
  failures: string[];
}

const stats: BaselineStats = {
  received: 0,
  rejected: 0,
  inserted: 0,
  insertFailed: 0,
  calls: 0,
  callsFailed: 0,
  warmupCalls: 0,
  failures: [],
};
const fail = (text: string) => {
  if (stats.failures.length < 10) stats.failures.push(text);
};

const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
pool.on("error", (error) => console.error(`loop-baseline pool: ${error.message}`));
await pool.query(
  `CREATE TABLE IF NOT EXISTS loop_baseline_delivery
     (id bigserial PRIMARY KEY, shop text NOT NULL, topic text NOT NULL, webhook_id text, body text NOT NULL)`,
);

const INSERT = `INSERT INTO loop_baseline_delivery (shop, topic, webhook_id, body) VALUES ($1, $2, $3, $4)`;

function adminUrl(shop: string): string {
  const path = `/admin/api/${apiVersion}/graphql.json`;
  return mode !== "direct" ? `https://${shop}${path}` : `${sandboxUrl.replace(/\/$/, "")}/shopify/${shop}${path}`;
}

async function call(c: BaselineCall): Promise<void> {
  try {
    const response = await fetch(adminUrl(c.shop), {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": c.accessToken },
      body: JSON.stringify({ query: ORDER_FOR_RECOVERY_QUERY, variables: { id: c.orderGid } }),
    });
    const body = (await response.json()) as { data?: { order?: unknown }; errors?: unknown };
    if (!response.ok || body.errors || !body.data?.order) {
      stats.callsFailed++;
      fail(`${c.shop} ${response.status} ${JSON.stringify(body.errors ?? body).slice(0, 200)}`);
    } else stats.calls++;
  } catch (error) {
    stats.callsFailed++;
    fail(`${c.shop}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runCalls(calls: BaselineCall[], concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < calls.length) {
        const c = calls[next++];
        if (c) await call(c);
      }
    }),
  );
}

async function warmup(input: { shop: string; accessToken: string }): Promise<void> {
  const clients = await Promise.all(Array.from({ length: 8 }, () => pool.connect()));
  await Promise.all(clients.map((c) => c.query("SELECT 1")));
  for (const c of clients) c.release();
  const response = await fetch(adminUrl(input.shop), {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": input.accessToken },
    body: JSON.stringify({ query: "query AmendsBaselineWarmup { shop { name } }" }),
  });
  await response.arrayBuffer();
  stats.warmupCalls++;
}

const server = webhookServer(
  (body, h, res) => {
    stats.received++;
    if (!validSignature(body, h["x-shopify-hmac-sha256"], secret)) {
      stats.rejected++;
      answer(res, 401);
      return;
    }
    pool
      .query(INSERT, [
        headerValue(h["x-shopify-shop-domain"]) ?? "?",
        headerValue(h["x-shopify-topic"]) ?? "?",
        headerValue(h["x-shopify-webhook-id"]),
        body.toString("utf8"),
      ])
      .then(
        () => {
          stats.inserted++;
          answer(res, 200);
        },
        (error: Error) => {
          stats.insertFailed++;
          fail(`insert: ${error.message}`);
          answer(res, 503);
        },
      );
  },
  (method, url, body, res) => {
    if (method === "GET" && url === "/control/stats") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
      return true;
    }
    if (method === "POST" && url === "/control/warmup") {
      // Before the measured window: the pool's connections opened, the fetch path (and the
      // interceptor) used once, so the window holds the per-incident work only.
      const input = JSON.parse(body.toString("utf8")) as { shop: string; accessToken: string };
      void warmup(input).then(() =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats)),
      );
      return true;
    }
    if (method === "POST" && url === "/control/calls") {
      const input = JSON.parse(body.toString("utf8")) as { calls: BaselineCall[]; concurrency?: number };
      void runCalls(input.calls, input.concurrency ?? 4).then(() =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats)),
      );
      return true;
    }
    return false;
  },
);
listenUntilSignal(server, "loop-baseline", async () => {
  forwarder?.close();
  msw?.close();
  await pool.end();
});
