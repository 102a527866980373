/**
 * One set-up and clean-up for the benches: a temporary folder embedded PostgreSQL can use, the
 * app's scopes, clean-up steps run last-registered-first (at the end, on an error or on Ctrl-C),
 * and the SIGINT/SIGTERM handling that stops the main flow at its next step.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { appTomlScopes } from "../../helpers/app-scopes";
import type { ChildServer } from "../../helpers/child-server";

export { appTomlScopes };

export class BenchLifecycle {
  private readonly steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  private cleaning: Promise<void> | undefined;
  private interruptedBy: string | undefined;
  /** Aborted on SIGINT/SIGTERM, for waits that take a signal. */
  readonly interruption = new AbortController();

  /** @param stopping what Ctrl-C prints it stops, e.g. "the app and its database" */
  constructor(private readonly stopping: string) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (this.interruptedBy) return;
        this.interruptedBy = signal;
        this.interruption.abort();
        console.error(`\n${signal}: stopping ${stopping}...`);
        void this.cleanup().finally(() => process.exit(130));
      });
    }
  }

  get interrupted(): boolean {
    return this.interruptedBy !== undefined;
  }

  checkInterrupted(): void {
    if (this.interrupted) throw new Error("interrupted");
  }

  /** A clean-up step; returns a function that runs it now (and no more at the end). */
  onCleanup(name: string, run: () => Promise<void> | void): () => Promise<void> {
    const entry = { name, run };
    this.steps.push(entry);
    return async () => {
      const index = this.steps.indexOf(entry);
      if (index >= 0) this.steps.splice(index, 1);
      await run();
    };
  }

  /** A fresh temporary folder, removed at the end. Readable by others: as root, embedded PostgreSQL runs as `postgres`. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    chmodSync(dir, 0o755);
    this.onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      while (this.steps.length > 0) {
        const entry = this.steps.pop();
        if (!entry) break;
        try {
          await entry.run();
        } catch (error) {
          console.error(`cleanup "${entry.name}" failed:`, error instanceof Error ? error.message : error);
        }
      }
    })();
    return this.cleaning;
  }

  /**
   * Run the bench: an error is printed (not after Ctrl-C) and exits 1; the clean-up runs either way.
   * `verbose`: print the error's stack and announce the clean-up.
   */
  async run(main: () => Promise<void>, options: { verbose?: boolean } = {}): Promise<void> {
    try {
      await main();
    } catch (error) {
      if (!this.interrupted)
        console.error(
          error instanceof Error ? (options.verbose ? (error.stack ?? error.message) : error.message) : error,
        );
      process.exitCode = 1;
    } finally {
      if (!this.interrupted) {
        if (options.verbose) console.log(`Stopping ${this.stopping} ...`);
        await this.cleanup();
      }
    }
  }
}

/** Wait until a child process prints a line with `text`; fails with its log tail if it exits or takes too long. */
export async function waitForLine(child: ChildServer, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!child.sawLine(text)) {
    if (!child.running) throw new Error(`${child.name} exited (${child.exitCode}):\n${child.logTail()}`);
    if (Date.now() > deadline) throw new Error(`${child.name} did not print "${text}" in time:\n${child.logTail()}`);
    await sleep(100);
  }
}
