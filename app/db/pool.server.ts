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

/**
 * One connection for a short piece of work (start-up checks, CREATE/DROP DATABASE). pg also emits
 * 'error' when the server goes away mid-query; unlistened, that event would end the process (the
 * query itself rejects with the same error, for its caller to handle).
 */
export async function connectClient(connectionString: string, label: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  client.on("error", (error) => logger.warn({ client: label, err: error.message }, "database connection error"));
  await client.connect();
  return client;
}
