/**
 * Shopify's app proxy, as the storefront forwards a request to the app: the storefront path under
 * the proxy's prefix and subpath (/apps/amends/...) goes to the app's proxy URL with the rest of the
 * path, the customer's query kept, and shop, logged_in_customer_id, path_prefix and timestamp added;
 * `signature` is the HMAC-SHA256 (hex, with the app secret) of every parameter but itself, sorted by
 * name, each as `name=value` (several values joined by commas), concatenated with no separator.
 */
import { createHmac } from "node:crypto";

export interface ProxiedRequest {
  shop: string;
  /** The storefront URL path and query the customer opened, e.g. "/apps/amends/rate/abc?score=4". */
  storefrontPath: string;
  /** The app's proxy URL ([app_proxy] url), e.g. "https://amends.test/proxy". */
  proxyUrl: string;
  secret: string;
  /** The proxy's prefix and subpath as configured. */
  pathPrefix?: string;
  method?: "GET" | "POST";
  /** A form body (POST), passed through as the customer's browser sent it. */
  form?: Record<string, string>;
  loggedInCustomerId?: string;
  /** Seconds since the epoch; Shopify uses the time of the request. */
  timestamp?: number;
  /** Replace the signature (a forged or tampered request). */
  signature?: string;
}

export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** The request Shopify sends the app for a storefront request under the app proxy. */
export function proxiedRequest(input: ProxiedRequest): Request {
  const prefix = input.pathPrefix ?? "/apps/amends";
  const storefront = new URL(input.storefrontPath, `https://${input.shop}`);
  if (!storefront.pathname.startsWith(prefix)) throw new Error(`${storefront.pathname} is not under ${prefix}`);
  const target = new URL(input.proxyUrl + storefront.pathname.slice(prefix.length));
  const params = new URLSearchParams(storefront.search);
  params.set("shop", input.shop);
  params.set("logged_in_customer_id", input.loggedInCustomerId ?? "");
  params.set("path_prefix", prefix);
  params.set("timestamp", String(input.timestamp ?? Math.floor(Date.now() / 1000)));
  params.set("signature", input.signature ?? appProxySignature(params, input.secret));
  target.search = params.toString();
  return input.method === "POST"
    ? new Request(target, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(input.form ?? {}).toString(),
      })
    : new Request(target);
}
