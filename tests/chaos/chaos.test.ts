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
import { FAULTS } from "./faults";
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
    ledgerMismatchMinor: r.ledgerMismatchMinor,
    deliveriesLost: r.deliveriesLost,
    timedOut: r.timedOut,
  }));
  expect(figures, output).toEqual(
    report.results.map((r) => ({
      fault: r.fault,
      duplicated: 0,
      lost: 0,
      overSpendMinor: 0,
      ledgerMismatchMinor: 0,
      deliveriesLost: 0,
      timedOut: false,
    })),
  );
  // All six faults ran, each really happened, and the loop really ran under them.
  expect(report.results.map((r) => r.fault)).toEqual([...FAULTS]);
  for (const r of report.results) {
    expect(r.signals, r.fault).toBeGreaterThan(0);
    expect(r.offersDecided, r.fault).toBeGreaterThanOrEqual(r.signals);
  }
  const injected = Object.fromEntries(report.results.map((r) => [r.fault, r.injected])) as Record<
    (typeof FAULTS)[number],
    Record<string, number | string>
  >;
  const landed = {
    kills: injected["worker-kill"].kills,
    "5xx/timeouts": injected["admin-faults"]["5xx/timeouts"],
    "lost answers": injected["admin-faults"]["lost answers"],
    restarts: injected["postgres-restart"].restarts,
    "webhooks dropped": injected.webhooks.dropped,
    "orders/create dropped": injected.webhooks["orders/create dropped"],
    "fulfillment_events/create dropped": injected.webhooks["fulfillment_events/create dropped"],
    "webhooks duplicated": injected.webhooks.duplicated,
    approved: injected.approvals.approved,
    "clock jump h": injected["clock-jump"]["jump h"],
  };
  for (const [what, n] of Object.entries(landed)) expect(n, `${what} (${output})`).toBeGreaterThan(0);
  expect(injected["clock-jump"].to, output).not.toBe(injected["clock-jump"].from);
  // Money-bearing kinds under kills and lost answers: cards and credits were issued, and lost answers
  // hit their creates (each issued once all the same: duplicated and ledger-off are 0 above).
  for (const fault of ["worker-kill", "admin-faults"] as const) {
    const r = report.results.find((x) => x.fault === fault)!;
    for (const kind of ["DISCOUNT_FIXED", "GIFT_CARD", "STORE_CREDIT"])
      expect(r.issuedByKind[kind] ?? 0, `${fault} ${kind} (${output})`).toBeGreaterThan(0);
  }
  expect(injected["admin-faults"]["lost answers to creates"], output).toMatch(/giftCardCreate [1-9]/);
  expect(injected["admin-faults"]["lost answers to creates"], output).toMatch(/storeCreditAccountCredit [1-9]/);
  expect(code, output).toBe(0);
}, 240_000);
