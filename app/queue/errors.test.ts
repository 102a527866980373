import { expect, test } from "vitest";
import { isTerminal, ShopUninstalledError, TerminalJobError } from "./errors";

test.each([
  ["a TerminalJobError", new TerminalJobError("gone", "GONE"), true],
  ["an uninstalled shop", new ShopUninstalledError("x.myshopify.com"), true],
  ["HTTP 401 from the library", Object.assign(new Error("unauthorized"), { response: { code: 401 } }), true],
  ["HTTP 403 as status", Object.assign(new Error("forbidden"), { status: 403 }), true],
  ["HTTP 404", Object.assign(new Error("not found"), { response: { status: 404 } }), true],
  ["an error that says it cannot be retried", Object.assign(new Error("userErrors"), { retryable: false }), true],
  ["HTTP 503", Object.assign(new Error("unavailable"), { status: 503 }), false],
  ["a retryable API error", Object.assign(new Error("throttled"), { retryable: true, status: 429 }), false],
  ["a plain error", new Error("connection reset"), false],
  ["a string", "boom", false],
])("%s is terminal: %s", (_name, error, terminal) => {
  expect(isTerminal(error)).toBe(terminal);
});
