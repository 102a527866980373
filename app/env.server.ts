/**
 * The one place that reads process.env. Parsed once, on first use, and typed.
 * A bad or missing variable fails start-up with a message naming each one.
 */
import { existsSync } from "node:fs";
import { z } from "zod";

const booleanFlag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** Client id of the app in the Partner Dashboard / Dev Dashboard (the CLI sets it in `shopify app dev`). */
    SHOPIFY_API_KEY: z.string().min(1),
    /** App secret: signs webhooks, Flow requests and session tokens. Never logged. */
    SHOPIFY_API_SECRET: z.string().min(1),
    /**
     * Key that seals secrets kept in shop settings (the SMTP password): 32 random bytes, base64.
     * Unset: derived from SHOPIFY_API_SECRET, so rotating that secret makes stored SMTP passwords
     * unreadable. Production should set its own. See docs/decisions/0009-secrets-at-rest.md.
     */
    AMENDS_SECRETS_KEY: z
      .base64({ error: "must be base64 (generate one with `openssl rand -base64 32`)", abort: true })
      .refine(
        (value) => Buffer.from(value, "base64").length === 32,
        "must be exactly 32 bytes once base64-decoded (generate one with `openssl rand -base64 32`)",
      )
      .optional(),
    /** Public https URL the app is served from (the CLI's tunnel in `shopify app dev`). */
    SHOPIFY_APP_URL: z.url(),
    /** Comma-separated access scopes; must match shopify.app.toml. */
    SCOPES: z.string().min(1),
    /** For shops with a custom admin domain (rare; leave unset). */
    SHOP_CUSTOM_DOMAIN: z.string().min(1).optional(),
    /** Any PostgreSQL 14+. Unset: the app starts its own embedded PostgreSQL in EMBEDDED_DB_DIR. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    EMBEDDED_DB_DIR: z.string().min(1).default(".data/postgres"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    /** Connections per process in the app's pool. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /**
     * Connections per process kept for webhook ingest alone (the inbox insert and its job, one
     * statement per batch), apart from DATABASE_POOL_SIZE: a burst of slow work on the main pool
     * (pages, Flow actions, the in-process worker) can never make Shopify's deliveries wait for a
     * connection and time out. Small: ingest batches deliveries, each statement takes milliseconds; one
     * batch statement in flight per connection (4 is what docs/decisions/0005 measured).
     * See docs/decisions/0021-pool-and-retention.md.
     */
    DATABASE_INGEST_POOL_SIZE: z.coerce.number().int().min(1).max(20).default(4),
    /**
     * Load shedding on /webhooks (docs/decisions/0031-ingest-load-shedding.md): a delivery is
     * answered 503 with Retry-After, before anything of it is stored, when this many deliveries
     * already wait for a statement in this process (Shopify retries it; the retry is de-duplicated).
     * A bound on bursts and on the memory their bodies hold; WEBHOOK_INGEST_MAX_WAIT_MS is the main limit.
     */
    WEBHOOK_INGEST_MAX_QUEUE: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
    /**
     * ... or when the oldest waiting delivery has waited this long (ms): a delivery queued behind it
     * would wait about as long again, and Shopify counts no answer within 5 s as a failure.
     */
    WEBHOOK_INGEST_MAX_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    /**
     * Days a FAILED webhook delivery keeps its raw body for diagnosis (processed deliveries drop
     * theirs at once, IGNORED ones never store one). The hourly purge-webhook-bodies job drops it after.
     */
    WEBHOOK_BODY_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    /**
     * Days a webhook delivery row is kept. The daily prune-webhook-deliveries job then adds it to the
     * per-day counts (WebhookDeliveryDay: shop, day, topic, status) and deletes it. Never a delivery
     * still waiting to be processed (RECEIVED), nor a FAILED one within WEBHOOK_BODY_RETENTION_DAYS.
     */
    WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /**
     * Days an audit entry (settings and grid changes, code reveals, export downloads, with the
     * staff member's name) is kept. The daily prune-audit-entries job deletes older ones.
     * See docs/decisions/0021-pool-and-retention.md.
     */
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(730),
    /** Run the job worker inside the web process (default outside production) or as `npm run worker`. */
    WORKER_IN_WEB: booleanFlag.optional(),
    /** Jobs one worker process runs at once. */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(5),
    /**
     * How often an idle worker looks for jobs whose run_at has come (jobs due at once are announced
     * by LISTEN/NOTIFY instead). Bounds how late a timer, e.g. detection's 0.5 s debounce, starts.
     */
    WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(200),
    /**
     * Largest request body accepted, in bytes (413 above it, checked on Content-Length and while the
     * body streams in). The default holds a 250-line order's biggest webhook (about 1.0 MB) four
     * times over; see docs/decisions/0011-hostile-requests.md.
     */
    MAX_REQUEST_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    /** A client must send its request headers within this time (slow-header attacks; 408 after). */
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    /** A client must send its whole request, body included, within this time (slow bodies; 408 after). */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Set only by `npm run demo`: pages render outside the Shopify admin against the sandbox store. Refused in production. */
    AMENDS_DEMO: booleanFlag.default(false),
    /**
     * Lets the shop's SMTP host be a loopback address (127.0.0.0/8, ::1): set only by the tests
     * (vitest.config.ts) for their local test mail servers. Private, link-local and metadata
     * addresses stay refused even then. Refused in production. See docs/decisions/0020-smtp-safety.md.
     */
    AMENDS_SMTP_ALLOW_LOOPBACK: booleanFlag.default(false),
    /**
     * A PEM file of certificate authorities trusted for mail servers' TLS certificates beside the
     * system's (the tests' local CA, or an operator's own). Unset: the system's CAs only.
     */
    AMENDS_SMTP_CA_FILE: z.string().min(1).refine(existsSync, "must name an existing PEM file").optional(),
    /**
     * Where the follow-up's rating links point (decision 0117): "app" (default) the app's own page
     * at SHOPIFY_APP_URL/rate/..., "storefront" the same page through the shop's storefront by the
     * Shopify app proxy (/apps/amends/rate/..., shopify.app.toml [app_proxy]).
     */
    AMENDS_RATING_LINKS: z.enum(["app", "storefront"]).default("app"),
  })
  .refine((env) => env.HEADERS_TIMEOUT_MS <= env.REQUEST_TIMEOUT_MS, {
    message: "must not be longer than REQUEST_TIMEOUT_MS (the headers are part of the request)",
    path: ["HEADERS_TIMEOUT_MS"],
  })
  .refine((env) => !(env.AMENDS_DEMO && env.NODE_ENV === "production"), {
    message: "demo mode cannot run in production",
    path: ["AMENDS_DEMO"],
  })
  .refine((env) => !(env.AMENDS_SMTP_ALLOW_LOOPBACK && env.NODE_ENV === "production"), {
    message: "loopback mail servers are for tests only and cannot be allowed in production",
    path: ["AMENDS_SMTP_ALLOW_LOOPBACK"],
  })
  .transform((env) => ({
    ...env,
    WORKER_IN_WEB: env.WORKER_IN_WEB ?? env.NODE_ENV !== "production",
  }));

export type Env = z.infer<typeof schema>;

export class InvalidEnvironmentError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "InvalidEnvironmentError";
  }
}

/** Parse an environment; exported for tests. Never include values in messages: some are secrets. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The database to use. Set by the operator, or by the server once embedded PostgreSQL is up. */
export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url)
    throw new Error(
      "DATABASE_URL is not set and no embedded PostgreSQL was started (start the app with `npm run dev`)",
    );
  return url;
}

/** Record the embedded server's URL (also for child processes such as the Prisma CLI). */
export function setEmbeddedDatabaseUrl(url: string): void {
  process.env.DATABASE_URL = url;
  cached = { ...env(), DATABASE_URL: url };
}
