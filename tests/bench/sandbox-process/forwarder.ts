/**
 * The app side of the sandbox process (./child.ts): in an app process (web or worker), before any
 * app module loads, every request for https://*.myshopify.com (Admin GraphQL API, OAuth token
 * endpoint) is sent to the sandbox process over loopback HTTP and its answer handed back. The app's
 * code is unchanged: the Shopify library calls the real URLs with the global fetch it captured when
 * its node adapter was imported (@shopify/shopify-api adapters/node: setAbstractFetchFunc(globalThis.fetch)),
 * which is by then `forwardingFetch`, a plain wrapper: no interceptor watching the process's other
 * sockets (the database's), as msw's did (decision 0027).
 *
 * `forwardingHandlers` does the same as an msw handler, for the test suite's msw server.
 */
import { bypass, http, HttpResponse, type HttpHandler } from "msw";

const SHOPIFY_HOST = /^https:\/\/[a-z0-9][a-z0-9-]*\.myshopify\.com\//;
/** The same, on a URL string not yet normalised (no path: "https://x.myshopify.com"; any case). */
const SHOPIFY_URL = /^https:\/\/[a-z0-9][a-z0-9-]*\.myshopify\.com(?:[/?#:]|$)/i;

function sandboxTarget(base: string, href: string): string {
  const url = new URL(href);
  return `${base}/shopify/${url.host}${url.pathname}${url.search}`;
}

/** Handlers forwarding Shopify's URLs to the sandbox process at `sandboxUrl` (e.g. http://127.0.0.1:4100). */
export function forwardingHandlers(sandboxUrl: string): HttpHandler[] {
  const base = sandboxUrl.replace(/\/$/, "");
  return [
    http.all(SHOPIFY_HOST, async ({ request }) => {
      const method = request.method;
      const body = method === "GET" || method === "HEAD" ? undefined : await request.arrayBuffer();
      try {
        // bypass(): the forwarded request itself must not be intercepted (the test suite refuses unhandled requests).
        return await fetch(
          bypass(sandboxTarget(base, request.url), {
            method,
            headers: request.headers,
            ...(body === undefined ? {} : { body }),
            signal: request.signal,
          }),
        );
      } catch {
        // The caller gave up (its timeout aborted the request) or the sandbox process is gone: a network error, as from Shopify.
        return HttpResponse.error();
      }
    }),
  ];
}

/**
 * A fetch that sends https://<shop>.myshopify.com/<path> to `<sandboxUrl>/shopify/<shop>.myshopify.com/<path>`
 * (same method, headers, body and signal, from `init` or from a Request given as input) through
 * `original`, and passes any other URL to `original` untouched, after one look at its string.
 * A sandbox that cannot be reached rejects, as a Shopify that cannot be reached would.
 */
export function forwardingFetch(sandboxUrl: string, original: typeof fetch = globalThis.fetch): typeof fetch {
  const base = sandboxUrl.replace(/\/$/, "");
  return async function forwardedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!SHOPIFY_URL.test(href)) return original(input, init);
    const target = sandboxTarget(base, href);
    if (typeof input === "string" || input instanceof URL) return original(target, init);
    // A Request: its method, headers, body and signal carried over (init, if any, on top, as fetch does).
    const method = input.method;
    const body = method === "GET" || method === "HEAD" ? undefined : await input.arrayBuffer();
    return original(target, {
      method,
      headers: input.headers,
      signal: input.signal,
      redirect: input.redirect,
      ...(body === undefined ? {} : { body }),
      ...init,
    });
  };
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
 * imported): forward Shopify's URLs to the sandbox process (globalThis.fetch becomes
 * `forwardingFetch` until close()), and read the app clock at the sandbox clock's offset from real
 * time (0 unless AMENDS_CLOCK_START moved it), so both agree on token expiry and timestamps. Jobs
 * are then queued on the real timeline, as the demo does.
 */
export async function installForwarder(sandboxUrl: string): Promise<{ close(): void; clockOffsetMs: number }> {
  const original = globalThis.fetch;
  const forwarded = forwardingFetch(sandboxUrl, original);
  globalThis.fetch = forwarded;
  const close = () => {
    // Only if no one replaced it since (an interceptor installed later keeps its own restore).
    if (globalThis.fetch === forwarded) globalThis.fetch = original;
  };
  try {
    const { nowMs, realMs } = await sandboxCommand<{ nowMs: number; realMs: number }>(sandboxUrl, "clock");
    const clockOffsetMs = nowMs - realMs;
    if (clockOffsetMs !== 0) {
      const { installClock, installQueueTime } = await import("../../../app/clock.server");
      installClock({ now: () => new Date(Date.now() + clockOffsetMs) });
      installQueueTime((runAt) => new Date(runAt.getTime() - clockOffsetMs));
    }
    return { close, clockOffsetMs };
  } catch (error) {
    close();
    throw error;
  }
}
