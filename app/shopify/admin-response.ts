/**
 * What an Admin GraphQL attempt came back with, sorted into kinds of failure
 * that AdminClient's retry policy (admin-client.server.ts) decides on.
 *
 * The library's admin context throws on anything but a clean 200:
 * GraphqlQueryError for `errors` in a 200 (THROTTLED too, with the body's
 * extensions), HttpResponseError subclasses for HTTP statuses
 * (`response.code`), HttpRequestError when there was no response;
 * authenticate.admin turns HTTP errors into a thrown Response. All of these,
 * and a transport that simply returns a non-2xx Response, are classified here.
 */
import { HttpRequestError, ShopifyError } from "@shopify/shopify-api";
import { readCost, type CostExtension } from "./admin-cost";
import type { AdminApiErrorCode, GraphqlErrorDetail, ShopifyUserError } from "./admin-errors";

export type FailureKind = "throttled" | "server" | "timeout" | "network" | "graphql" | "http" | "shape";

export interface Failure {
  kind: FailureKind;
  message: string;
  status?: number;
  /** The request may have been executed by Shopify (matters for mutations). */
  mayHaveReached: boolean;
  /** HTTP 429's Retry-After. */
  retryAfterMs?: number;
  cost?: CostExtension;
  graphqlErrors?: GraphqlErrorDetail[];
  /** GraphQL errors came with data: for a mutation, its effect may have happened. */
  partialData?: boolean;
  /** The `data` that came with GraphQL errors (a field refused for protected customer data is null in it). */
  data?: unknown;
  cause?: unknown;
}

/** One entry of `extensions.search`: a term of a connection's `query` that Shopify ignored or could not read. */
export interface SearchWarning {
  path: Array<string | number>;
  field: string;
  message: string;
}

export type AttemptResult =
  | { ok: true; data: unknown; cost: CostExtension | undefined; searchWarnings: SearchWarning[] }
  | { ok: false; failure: Failure };

export const FAILURE_CODES: Record<FailureKind, AdminApiErrorCode> = {
  throttled: "THROTTLED",
  server: "SERVER_ERROR",
  timeout: "TIMEOUT",
  network: "NETWORK",
  graphql: "GRAPHQL_ERRORS",
  http: "HTTP",
  shape: "UNEXPECTED_SHAPE",
};

export const TRANSIENT: ReadonlySet<FailureKind> = new Set(["server", "timeout", "network"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function timeoutFailure(timeoutMs: number, cause: unknown): Failure {
  return { kind: "timeout", message: `no answer within ${timeoutMs} ms`, mayHaveReached: true, cause };
}

export function networkFailure(cause: unknown): Failure {
  return { kind: "network", message: `network error: ${messageOf(cause)}`, mayHaveReached: true, cause };
}

/** 429 and 503 are refusals before anything ran; other 5xx may come after the request was executed. */
function statusFailure(status: number, retryAfterMs: number | undefined, cause?: unknown): Failure {
  if (status === 429)
    return {
      kind: "throttled",
      status,
      message: "HTTP 429 Too Many Requests",
      mayHaveReached: false,
      retryAfterMs,
      cause,
    };
  if (status >= 500)
    return {
      kind: "server",
      status,
      message: `HTTP ${status}`,
      mayHaveReached: status !== 503,
      retryAfterMs: status === 503 ? retryAfterMs : undefined,
      cause,
    };
  return { kind: "http", status, message: `HTTP ${status}`, mayHaveReached: false, cause };
}

function graphqlFailure(errors: unknown[], extensions: unknown, data: unknown, cause?: unknown): Failure {
  const details: GraphqlErrorDetail[] = errors.map((e) => {
    const record = isRecord(e) ? e : {};
    const code =
      isRecord(record.extensions) && typeof record.extensions.code === "string" ? record.extensions.code : undefined;
    const path = Array.isArray(record.path) ? (record.path as Array<string | number>) : undefined;
    return {
      message: typeof record.message === "string" ? record.message : "GraphQL error",
      ...(code ? { code } : {}),
      ...(path ? { path } : {}),
    };
  });
  const cost = readCost(extensions);
  const message = details.map((d) => (d.code ? `${d.code}: ${d.message}` : d.message)).join("; ");
  if (details.some((d) => d.code === "THROTTLED"))
    return {
      kind: "throttled",
      status: 200,
      message: "THROTTLED",
      mayHaveReached: false,
      cost,
      graphqlErrors: details,
      cause,
    };
  if (details.some((d) => d.code === "INTERNAL_SERVER_ERROR"))
    return { kind: "server", status: 200, message, mayHaveReached: true, cost, graphqlErrors: details, cause };
  const partialData = isRecord(data) && Object.values(data).some((v) => v !== null && v !== undefined);
  return {
    kind: "graphql",
    status: 200,
    message,
    mayHaveReached: false,
    cost,
    graphqlErrors: details,
    partialData,
    data,
    cause,
  };
}

/**
 * Shopify's answer to a protected customer field (or object) the app is not approved for: the
 * field is null and an error names its path ("This app is not approved to access the Customer
 * object", "...not approved to use the email field"), with ACCESS_DENIED as its code where one is given.
 */
export function isProtectedDataDenial(error: GraphqlErrorDetail): boolean {
  return /not approved to (access|use)/i.test(error.message);
}

function retryAfter(value: unknown): number | undefined {
  const seconds = typeof value === "number" ? value : typeof value === "string" ? Number.parseFloat(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

/** What the library (or another transport) threw instead of answering. */
export function classifyThrown(error: unknown): Failure {
  if (error instanceof Response)
    return statusFailure(error.status, retryAfter(error.headers.get("retry-after")), error);
  if (isRecord(error)) {
    // GraphqlQueryError: `errors` in a 200; the body keeps data and extensions (cost).
    const body = error.body;
    if (isRecord(body) && isRecord(body.errors) && Array.isArray(body.errors.graphQLErrors)) {
      return graphqlFailure(body.errors.graphQLErrors, body.extensions, body.data, error);
    }
    // HttpResponseError and subclasses: { response: { code, retryAfter? } }.
    const response = error.response;
    if (isRecord(response) && typeof response.code === "number")
      return statusFailure(response.code, retryAfter(response.retryAfter), error);
  }
  // No response at all: a connection failure, or the response was lost.
  if (error instanceof HttpRequestError || !(error instanceof ShopifyError)) return networkFailure(error);
  // The library refused before sending (e.g. a session without an access token): repeating cannot help.
  return { kind: "http", message: messageOf(error), mayHaveReached: false, cause: error };
}

/** A Response the transport returned: the library's own (always 200, {data, extensions}) or a plain fetch's. */
export async function readResponse(response: Response): Promise<AttemptResult> {
  if (!response.ok)
    return { ok: false, failure: statusFailure(response.status, retryAfter(response.headers.get("retry-after"))) };
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    return {
      ok: false,
      failure: {
        kind: "shape",
        status: response.status,
        message: `response is not JSON: ${messageOf(error)}`,
        mayHaveReached: true,
        cause: error,
      },
    };
  }
  if (!isRecord(body))
    return {
      ok: false,
      failure: {
        kind: "shape",
        status: response.status,
        message: "response is not a JSON object",
        mayHaveReached: true,
      },
    };
  if (Array.isArray(body.errors) && body.errors.length > 0)
    return { ok: false, failure: graphqlFailure(body.errors, body.extensions, body.data) };
  if (!isRecord(body.data))
    return {
      ok: false,
      failure: { kind: "shape", status: response.status, message: "response has no data", mayHaveReached: true },
    };
  return {
    ok: true,
    data: body.data,
    cost: readCost(body.extensions),
    searchWarnings: readSearchWarnings(body.extensions),
  };
}

/** `extensions.search`: [{ path, query, warnings: [{ field, message }] }], flattened. */
export function readSearchWarnings(extensions: unknown): SearchWarning[] {
  if (!isRecord(extensions) || !Array.isArray(extensions.search)) return [];
  return extensions.search.flatMap((entry: unknown) => {
    const e = isRecord(entry) ? entry : {};
    const path = Array.isArray(e.path) ? (e.path as Array<string | number>) : [];
    const warnings = Array.isArray(e.warnings) ? e.warnings : [];
    return warnings.map((w: unknown) => {
      const warning = isRecord(w) ? w : {};
      return {
        path,
        field: typeof warning.field === "string" ? warning.field : "",
        message: typeof warning.message === "string" ? warning.message : "search term ignored",
      };
    });
  });
}

export function readUserErrors(data: unknown, path: readonly string[]): ShopifyUserError[] {
  let node: unknown = data;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  if (!Array.isArray(node)) return [];
  return node.map((entry) => {
    const e = isRecord(entry) ? entry : {};
    return {
      field: Array.isArray(e.field) ? e.field.map(String) : null,
      code: typeof e.code === "string" ? e.code : null,
      message: typeof e.message === "string" ? e.message : "",
    };
  });
}
