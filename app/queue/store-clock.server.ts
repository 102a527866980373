/**
 * For a store clock that runs ahead of real time (the demo's control panel, tests with a real
 * worker): graphile-worker compares run_at with PostgreSQL's clock, so timers are queued on the
 * real timeline (installQueueTime maps store time to it), and moving the store clock on brings the
 * pending ones forward by the same amount, so "3 days later" runs what has come due.
 */
import { installQueueTime } from "../clock.server";
import { prisma } from "../db.server";

/** Queue timers on the real timeline, `store.now() - Date.now()` earlier than their store time. */
export function followStoreClock(storeNow: () => Date): void {
  installQueueTime((runAt) => new Date(runAt.getTime() - (storeNow().getTime() - Date.now())));
}

/** The store clock moved on by `ms`: pending jobs not yet due come forward by as much. */
export async function bringPendingJobsForward(ms: number): Promise<number> {
  return prisma.$executeRaw`UPDATE graphile_worker._private_jobs
    SET run_at = run_at - make_interval(secs => ${ms / 1000}::double precision)
    WHERE locked_at IS NULL AND run_at > now()`;
}
