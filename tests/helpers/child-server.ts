/**
 * The app as a separate process, the way it runs in production: `tsx server.ts` with
 * NODE_ENV=production over the built app, its own embedded PostgreSQL in a temporary folder.
 * For the benchmarks and the abuse suite, which measure or attack it from outside (and must see
 * whether the process survived).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "../../app/db/embedded-postgres.server";
import { childNamed } from "../bench/proc-cpu";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "node_modules/.bin");
/** The Shopify library answers 410 to user agents that look like bots. */
export const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export class ChildServer {
  private readonly tail: string[] = [];
  private warnings = 0;
  private readonly warningSamples: string[] = [];
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      proc.on("exit", (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(code);
      });
    });
    for (const stream of [proc.stdout, proc.stderr]) {
      let partial = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) this.record(line);
      });
    }
  }

  /** Spawn `tsx <script>` in its own process group, so a Ctrl-C reaches only the bench, which stops it. */
  static start(name: string, script: string, env: NodeJS.ProcessEnv, logFile?: string): ChildServer {
    const proc = spawn(path.join(BIN, "tsx"), [script], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    if (logFile) {
      const out = createWriteStream(logFile);
      proc.stdout?.pipe(out);
      proc.stderr?.pipe(out);
    }
    return new ChildServer(name, proc);
  }

  /** Lines the app's safety net wrote (app/http/safety-net.server.ts): each is a bug, even if survived. */
  unhandledRejections = 0;

  private record(line: string): void {
    if (!line.trim()) return;
    if (line.includes("unhandled promise rejection")) this.unhandledRejections++;
    this.tail.push(line);
    if (this.tail.length > 200) this.tail.shift();
    // pino JSON: 40 = warn, 50 = error, 60 = fatal.
    const level = /"level":(\d+)/.exec(line)?.[1];
    if ((level && Number(level) >= 40) || /error/i.test(line)) {
      this.warnings++;
      if (this.warningSamples.length < 5) this.warningSamples.push(line.slice(0, 300));
    }
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  logTail(lines = 40): string {
    return this.tail.slice(-lines).join("\n");
  }

  sawLine(text: string): boolean {
    return this.tail.some((line) => line.includes(text));
  }

  warningSummary(): { count: number; samples: string[] } {
    return { count: this.warnings, samples: [...this.warningSamples] };
  }

  /** The process doing the work: tsx runs the script in a child `node`. */
  workerPid(): number | undefined {
    const pid = this.proc.pid;
    if (pid === undefined) return undefined;
    return childNamed(pid, "node") ?? pid;
  }

  /**
   * SIGTERM straight to the script's process (not through tsx's relay, which
   * SIGKILLs a child that does not acknowledge within 30 ms and would orphan
   * embedded PostgreSQL), wait for a clean exit, SIGKILL the group as a last resort.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    const target = this.workerPid();
    try {
      if (target !== undefined) process.kill(target, "SIGTERM");
    } catch {
      // already gone
    }
    const exited = await Promise.race([this.exited.then(() => true), sleep(timeoutMs, false, { ref: false })]);
    if (!exited && this.proc.pid !== undefined) {
      console.error(`${this.name} did not stop within ${timeoutMs / 1000} s; killing it`);
      try {
        process.kill(-this.proc.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await Promise.race([this.exited, sleep(5000, undefined, { ref: false })]);
    }
  }
}

export function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { "user-agent": BROWSER_UA }, timeout: 2000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

export async function waitUntilServing(server: ChildServer, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (!server.running) {
      throw new Error(`${server.name} exited with code ${server.exitCode} before serving:\n${server.logTail()}`);
    }
    try {
      const status = await getStatus(url);
      if (status === 200) return;
      last = `GET / answered ${status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`${server.name} did not serve ${url} within ${timeoutMs / 1000} s (${last}):\n${server.logTail()}`);
}

/** The embedded server's port, from PostgreSQL's own postmaster.pid (line 4). */
export function embeddedPort(dataDir: string): number {
  const lines = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  const port = Number(lines[3]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in ${dataDir}/postmaster.pid`);
  return port;
}

export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** `npm run build` (remix vite:build), its output shown only when it fails. */
export function buildApp(env: NodeJS.ProcessEnv = process.env): void {
  try {
    execFileSync(path.join(BIN, "remix"), ["vite:build"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`build failed:\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}`);
  }
}

export interface ProductionApp {
  server: ChildServer;
  url: string;
  port: number;
  dataDir: string;
  /** The app's embedded database (its URL once it serves). */
  databaseUrl: string;
  /** Stop the app (and its PostgreSQL if the app died without stopping it), remove the temporary folder. */
  stop(): Promise<void>;
}

/**
 * Start the built app in production mode on a free loopback port with a fresh embedded PostgreSQL,
 * and wait until it serves. `env` adds to or overrides the defaults (no worker, warnings only).
 */
export async function startProductionApp(options: {
  secret: string;
  env?: Record<string, string>;
  logFile?: string;
  startTimeoutMs?: number;
}): Promise<ProductionApp> {
  if (!existsSync(path.join(ROOT, "build/server/index.js")))
    throw new Error("build/server/index.js is missing: run `npm run build` first");
  const tmpParent = mkdtempSync(path.join(os.tmpdir(), "amends-app-"));
  // embedded PostgreSQL runs as its own user when started as root: it must reach the folder.
  chmodSync(tmpParent, 0o755);
  const dataDir = path.join(tmpParent, "pg");
  const port = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}` };
  delete base.DATABASE_URL;
  // The suite's test-only switches (vitest.config.ts) are refused in production, as they should be.
  delete base.AMENDS_SMTP_ALLOW_LOOPBACK;
  delete base.AMENDS_SMTP_CA_FILE;
  const server = ChildServer.start(
    "Amends",
    "server.ts",
    {
      ...base,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "child-api-key",
      SHOPIFY_API_SECRET: options.secret,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      SCOPES: "read_orders",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      WORKER_IN_WEB: "false",
      EMBEDDED_DB_DIR: dataDir,
      ...options.env,
    },
    options.logFile,
  );
  const stop = async () => {
    await server.stop();
    // If the app died without stopping its PostgreSQL, stop that server (fast shutdown) ourselves.
    const orphan = postmasterPid(dataDir);
    if (orphan !== undefined) {
      console.error(`embedded PostgreSQL (pid ${orphan}) outlived the app; stopping it`);
      process.kill(orphan, "SIGINT");
      for (let i = 0; i < 50 && postmasterPid(dataDir) !== undefined; i++) await sleep(100);
    }
    rmSync(tmpParent, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(server, `${url}/`, options.startTimeoutMs ?? 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    server,
    url,
    port,
    dataDir,
    databaseUrl: `postgresql://postgres:amends-local@127.0.0.1:${embeddedPort(dataDir)}/amends`,
    stop,
  };
}
