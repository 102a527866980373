/**
 * Make the database ready before anything uses it: start embedded PostgreSQL
 * when DATABASE_URL is unset, then apply pending Prisma migrations (with
 * `prisma migrate deploy`) and graphile-worker's schema.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { migrateWorkerSchema } from "../queue/schema.server";
import { env, setEmbeddedDatabaseUrl } from "../env.server";
import { logger } from "../logger.server";
import { connectClient, createPool } from "./pool.server";
import { createDatabase, startEmbeddedPostgres, type EmbeddedServer } from "./embedded-postgres.server";

const run = promisify(execFile);
const MIGRATIONS_DIR = path.resolve("prisma/migrations");

export interface PreparedDatabase {
  url: string;
  embedded: EmbeddedServer | undefined;
  stop(): Promise<void>;
}

async function pendingMigrations(url: string): Promise<string[]> {
  const wanted = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const client = await connectClient(url, "prepare");
  try {
    const table = await client.query("SELECT to_regclass('public._prisma_migrations') AS t");
    if (!table.rows[0]?.t) return wanted;
    const done = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const applied = new Set(done.rows.map((r) => r.migration_name));
    return wanted.filter((m) => !applied.has(m));
  } finally {
    await client.end();
  }
}

/** Apply Prisma migrations through the CLI (the same path `npm run setup` and production deploys use). */
export async function migrate(url: string): Promise<void> {
  const pending = await pendingMigrations(url);
  if (pending.length > 0) {
    logger.info({ pending }, "applying database migrations");
    await run(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: url },
    });
  }
  const pool = createPool(url, 1, "migrate");
  try {
    await migrateWorkerSchema(pool);
  } finally {
    await pool.end();
  }
}

export async function prepareDatabase(
  options: { migrate?: boolean; beforeMigrate?: (url: string) => Promise<void> } = {},
): Promise<PreparedDatabase> {
  const config = env();
  let embedded: EmbeddedServer | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir: config.EMBEDDED_DB_DIR,
      onLog: (line) => logger.debug({ postgres: line }),
    });
    await createDatabase(embedded.url("postgres"), "amends");
    url = embedded.url("amends");
    setEmbeddedDatabaseUrl(url);
    logger.info(
      { port: embedded.port, dataDir: config.EMBEDDED_DB_DIR, ms: Date.now() - started },
      "embedded PostgreSQL ready",
    );
  }
  await options.beforeMigrate?.(url);
  if (options.migrate !== false) await migrate(url);
  return { url, embedded, stop: async () => embedded?.stop() };
}
