/**
 * The short version of `npm run abuse`: every attack of tests/abuse/attacks.ts, with small counts
 * and short slow-client timeouts, against the production build in its own process. The process
 * must survive each one, answer as expected, and keep accepting a genuine delivery. Run as the
 * script itself, in a process of its own: msw, which this test process has listening, would
 * otherwise sit between the attacker's raw sockets and the app.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { parseEnv } from "../../app/env.server";
import { BIN, ROOT } from "../helpers/child-server";
import type { AttackResult } from "./attacks";
import { largeOrderWebhook } from "./large-order";

const run = promisify(execFile);

test("the default body cap holds a 250-line order's largest webhook at least twice over", async () => {
  const { bytes } = await largeOrderWebhook();
  const { MAX_REQUEST_BODY_BYTES } = parseEnv({
    SHOPIFY_API_KEY: "k",
    SHOPIFY_API_SECRET: "s",
    SHOPIFY_APP_URL: "http://127.0.0.1",
    SCOPES: "read_orders",
  });
  expect(bytes).toBeGreaterThan(500_000);
  expect(MAX_REQUEST_BODY_BYTES).toBeGreaterThanOrEqual(2 * bytes);
});

test("every attack is answered as expected, and the process lives on and keeps accepting genuine deliveries", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "amends-abuse-"));
  const out = path.join(dir, "abuse.json");
  try {
    let output = "";
    try {
      const result = await run(path.join(BIN, "tsx"), ["tests/abuse/run.ts", "--short", `--out=${out}`], {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: "warn" },
        maxBuffer: 16 * 1024 * 1024,
      });
      output = `${result.stdout}${result.stderr}`;
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      output = `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
      throw new Error(`npm run abuse -- --short failed: ${failed.message}\n${output}`);
    }
    const report = JSON.parse(readFileSync(out, "utf8")) as {
      results: AttackResult[];
      unhandledRejections: number;
      aliveAtEnd: boolean;
      passed: boolean;
    };
    const attacks = report.results.map((r) => r.attack);
    for (const expected of [
      "aborted body: POST /webhooks",
      "aborted body: POST /flow/actions/open-incident",
      "aborted body: POST /flow/lifecycle",
      "aborted body: POST /api/orders/1001/recovery",
      "oversized body (Content-Length over the cap)",
      "oversized body (chunked, no length)",
      "slow headers (one byte every 500 ms)",
      "slow body (one byte every 500 ms)",
      "bad HMAC",
      "concurrent duplicates of one webhook id",
      "unknown topics",
    ]) {
      expect(attacks, output).toContain(expected);
    }
    expect(attacks.filter((a) => a.startsWith("shop header injection")).length).toBeGreaterThanOrEqual(5);
    for (const result of report.results) {
      expect(
        {
          attack: result.attack,
          asExpected: result.asExpected,
          aliveAfter: result.aliveAfter,
          validDeliveryAfter: result.validDeliveryAfter,
        },
        output,
      ).toEqual({ attack: result.attack, asExpected: true, aliveAfter: true, validDeliveryAfter: true });
    }
    expect(report.results.find((r) => r.attack === "oversized body (chunked, no length)")?.answers).toEqual({
      "413": 2,
    });
    expect(report.unhandledRejections).toBe(0);
    expect(report.aliveAtEnd).toBe(true);
    expect(report.passed).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);
