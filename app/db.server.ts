/**
 * The one Prisma client, on the pg driver adapter (no native engine; see
 * docs/decisions/0002-prisma-offline.md). DATABASE_URL is always set by the time
 * this runs: by the operator, or by the server after starting embedded PostgreSQL.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@prisma/client";
import type pg from "pg";
import { databaseUrl, env } from "./env.server";
import { connectClient, createPool } from "./db/pool.server";

interface Database {
  pool: pg.Pool;
  prisma: PrismaClient;
  /** Webhook ingest's own connections (DATABASE_INGEST_POOL_SIZE); opened on first use. */
  ingest?: pg.Pool;
}

declare global {
  // Survives Vite dev-server module reloads, so a reload does not open a new pool.
  var __amendsDb: Database | undefined;
}

function database(): Database {
  if (!globalThis.__amendsDb) {
    const pool = createPool(databaseUrl(), env().DATABASE_POOL_SIZE, "app");
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    globalThis.__amendsDb = { pool, prisma };
  }
  return globalThis.__amendsDb;
}

/** The Prisma client. Lazy so importing a module never opens connections. */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = database().prisma;
    const value = Reflect.get(client, property, client) as unknown;
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
  },
});

/** The pg pool Prisma uses; graphile-worker shares it. */
export function pgPool(): pg.Pool {
  return database().pool;
}

/**
 * The pool the webhook inbox stores deliveries on, and nothing else: no other path can take its
 * connections, so ingest answers Shopify while the main pool is saturated (decision 0021). The
 * inbox statement enqueues its jobs in SQL, so it needs no second connection.
 */
export function ingestPool(): pg.Pool {
  const db = database();
  db.ingest ??= createPool(databaseUrl(), env().DATABASE_INGEST_POOL_SIZE, "ingest");
  return db.ingest;
}

/**
 * Run `fn` holding a session-level advisory lock named `key`, on a connection of its own, opened
 * for the lock and closed after (which ends the session, and so the lock, whatever happens): for
 * work that waits on the network, where a transaction could time out half-way. Not a pool
 * connection: `fn` uses the pool, and a lock holder that also waited for a pool connection could
 * starve it, or, on a small pool, wait for itself (decision 0021). Locks are rare (a token refresh
 * an hour per shop, a discount group's first code), so the cost of connecting is paid rarely.
 */
export async function withSessionLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const client = await connectClient(databaseUrl(), "lock");
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [key]);
    return await fn();
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function disconnectDatabase(): Promise<void> {
  const db = globalThis.__amendsDb;
  globalThis.__amendsDb = undefined;
  if (db) {
    await db.prisma.$disconnect();
    await db.pool.end();
    await db.ingest?.end();
  }
}

export type Tx = Prisma.TransactionClient;
