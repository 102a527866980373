/**
 * The job worker of the chaos suite (tests/chaos/run.ts), in its own OS process so the suite can
 * kill it with SIGKILL. It is the production worker (app/jobs/worker.server.ts, the real task
 * list) on the suite's PostgreSQL; only its way out to "Shopify" differs: every https request is
 * forwarded to the suite's loopback bridge, which answers it from the one sandbox store (and
 * injects the Admin API faults). Its clock follows the sandbox clock, read from the bridge.
 *
 * Env: DATABASE_URL, CHAOS_BRIDGE_URL, CHAOS_CONCURRENCY, plus the app's own variables.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

const bridge = process.env.CHAOS_BRIDGE_URL ?? "";
if (!bridge) throw new Error("CHAOS_BRIDGE_URL is not set");

let offsetMs = 0;
async function readClock(): Promise<void> {
  const response = await fetch(new URL("/clock", bridge));
  const { now } = (await response.json()) as { now: number };
  offsetMs = now - Date.now();
}
await readClock();

const msw = setupServer(
  http.all(/^https:\/\//, async ({ request }) => {
    const headers = new Headers(request.headers);
    headers.set("x-chaos-url", request.url);
    headers.set("x-chaos-method", request.method);
    try {
      const answer = await fetch(new URL("/forward", bridge), {
        method: "POST",
        headers,
        body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
      });
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: answer.headers });
    } catch {
      // The bridge dropped the connection: the answer was lost on the way, as a network error.
      return HttpResponse.error();
    }
  }),
);
msw.listen({ onUnhandledFrame: "bypass" });

const { installClock, installQueueTime } = await import("../../app/clock.server");
installClock({ now: () => new Date(Date.now() + offsetMs) });
// Timers go on the real timeline (graphile-worker compares run_at with PostgreSQL's clock).
installQueueTime((runAt) => new Date(runAt.getTime() - offsetMs));
setInterval(() => void readClock().catch(() => undefined), 100).unref();

const { createPool } = await import("../../app/db/pool.server");
const { startWorker } = await import("../../app/jobs/worker.server");
const concurrency = Number(process.env.CHAOS_CONCURRENCY ?? "4");
const pool = createPool(process.env.DATABASE_URL ?? "", concurrency + 2, "chaos-worker");
await startWorker({ pgPool: pool, concurrency, pollInterval: 100, resetLockedIntervalMs: 500 });
process.stdout.write("READY\n");
