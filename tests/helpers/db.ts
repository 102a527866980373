import { Prisma } from "@prisma/client";
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

/** Empty every app table (every model of the schema, so a new table is never left out) and the job queue between tests. */
export async function truncateAll(): Promise<void> {
  const tables = Prisma.dmmf.datamodel.models.map((m) => `"${m.dbName ?? m.name}"`).join(", ");
  await prisma.$executeRawUnsafe(`
    TRUNCATE ${tables};
    DELETE FROM graphile_worker._private_jobs;
    DELETE FROM graphile_worker._private_job_queues;`);
}

/**
 * Every text, json and array column of every table (the app's and graphile-worker's) that holds
 * one of the values, as "schema.table.column", sorted. For tests that personal data left no trace.
 */
export async function columnsHolding(values: string[]): Promise<string[]> {
  const columns = await prisma.$queryRaw<Array<{ s: string; t: string; c: string }>>`
    SELECT c.table_schema::text AS s, c.table_name::text AS t, c.column_name::text AS c
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
      AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`;
  const patterns = values.map((v) => `%${v.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}%`);
  const hits: string[] = [];
  for (const { s, t, c } of columns) {
    const rows = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM "${s}"."${t}" WHERE "${c}"::text ILIKE ANY($1::text[])`,
      patterns,
    );
    if ((rows[0]?.n ?? 0) > 0) hits.push(`${s}.${t}.${c}`);
  }
  return hits.sort();
}
