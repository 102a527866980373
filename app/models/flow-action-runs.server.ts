/**
 * FlowActionRun rows exist for exactly-once: a retried run (Flow retries for up to 24 hours) finds
 * the first one's answer. Past that they serve nothing (the incident's FLOW_ACTION timeline entry
 * says which workflow run opened it), so the daily retention job deletes them after
 * FLOW_ACTION_RUN_RETENTION_DAYS (docs/decisions/0021).
 */
import { prisma } from "../db.server";
import { MS_PER_DAY } from "../recovery";

/** Far beyond Flow's 24 hours of retries. */
export const FLOW_ACTION_RUN_RETENTION_DAYS = 30;

export async function pruneOldFlowActionRuns(now: Date, days = FLOW_ACTION_RUN_RETENTION_DAYS): Promise<number> {
  const cutoff = new Date(now.getTime() - days * MS_PER_DAY);
  let deleted = 0;
  for (;;) {
    // In batches, so one statement never holds thousands of row locks.
    const n = await prisma.$executeRaw`
      DELETE FROM "FlowActionRun" WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM "FlowActionRun" WHERE "createdAt" < ${cutoff}::timestamptz LIMIT 1000))`;
    deleted += n;
    if (n < 1000) return deleted;
  }
}
