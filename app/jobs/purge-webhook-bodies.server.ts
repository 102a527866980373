/**
 * Hourly: drop the raw bodies of deliveries that are done with them and older than the retention
 * (FAILED ones keep theirs for diagnosis for WEBHOOK_BODY_RETENTION_DAYS, default 7; docs/decisions/0015
 * and 0021). A
 * graphile-worker cron task: it names no shop, so it is not in jobPayloads.
 */
import type { Task } from "graphile-worker";
import { clock } from "../clock.server";
import { logger } from "../logger.server";
import { purgeOldBodies } from "../models/webhook-delivery.server";

export const PURGE_WEBHOOK_BODIES = "purge-webhook-bodies";
export const PURGE_WEBHOOK_BODIES_CRON = "17 * * * *";

export const purgeWebhookBodies: Task = async () => {
  const purged = await purgeOldBodies(clock().now());
  logger.info({ job: PURGE_WEBHOOK_BODIES, purged }, "old webhook bodies dropped");
};
