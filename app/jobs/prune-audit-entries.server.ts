/**
 * Daily: audit entries (settings and grid changes, code reveals, export downloads; they name the
 * staff member who acted) older than AUDIT_RETENTION_DAYS (default 730) are deleted
 * (app/models/audit.server.ts; docs/decisions/0021). A graphile-worker cron task: it names no shop,
 * so it is not in jobPayloads. A run stopped half-way has deleted whole batches; the next one does the rest.
 */
import type { Task } from "graphile-worker";
import { clock } from "../clock.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { pruneOldAuditEntries } from "../models/audit.server";

export const PRUNE_AUDIT_ENTRIES = "prune-audit-entries";
export const PRUNE_AUDIT_ENTRIES_CRON = "51 3 * * *";

export const pruneAuditEntries: Task = async () => {
  const days = env().AUDIT_RETENTION_DAYS;
  const deleted = await pruneOldAuditEntries(clock().now(), days);
  logger.info({ job: PRUNE_AUDIT_ENTRIES, deleted, days }, "old audit entries deleted");
};
