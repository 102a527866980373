/**
 * Hourly: delete data-request exports nobody downloaded within 30 days (docs/decisions/0018). A
 * graphile-worker cron task: it names no shop, so it is not in jobPayloads.
 */
import type { Task } from "graphile-worker";
import { clock } from "../../clock.server";
import { logger } from "../../logger.server";
import { purgeExpiredExports } from "../../services/privacy/exports.server";

export const PURGE_EXPIRED_EXPORTS = "purge-expired-exports";
export const PURGE_EXPIRED_EXPORTS_CRON = "41 * * * *";

export const purgeExpiredExportsTask: Task = async () => {
  const purged = await purgeExpiredExports(clock().now());
  logger.info({ job: PURGE_EXPIRED_EXPORTS, purged }, "expired privacy exports deleted");
};
