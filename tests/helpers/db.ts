import { prisma } from "../../app/db.server";

export interface JobRow {
  id: string;
  task_identifier: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_at: Date | null;
  run_at: Date;
}

export async function jobs(task?: string): Promise<JobRow[]> {
  // The public view hides payloads; tests read the private table of the pinned graphile-worker version.
  const rows = await prisma.$queryRaw<JobRow[]>`
    SELECT jobs.id::text, tasks.identifier AS task_identifier, jobs.payload, jobs.attempts, jobs.max_attempts,
      jobs.last_error, jobs.locked_at, jobs.run_at
    FROM graphile_worker._private_jobs AS jobs
    JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
    ORDER BY jobs.id`;
  return task ? rows.filter((r) => r.task_identifier === task) : rows;
}

/** Empty every app table and the job queue between tests. */
export async function truncateAll(): Promise<void> {
  await prisma.$executeRawUnsafe(`
    TRUNCATE "Session", "Shop", "WebhookDelivery", "OrderRecord", "RefundRecord", "FulfillmentRecord",
      "FulfillmentEventRecord", "FulfillmentHoldRecord", "ComplianceRequest", "Incident", "IncidentEvent",
      "Offer", "OfferTransition", "GridVersion", "BudgetMonth", "CustomerValue", "DiscountGroup", "FlowTriggerUsage", "FlowActionRun", "AuditEntry";
    DELETE FROM graphile_worker._private_jobs;
    DELETE FROM graphile_worker._private_job_queues;`);
}
