/**
 * Daily: webhook delivery rows older than WEBHOOK_DELIVERY_RETENTION_DAYS (default 90) are added to
 * their day's count (WebhookDeliveryDay) and deleted, in batches, one transaction each
 * (app/models/webhook-retention.server.ts; docs/decisions/0021). A graphile-worker cron task: it
 * names no shop, so it is not in jobPayloads. A run stopped half-way is finished by the next one.
 * Flow action runs older than 30 days (kept for Flow's 24 h of retries) go in the same sweep.
 */
import type { Task } from "graphile-worker";
import { clock } from "../clock.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { pruneOldFlowActionRuns } from "../models/flow-action-runs.server";
import { pruneOldDeliveries } from "../models/webhook-retention.server";

export const PRUNE_WEBHOOK_DELIVERIES = "prune-webhook-deliveries";
export const PRUNE_WEBHOOK_DELIVERIES_CRON = "43 3 * * *";

export const pruneWebhookDeliveries: Task = async () => {
  const config = env();
  const now = clock().now();
  const { deleted, batches } = await pruneOldDeliveries(now, {
    deliveryDays: config.WEBHOOK_DELIVERY_RETENTION_DAYS,
    failedBodyDays: config.WEBHOOK_BODY_RETENTION_DAYS,
  });
  const flowActionRuns = await pruneOldFlowActionRuns(now);
  logger.info(
    { job: PRUNE_WEBHOOK_DELIVERIES, deleted, batches, flowActionRuns },
    "old webhook deliveries counted and deleted",
  );
};
