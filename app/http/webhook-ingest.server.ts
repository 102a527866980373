/**
 * POST /webhooks, served in front of Remix (decision 0023). Every webhook subscription in
 * shopify.app.toml points here. The handler is an adapter: the body has already been read in full
 * within the cap by readRequestBodies (413 above it); the shop header is checked, the HMAC and the
 * required headers are verified by the Shopify library's own validation over the raw body (bad or
 * missing signature: 401, nothing stored), the delivery is stored once with its job (group commit,
 * app/models/delivery-batcher.server.ts) and the answer is sent only after that commit: 200 when it
 * committed (a duplicate too), 503 when it failed, so Shopify retries and nothing is lost.
 *
 * Load shedding (decision 0031): when the inbox is over its limits (WEBHOOK_INGEST_MAX_QUEUE
 * deliveries waiting, or the oldest waiting WEBHOOK_INGEST_MAX_WAIT_MS), a delivery is answered 503
 * with Retry-After before anything of it is stored: first before the signature is checked (no CPU
 * spent on a delivery that will be refused), then again as it is queued. The batcher counts and
 * logs refusals, at most one line a second; nothing is logged per refused delivery.
 *
 * The Remix route app/routes/webhooks.tsx answers through the same `receiveWebhook`, so both paths
 * share one code path. The body is never parsed here: a signed body that is not JSON is stored and
 * processing marks it FAILED with the reason.
 */
import type { IncomingMessage } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import { logger } from "../logger.server";
import { IngestOverloadedError, overloadRefusal } from "../models/webhook-delivery.server";
import { ingestDelivery } from "../services/webhook-inbox.server";
import { isShopDomain } from "../shopify/shop-domain";
import { checkWebhook, type HeaderReader } from "../shopify/webhook-hmac.server";
import { bufferedBody } from "./request-bodies.server";

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 405 | 503;
  headers?: Record<string, string>;
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Over the inbox's limits: 503, and Shopify delivers it again later (counted and logged by the batcher). */
function overloaded(error: IngestOverloadedError): WebhookAnswer {
  return { status: 503, headers: { "Retry-After": String(error.retryAfterSeconds) } };
}

/** Verify, store once with its job, and say what to answer. Never throws. */
export async function receiveWebhook(method: string, headers: HeaderReader, rawBody: string): Promise<WebhookAnswer> {
  if (method !== "POST") return { status: 405, headers: { Allow: "POST" } };
  const refused = overloadRefusal();
  if (refused) return overloaded(refused);
  // Before the library, which fails with an error of its own on some values that are not shop domains.
  const shopHeader = headers.get("x-shopify-shop-domain");
  if (shopHeader !== null && !isShopDomain(shopHeader)) {
    logger.warn({ shopHeaderLength: shopHeader.length }, "webhook with a shop header that is not a shop domain");
    return { status: 400 };
  }
  let check;
  try {
    check = await checkWebhook(headers, rawBody);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, "webhook validation failed");
    return { status: 400 };
  }
  if (!check.valid) {
    logger.debug({ reason: check.reason }, "webhook refused");
    return { status: check.status };
  }
  // The library has checked these are present; a missing one would be a bad request all the same.
  const shop = headers.get("x-shopify-shop-domain");
  const webhookId = headers.get("x-shopify-webhook-id");
  const topic = headers.get("x-shopify-topic");
  if (!shop || !webhookId || !topic) return { status: 400 };
  try {
    const result = await ingestDelivery(
      {
        shop,
        webhookId,
        topic,
        eventId: headers.get("x-shopify-event-id"),
        apiVersion: headers.get("x-shopify-api-version"),
        triggeredAt: parseDate(headers.get("x-shopify-triggered-at")),
        rawBody,
        source: "http",
      },
      { shed: true },
    );
    logger.debug({ shop, webhookId, topic, duplicate: !result.stored }, "webhook received");
    return { status: 200 };
  } catch (error) {
    if (error instanceof IngestOverloadedError) return overloaded(error);
    // Not committed: no 200, so Shopify delivers it again (and the retry is de-duplicated if it was stored after all).
    logger.error({ shop, topic, err: error instanceof Error ? error.message : String(error) }, "webhook not stored");
    return { status: 503, headers: { "Retry-After": "1" } };
  }
}

/**
 * Node's parsed headers read like a web `Headers`: names are lower case already, and repeated
 * headers are joined with ", " by node as `Headers.get` joins them (set-cookie aside, which no
 * webhook sends). Saves building a `Headers` per delivery.
 */
function nodeHeaders(req: IncomingMessage): HeaderReader {
  return {
    get(name) {
      const value = req.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/** The express handler for /webhooks; mount it after readRequestBodies and before the Remix handler. */
export function webhookIngestHandler(): RequestHandler {
  return (req: Request, res: Response) => {
    const body = bufferedBody(req);
    void receiveWebhook(req.method, nodeHeaders(req), body ? body.toString("utf8") : "").then((answer) => {
      res.writeHead(answer.status, { "content-length": "0", ...answer.headers });
      res.end();
    });
  };
}
