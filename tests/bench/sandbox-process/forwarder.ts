/**
 * The app side of the sandbox process (./child.ts): msw handlers, installed in an app process
 * (web or worker) before any app module loads, that send every request for https://*.myshopify.com
 * (Admin GraphQL API, OAuth token endpoint) to the sandbox process over loopback HTTP and hand its
 * answer back. The app's code is unchanged: the Shopify library calls the real URLs with the
 * global fetch, which msw intercepts.
 */
import { bypass, http, type HttpHandler } from "msw";

const SHOPIFY_HOST = /^https:\/\/[a-z0-9][a-z0-9-]*\.myshopify\.com\//;

/** Handlers forwarding Shopify's URLs to the sandbox process at `sandboxUrl` (e.g. http://127.0.0.1:4100). */
export function forwardingHandlers(sandboxUrl: string): HttpHandler[] {
  const base = sandboxUrl.replace(/\/$/, "");
  return [
    http.all(SHOPIFY_HOST, async ({ request }) => {
      const url = new URL(request.url);
      const method = request.method;
      const body = method === "GET" || method === "HEAD" ? undefined : await request.arrayBuffer();
      // bypass(): the forwarded request itself must not be intercepted (the test suite refuses unhandled requests).
      return fetch(
        bypass(`${base}/shopify/${url.host}${url.pathname}${url.search}`, {
          method,
          headers: request.headers,
          ...(body === undefined ? {} : { body }),
          signal: request.signal,
        }),
      );
    }),
  ];
}

/** A control command on the sandbox process (see ./child.ts), through msw untouched. */
export async function sandboxCommand<T>(sandboxUrl: string, command: string, input: object = {}): Promise<T> {
  const response = await fetch(
    bypass(`${sandboxUrl.replace(/\/$/, "")}/control/${command}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    }),
  );
  const answer = (await response.json()) as { result?: T; error?: string };
  if (!response.ok) throw new Error(`sandbox ${command}: ${response.status} ${answer.error ?? ""}`);
  return answer.result as T;
}

/**
 * In an app process, before the app's modules load (the Shopify library captures fetch when it is
 * imported): forward Shopify's URLs to the sandbox process, and read the app clock at the sandbox
 * clock's offset from real time (0 unless AMENDS_CLOCK_START moved it), so both agree on token
 * expiry and timestamps. Jobs are then queued on the real timeline, as the demo does.
 */
export async function installForwarder(sandboxUrl: string): Promise<{ close(): void; clockOffsetMs: number }> {
  const { setupServer } = await import("msw/node");
  const server = setupServer(...forwardingHandlers(sandboxUrl));
  server.listen({ onUnhandledFrame: "bypass" });
  const { nowMs, realMs } = await sandboxCommand<{ nowMs: number; realMs: number }>(sandboxUrl, "clock");
  const clockOffsetMs = nowMs - realMs;
  if (clockOffsetMs !== 0) {
    const { installClock, installQueueTime } = await import("../../../app/clock.server");
    installClock({ now: () => new Date(Date.now() + clockOffsetMs) });
    installQueueTime((runAt) => new Date(runAt.getTime() - clockOffsetMs));
  }
  return { close: () => server.close(), clockOffsetMs };
}
