import pg from "pg";
import { logger } from "../logger.server";

/**
 * A pg pool whose dropped connections are logged, not fatal: without these
 * handlers an idle connection closed by the server crashes the process.
 */
export function createPool(connectionString: string, max: number, label: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  const onError = (error: Error) => logger.warn({ pool: label, err: error.message }, "database connection error");
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}
