/**
 * The chaos suite at a small scale (`npm run chaos` is the full run): each fault once, in its own
 * process tree (embedded PostgreSQL, a worker process it kills, the sandbox), and the targets
 * asserted: no duplicated make-good, no lost signal, no budget over-spend, no acknowledged
 * webhook missing from the inbox. Seeded, so a failure reproduces with the printed command.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import type { FaultResult } from "./run";

const dir = mkdtempSync(path.join(os.tmpdir(), "amends-chaos-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEED = 14;
const SCALE = 0.25;

function runChaos(out: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("tests/chaos/run.ts"), `--seed=${SEED}`, `--scale=${SCALE}`, `--out=${out}`],
    { env: { ...process.env, DATABASE_URL: "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

test("under every fault the loop issues each make-good once, loses no signal or delivery and keeps to the budget", async () => {
  const out = path.join(dir, "chaos.json");
  const { code, output } = await runChaos(out);
  expect(existsSync(out), output).toBe(true);
  const report = JSON.parse(readFileSync(out, "utf8")) as { results: FaultResult[]; pass: boolean };
  const figures = report.results.map((r) => ({
    fault: r.fault,
    duplicated: r.duplicated,
    lost: r.lost,
    overSpendMinor: r.overSpendMinor,
    deliveriesLost: r.deliveriesLost,
    timedOut: r.timedOut,
  }));
  expect(figures, output).toEqual(
    report.results.map((r) => ({
      fault: r.fault,
      duplicated: 0,
      lost: 0,
      overSpendMinor: 0,
      deliveriesLost: 0,
      timedOut: false,
    })),
  );
  // The faults really happened and the loop really ran under them.
  for (const r of report.results) {
    expect(r.signals, r.fault).toBeGreaterThan(0);
    expect(r.offersDecided, r.fault).toBeGreaterThanOrEqual(r.signals);
  }
  expect(code, output).toBe(0);
}, 240_000);
