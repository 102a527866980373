/**
 * Webhook verification as the Shopify library does it, without the rest of authenticate.webhook
 * (no session lookup, no JSON parse, no Remix request): for the lean /webhooks handler
 * (app/http/webhook-ingest.server.ts, decision 0023).
 *
 * The HMAC is the library's own: `createSHA256HMAC` (@shopify/shopify-api/runtime) over the raw
 * body with the app's secret, compared with the library's `auth.safeCompare`, which is exactly what
 * its `webhooks.validate` runs (validateHmacString). The header names and the order of the checks
 * (body, signature, then the required headers) are the library's too. Not `webhooks.validate`
 * itself: around that same HMAC it converts the request twice and canonicalises every header name
 * with a regular expression for each header it looks up, about 0.35 ms of CPU per delivery more
 * (measured with tests/bench/profile-summary.ts; decision 0023).
 */
import { shopifyApi, ApiVersion, LogSeverity, WEBHOOK_HEADER_NAMES, WebhookType } from "@shopify/shopify-api";
import { createSHA256HMAC, HashFormat } from "@shopify/shopify-api/runtime";
import { env } from "../env.server";

/** What the check reads of a request: a case-insensitive header lookup (a web `Headers` or the node adapter's). */
export interface HeaderReader {
  get(name: string): string | null;
}

export type WebhookCheck =
  | { valid: true }
  /** 401: the signature is missing or does not match the body. */
  | { valid: false; status: 401; reason: "missing_hmac" | "invalid_hmac" }
  /** 400: not a webhook (no body, or a required header missing). */
  | { valid: false; status: 400; reason: "missing_body" | "missing_headers" };

const NAMES = WEBHOOK_HEADER_NAMES[WebhookType.Webhooks];
/** The headers the library requires of a webhook delivery besides the signature. */
const REQUIRED = [NAMES.topic, NAMES.domain, NAMES.apiVersion, NAMES.webhookId];

let library: { secret: string; safeCompare: (a: string, b: string) => boolean } | undefined;

function configured() {
  if (library) return library;
  const config = env();
  const appUrl = new URL(config.SHOPIFY_APP_URL);
  const api = shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    // The app's version (app/shopify.server.ts); webhook verification reads none.
    apiVersion: ApiVersion.October26,
    scopes: config.SCOPES.split(",").map((s) => s.trim()),
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === "http:" ? "http" : "https",
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Warning },
  });
  library = { secret: api.config.apiSecretKey, safeCompare: api.auth.safeCompare };
  return library;
}

/** Check a delivery as Shopify signs it: `rawBody` is the body exactly as received (decoded as UTF-8). */
export async function checkWebhook(headers: HeaderReader, rawBody: string): Promise<WebhookCheck> {
  const { secret, safeCompare } = configured();
  if (rawBody.length === 0) return { valid: false, status: 400, reason: "missing_body" };
  const hmac = headers.get(NAMES.hmac);
  if (!hmac) return { valid: false, status: 401, reason: "missing_hmac" };
  if (!safeCompare(hmac, await createSHA256HMAC(secret, rawBody, HashFormat.Base64)))
    return { valid: false, status: 401, reason: "invalid_hmac" };
  if (REQUIRED.some((name) => !headers.get(name))) return { valid: false, status: 400, reason: "missing_headers" };
  return { valid: true };
}
