/**
 * Turn one stored delivery into typed records, exactly once. The delivery row
 * is locked for the whole transaction, so a retried or duplicated job waits
 * and then sees the delivery already processed. The raw body goes in the same
 * transaction: PROCESSED and IGNORED deliveries keep none (compliance topics
 * keep their ids-only summary), a FAILED one keeps it for a bounded time
 * (webhook-delivery.server.ts, docs/decisions/0015-protected-customer-data.md).
 */
import { z } from "zod";
import { prisma } from "../db.server";
import { finishDelivery, lockDelivery } from "../models/webhook-delivery.server";
import { isUninstalled } from "../models/shop.server";
import { MalformedPayloadError, parseWebhookJson } from "../shopify/webhooks/json";
import { describeIssues } from "../shopify/webhooks/payloads";
import { handlers, isHandledTopic } from "./webhook-handlers.server";

export type ProcessOutcome =
  | { kind: "PROCESSED"; topic: string }
  | { kind: "IGNORED"; reason: string }
  | { kind: "FAILED"; reason: string }
  | { kind: "ALREADY_DONE"; status: string }
  | { kind: "MISSING" };

/** Test seam: lets a test pause processing mid-transaction (to kill a worker there). */
export const processingHooks: { beforeCommit?: (deliveryId: string) => Promise<void> } = {};

export async function processDelivery(deliveryId: string): Promise<ProcessOutcome> {
  return prisma.$transaction(
    async (tx) => {
      const delivery = await lockDelivery(tx, deliveryId);
      if (!delivery) return { kind: "MISSING" };
      if (delivery.status !== "RECEIVED") return { kind: "ALREADY_DONE", status: delivery.status };

      const topic = delivery.topic;
      if (!isHandledTopic(topic)) {
        const reason = `no handler for topic ${topic}`;
        await finishDelivery(tx, deliveryId, { status: "IGNORED", error: reason });
        return { kind: "IGNORED", reason };
      }
      const handler = handlers[topic];
      if (!("afterUninstall" in handler && handler.afterUninstall) && (await isUninstalled(tx, delivery.shop))) {
        const reason = "shop has uninstalled Amends";
        await finishDelivery(tx, deliveryId, { status: "IGNORED", error: reason });
        return { kind: "IGNORED", reason };
      }

      if (delivery.rawBody === null) {
        const reason = "the stored body is gone (dropped or redacted before processing)";
        await finishDelivery(tx, deliveryId, { status: "FAILED", error: reason });
        return { kind: "FAILED", reason };
      }
      let payload: unknown;
      try {
        payload = (handler.schema as z.ZodType).parse(parseWebhookJson(delivery.rawBody));
      } catch (error) {
        if (!(error instanceof z.ZodError) && !(error instanceof MalformedPayloadError)) throw error;
        const reason =
          error instanceof z.ZodError ? `invalid ${topic} payload: ${describeIssues(error)}` : error.message;
        // Kept for diagnosis and replay, and dropped after WEBHOOK_BODY_RETENTION_DAYS.
        await finishDelivery(tx, deliveryId, { status: "FAILED", error: reason, keepBody: "unchanged" });
        return { kind: "FAILED", reason };
      }

      const apply = handler.apply as (
        ctx: Parameters<typeof handler.apply>[0],
        p: unknown,
      ) => ReturnType<typeof handler.apply>;
      const result = await apply(
        { tx, shop: delivery.shop, deliveryId, occurredAt: delivery.triggeredAt ?? delivery.receivedAt },
        payload,
      );
      await finishDelivery(tx, deliveryId, {
        status: "PROCESSED",
        ...(result.redactedBody !== undefined ? { keepBody: result.redactedBody } : {}),
        orderGid: result.orderGid ?? null,
        customerGid: result.customerGid ?? null,
      });
      await processingHooks.beforeCommit?.(deliveryId);
      return { kind: "PROCESSED", topic };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
