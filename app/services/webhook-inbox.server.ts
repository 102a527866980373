/**
 * Ingest a verified delivery: store it once and enqueue its processing in the
 * same statement. The HTTP route and any future EventBridge / Pub/Sub consumer
 * both end here, so processing never assumes HTTP.
 */
import {
  storeDelivery,
  type IncomingDelivery,
  type StoreOptions,
  type StoreResult,
} from "../models/webhook-delivery.server";
import { isHandledTopic } from "./webhook-handlers.server";

/**
 * `shed` (the HTTP handler): refused with IngestOverloadedError, nothing stored, when the inbox is
 * over its limits (decision 0031). A pull consumer leaves it off: it bounds its own batch.
 */
export async function ingestDelivery(delivery: IncomingDelivery, options: StoreOptions = {}): Promise<StoreResult> {
  return storeDelivery(delivery, isHandledTopic(delivery.topic), options);
}
