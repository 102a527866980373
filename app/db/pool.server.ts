import pg from "pg";
import { logger } from "../logger.server";

/**
 * Every session in UTC, whatever the server's own `timezone` setting. Prisma's DateTime columns are
 * `timestamp` without a zone and hold UTC; PostgreSQL turns a timestamptz (now(), a parameter cast
 * to timestamptz) into such a column in the session's zone. On a server set to another zone the
 * raw-SQL writes (the webhook inbox's received/updated times, column defaults) were off by its
 * offset: a test run with the server started under TZ=Pacific/Kiritimati stored them 14 hours late.
 */
const UTC_SESSION = "-c TimeZone=UTC";

/**
 * A pg pool whose dropped connections are logged, not fatal: without these
 * handlers an idle connection closed by the server crashes the process.
 */
export function createPool(connectionString: string, max: number, label: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, options: UTC_SESSION });
  const onError = (error: Error) => logger.warn({ pool: label, err: error.message }, "database connection error");
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}

/**
 * One connection for a short piece of work (start-up checks, CREATE/DROP DATABASE). pg also emits
 * 'error' when the server goes away mid-query; unlistened, that event would end the process (the
 * query itself rejects with the same error, for its caller to handle).
 */
export async function connectClient(connectionString: string, label: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, options: UTC_SESSION });
  client.on("error", (error) => logger.warn({ client: label, err: error.message }, "database connection error"));
  await client.connect();
  return client;
}
