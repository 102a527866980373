/**
 * The app's side of a replay (replay.ts): Amends's real job queue drained on
 * the store clock, staff deciding offers that wait for approval, and the shop's
 * settings saved as the settings page saves them, and customers' ratings sent
 * through the public rating page's own action. Used by the demo's history
 * and by tests/integration/pipeline-truth.test.ts.
 *
 * Timers: graphile-worker keeps run_at on PostgreSQL's (real) clock, and jobs
 * queued to run at once carry the database's now. While replaying, store times
 * are mapped ten years back (installQueueTime), so a timer can never be taken
 * for a job queued to run at once, whatever the store clock reads. The drain
 * runs, one at a time and in the test's or demo's process, every job that is
 * due: timers in store-time order (moving the clock to each), jobs queued to
 * run at once at the clock's now. Afterwards toLiveQueue() puts the timers
 * still pending on the real timeline for a running worker.
 */
import type { JobHelpers } from "graphile-worker";
import { installQueueTime, installSleep } from "../../app/clock.server";
import { prisma } from "../../app/db.server";
import { shopContext } from "../../app/models/shop-settings.server";
import { DRAWN_DECISIONS, MATURITY_GRACE_DAYS } from "../../app/recovery/metrics";
import { taskList } from "../../app/jobs/task-list.server";
import { action as rateAction } from "../../app/routes/rate.$token";
import { fanOutWeeklyDigest } from "../../app/jobs/digest/weekly-digest-all-shops.server";
import { ApprovalError, approveOffer } from "../../app/services/approvals.server";
import { saveSettings, settingsForm } from "../../app/services/settings.server";
import { DAY, HOUR, type ControlledClock } from "../clock";
import { hash32 } from "../webhooks/rest-format";
import type { ReplayHooks } from "./replay";

/** How far back store times are queued while replaying. */
export const REPLAY_QUEUE_SHIFT_MS = 3650 * DAY;

/** Queue timers ten years back from their store time (call before replaying; undo with installQueueTime(undefined)). */
export function installReplayQueueTime(): void {
  installQueueTime((runAt) => new Date(runAt.getTime() - REPLAY_QUEUE_SHIFT_MS));
}

/** The account owner, who may approve any offer and change every setting. */
export interface StaffMember {
  userId: string;
  accountOwner: boolean;
}

export interface PipelineOptions {
  shop: string;
  clock: ControlledClock;
  seed: number;
  /** Who approves waiting offers, and within how many hours of their creation (drawn per incident). */
  approver?: StaffMember;
  approveWithinHours?: [number, number];
  /** No approvals from this store time on (the demo leaves its last offers waiting in the queue). */
  approveBefore?: Date;
  /**
   * Run the worker's daily 12:00 UTC schedule for shops (the weekly root-cause digest's fan-out,
   * decision 0118) on the store clock, as graphile-worker's cron would over the months replayed.
   */
  dailySchedules?: boolean;
}

export interface PipelineHooks extends ReplayHooks {
  jobsRun: number;
  approvals: number;
  /** Jobs that threw (task name and message): the replay does not retry them. */
  failures: Array<{ task: string; message: string }>;
  rate(link: string, score: number): Promise<boolean>;
}

interface DueJob {
  id: bigint;
  task: string;
  payload: unknown;
  run_at: Date;
}

export function pipelineHooks(options: PipelineOptions): PipelineHooks {
  const { shop, clock } = options;
  const [earliest, latest] = options.approveWithinHours ?? [1, 20];
  /** Run every job due up to `until` on the store clock, one at a time, as a worker would. */
  const drainDue = async (until: Date): Promise<void> => {
    for (;;) {
      // Jobs queued "now" carry real time, far above any replay timer.
      const immediateFrom = new Date(Date.now() - 365 * DAY);
      const nowQueued = new Date(clock.now().getTime() - REPLAY_QUEUE_SHIFT_MS);
      const untilQueued = new Date(until.getTime() - REPLAY_QUEUE_SHIFT_MS);
      const [job] = await prisma.$queryRaw<DueJob[]>`
        SELECT jobs.id, tasks.identifier AS task, jobs.payload, jobs.run_at
        FROM graphile_worker._private_jobs AS jobs
        JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
        WHERE jobs.locked_at IS NULL AND jobs.attempts < jobs.max_attempts
          AND (jobs.run_at >= ${immediateFrom} OR jobs.run_at <= ${untilQueued})
        ORDER BY CASE WHEN jobs.run_at >= ${immediateFrom} THEN ${nowQueued}::timestamptz ELSE jobs.run_at END, jobs.id
        LIMIT 1`;
      if (!job) return;
      if (job.run_at < immediateFrom) {
        const at = job.run_at.getTime() + REPLAY_QUEUE_SHIFT_MS;
        if (at > clock.now().getTime()) clock.set(new Date(at));
      }
      // Taken off the queue before it runs, as a worker locks it.
      await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE id = ${job.id}`;
      const task = taskList[job.task];
      const helpers = {
        job: { id: String(job.id), attempts: 1, max_attempts: 1, task_identifier: job.task },
      } as unknown as JobHelpers;
      try {
        if (!task) throw new Error(`no task ${job.task}`);
        await task(job.payload, helpers);
      } catch (error) {
        hooks.failures.push({ task: job.task, message: error instanceof Error ? error.message : String(error) });
      }
      hooks.jobsRun++;
    }
  };
  /** The next 12:00 UTC on the store clock at which the daily schedule runs. */
  let nextSchedule = nextNoonUtc(clock.now().getTime());
  const runSchedules = async (now: Date): Promise<boolean> => {
    if (!options.dailySchedules || now.getTime() < nextSchedule) return false;
    // Missed days are not run one by one (no backfill, as the cron): the digest itself catches up a week.
    while (nextSchedule <= now.getTime()) nextSchedule += DAY;
    await fanOutWeeklyDigest();
    return true;
  };
  const hooks: PipelineHooks = {
    jobsRun: 0,
    approvals: 0,
    failures: [],
    async drain(until) {
      // The app's waits for Shopify's later work (a bulk code job) move the store clock, as time would.
      const previousSleep = globalThis.__amendsSleep;
      installSleep(async (ms) => {
        clock.advance(ms);
      });
      try {
        await drainDue(until);
      } finally {
        installSleep(previousSleep);
      }
    },
    /**
     * The customer presses "Send my rating" on the page their follow-up's link opens: a POST of the
     * score to the app's public rating route (decision 0117) with the link's token, in process.
     */
    async rate(link, score) {
      const url = new URL(link);
      const token = decodeURIComponent(url.pathname.split("/").pop() ?? "");
      const request = new Request(new URL(`/rate/${encodeURIComponent(token)}`, url), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ score: String(score) }).toString(),
      });
      const response = await rateAction({ request, params: { token }, context: {} });
      await response.arrayBuffer();
      return response.status === 200;
    },
    async afterDrain(now) {
      const scheduled = await runSchedules(now);
      if (!options.approver || (options.approveBefore && now >= options.approveBefore)) return scheduled;
      const pending = await prisma.offer.findMany({
        where: { shop, status: "PENDING_APPROVAL" },
        select: { id: true, createdAt: true, incident: { select: { orderGid: true, type: true } } },
        orderBy: { createdAt: "asc" },
      });
      let changed = false;
      for (const offer of pending) {
        const draw = hash32(`${options.seed}:${offer.incident.orderGid}:${offer.incident.type}`) / 4_294_967_296;
        const after = (earliest + draw * (latest - earliest)) * HOUR;
        if (offer.createdAt.getTime() + after > now.getTime()) continue;
        try {
          await approveOffer(shop, offer.id, options.approver);
          hooks.approvals++;
          changed = true;
        } catch (error) {
          if (!(error instanceof ApprovalError)) throw error;
        }
      }
      return changed || scheduled;
    },
  };
  return hooks;
}

/** The first 12:00 UTC strictly after `ms`. */
export function nextNoonUtc(ms: number): number {
  const noon = Math.floor(ms / DAY) * DAY + 12 * HOUR;
  return noon > ms ? noon : noon + DAY;
}

/** The program settings a replay runs with, saved through the settings page's service as the owner. */
export async function saveDecisionSettings(
  shop: string,
  owner: StaffMember,
  decision: {
    holdoutShare: number;
    cooldownDays?: number;
    budget?: boolean;
    caps?: boolean;
    /** Offers worth more than this (in the shop's currency, e.g. "5.00") need a person's approval. */
    autoApproveCeiling?: string;
  },
): Promise<void> {
  const form = await settingsForm(shop, owner);
  const values = {
    ...form.values.decision,
    holdoutShare: String(decision.holdoutShare * 100),
    ...(decision.cooldownDays !== undefined ? { cooldownDays: String(decision.cooldownDays) } : {}),
    ...(decision.budget === false ? { monthlyBudgetMinor: "" } : {}),
    ...(decision.caps === false ? { yearlyCapPerCustomerMinor: "" } : {}),
    ...(decision.autoApproveCeiling !== undefined ? { autoApproveCeilingMinor: decision.autoApproveCeiling } : {}),
  };
  const saved = await saveSettings(shop, owner, { decision: values });
  if (!saved.ok) throw new Error(`saving the replay's settings failed: ${JSON.stringify(saved)}`);
}

/**
 * Amends was installed when the history starts: the lifecycle stage reads orders it has not seen
 * as older than the install (app/services/lifecycle.server.ts), and the Shop row's default is the
 * database's real now, years after a replayed store's clock.
 */
export async function installedAtHistoryStart(shop: string, start: Date): Promise<void> {
  await prisma.shop.update({ where: { shop }, data: { installedAt: start } });
}

/** The lifecycle stage thresholds (decision 0115), through the settings page's own save. */
export async function saveLifecycleSettings(
  shop: string,
  owner: StaffMember,
  lifecycle: { lapsedAfterDays?: number; frequentMinEarlierOrders?: number },
): Promise<void> {
  const form = await settingsForm(shop, owner);
  const saved = await saveSettings(shop, owner, {
    lifecycle: {
      ...form.values.lifecycle,
      ...(lifecycle.lapsedAfterDays !== undefined ? { lapsedAfterDays: String(lifecycle.lapsedAfterDays) } : {}),
      ...(lifecycle.frequentMinEarlierOrders !== undefined
        ? { frequentMinEarlierOrders: String(lifecycle.frequentMinEarlierOrders) }
        : {}),
    },
  });
  if (!saved.ok) throw new Error(`saving the lifecycle settings failed: ${JSON.stringify(saved)}`);
}

/**
 * The experiment's round size (decision 0111), through the settings page's own save: the replay
 * reads its one readout over every incident whose window has closed.
 */
export async function saveReadoutSize(shop: string, owner: StaffMember, readoutIncidents: number): Promise<void> {
  const form = await settingsForm(shop, owner);
  const saved = await saveSettings(shop, owner, {
    attribution: { ...form.values.attribution, readoutIncidents: String(readoutIncidents) },
  });
  if (!saved.ok) throw new Error(`saving the readout size failed: ${JSON.stringify(saved)}`);
}

/**
 * The incidents a readout at `asOf` can count: drawn, with a customer, their window closed
 * (app/recovery/metrics/experiment.ts, readoutRounds).
 */
export async function maturedExperimentIncidents(shop: string, asOf: Date): Promise<number> {
  const { windowDays } = (await shopContext(shop)).recovery.attribution;
  const before = new Date(asOf.getTime() - (windowDays + MATURITY_GRACE_DAYS) * DAY);
  return prisma.incident.count({
    where: { shop, decision: { in: [...DRAWN_DECISIONS] }, customerGid: { not: null }, detectedAt: { lte: before } },
  });
}

/**
 * The incidents of the shop's experiments with arms (decision 0119) a readout at `asOf` can count:
 * as maturedExperimentIncidents, among those with an arm assignment (held-out ones included).
 */
export async function maturedArmIncidents(shop: string, asOf: Date): Promise<number> {
  const { windowDays } = (await shopContext(shop)).recovery.attribution;
  const before = new Date(asOf.getTime() - (windowDays + MATURITY_GRACE_DAYS) * DAY);
  return prisma.incident.count({
    where: {
      shop,
      decision: { in: [...DRAWN_DECISIONS] },
      customerGid: { not: null },
      detectedAt: { lte: before },
      armAssignment: { isNot: null },
    },
  });
}

/**
 * The readout size a replayed shop reads its experiments with: one round over every matured
 * incident of its arms experiment when that has the 100 a round needs (the holdout experiment then
 * reads its first round of that many), else every matured incident (decision 0310).
 */
export async function replayReadoutSize(shop: string, asOf: Date): Promise<number> {
  const arms = await maturedArmIncidents(shop, asOf);
  return arms >= 100 ? arms : Math.max(100, await maturedExperimentIncidents(shop, asOf));
}

/**
 * After a replay, for a running worker: the timers still pending move from the replay's shifted
 * timeline to the real one, given where the store clock stands now (`storeNow`) against real time.
 */
export async function toLiveQueue(storeNow: Date): Promise<number> {
  const offsetSeconds = (REPLAY_QUEUE_SHIFT_MS - (storeNow.getTime() - Date.now())) / 1000;
  return prisma.$executeRaw`UPDATE graphile_worker._private_jobs
    SET run_at = run_at + make_interval(secs => ${offsetSeconds}::double precision)
    WHERE locked_at IS NULL AND run_at < now() - interval '365 days'`;
}
