/**
 * The demo's 90+ days of history: a seeded world (sandbox/history/world.ts)
 * replayed through the running app, then cached as a PostgreSQL template
 * database beside a snapshot of the sandbox store, so later starts copy the
 * template (CREATE DATABASE ... TEMPLATE) instead of replaying again.
 *
 * The cache key covers the seed, the world's parameters and the code that
 * shapes the result: the migrations and every source file under app/ and
 * sandbox/. Change any of them and the next start replays afresh.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import type { WorldOptions } from "../sandbox/history/world";

/** The demo shop's world: a busy season with more failures than a shop would like. */
export function demoWorld(shop: string): WorldOptions {
  return {
    shop,
    seed: 2026,
    customers: 2_500,
    ordersPerDay: 7,
    // Long enough that the first 60 days of incidents have closed their 90-day windows.
    days: 150,
    quietCarriers: true,
    rates: { lateFulfillment: 0.25, carrierDelay: 0.2, deliveryFailure: 0.05, refund: 0.1, cancellation: 0.06 },
    effect: 0.5,
    churnAfterFailure: 0.25,
  };
}

/** The holdout share the demo shop runs with (saved through the settings service). */
export const DEMO_HOLDOUT_SHARE = 0.3;

const HISTORY_DIR = ".data/demo-history";

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx|sql|prisma|json)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** Key of the cached history: the world's parameters and a hash of the code that produces it. */
export function historyKey(world: WorldOptions, extra: unknown = null): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ world, extra }));
  const files = [
    ...["prisma", "app", "sandbox"].flatMap((dir) => sourceFiles(dir)),
    "scripts/demo-history.ts",
    "scripts/demo-replay.ts",
  ];
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

export const templateName = (key: string) => `amends_history_${key}`;

function serverUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

const databaseName = (databaseUrl: string) => decodeURIComponent(new URL(databaseUrl).pathname.slice(1));

/** What is kept beside the template: the store, where its clock stood, and the world's truth for the panel. */
export interface HistorySnapshot<T> {
  endedAt: Date;
  store: Buffer;
  truth: T;
}

const snapshotPath = (key: string) => path.join(HISTORY_DIR, `${key}.bin`);

/**
 * Before migrations: replace the app's database with a copy of the cached history if there is one
 * (returns the snapshot), else with an empty one to replay into.
 */
export async function prepareHistoryDatabase<T>(url: string, key: string): Promise<HistorySnapshot<T> | null> {
  const { createDatabase, dropDatabase } = await import("../app/db/embedded-postgres.server");
  const pg = await import("pg");
  const server = serverUrl(url);
  const client = new pg.default.Client({ connectionString: server });
  await client.connect();
  const found = await client
    .query("SELECT 1 FROM pg_database WHERE datname = $1", [templateName(key)])
    .finally(() => client.end());
  const cached = (found.rowCount ?? 0) > 0 && existsSync(snapshotPath(key));
  await dropDatabase(server, databaseName(url));
  await createDatabase(server, databaseName(url), cached ? templateName(key) : undefined);
  return cached ? (deserialize(readFileSync(snapshotPath(key))) as HistorySnapshot<T>) : null;
}

/** After a replay: keep the database as the template (the app's connections must be closed) and the snapshot beside it. */
export async function saveHistory<T>(url: string, key: string, snapshot: HistorySnapshot<T>): Promise<void> {
  const { createDatabase, dropDatabase } = await import("../app/db/embedded-postgres.server");
  const server = serverUrl(url);
  await dropDatabase(server, templateName(key));
  await createDatabase(server, templateName(key), databaseName(url));
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(snapshotPath(key), serialize(snapshot));
}
