/**
 * Shopify's high-volume webhook deliveries, as the cloud hands them over, turned into the inbox's
 * IncomingDelivery (docs/decisions/0026-webhook-sources.md).
 *
 * - Google Cloud Pub/Sub (subscription uri `pubsub://<project>:<topic>`): one message per delivery;
 *   `attributes` carry the X-Shopify-* headers, `data` is the JSON payload, base64-encoded (the REST
 *   v1 `PubsubMessage` form; the Node client's `Buffer` data is passed as base64 of the same bytes).
 * - Amazon EventBridge (uri `arn:aws:events:<region>::event-source/aws.partner/shopify.com/...`):
 *   one event per delivery, `detail-type` "shopifyWebhook", `detail.metadata` with the headers and
 *   `detail.payload` with the payload as a JSON object (read here from the SQS queue a rule targets,
 *   whose message body is the event's JSON).
 *
 * Neither path carries a usable HMAC: EventBridge's payload is re-serialised JSON, Pub/Sub has none.
 * Trust comes from the cloud subscription (only Shopify's service account may publish to the topic;
 * only Shopify's partner event source feeds the bus), so the consumer must never be fed from
 * anywhere else. Header names are matched without regard to case, as HTTP's are.
 */
import { isShopDomain } from "../../shopify/shop-domain";
import type { IncomingDelivery } from "../../models/webhook-delivery.server";

export type WebhookSourceName = "pubsub" | "eventbridge";

/**
 * What a message turned out to be:
 * - DELIVERY: store it like an HTTP delivery.
 * - UNUSABLE: it names its shop, webhook id and topic, but its payload cannot be used; stored as a
 *   FAILED delivery with the reason (visible on the dashboard, its body kept for diagnosis).
 * - UNIDENTIFIABLE: not even that; it cannot be stored in the inbox and goes to the dead letters.
 */
export type ParsedMessage =
  | { kind: "DELIVERY"; delivery: IncomingDelivery }
  | { kind: "UNUSABLE"; delivery: IncomingDelivery; reason: string }
  | { kind: "UNIDENTIFIABLE"; reason: string };

const HEADER = {
  topic: "x-shopify-topic",
  shop: "x-shopify-shop-domain",
  webhookId: "x-shopify-webhook-id",
  eventId: "x-shopify-event-id",
  apiVersion: "x-shopify-api-version",
  triggeredAt: "x-shopify-triggered-at",
} as const;

/** Longest header value kept (Shopify's are ids, a domain, a topic and a timestamp). */
const MAX_HEADER_LENGTH = 255;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** String-valued entries, names lower-cased (a non-string value is as good as absent). */
function lowerCaseHeaders(value: unknown): Map<string, string> {
  const headers = new Map<string, string>();
  if (!isRecord(value)) return headers;
  for (const [name, v] of Object.entries(value)) if (typeof v === "string") headers.set(name.toLowerCase(), v);
  return headers;
}

function parseDate(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The delivery the headers describe, or why they describe none. */
function fromHeaders(
  headers: Map<string, string>,
  rawBody: string,
  source: WebhookSourceName,
): { delivery: IncomingDelivery } | { reason: string } {
  const missing = (["topic", "shop", "webhookId"] as const).filter((k) => !headers.get(HEADER[k]));
  if (missing.length > 0) return { reason: `missing ${missing.map((k) => HEADER[k]).join(", ")}` };
  const long = Object.values(HEADER).filter((h) => (headers.get(h)?.length ?? 0) > MAX_HEADER_LENGTH);
  if (long.length > 0) return { reason: `${long.join(", ")} longer than ${MAX_HEADER_LENGTH} characters` };
  const shop = headers.get(HEADER.shop) ?? "";
  if (!isShopDomain(shop)) return { reason: `${HEADER.shop} is not a shop's myshopify.com domain` };
  return {
    delivery: {
      shop,
      webhookId: headers.get(HEADER.webhookId) ?? "",
      topic: headers.get(HEADER.topic) ?? "",
      eventId: headers.get(HEADER.eventId) ?? null,
      apiVersion: headers.get(HEADER.apiVersion) ?? null,
      triggeredAt: parseDate(headers.get(HEADER.triggeredAt)),
      rawBody,
      source,
    },
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Pub/Sub message (`{ data, attributes, messageId, publishTime }`): the attributes name the
 * delivery, `data` is the payload's bytes in base64.
 */
export function parsePubSubMessage(message: unknown): ParsedMessage {
  if (!isRecord(message)) return { kind: "UNIDENTIFIABLE", reason: "not a Pub/Sub message (not an object)" };
  const data = typeof message.data === "string" ? message.data : "";
  let rawBody = "";
  let bodyProblem: string | null = null;
  if (data === "") bodyProblem = "the message has no data";
  else if (data.length % 4 !== 0 || !BASE64.test(data)) bodyProblem = "the data is not base64";
  else {
    rawBody = Buffer.from(data, "base64").toString("utf8");
    if (!isJson(rawBody)) bodyProblem = "the data is not JSON";
  }
  const identified = fromHeaders(
    lowerCaseHeaders(message.attributes),
    bodyProblem ? rawBody || data : rawBody,
    "pubsub",
  );
  if ("reason" in identified) return { kind: "UNIDENTIFIABLE", reason: `Pub/Sub message: ${identified.reason}` };
  return bodyProblem
    ? { kind: "UNUSABLE", delivery: identified.delivery, reason: `Pub/Sub message: ${bodyProblem}` }
    : { kind: "DELIVERY", delivery: identified.delivery };
}

/**
 * An EventBridge event, as an object or as the JSON text an SQS message body holds:
 * `detail.metadata` names the delivery, `detail.payload` is the payload (a JSON object).
 */
export function parseEventBridgeEvent(event: unknown): ParsedMessage {
  let parsed = event;
  if (typeof event === "string") {
    try {
      parsed = JSON.parse(event);
    } catch {
      return { kind: "UNIDENTIFIABLE", reason: "EventBridge event: the message is not JSON" };
    }
  }
  if (!isRecord(parsed) || !isRecord(parsed.detail))
    return { kind: "UNIDENTIFIABLE", reason: "EventBridge event: no detail object" };
  if (parsed["detail-type"] !== "shopifyWebhook")
    return { kind: "UNIDENTIFIABLE", reason: 'EventBridge event: detail-type is not "shopifyWebhook"' };
  const { metadata, payload } = parsed.detail;
  const bodyProblem =
    payload === undefined ? "detail.payload is missing" : !isRecord(payload) ? "detail.payload is not an object" : null;
  const rawBody = payload === undefined ? "" : JSON.stringify(payload);
  const identified = fromHeaders(lowerCaseHeaders(metadata), rawBody, "eventbridge");
  if ("reason" in identified) return { kind: "UNIDENTIFIABLE", reason: `EventBridge event: ${identified.reason}` };
  return bodyProblem
    ? { kind: "UNUSABLE", delivery: identified.delivery, reason: `EventBridge event: ${bodyProblem}` }
    : { kind: "DELIVERY", delivery: identified.delivery };
}

export const PARSERS: Record<WebhookSourceName, (message: unknown) => ParsedMessage> = {
  pubsub: parsePubSubMessage,
  eventbridge: parseEventBridgeEvent,
};
