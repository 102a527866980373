/**
 * Run the app's real tasks (app/jobs/task-list.server.ts) one at a time, in the test's process,
 * on the sandbox clock: the whole loop, deterministic, without a worker. A job is due when its
 * run_at has passed on the sandbox clock; a job queued without run_at carries the database's real
 * time (later than `realStart`), so it is due at once. Each job is removed before it runs, as a
 * worker locks it; a failure that would be retried is rethrown so the test sees it.
 */
import type { JobHelpers } from "graphile-worker";
import { prisma } from "../../app/db.server";
import { taskList } from "../../app/jobs/task-list.server";
import { DETECT_DEBOUNCE_MS } from "../../app/services/detection.server";
import type { Sandbox } from "../../sandbox";
import { jobs } from "./db";

export interface JobRunner {
  /** Run what is due until nothing is; returns the task names in the order they ran. */
  runDue(hold?: readonly string[]): Promise<string[]>;
  /**
   * After store activity: run what is due, let the detect-order debounce pass, run again, then let
   * Shopify's asynchronous code adds finish (codeAdds).
   */
  settle(hold?: readonly string[]): Promise<void>;
  /**
   * Run each pending check-code-add job at its time (moving the clock forward to it), until none is
   * left: Shopify's asynchronous code adds read back as a worker would.
   */
  codeAdds(hold?: readonly string[]): Promise<void>;
  /** Move the sandbox clock to an instant and run what is due. */
  at(instant: Date): Promise<void>;
}

/** Call in beforeEach (after resetting the sandbox): `realStart` is taken then. */
export function jobRunner(sandbox: Sandbox, options: { only?: readonly string[] } = {}): JobRunner {
  const realStart = new Date(Date.now() - 1_000);
  const runDue = async (hold: readonly string[] = []) => {
    const ran: string[] = [];
    for (let guard = 0; guard < 500; guard++) {
      const now = sandbox.clock.now().getTime();
      const immediate = (j: { run_at: Date }) => (j.run_at >= realStart ? 1 : 0);
      const due = (await jobs()).filter(
        (j) =>
          (!options.only || options.only.includes(j.task_identifier)) &&
          !hold.includes(j.task_identifier) &&
          (j.run_at.getTime() <= now || j.run_at >= realStart),
      );
      const job = due.sort(
        (a, b) => immediate(a) - immediate(b) || a.run_at.getTime() - b.run_at.getTime() || Number(a.id) - Number(b.id),
      )[0];
      if (!job) return ran;
      await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE id = ${BigInt(job.id)}`;
      const task = taskList[job.task_identifier];
      if (!task) throw new Error(`no task ${job.task_identifier}`);
      const helpers = {
        job: { id: job.id, attempts: 1, max_attempts: 10, task_identifier: job.task_identifier },
      } as unknown as JobHelpers;
      await task(job.payload, helpers);
      ran.push(job.task_identifier);
    }
    throw new Error("jobs kept coming");
  };
  const codeAdds = async (hold: readonly string[] = []) => {
    for (let guard = 0; guard < 100; guard++) {
      const checks = (await jobs()).filter((j) => j.task_identifier === "check-code-add");
      if (checks.length === 0 || hold.includes("check-code-add")) return;
      const next = Math.min(...checks.map((j) => j.run_at.getTime()));
      if (next > sandbox.clock.now().getTime()) sandbox.clock.set(new Date(next));
      await runDue(hold);
    }
    throw new Error("code add checks kept coming");
  };
  return {
    runDue,
    codeAdds,
    async settle(hold = []) {
      await runDue(hold);
      sandbox.clock.advance(DETECT_DEBOUNCE_MS + 1);
      await runDue(hold);
      await codeAdds(hold);
    },
    async at(instant) {
      sandbox.clock.set(instant);
      await runDue();
    },
  };
}
