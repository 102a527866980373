/**
 * Ingest a verified delivery: store it once and enqueue its processing in the
 * same statement. The HTTP route and any future EventBridge / Pub/Sub consumer
 * both end here, so processing never assumes HTTP.
 */
import { storeDelivery, type IncomingDelivery, type StoreResult } from "../models/webhook-delivery.server";
import { isHandledTopic } from "./webhook-handlers.server";

export async function ingestDelivery(delivery: IncomingDelivery): Promise<StoreResult> {
  return storeDelivery(delivery, isHandledTopic(delivery.topic));
}
