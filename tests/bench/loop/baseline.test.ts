/**
 * bench:loop's same-run baseline (./baseline.ts, ./baseline-client.ts) does the I/O it is asked
 * for, through the forwarder or straight to the sandbox process: every webhook of the store
 * activity received, HMAC-checked and stored once, and exactly the asked number of Admin API calls,
 * which the sandbox process answered and counted.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { API_VERSION } from "../../../app/shopify.server";
import { appTomlScopes } from "../../helpers/app-scopes";
import { TEST_API_KEY, TEST_SECRET } from "../../helpers/sandbox";
import { startSandboxProcess, type SandboxProcess } from "../sandbox-process";
import { compareWithApp, runBaseline, type ForwarderMode } from "./baseline";

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess({ apiKey: TEST_API_KEY, secret: TEST_SECRET, scopes: appTomlScopes() });
});

afterAll(async () => {
  await sandbox?.stop();
});

async function storedRows(shops: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM loop_baseline_delivery WHERE shop = ANY($1)",
      [shops],
    );
    return rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

test.each<ForwarderMode>(["forwarder", "direct", "msw"])(
  "the baseline (%s) receives every webhook of the asked incidents and makes the asked Admin API calls",
  async (mode) => {
    await sandbox.control.resetCosts();
    const result = await runBaseline({
      sandbox,
      secret: TEST_SECRET,
      databaseUrl: process.env.DATABASE_URL ?? "",
      apiVersion: API_VERSION,
      mode,
      shops: 2,
      incidents: 3,
      calls: 7,
      tag: `test-${mode}`,
    });
    const shops = [1, 2].map((i) => `loop-baseline-test-${mode}-${i}.myshopify.com`);

    expect(result.incidents).toBe(3);
    // At least the failure signal per incident, and each one the sandbox sent reached the client.
    expect(result.webhooksSent).toBeGreaterThanOrEqual(3);
    expect(result.stats).toMatchObject({
      received: result.webhooksSent,
      rejected: 0,
      inserted: result.webhooksSent,
      insertFailed: 0,
      calls: 7,
      callsFailed: 0,
      failures: [],
    });
    expect(await storedRows(shops)).toBe(result.webhooksSent);
    const signals = (await sandbox.control.deliveries()).signals.filter((s) => shops.includes(s.shop));
    expect(signals).toHaveLength(3);
    // The sandbox process answered the calls: the app's order read, on the baseline's shops only.
    const costs = await sandbox.control.costSummary();
    const reads = shops.map((shop) => costs.byShop[shop]?.AmendsOrderForRecovery?.calls ?? 0);
    expect(reads.reduce((a, b) => a + b, 0)).toBe(7);
    // Plus the one warm-up call before the measured window.
    expect(result.stats.warmupCalls).toBe(1);
    expect(costs.totals).toMatchObject({ calls: 7 + 1, throttled: 0, failed: 0 });
    expect(result.cpuSeconds).toBeGreaterThanOrEqual(0);
  },
);

test("a baseline with the wrong webhook secret refuses every delivery (401) and stores none", async () => {
  const result = await runBaseline({
    sandbox,
    secret: "not-the-sandbox-secret",
    databaseUrl: process.env.DATABASE_URL ?? "",
    apiVersion: API_VERSION,
    mode: "direct",
    shops: 1,
    incidents: 1,
    calls: 0,
    tag: "test-wrong-secret",
  });
  expect(result.webhooksSent).toBeGreaterThanOrEqual(1);
  expect(result.stats).toMatchObject({ received: result.webhooksSent, rejected: result.webhooksSent, inserted: 0 });
  expect(await storedRows(["loop-baseline-test-wrong-secret-1.myshopify.com"])).toBe(0);
  const statuses = Object.entries((await sandbox.control.deliveries()).statuses).filter(([s]) => s.endsWith(" 401"));
  expect(statuses.reduce((n, [, c]) => n + c, 0)).toBe(result.webhooksSent);
});

test("the comparison sets the app's CPU per incident against the baseline through the forwarder, and the forwarder's tax against the app", () => {
  const result = (mode: ForwarderMode, cpuMsPerIncident: number) => ({
    mode,
    incidents: 10,
    webhooksSent: 40,
    stats: {
      received: 40,
      rejected: 0,
      inserted: 40,
      insertFailed: 0,
      calls: 60,
      callsFailed: 0,
      warmupCalls: 1,
      failures: [],
    },
    cpuSeconds: cpuMsPerIncident / 100,
    cpuMsPerIncident,
    driverCpuMsPerIncident: 5,
    wallSeconds: 1,
  });
  expect(compareWithApp(100, result("forwarder", 20), result("direct", 15), result("msw", 40))).toEqual({
    appCpuMsPerIncident: 100,
    baselineCpuMsPerIncident: 20,
    appToBaseline: 5,
    directCpuMsPerIncident: 15,
    forwarderTaxMsPerIncident: 5,
    forwarderShareOfApp: 0.05,
    mswTaxMsPerIncident: 25,
  });
  expect(compareWithApp(100, result("forwarder", 20), result("direct", 15)).mswTaxMsPerIncident).toBeNull();
});
