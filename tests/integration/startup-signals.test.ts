/**
 * A Ctrl-C (SIGINT) or SIGTERM while the app is still starting stops the embedded PostgreSQL it
 * started: before, Node's default action ended the process without its exit hooks, and the database
 * kept running (found after stopping the demo's first start, which replays history for minutes).
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { postmasterPid } from "../helpers/child-server";

let dir: string | undefined;

afterEach(() => {
  if (!dir) return;
  // Whatever the test saw, never leave a server behind.
  const left = postmasterPid(path.join(dir, "pg"));
  if (left !== undefined) process.kill(left, "SIGINT");
  rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

test.each(["SIGINT", "SIGTERM"] as const)(
  "%s while starting ends the process and stops the embedded PostgreSQL it started",
  async (signal) => {
    dir = mkdtempSync(path.join(os.tmpdir(), "amends-signal-"));
    // As root, embedded PostgreSQL runs as the `postgres` user, which must reach the data folder.
    chmodSync(dir, 0o755);
    const dataDir = path.join(dir, "pg");
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/signal-while-starting.ts"], {
      env: { ...process.env, SIGNAL_TEST_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("database up")) resolve();
      });
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      void exited.then((code) =>
        reject(new Error(`the process ended (${code}) before its database was up: ${output}`)),
      );
    });
    const pid = postmasterPid(dataDir);
    expect(pid).toBeGreaterThan(0);

    child.kill(signal);
    expect(await exited).toBe(130);
    await expect.poll(() => postmasterPid(dataDir), { timeout: 20_000, interval: 100 }).toBeUndefined();
  },
  60_000,
);
