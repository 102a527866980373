/**
 * graphile-worker's own schema and log routing. Kept apart from the worker runner (app/jobs) so the
 * database preparation step can migrate the queue without loading the task list.
 */
import { Logger as WorkerLogger, runMigrations } from "graphile-worker";
import type pg from "pg";
import { logger } from "../logger.server";

/**
 * graphile-worker's log lines, routed into pino at matching levels. Its "Failed task ..." line
 * quotes the error's message and stack: the logger redacts personal data in them (decision 0019),
 * and only the names of its meta fields are kept (the job's payload stays out).
 */
export const workerLogger = new WorkerLogger(() => (level, message, meta) => {
  const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" ? "info" : "debug";
  logger[method]({ component: "worker", meta: meta ? Object.keys(meta) : undefined }, message);
});

export async function migrateWorkerSchema(pgPool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool, logger: workerLogger });
}
