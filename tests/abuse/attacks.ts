/**
 * Attacks on a running Amends over loopback, from outside the process: what one unauthenticated
 * stranger on the internet can send. Each attack reports how every request was answered and is
 * followed by the two questions that matter: is the process still alive, and does a valid,
 * correctly signed delivery still get accepted and stored (with exactly one job)?
 *
 * Used by `npm run abuse` (tests/abuse/run.ts, full counts against the production build) and by
 * tests/abuse/abuse.test.ts (a short version of every attack, part of `npm test`).
 */
import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

export interface AbuseTarget {
  host: string;
  port: number;
  /** The app secret: deliveries signed with it are genuine. */
  secret: string;
  /** The app's database, to check what was stored. */
  databaseUrl: string;
  /** Whether the app's process is still running. */
  alive(): boolean;
  /** The server's limits, as configured for this run. */
  maxBodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Unhandled rejections the app logged so far (its safety net). */
  unhandledRejections(): number;
}

export interface Scale {
  name: "short" | "full";
  /** Aborted bodies per POST route (half closed, half reset). */
  abortedPerRoute: number;
  oversized: number;
  slowClients: number;
  badHmac: number;
  malformedJson: number;
  injectionEach: number;
  unknownTopics: number;
  duplicates: number;
}

export const SHORT: Scale = {
  name: "short",
  abortedPerRoute: 2,
  oversized: 2,
  slowClients: 4,
  badHmac: 300,
  malformedJson: 2,
  injectionEach: 1,
  unknownTopics: 2,
  duplicates: 20,
};
export const FULL: Scale = {
  name: "full",
  abortedPerRoute: 50,
  oversized: 20,
  slowClients: 200,
  badHmac: 10_000,
  malformedJson: 20,
  injectionEach: 10,
  unknownTopics: 50,
  duplicates: 500,
};

/** Every route that takes a POST (and one that does not exist): each reads its body through the same guard. */
export const POST_ROUTES = [
  "/webhooks",
  "/flow/actions/open-incident",
  "/flow/lifecycle",
  "/api/orders/1001/recovery",
  "/app?index",
  "/app/approvals",
  "/app/grid",
  "/app/grid/preview",
  "/app/incidents/new",
  "/app/incidents/00000000-0000-0000-0000-000000000000",
  "/app/settings",
  "/no-such-route",
];

export interface AttackResult {
  attack: string;
  requests: number;
  /** How the requests were answered: an HTTP status, or what happened instead. */
  answers: Record<string, number>;
  expected: string;
  /** Every answer as expected and, where the attack checks it, the database as expected. */
  asExpected: boolean;
  notes: string[];
  aliveAfter: boolean;
  validDeliveryAfter: boolean;
  ms: number;
}

const SHOP = "abuse-shop.myshopify.com";
const OTHER_SHOP = "abuse-other.myshopify.com";
const BODY = JSON.stringify({
  id: 820982911946154500,
  admin_graphql_api_id: "gid://shopify/Order/820982911946154508",
  name: "#9999",
  line_items: [],
});

const sign = (body: string | Buffer, secret: string) => createHmac("sha256", secret).update(body).digest("base64");

function deliveryHeaders(
  target: AbuseTarget,
  body: string | Buffer,
  overrides: Record<string, string | null> = {},
): Record<string, string> {
  const headers: Record<string, string | null> = {
    "content-type": "application/json",
    "user-agent": "Shopify-Captain-Hook",
    "x-shopify-topic": "orders/create",
    "x-shopify-hmac-sha256": sign(body, target.secret),
    "x-shopify-shop-domain": SHOP,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-event-id": randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== null));
}

// ---------------------------------------------------------------- clients

type Outcome = string;

/** One request over a keep-alive agent; the outcome is the status, or the error's code. */
function send(
  target: AbuseTarget,
  agent: http.Agent,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.host,
        port: target.port,
        method: "POST",
        path,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent,
        timeout: 15_000,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(String(res.statusCode)));
        res.on("error", () => resolve(String(res.statusCode)));
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 15 s")));
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    req.end(body);
  });
}

interface RawConnection {
  socket: net.Socket;
  /** The server has answered (or the connection is over). */
  answered(): boolean;
  /** Hang up: a polite close (FIN) or a reset (RST). */
  hangUp(reset?: boolean): void;
}

/**
 * A raw connection: `script` writes what it likes (and may hang up); the outcome is the status line
 * the server sent, "client hung up" when the script hung up first, or "closed without answer".
 */
function raw(
  target: AbuseTarget,
  script: (connection: RawConnection) => Promise<void>,
  timeoutMs: number,
): Promise<{ outcome: Outcome; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(target.port, target.host);
    let received = "";
    let hungUp = false;
    let done = false;
    const status = () => /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish("no answer (client gave up)"), timeoutMs);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      const code = status();
      if (code && received.includes("\r\n\r\n")) finish(code);
    });
    // Writes after the server closed fail with EPIPE/ECONNRESET: the outcome comes from 'close'.
    socket.on("error", () => {});
    socket.on("close", () => finish(status() ?? (hungUp ? "client hung up" : "closed without answer")));
    socket.on("connect", () => {
      const connection: RawConnection = {
        socket,
        answered: () => done || status() !== undefined,
        hangUp(reset = false) {
          hungUp = true;
          if (reset) socket.resetAndDestroy();
          else socket.destroy();
        },
      };
      script(connection).catch(() => {});
    });
  });
}

function requestHead(path: string, headers: Record<string, string>): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN);
}

function count(outcomes: Outcome[]): Record<string, number> {
  const answers: Record<string, number> = {};
  for (const o of outcomes) answers[o] = (answers[o] ?? 0) + 1;
  return answers;
}

async function inBatches<T>(n: number, concurrency: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await one(i);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------- the suite

interface Attack {
  name: string;
  expected: string;
  run(context: Context): Promise<{ outcomes: Outcome[]; ok: boolean; notes?: string[] }>;
}

interface Context {
  target: AbuseTarget;
  scale: Scale;
  agent: http.Agent;
  db: pg.Client;
  /** A genuine delivery, answered 200 and stored with one job? */
  validDelivery(): Promise<boolean>;
}

const only = (outcomes: Outcome[], ...allowed: Outcome[]) => outcomes.every((o) => allowed.includes(o));

async function deliveries(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookDelivery"`);
  return rows[0]?.n ?? 0;
}

async function storedRows(
  db: pg.Client,
  shop: string,
  webhookId: string,
): Promise<Array<{ status: string; jobs: number }>> {
  const { rows } = await db.query<{ status: string; jobs: number }>(
    `SELECT d.status::text AS status,
            (SELECT count(*)::int FROM graphile_worker._private_jobs j WHERE j.payload->>'deliveryId' = d.id::text) AS jobs
     FROM "WebhookDelivery" d WHERE d.shop = $1 AND d."webhookId" = $2`,
    [shop, webhookId],
  );
  return rows;
}

/**
 * Many clients that trickle their request, all at once (slowloris): each must be cut off with 408
 * within the server's deadline (plus its once-a-second check), and a genuine delivery must be
 * accepted while they hang on.
 */
function slowClients(
  name: string,
  setting: string,
  deadline: (target: AbuseTarget) => number,
  trickle: (connection: RawConnection, target: AbuseTarget) => Promise<void>,
): Attack {
  return {
    name,
    expected: `408 after ${setting}; others served meanwhile`,
    async run(context) {
      const { target, scale } = context;
      const limit = deadline(target) + 1_000 + 2_000;
      const times: number[] = [];
      const slow = inBatches(scale.slowClients, scale.slowClients, async () => {
        const result = await raw(target, (connection) => trickle(connection, target), limit + 5_000);
        times.push(result.ms);
        return result.ms <= limit ? result.outcome : `${result.outcome} (after ${Math.round(result.ms)} ms)`;
      });
      await sleep(300);
      const servedMeanwhile = await context.validDelivery();
      const outcomes = await slow;
      return {
        outcomes,
        ok: only(outcomes, "408") && servedMeanwhile,
        notes: [
          `cut off after ${median(times)} ms (median)`,
          servedMeanwhile ? "a genuine delivery accepted meanwhile" : "a genuine delivery NOT accepted meanwhile",
        ],
      };
    },
  };
}

function attacks(largeOrder: { topic: string; body: string } | undefined): Attack[] {
  const list: Attack[] = [];

  for (const route of POST_ROUTES) {
    list.push({
      name: `aborted body: POST ${route}`,
      expected: "no answer (the client hung up); nothing stored",
      async run({ target, scale, db }) {
        const before = await deliveries(db);
        const outcomes = await inBatches(scale.abortedPerRoute, 10, async (i) => {
          const head = requestHead(route, { ...deliveryHeaders(target, BODY), "content-length": "1000000" });
          const { outcome } = await raw(
            target,
            async ({ socket, hangUp }) => {
              socket.write(head + BODY.slice(0, 16));
              await sleep(20);
              // Half hang up politely (FIN), half reset the connection (RST).
              hangUp(i % 2 === 1);
            },
            5_000,
          );
          return outcome;
        });
        const stored = (await deliveries(db)) - before;
        return {
          outcomes,
          ok: only(outcomes, "client hung up", "closed without answer") && stored === 0,
          notes: [`${stored} stored`],
        };
      },
    });
  }

  list.push({
    name: "oversized body (Content-Length over the cap)",
    expected: "413 before the body is read",
    async run({ target, scale }) {
      const outcomes = await inBatches(scale.oversized, 5, async () => {
        const head = requestHead("/webhooks", {
          ...deliveryHeaders(target, BODY),
          "content-length": String(target.maxBodyBytes + 1),
        });
        const { outcome } = await raw(target, async ({ socket }) => void socket.write(head), 10_000);
        return outcome;
      });
      return { outcomes, ok: only(outcomes, "413") };
    },
  });

  list.push({
    name: "oversized body (chunked, no length)",
    expected: "413 once the cap is passed",
    async run({ target, scale }) {
      const chunk = Buffer.alloc(64 * 1024, "a");
      const outcomes = await inBatches(scale.oversized, 5, async () => {
        const headers = { ...deliveryHeaders(target, BODY), "transfer-encoding": "chunked" };
        const { outcome } = await raw(
          target,
          async ({ socket, answered }) => {
            socket.write(requestHead("/webhooks", headers));
            for (
              let sent = 0;
              sent <= target.maxBodyBytes * 2 && !answered() && !socket.destroyed;
              sent += chunk.length
            ) {
              // One write per chunk, framing included, so backpressure never splits a chunk from its size line.
              const more = socket.write(
                Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]),
              );
              if (!more) await new Promise((resolve) => socket.once("drain", resolve).once("close", resolve));
            }
          },
          20_000,
        );
        return outcome;
      });
      return { outcomes, ok: only(outcomes, "413") };
    },
  });

  list.push(
    slowClients(
      "slow headers (one byte every 500 ms)",
      "HEADERS_TIMEOUT_MS",
      (t) => t.headersTimeoutMs,
      async ({ socket, answered }) => {
        socket.write("POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        while (!answered() && !socket.destroyed) {
          socket.write("a");
          await sleep(500);
        }
      },
    ),
    slowClients(
      "slow body (one byte every 500 ms)",
      "REQUEST_TIMEOUT_MS",
      (t) => t.requestTimeoutMs,
      async ({ socket, answered }, target) => {
        socket.write(
          requestHead("/webhooks", { ...deliveryHeaders(target, BODY), "content-length": String(BODY.length) }),
        );
        for (let i = 0; i < BODY.length && !answered() && !socket.destroyed; i++) {
          socket.write(BODY[i] ?? " ");
          await sleep(500);
        }
      },
    ),
  );

  list.push({
    name: "bad HMAC",
    expected: "401; nothing stored",
    async run({ target, scale, agent, db }) {
      const before = await deliveries(db);
      const outcomes = await inBatches(scale.badHmac, 32, () =>
        send(
          target,
          agent,
          "/webhooks",
          deliveryHeaders(target, BODY, { "x-shopify-hmac-sha256": sign(BODY, "not-the-secret") }),
          BODY,
        ),
      );
      const stored = (await deliveries(db)) - before;
      return { outcomes, ok: only(outcomes, "401") && stored === 0, notes: [`${stored} stored`] };
    },
  });

  list.push({
    name: "valid HMAC over malformed JSON (truncated; NUL bytes)",
    expected: "200; stored to be flagged FAILED, never lost",
    async run({ target, scale, agent, db }) {
      const ids: string[] = [];
      const outcomes = await inBatches(scale.malformedJson, 5, async (i) => {
        const body = i % 2 === 0 ? '{"id": 1, "line_items": [' : "\u0000not json at all";
        const id = randomUUID();
        ids.push(id);
        return send(target, agent, "/webhooks", deliveryHeaders(target, body, { "x-shopify-webhook-id": id }), body);
      });
      // Truncated JSON waits for its job to mark it FAILED; a body with NUL characters is FAILED at once.
      const kept = (rows: Array<{ status: string; jobs: number }>) =>
        rows.length === 1 &&
        ((rows[0]?.status === "RECEIVED" && rows[0]?.jobs === 1) ||
          (rows[0]?.status === "FAILED" && rows[0]?.jobs === 0));
      const stored = (await Promise.all(ids.map((id) => storedRows(db, SHOP, id)))).filter(kept).length;
      return {
        outcomes,
        ok: only(outcomes, "200") && stored === ids.length,
        notes: [`${stored} of ${ids.length} stored to be flagged`],
      };
    },
  });

  const injections: Array<{ name: string; shop: string | null; signed: boolean; expect: Outcome }> = [
    { name: "../", shop: "../../admin", signed: true, expect: "400" },
    { name: "a path inside a domain", shop: `${SHOP}/../${OTHER_SHOP}`, signed: true, expect: "400" },
    { name: "an empty value", shop: "", signed: true, expect: "400" },
    { name: "10 KB", shop: `${"a".repeat(10 * 1024)}.myshopify.com`, signed: true, expect: "400" },
    { name: "another shop, unsigned", shop: OTHER_SHOP, signed: false, expect: "401" },
  ];
  for (const injection of injections) {
    list.push({
      name: `shop header injection: ${injection.name}${injection.signed ? " (validly signed)" : ""}`,
      expected: `${injection.expect}; nothing stored`,
      async run({ target, scale, agent, db }) {
        const before = await deliveries(db);
        const outcomes = await inBatches(scale.injectionEach, 5, () =>
          send(
            target,
            agent,
            "/webhooks",
            deliveryHeaders(target, BODY, {
              "x-shopify-shop-domain": injection.shop,
              ...(injection.signed ? {} : { "x-shopify-hmac-sha256": sign(BODY, "forged") }),
            }),
            BODY,
          ),
        );
        const stored = (await deliveries(db)) - before;
        return { outcomes, ok: only(outcomes, injection.expect) && stored === 0, notes: [`${stored} stored`] };
      },
    });
  }

  list.push({
    name: "unknown topics",
    expected: "200; stored as IGNORED with no job",
    async run({ target, scale, agent, db }) {
      const ids: string[] = [];
      const outcomes = await inBatches(scale.unknownTopics, 5, async (i) => {
        const id = randomUUID();
        ids.push(id);
        return send(
          target,
          agent,
          "/webhooks",
          deliveryHeaders(target, BODY, {
            "x-shopify-webhook-id": id,
            "x-shopify-topic": i % 2 === 0 ? "products/create" : "nonsense/../topic",
          }),
          BODY,
        );
      });
      const rows = (await Promise.all(ids.map((id) => storedRows(db, SHOP, id)))).flat();
      const ignored = rows.filter((r) => r.status === "IGNORED" && r.jobs === 0).length;
      return {
        outcomes,
        ok: only(outcomes, "200") && ignored === ids.length,
        notes: [`${ignored} of ${ids.length} stored as IGNORED without a job`],
      };
    },
  });

  list.push({
    name: "concurrent duplicates of one webhook id",
    expected: "200 each; one row, one job",
    async run({ target, scale, db }) {
      const id = randomUUID();
      const headers = deliveryHeaders(target, BODY, { "x-shopify-webhook-id": id });
      // Each on its own connection, all at once.
      const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
      const outcomes = await Promise.all(
        Array.from({ length: scale.duplicates }, () => send(target, agent, "/webhooks", headers, BODY)),
      );
      agent.destroy();
      const rows = await storedRows(db, SHOP, id);
      return {
        outcomes,
        ok: only(outcomes, "200") && rows.length === 1 && rows[0]?.jobs === 1,
        notes: [`${rows.length} row(s), ${rows[0]?.jobs ?? 0} job(s)`],
      };
    },
  });

  if (largeOrder) {
    list.push({
      name: `control: a 250-line order's largest webhook (${largeOrder.topic}, ${(Buffer.byteLength(largeOrder.body) / 1e6).toFixed(2)} MB)`,
      expected: "200; stored with its job (the cap leaves room for real orders)",
      async run({ target, agent, db }) {
        const id = randomUUID();
        const outcome = await send(
          target,
          agent,
          "/webhooks",
          deliveryHeaders(target, largeOrder.body, { "x-shopify-webhook-id": id, "x-shopify-topic": largeOrder.topic }),
          largeOrder.body,
        );
        const rows = await storedRows(db, SHOP, id);
        return { outcomes: [outcome], ok: outcome === "200" && rows.length === 1 && rows[0]?.jobs === 1 };
      },
    });
  }
  return list;
}

export async function runAbuseSuite(
  target: AbuseTarget,
  scale: Scale,
  options: { largeOrder?: { topic: string; body: string }; onResult?: (result: AttackResult) => void } = {},
): Promise<{ results: AttackResult[]; unhandledRejections: number }> {
  const db = new pg.Client({ connectionString: target.databaseUrl });
  db.on("error", () => {});
  await db.connect();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const validDelivery = async () => {
    const id = randomUUID();
    const outcome = await send(
      target,
      agent,
      "/webhooks",
      deliveryHeaders(target, BODY, { "x-shopify-webhook-id": id }),
      BODY,
    );
    if (outcome !== "200") return false;
    const rows = await storedRows(db, SHOP, id);
    return rows.length === 1 && rows[0]?.jobs === 1;
  };
  const results: AttackResult[] = [];
  try {
    for (const attack of attacks(options.largeOrder)) {
      const started = performance.now();
      let outcomes: Outcome[] = [];
      let ok = false;
      const notes: string[] = [];
      try {
        const ran = await attack.run({ target, scale, agent, db, validDelivery });
        outcomes = ran.outcomes;
        ok = ran.ok;
        notes.push(...(ran.notes ?? []));
      } catch (error) {
        notes.push(`the attack itself failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await sleep(100);
      const aliveAfter = target.alive();
      const validDeliveryAfter = aliveAfter && (await validDelivery().catch(() => false));
      const result: AttackResult = {
        attack: attack.name,
        requests: outcomes.length,
        answers: count(outcomes),
        expected: attack.expected,
        asExpected: ok,
        notes,
        aliveAfter,
        validDeliveryAfter,
        ms: Math.round(performance.now() - started),
      };
      results.push(result);
      options.onResult?.(result);
      if (!aliveAfter) break;
    }
  } finally {
    agent.destroy();
    await db.end().catch(() => {});
  }
  return { results, unhandledRejections: target.unhandledRejections() };
}

export function passed(run: { results: AttackResult[]; unhandledRejections: number }): boolean {
  return (
    run.unhandledRejections === 0 && run.results.every((r) => r.asExpected && r.aliveAfter && r.validDeliveryAfter)
  );
}

export function abuseTable(results: AttackResult[]): string {
  const headers = [
    "attack",
    "requests",
    "answers",
    "expected",
    "as expected",
    "alive after",
    "valid delivery after",
    "detail",
  ];
  const rows = results.map((r) => [
    r.attack,
    String(r.requests),
    Object.entries(r.answers)
      .map(([answer, n]) => `${answer} × ${n}`)
      .join(", "),
    r.expected,
    r.asExpected ? "yes" : "NO",
    r.aliveAfter ? "yes" : "NO",
    r.validDeliveryAfter ? "yes" : "NO",
    r.notes.join("; "),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(" | ")} |`;
  return [
    line(headers),
    `|${widths.map((w, i) => (i === 1 ? `${"-".repeat(w + 1)}:` : `:${"-".repeat(w + 1)}`)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}
