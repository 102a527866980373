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
    parseEnv({ SHOPIFY_API_SECRET: "super-secret-value", SHOPIFY_APP_URL: "not a url", DATABASE_URL: "mysql://x", PORT: "eighty" });
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
