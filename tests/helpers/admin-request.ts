/**
 * Requests to the app's pages as the Shopify admin makes them: a session token (HS256 with the
 * app secret) for a staff member of a shop, through the real authenticate.admin. For loader and
 * action tests; the sandbox (sandboxForTests) answers the token exchange.
 */
import { sessionToken } from "./session-token";
import { TEST_SHOP } from "./webhooks";

export interface AdminRequestOptions {
  shop?: string;
  /** The staff member's Shopify user id (the sandbox's default staff: 1001 owner, 1002 support). */
  userId?: string;
  method?: "GET" | "POST";
  /** Form fields for an action (FormData); objects are sent as JSON in the `payload` field. */
  form?: Record<string, string | string[]> | FormData;
  /** A forged token (another app's secret). */
  secret?: string;
}

export function adminRequest(path: string, options: AdminRequestOptions = {}): Request {
  const shop = options.shop ?? TEST_SHOP;
  const token = sessionToken({
    shop,
    userId: options.userId ?? "1002",
    ...(options.secret ? { secret: options.secret } : {}),
  });
  const url = new URL(path, "https://amends.test");
  const headers = new Headers({
    authorization: `Bearer ${token}`,
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36",
  });
  if (!options.form) return new Request(url, { method: options.method ?? "GET", headers });
  const body = options.form instanceof FormData ? options.form : new FormData();
  if (!(options.form instanceof FormData)) {
    for (const [key, value] of Object.entries(options.form))
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return new Request(url, { method: options.method ?? "POST", headers, body });
}

/** A page request without any session: what a visitor who is not signed in sends. */
export function anonymousRequest(path: string): Request {
  return new Request(new URL(path, "https://amends.test"), {
    headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36" },
  });
}

/** Run a loader or action; a thrown Response (redirect, 401, 404) comes back as the response. */
export async function call<T>(run: () => Promise<T> | T): Promise<T | Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export interface ActionAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** An action's answer as status and body: a Response (thrown or returned), or Remix's data() with its init. */
export function actionAnswer(result: unknown): ActionAnswer {
  if (result instanceof Response) return { status: result.status, body: {} };
  // data() gives { type: "DataWithResponseInit", data, init }.
  const wrapped = result as { data: Record<string, unknown>; init: { status?: number } | null };
  return { status: wrapped.init?.status ?? 200, body: wrapped.data };
}
