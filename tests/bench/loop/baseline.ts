/**
 * bench:loop's same-run baseline: ./baseline-client.ts in its own process, fed the loop's external
 * I/O for `incidents` incidents on fresh shops of the same sandbox process: the same store activity
 * per incident (so the same webhooks, HMAC-signed by the sandbox, each stored with one INSERT) and
 * `calls` Admin API calls of the app's own order read. Its CPU (from /proc, the whole process
 * tree) is what that I/O costs with no app logic: the floor the app's CPU per incident is set
 * against. Run once through the fetch forwarder (as the app's calls go) and once straight to the
 * sandbox's port, the difference is the forwarder's own tax; optionally once through the msw
 * handler the forwarder replaced, for comparison (decision 0027).
 */
import path from "node:path";
import { bypass } from "msw";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../../app/db/embedded-postgres.server";
import { ChildServer, ROOT } from "../../helpers/child-server";
import { waitForLine } from "../common/lifecycle";
import { placeFailureSignal, setUpShop } from "../common/store";
import { cpuByName, snapshotTree } from "../proc-cpu";
import type { SandboxProcess } from "../sandbox-process";
import type { BaselineCall, BaselineStats } from "./baseline-client";

export const BASELINE_CLIENT_ENTRY = path.join(ROOT, "tests/bench/loop/baseline-client.ts");

/** forwarder: calls through the fetch forwarder, as the app's; direct: no forwarder; msw: through the old msw handler. */
export type ForwarderMode = "forwarder" | "direct" | "msw";

export interface BaselineRequest {
  sandbox: SandboxProcess;
  /** The webhook HMAC key (the app's secret, which the sandbox signs with). */
  secret: string;
  databaseUrl: string;
  apiVersion: string;
  mode: ForwarderMode;
  shops: number;
  /** Incidents (failure signals) over all shops. */
  incidents: number;
  /** Admin API calls over all incidents. */
  calls: number;
  /** Names the run's shops apart from the loop's and the other baseline's. */
  tag: string;
  logFile?: string;
}

export interface BaselineResult {
  mode: ForwarderMode;
  incidents: number;
  /** Webhooks the sandbox sent during the run, and what the client saw of them. */
  webhooksSent: number;
  stats: BaselineStats;
  cpuSeconds: number;
  cpuMsPerIncident: number;
  /**
   * The calling process's CPU over the same window, per incident: the bench driving the store
   * activity and waiting (in bench:loop also the idle app beside it). bench:loop's app CPU
   * includes the same driving for its own incidents.
   */
  driverCpuMsPerIncident: number;
  wallSeconds: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

async function stats(url: string): Promise<BaselineStats> {
  // bypass(): in the test suite msw refuses unhandled requests.
  const response = await fetch(bypass(new URL("/control/stats", url)));
  return (await response.json()) as BaselineStats;
}

/** One baseline run in a fresh child process, stopped at the end. */
export async function runBaseline(request: BaselineRequest): Promise<BaselineResult> {
  const { sandbox, mode } = request;
  const control = sandbox.control;
  const port = await freePort();
  const child = ChildServer.start(
    `loop baseline (${mode})`,
    BASELINE_CLIENT_ENTRY,
    {
      ...process.env,
      BENCH_SECRET: request.secret,
      DATABASE_URL: request.databaseUrl,
      AMENDS_SANDBOX_URL: sandbox.url,
      BASELINE_FORWARDER: mode,
      BASELINE_API_VERSION: request.apiVersion,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    request.logFile,
  );
  try {
    await waitForLine(child, `loop-baseline listening on ${port}`, 60_000);
    const url = `http://127.0.0.1:${port}`;

    // Shops like the loop's, the incidents spread over them as evenly as the loop's.
    const shops = Array.from(
      { length: request.shops },
      (_, i) => `loop-baseline-${request.tag}-${i + 1}.myshopify.com`,
    );
    const perShop = shops.map(
      (_, i) => Math.floor(request.incidents / shops.length) + (i < request.incidents % shops.length ? 1 : 0),
    );
    const stores = [];
    for (const [s, shop] of shops.entries()) {
      const store = await setUpShop(control, { domain: shop, name: `Baseline ${s + 1}` }, perShop[s] ?? 0, {
        product: (p) => `Baseline product ${p}`,
        first: (c) => `Base${c + 1}`,
        last: `Shop${s + 1}`,
        email: (c) => `base${c + 1}.shop${s + 1}.${request.tag}@example.com`,
      });
      // No throttling: the baseline measures CPU, and the app's bucket is shared with no one here.
      await control.configureRateLimit(shop, { maximumAvailable: 1_000_000, restoreRate: 100_000 });
      const { access_token } = await control.issueOfflineToken(shop);
      stores.push({ shop, store, accessToken: access_token });
    }
    await control.setWebhookTargets([url]);
    const sentBefore = (await control.deliveries()).sent;

    const first = stores[0];
    if (first) {
      const warm = await fetch(
        bypass(new URL("/control/warmup", url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ shop: first.shop, accessToken: first.accessToken }),
        }),
      );
      await warm.arrayBuffer();
    }

    const pid = child.workerPid();
    const before = snapshotTree(pid);
    const driverBefore = process.cpuUsage();
    const startedAt = Date.now();
    // The store activity (its webhooks), shops in parallel as in the loop.
    const orders: BaselineCall[] = [];
    await Promise.all(
      stores.map(async ({ shop, store, accessToken }, s) => {
        for (let i = 0; i < (perShop[s] ?? 0); i++) {
          const orderId = await placeFailureSignal(control, shop, store, i, { prefix: "1ZBASE", message: "Weather" });
          orders.push({ shop, accessToken, orderGid: `gid://shopify/Order/${orderId}` });
        }
      }),
    );
    // Every delivery answered (the sandbox awaits each answer; the in-flight ones finish here).
    const drainUntil = Date.now() + 30_000;
    while ((await control.deliveries()).inFlight > 0 && Date.now() < drainUntil) await sleep(20);
    // The Admin API calls, spread over the incidents' orders.
    const calls = Array.from({ length: request.calls }, (_, i) => orders[i % Math.max(orders.length, 1)]).filter(
      (c): c is BaselineCall => c !== undefined,
    );
    const response = await fetch(
      bypass(new URL("/control/calls", url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ calls, concurrency: 4 }),
      }),
    );
    await response.arrayBuffer();
    const wallSeconds = (Date.now() - startedAt) / 1000;
    const after = snapshotTree(pid);
    const driver = process.cpuUsage(driverBefore);
    const cpuSeconds = Object.values(cpuByName(before, after)).reduce((a, b) => a + b, 0);
    const webhooksSent = (await control.deliveries()).sent - sentBefore;
    return {
      mode,
      incidents: orders.length,
      webhooksSent,
      stats: await stats(url),
      cpuSeconds: round(cpuSeconds, 3),
      cpuMsPerIncident: orders.length > 0 ? round((cpuSeconds * 1000) / orders.length, 1) : Number.NaN,
      driverCpuMsPerIncident:
        orders.length > 0 ? round((driver.user + driver.system) / 1000 / orders.length, 1) : Number.NaN,
      wallSeconds: round(wallSeconds, 1),
    };
  } finally {
    await child.stop(10_000);
  }
}

export interface BaselineComparison {
  appCpuMsPerIncident: number;
  /** Through the fetch forwarder, as the app's calls go. */
  baselineCpuMsPerIncident: number;
  /** App CPU / baseline CPU, per incident. */
  appToBaseline: number;
  /** Straight to the sandbox process's port, no forwarder. */
  directCpuMsPerIncident: number;
  /** What the fetch forwarder adds per incident (forwarder baseline - direct baseline), and its share of the app's CPU. */
  forwarderTaxMsPerIncident: number;
  forwarderShareOfApp: number;
  /** What the msw handler the forwarder replaced would add per incident (msw - direct), when measured. */
  mswTaxMsPerIncident: number | null;
}

export function compareWithApp(
  appCpuMsPerIncident: number,
  forwarder: BaselineResult,
  direct: BaselineResult,
  msw?: BaselineResult,
): BaselineComparison {
  const tax = forwarder.cpuMsPerIncident - direct.cpuMsPerIncident;
  return {
    appCpuMsPerIncident,
    baselineCpuMsPerIncident: forwarder.cpuMsPerIncident,
    appToBaseline:
      forwarder.cpuMsPerIncident > 0 ? round(appCpuMsPerIncident / forwarder.cpuMsPerIncident, 2) : Number.NaN,
    directCpuMsPerIncident: direct.cpuMsPerIncident,
    forwarderTaxMsPerIncident: round(tax, 1),
    forwarderShareOfApp: appCpuMsPerIncident > 0 ? round(tax / appCpuMsPerIncident, 3) : Number.NaN,
    mswTaxMsPerIncident: msw ? round(msw.cpuMsPerIncident - direct.cpuMsPerIncident, 1) : null,
  };
}
