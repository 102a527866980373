/**
 * The Shopify library's own webhook validation (shopify-api's `webhooks.validate`: the HMAC over
 * the raw body with the app's secret, compared in constant time, then the required X-Shopify-*
 * headers), without the rest of authenticate.webhook: no session lookup, no JSON parse, no Remix
 * request. For the lean /webhooks handler (app/http/webhook-ingest.server.ts, decision 0023).
 *
 * A shopify-api instance of its own, configured from the same variables as app/shopify.server.ts
 * (which this module does not import: that one opens the session storage as it loads).
 */
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { env } from "../env.server";

export type WebhookCheck =
  | { valid: true }
  /** 401: the signature is missing or does not match the body. */
  | { valid: false; status: 401; reason: string }
  /** 400: signed, but not a webhook (no body, or a required header missing). */
  | { valid: false; status: 400; reason: string };

let api: ReturnType<typeof shopifyApi> | undefined;

function library(): ReturnType<typeof shopifyApi> {
  if (api) return api;
  const config = env();
  const appUrl = new URL(config.SHOPIFY_APP_URL);
  api = shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    // Webhook validation reads no API version; the library requires one (the app's, app/shopify.server.ts).
    apiVersion: ApiVersion.October26,
    scopes: config.SCOPES.split(",").map((s) => s.trim()),
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === "http:" ? "http" : "https",
    isEmbeddedApp: true,
    logger: { level: config.NODE_ENV === "development" ? LogSeverity.Info : LogSeverity.Warning },
    ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
  });
  return api;
}

/** Only the URL's presence matters to the library's request conversion; webhooks are signed over the body. */
const WEBHOOK_URL = "http://localhost/webhooks";

/** Check a delivery as Shopify signs it: `rawBody` is the body exactly as received (decoded as UTF-8). */
export async function checkWebhook(method: string, headers: Headers, rawBody: string): Promise<WebhookCheck> {
  const check = await library().webhooks.validate({ rawBody, rawRequest: { method, url: WEBHOOK_URL, headers } });
  if (check.valid) return { valid: true };
  if (
    check.reason === WebhookValidationErrorReason.InvalidHmac ||
    check.reason === WebhookValidationErrorReason.MissingHmac
  )
    return { valid: false, status: 401, reason: check.reason };
  return { valid: false, status: 400, reason: check.reason };
}
