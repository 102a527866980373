/**
 * Every webhook subscription in shopify.app.toml points here. The route is an
 * adapter: verify the HMAC (the library's authenticate.webhook, on a session-less
 * instance: bad or missing -> 401, nothing stored), store the delivery once with
 * its job, answer 200. Nothing slow happens
 * before the answer; processing is the process-webhook job's.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { logger } from "../logger.server";
import { ingestDelivery } from "../services/webhook-inbox.server";
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
  const rawBody = request.clone().text();
  let shop: string;
  let webhookId: string;
  try {
    ({ shop, webhookId } = await authenticateWebhookDelivery(request));
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
    rawBody: await rawBody,
    source: "http",
  });
  logger.debug({ shop, webhookId, topic, duplicate: !result.stored }, "webhook received");
  return new Response(null, { status: 200 });
}
