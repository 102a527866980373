/** Shopify's webhook signature: base64 of HMAC-SHA256 over the raw body bytes, keyed with the app's secret. */
import { createHmac } from "node:crypto";

export function sign(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}
