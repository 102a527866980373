import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createPool } from "../../app/db/pool.server";
import type { Runner } from "graphile-worker";
import { startWorker } from "../../app/jobs/worker.server";

/**
 * A worker in its own OS process (tests/helpers/worker-process.ts), so a test can kill it for real.
 * With `stall`, it stops just before committing its first delivery and prints STALLED.
 */
export async function startWorkerProcess(options: { stall: boolean }): Promise<ChildProcess> {
  // node --import tsx, not the tsx binary: that one forks a second process, which a kill would miss.
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/helpers/worker-process.ts")], {
    env: { ...process.env, AMENDS_TEST_STALL: options.stall ? "1" : "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker process exited early (${code})`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes(options.stall ? "STALLED" : "READY")) resolve();
    });
  });
  return child;
}

export interface TestWorker {
  runner: Runner;
  /** Graceful: running jobs finish, then the runner and its pool close. */
  stop(): Promise<void>;
  /** Forceful, like a process being stopped: running jobs are failed and unlocked at once. Call close() after. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/** A real graphile-worker runner on this test file's database, with its own pool. */
export async function startTestWorker(concurrency = 2): Promise<TestWorker> {
  const pool = createPool(process.env.DATABASE_URL ?? "", concurrency + 2, "test-worker");
  const runner = await startWorker({ pgPool: pool, concurrency, pollInterval: 100, resetLockedIntervalMs: 200 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await runner.promise.catch(() => {});
    await pool.end();
  };
  return {
    runner,
    stop: async () => {
      if (!closed) await runner.stop().catch(() => {});
      await close();
    },
    kill: () => runner.kill(),
    close,
  };
}
