import { expect, test } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://amends.example",
  SCOPES: "read_orders",
};

test("a complete environment parses with defaults filled in", () => {
  const env = parseEnv(valid);
  expect(env).toMatchObject({ NODE_ENV: "development", PORT: 3000, WORKER_CONCURRENCY: 5, WORKER_IN_WEB: true });
  expect(env.DATABASE_URL).toBeUndefined();
});

test("production runs workers separately unless told otherwise", () => {
  expect(parseEnv({ ...valid, NODE_ENV: "production" }).WORKER_IN_WEB).toBe(false);
  expect(parseEnv({ ...valid, NODE_ENV: "production", WORKER_IN_WEB: "true" }).WORKER_IN_WEB).toBe(true);
});

test("every bad variable is named in one error, without its value", () => {
  let error: unknown;
  try {
    parseEnv({
      SHOPIFY_API_SECRET: "super-secret-value",
      SHOPIFY_APP_URL: "not a url",
      DATABASE_URL: "mysql://x",
      PORT: "eighty",
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidEnvironmentError);
  const message = (error as Error).message;
  for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_APP_URL", "SCOPES", "DATABASE_URL", "PORT"]) {
    expect(message).toContain(name);
  }
  expect(message).not.toContain("SHOPIFY_API_SECRET:");
  expect(message).not.toContain("super-secret-value");
});

test.each([
  ["WORKER_CONCURRENCY", "0"],
  ["DATABASE_POOL_SIZE", "1000"],
  ["LOG_LEVEL", "loud"],
  ["WORKER_IN_WEB", "yes"],
])("%s=%s is rejected", (name, value) => {
  expect(() => parseEnv({ ...valid, [name]: value })).toThrow(name);
});

test("AMENDS_SECRETS_KEY is optional and, when set, 32 bytes of base64", () => {
  expect(parseEnv(valid).AMENDS_SECRETS_KEY).toBeUndefined();
  const key = Buffer.alloc(32, 7).toString("base64");
  expect(parseEnv({ ...valid, AMENDS_SECRETS_KEY: key }).AMENDS_SECRETS_KEY).toBe(key);
});

test.each([
  ["not base64", "not base64!", /AMENDS_SECRETS_KEY: must be base64 \(generate one with `openssl rand -base64 32`\)/],
  [
    "too short",
    Buffer.alloc(16, 7).toString("base64"),
    /AMENDS_SECRETS_KEY: must be exactly 32 bytes once base64-decoded/,
  ],
  ["too long", Buffer.alloc(48, 7).toString("base64"), /AMENDS_SECRETS_KEY: must be exactly 32 bytes/],
  ["empty", "", /AMENDS_SECRETS_KEY: must be exactly 32 bytes/],
])("an AMENDS_SECRETS_KEY that is %s is refused with a clear message, without its value", (_name, value, message) => {
  let error: unknown;
  try {
    parseEnv({ ...valid, AMENDS_SECRETS_KEY: value });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidEnvironmentError);
  expect((error as Error).message).toMatch(message);
  if (value) expect((error as Error).message).not.toContain(value);
});

test("request limits have safe defaults, and a header deadline longer than the whole request's is refused", () => {
  expect(parseEnv(valid)).toMatchObject({
    MAX_REQUEST_BODY_BYTES: 4 * 1024 * 1024,
    HEADERS_TIMEOUT_MS: 10_000,
    REQUEST_TIMEOUT_MS: 30_000,
  });
  expect(parseEnv({ ...valid, MAX_REQUEST_BODY_BYTES: "1048576" }).MAX_REQUEST_BODY_BYTES).toBe(1_048_576);
  expect(() => parseEnv({ ...valid, HEADERS_TIMEOUT_MS: "20000", REQUEST_TIMEOUT_MS: "10000" })).toThrow(
    /HEADERS_TIMEOUT_MS: must not be longer than REQUEST_TIMEOUT_MS/,
  );
  expect(() => parseEnv({ ...valid, MAX_REQUEST_BODY_BYTES: "100" })).toThrow(/MAX_REQUEST_BODY_BYTES/);
});

test("the ingest pool, the ingest shedding limits and the webhook and audit retention periods have defaults and can be set", () => {
  expect(parseEnv(valid)).toMatchObject({
    DATABASE_INGEST_POOL_SIZE: 4,
    WEBHOOK_INGEST_MAX_QUEUE: 2_000,
    WEBHOOK_INGEST_MAX_WAIT_MS: 1_000,
    WEBHOOK_BODY_RETENTION_DAYS: 7,
    WEBHOOK_DELIVERY_RETENTION_DAYS: 90,
    AUDIT_RETENTION_DAYS: 730,
  });
  expect(
    parseEnv({
      ...valid,
      DATABASE_INGEST_POOL_SIZE: "2",
      WEBHOOK_INGEST_MAX_QUEUE: "500",
      WEBHOOK_INGEST_MAX_WAIT_MS: "250",
      WEBHOOK_BODY_RETENTION_DAYS: "3",
      WEBHOOK_DELIVERY_RETENTION_DAYS: "30",
      AUDIT_RETENTION_DAYS: "365",
    }),
  ).toMatchObject({
    DATABASE_INGEST_POOL_SIZE: 2,
    WEBHOOK_INGEST_MAX_QUEUE: 500,
    WEBHOOK_INGEST_MAX_WAIT_MS: 250,
    WEBHOOK_BODY_RETENTION_DAYS: 3,
    WEBHOOK_DELIVERY_RETENTION_DAYS: 30,
    AUDIT_RETENTION_DAYS: 365,
  });
  for (const [name, value] of [
    ["DATABASE_INGEST_POOL_SIZE", "0"],
    ["WEBHOOK_INGEST_MAX_QUEUE", "0"],
    ["WEBHOOK_INGEST_MAX_WAIT_MS", "5"],
    ["WEBHOOK_INGEST_MAX_WAIT_MS", "a second"],
    ["WEBHOOK_BODY_RETENTION_DAYS", "0"],
    ["WEBHOOK_DELIVERY_RETENTION_DAYS", "forever"],
    ["AUDIT_RETENTION_DAYS", "0"],
  ] as const) {
    expect(() => parseEnv({ ...valid, [name]: value })).toThrow(name);
  }
});
