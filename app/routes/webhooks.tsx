/**
 * Every webhook subscription in shopify.app.toml points here. The route is an
 * adapter: read the body once, verify the HMAC over it (the library's
 * authenticate.webhook, on a session-less instance: bad or missing -> 401,
 * nothing stored; a shop header that is not a shop's domain is a 400 before
 * that), store the delivery once with its job, answer 200. Nothing slow happens before
 * the answer; processing is the process-webhook job's.
 *
 * The body is read first and awaited at once: a read still pending when
 * authentication throws would reject with nobody listening, and a client that
 * hangs up mid-body (an aborted request) must cost a 400, not the process.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { logger } from "../logger.server";
import { ingestDelivery } from "../services/webhook-inbox.server";
import { isShopDomain } from "../shopify/shop-domain";
import { authenticateWebhookDelivery } from "../shopify.server";

function header(request: Request, name: string): string | null {
  return request.headers.get(name);
}

/** Headers the library has already checked for; a missing one is a bad request all the same. */
function requiredHeader(request: Request, name: string): string {
  const value = request.headers.get(name);
  if (!value) throw new Response(null, { status: 400 });
  return value;
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "POST" } });
  let rawBody: string;
  try {
    rawBody = await request.text();
  } catch {
    return new Response(null, { status: 400 });
  }
  // Before the library, which throws an error of its own (a 500) on some values that are not shop domains.
  const shopHeader = request.headers.get("x-shopify-shop-domain");
  if (shopHeader !== null && !isShopDomain(shopHeader)) {
    logger.warn({ shopHeaderLength: shopHeader.length }, "webhook with a shop header that is not a shop domain");
    return new Response(null, { status: 400 });
  }
  // The library reads the body it verifies; give it this one rather than reading the request twice.
  const verifiable = new Request(request.url, { method: "POST", headers: request.headers, body: rawBody });
  let shop: string;
  let webhookId: string;
  try {
    ({ shop, webhookId } = await authenticateWebhookDelivery(verifiable));
  } catch (error) {
    if (error instanceof Response) throw error;
    // The HMAC and headers were valid (the library checks them before parsing), but the body is not JSON.
    // Keep it: it is stored and processing marks it FAILED with the reason, visible and not retried forever.
    if (!(error instanceof SyntaxError)) throw error;
    shop = requiredHeader(request, "x-shopify-shop-domain");
    webhookId = requiredHeader(request, "x-shopify-webhook-id");
  }
  const topic = requiredHeader(request, "x-shopify-topic");
  const result = await ingestDelivery({
    shop,
    webhookId,
    topic,
    eventId: header(request, "x-shopify-event-id"),
    apiVersion: header(request, "x-shopify-api-version"),
    triggeredAt: parseDate(header(request, "x-shopify-triggered-at")),
    rawBody,
    source: "http",
  });
  logger.debug({ shop, webhookId, topic, duplicate: !result.stored }, "webhook received");
  return new Response(null, { status: 200 });
}
