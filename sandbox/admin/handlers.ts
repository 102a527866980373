/**
 * The HTTP face of the sandbox Admin API: POST
 * https://{shop}.myshopify.com/admin/api/2026-10/graphql.json, as msw handlers
 * and as a plain Request -> Response function. The order of checks follows
 * Shopify: unknown version or shop, a missing, unknown, expired or revoked
 * token (401; tokens from ../tokens.ts), then the document; cost is
 * checked before anything executes, and a throttled request runs nothing.
 */
import { randomUUID } from "node:crypto";
import { http, HttpResponse, type HttpHandler } from "msw";
import type { SandboxStore } from "../store";
import { DEFAULT_ASYNC_TIMING, shopExtras, type AdminApiOptions, type AdminContext, type AsyncTiming } from "./context";
import { settleBulkCreations } from "./resolvers/discounts";
import { THROTTLED_DOCS, type ShopifyError } from "./errors";
import { prepare, run } from "./executor";
import { Faults, type Fault } from "./faults";
import { bucketForPlan, RateLimits, type ThrottleStatus } from "./rate-limit";
import { ADMIN_API_VERSION } from "./schema";
import { ScopeGrants } from "./scopes";
import { sandboxTokens } from "../tokens";

export type CallOutcome =
  | "ok"
  | "errors"
  | "invalid"
  | "max-cost"
  | "throttled"
  | "unauthorized"
  | "not-found"
  | "bad-request"
  | "server-error"
  | "timeout"
  | "network-error"
  | "response-lost";

export interface CallRecord {
  at: Date;
  shop: string;
  operationName: string | undefined;
  /** Root fields of the operation, e.g. ["giftCardCreate"]. */
  rootFields: string[];
  variables: Record<string, unknown> | undefined;
  cost: { requested: number; actual: number | null } | null;
  /** HTTP status; 0 when the client saw a network error. */
  status: number;
  outcome: CallOutcome;
}

export interface AdminApi {
  /** msw handlers; add them with `server.use(...api.handlers)`. */
  handlers: HttpHandler[];
  rateLimits: RateLimits;
  faults: Faults;
  /** Each shop's granted scopes (default: options.scopes); revoke some to play a merchant taking them back. */
  grants: ScopeGrants;
  /** Every request, in arrival order (the latest MAX_CALLS_KEPT). */
  calls: CallRecord[];
  /** The same logic as a Request -> Response function, for serving the sandbox without msw. */
  handle(request: Request): Promise<Response>;
  /** Shopify's asynchronous work (bulk code jobs, search index lag); change it per test, reset() restores it. */
  timing: AsyncTiming;
  /** Forget calls, faults, bucket levels and changed grants; timing back to the options' (default strict). */
  reset(): void;
}

/** The most recent calls kept in `calls`. */
export const MAX_CALLS_KEPT = 10_000;

const ENDPOINT = /^https:\/\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;

export const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

const BAD_GATEWAY_HTML =
  "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>There was a problem with our servers. Please try again.</p></body></html>\n";
const GATEWAY_TIMEOUT_HTML =
  "<!DOCTYPE html>\n<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>\n";

export function createAdminApi(store: SandboxStore, options: AdminApiOptions = {}): AdminApi {
  const rateLimits = new RateLimits(store.clock, (domain) => bucketForPlan(store.shops.get(domain)?.plan ?? "Basic"));
  const faults = new Faults();
  const calls: CallRecord[] = [];
  const timing: AsyncTiming = { ...DEFAULT_ASYNC_TIMING, ...options.timing };
  if (options.scopes === undefined && options.enforceScopes !== false)
    throw new Error("createAdminApi needs options.scopes: the scopes shops grant the app (or enforceScopes: false)");
  const grants = new ScopeGrants(options.scopes ?? "");
  const tokens = sandboxTokens(store);
  // A test's fixed token for the shop (the `accessTokens` switch), else only what the sandbox issued and has not expired.
  const tokenAccepted = (domain: string, token: string) => {
    const fixed = options.accessTokens?.[domain];
    return fixed !== undefined ? token === fixed : tokens.check(domain, token) === "ok";
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const match = ENDPOINT.exec(`${url.origin}${url.pathname}`);
    const domain = match?.[1] ?? url.host;
    const record = (entry: Omit<CallRecord, "at" | "shop">) => {
      // A long demo session must not grow without bound; tests never come near the cap.
      if (calls.length >= MAX_CALLS_KEPT) calls.splice(0, calls.length - MAX_CALLS_KEPT + 1);
      calls.push({ at: store.clock.now(), shop: domain, ...entry });
    };
    const bare = { operationName: undefined, rootFields: [], variables: undefined, cost: null };

    if (!match || match[2] !== ADMIN_API_VERSION || request.method !== "POST") {
      record({ ...bare, status: 404, outcome: "not-found" });
      return json({ errors: "Not Found" }, 404);
    }
    const shop = store.shops.get(domain);
    if (!shop) {
      record({ ...bare, status: 404, outcome: "not-found" });
      return json({ errors: "Not Found" }, 404);
    }
    const token = request.headers.get("x-shopify-access-token");
    if (!token || !tokenAccepted(domain, token)) {
      record({ ...bare, status: 401, outcome: "unauthorized" });
      return json(INVALID_TOKEN_BODY, 401);
    }

    const body = await readBody(request);
    const fault = faults.draw(domain);
    if (fault && fault.kind !== "throttled") {
      const entry = {
        operationName: body.ok ? body.operationName : undefined,
        rootFields: [],
        variables: body.ok ? body.variables : undefined,
        cost: null,
      };
      return infrastructureFault(fault, request, (status, outcome) => record({ ...entry, status, outcome }));
    }
    if (!body.ok) {
      record({ ...bare, status: 400, outcome: "bad-request" });
      return json({ errors: body.error }, 400);
    }

    const preparation = prepare(body.query, body.operationName, body.variables);
    if (!preparation.ok) {
      const outcome = preparation.kind === "max-cost" ? "max-cost" : "invalid";
      record({
        operationName: preparation.operationName,
        rootFields: preparation.rootFields,
        variables: body.variables,
        cost: null,
        status: 200,
        outcome,
      });
      return json({ errors: preparation.errors }, 200);
    }
    const { prepared } = preparation;
    const requested = prepared.requestedCost;
    const callBase = {
      operationName: prepared.operationName,
      rootFields: prepared.rootFields,
      variables: body.variables,
    };

    if (fault?.kind === "throttled" || !rateLimits.take(domain, requested)) {
      record({ ...callBase, cost: { requested, actual: null }, status: 200, outcome: "throttled" });
      return json(throttled(requested, rateLimits.status(domain)), 200);
    }

    const ctx: AdminContext = {
      store,
      shop,
      now: store.clock.now(),
      options,
      extras: shopExtras(shop),
      grantedScopes: options.enforceScopes === false ? null : grants.effective(domain),
      searchWarnings: [],
      timing,
      afterResponse: [],
    };
    // Jobs Shopify would have run by now (on the sandbox clock) are done before anything reads.
    settleBulkCreations(ctx);
    const { result, actualCost } = await run(prepared, ctx);
    // Shopify's side happened: its webhooks go out even when the response is then lost.
    for (const effect of ctx.afterResponse) await effect();
    rateLimits.refund(domain, requested - actualCost);

    const lostNames =
      prepared.operation.operation === "mutation"
        ? [prepared.operationName, ...prepared.rootFields]
        : [prepared.operationName];
    if (faults.takeLostResponse(lostNames)) {
      record({ ...callBase, cost: { requested, actual: actualCost }, status: 0, outcome: "response-lost" });
      return HttpResponse.error();
    }

    const extensions: Record<string, unknown> = {
      cost: { requestedQueryCost: requested, actualQueryCost: actualCost, throttleStatus: rateLimits.status(domain) },
    };
    if (ctx.searchWarnings.length) extensions.search = ctx.searchWarnings;
    const errors = result.errors?.map((e) => e.toJSON() as ShopifyError);
    record({
      ...callBase,
      cost: { requested, actual: actualCost },
      status: 200,
      outcome: errors?.length ? "errors" : "ok",
    });
    return json({ ...(errors?.length ? { errors } : {}), data: result.data ?? null, extensions }, 200);
  };

  const handlers = [http.post(ENDPOINT, ({ request }) => handle(request))];

  return {
    handlers,
    rateLimits,
    faults,
    grants,
    calls,
    handle,
    timing,
    reset() {
      Object.assign(timing, DEFAULT_ASYNC_TIMING, options.timing);
      calls.length = 0;
      faults.reset();
      rateLimits.reset();
      grants.reset();
    },
  };
}

type Body =
  | { ok: true; query: string; operationName: string | undefined; variables: Record<string, unknown> | undefined }
  | { ok: false; error: unknown };

/** JSON `{query, variables, operationName}`, or a bare document with Content-Type application/graphql (both accepted by Shopify). */
async function readBody(request: Request): Promise<Body> {
  const text = await request.text();
  if ((request.headers.get("content-type") ?? "").includes("application/graphql")) {
    return text.trim()
      ? { ok: true, query: text, operationName: undefined, variables: undefined }
      : { ok: false, error: { query: "Required parameter missing or invalid" } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: "Invalid JSON in request body." };
  }
  const body = (typeof parsed === "object" && parsed !== null ? parsed : {}) as {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
  };
  if (typeof body.query !== "string" || !body.query.trim())
    return { ok: false, error: { query: "Required parameter missing or invalid" } };
  const variables =
    typeof body.variables === "object" && body.variables !== null
      ? (body.variables as Record<string, unknown>)
      : undefined;
  const operationName = typeof body.operationName === "string" && body.operationName ? body.operationName : undefined;
  return { ok: true, query: body.query, operationName, variables };
}

function throttled(requested: number, status: ThrottleStatus) {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLED_DOCS } }],
    extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status } },
  };
}

async function infrastructureFault(
  fault: Fault,
  request: Request,
  record: (status: number, outcome: CallOutcome) => void,
): Promise<Response> {
  switch (fault.kind) {
    case "bad-gateway":
      record(502, "server-error");
      return new HttpResponse(BAD_GATEWAY_HTML, {
        status: 502,
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    case "service-unavailable":
      record(503, "server-error");
      return json({ errors: "Service Unavailable" }, 503);
    case "network-error":
      record(0, "network-error");
      return HttpResponse.error();
    case "timeout":
      record(504, "timeout");
      await waitOrAbort(fault.timeoutMs, request.signal);
      return new HttpResponse(GATEWAY_TIMEOUT_HTML, {
        status: 504,
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    case "throttled":
      throw new Error("throttled faults are answered after costing");
  }
}

/** Hang like a slow upstream, but stop as soon as the client gives up, so no timer outlives the test. */
function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

function json(body: unknown, status: number): Response {
  return HttpResponse.json(body as Record<string, unknown>, {
    status,
    headers: { "x-shopify-api-version": ADMIN_API_VERSION, "x-request-id": randomUUID() },
  });
}
