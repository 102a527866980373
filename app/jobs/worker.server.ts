/** Starting and stopping a graphile-worker runner on the app's database. */
import { parseCronItems, run, type Runner } from "graphile-worker";
import type pg from "pg";
import { logger } from "../logger.server";
import { workerLogger } from "../queue/schema.server";
import { RECONCILE_ALL_SHOPS, RECONCILE_CRON } from "./detection/reconcile-all-shops.server";
import { PURGE_WEBHOOK_BODIES, PURGE_WEBHOOK_BODIES_CRON } from "./purge-webhook-bodies.server";
import { PRUNE_AUDIT_ENTRIES, PRUNE_AUDIT_ENTRIES_CRON } from "./prune-audit-entries.server";
import { PRUNE_WEBHOOK_DELIVERIES, PRUNE_WEBHOOK_DELIVERIES_CRON } from "./prune-webhook-deliveries.server";
import { PURGE_EXPIRED_EXPORTS, PURGE_EXPIRED_EXPORTS_CRON } from "./privacy/purge-expired-exports.server";
import { taskList } from "./task-list.server";
import { WEEKLY_DIGEST_ALL_SHOPS, WEEKLY_DIGEST_CRON } from "./digest/weekly-digest-all-shops.server";

export interface WorkerOptions {
  pgPool: pg.Pool;
  concurrency: number;
  /** Leave SIGTERM/SIGINT to the host process (the web server stops the runner itself). */
  handleSignals?: boolean;
  pollInterval?: number;
  /** How often to look for jobs whose worker died holding them (locked over 4 h); tests shorten it. */
  resetLockedIntervalMs?: number;
}

export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const runner = await run({
    // Schedules are declared in code, not in a crontab file.
    parsedCronItems: parseCronItems([
      // Daily sweep for orders whose webhooks were lost. No backfill: a missed day is caught by the next one.
      { task: RECONCILE_ALL_SHOPS, match: RECONCILE_CRON, identifier: RECONCILE_ALL_SHOPS },
      // Raw webhook bodies are not kept forever, FAILED ones included (docs/decisions/0015).
      { task: PURGE_WEBHOOK_BODIES, match: PURGE_WEBHOOK_BODIES_CRON, identifier: PURGE_WEBHOOK_BODIES },
      // Old delivery rows become per-day counts (docs/decisions/0021).
      { task: PRUNE_WEBHOOK_DELIVERIES, match: PRUNE_WEBHOOK_DELIVERIES_CRON, identifier: PRUNE_WEBHOOK_DELIVERIES },
      // Audit entries are kept AUDIT_RETENTION_DAYS (docs/decisions/0021).
      { task: PRUNE_AUDIT_ENTRIES, match: PRUNE_AUDIT_ENTRIES_CRON, identifier: PRUNE_AUDIT_ENTRIES },
      // Data-request exports are deleted once downloaded or 30 days after the request (docs/decisions/0018).
      { task: PURGE_EXPIRED_EXPORTS, match: PURGE_EXPIRED_EXPORTS_CRON, identifier: PURGE_EXPIRED_EXPORTS },
      // The weekly root-cause digest, once per shop-week (docs/decisions/0118).
      { task: WEEKLY_DIGEST_ALL_SHOPS, match: WEEKLY_DIGEST_CRON, identifier: WEEKLY_DIGEST_ALL_SHOPS },
    ]),
    pgPool: options.pgPool,
    taskList,
    concurrency: options.concurrency,
    noHandleSignals: !options.handleSignals,
    // Timers (run_at in the future) are found by polling: this bounds how late a due job starts.
    pollInterval: options.pollInterval ?? 200,
    ...(options.resetLockedIntervalMs
      ? {
          minResetLockedInterval: options.resetLockedIntervalMs,
          maxResetLockedInterval: options.resetLockedIntervalMs * 2,
        }
      : {}),
    logger: workerLogger,
  });
  logger.child({ component: "worker" }).info({ concurrency: options.concurrency }, "job worker started");
  return runner;
}
