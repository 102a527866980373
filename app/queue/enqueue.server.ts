/**
 * Enqueue a job inside the caller's transaction with graphile-worker's SQL
 * add_job, so a committed row always has its job and a rolled-back one never does.
 */
import { queueTime } from "../clock.server";
import type { Tx } from "../db.server";
import { jobPayloads, maxAttempts, type JobName, type JobPayload } from "./payloads";

export interface JobOptions {
  runAt?: Date;
  /** A later add with the same key replaces the pending job (reschedules). */
  jobKey?: string;
  priority?: number;
  /**
   * With a jobKey: "replace" (default) replaces the pending job and its run_at; "preserve_run_at"
   * replaces the payload but keeps a pending job's run_at (a sweep re-asserting a timer must not
   * postpone it); "unsafe_dedupe" leaves a pending job alone.
   */
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
}

export async function enqueue<N extends JobName>(
  tx: Tx,
  name: N,
  payload: JobPayload<N>,
  options: JobOptions = {},
): Promise<void> {
  const checked = jobPayloads[name].parse(payload);
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${name}::text,
    ${JSON.stringify(checked)}::json,
    run_at => ${options.runAt ? queueTime(options.runAt) : null}::timestamptz,
    max_attempts => ${maxAttempts[name]}::int,
    job_key => ${options.jobKey ?? null}::text,
    priority => ${options.priority ?? null}::int,
    job_key_mode => ${options.jobKeyMode ?? null}::text
  )`;
}

/**
 * Cancel every pending (not running) job of a shop; running ones finish and see the shop's state.
 * The public `graphile_worker.jobs` view hides payloads, so this reads the private table; the
 * graphile-worker version is pinned and tests/integration/uninstall.test.ts covers this query.
 */
export async function cancelShopJobs(tx: Tx, shop: string, reason: string, except: JobName[] = []): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ id: bigint }>>`
    SELECT id FROM graphile_worker.permanently_fail_jobs(
      ARRAY(
        SELECT jobs.id FROM graphile_worker._private_jobs AS jobs
        JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
        WHERE jobs.payload->>'shop' = ${shop}
          AND jobs.locked_at IS NULL
          AND jobs.attempts < jobs.max_attempts
          AND NOT (tasks.identifier = ANY(${except}::text[]))
      ),
      ${reason}
    )`;
  return rows.length;
}
