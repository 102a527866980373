/**
 * The demo's first start with history: the seeded world replayed through the running app (its
 * webhooks over HTTP to /webhooks, its jobs drained on the store clock), and what the store
 * control panel shows of the truth beside what Amends measured.
 */
import { DAY } from "../sandbox/clock";
import type { Sandbox } from "../sandbox";
import type { HistoryTruth, MeasuredLift } from "../sandbox/demo/panel";
import {
  installedAtHistoryStart,
  installReplayQueueTime,
  pipelineHooks,
  replayReadoutSize,
  saveDecisionSettings,
  saveLifecycleSettings,
  saveReadoutSize,
  type StaffMember,
} from "../sandbox/history/pipeline";
import { replayWorld } from "../sandbox/history/replay";
import { buildWorld, issuedTruth, type WorldOptions } from "../sandbox/history/world";
import type { Grid } from "../app/recovery/grid/schema";

export interface DemoReplayInput {
  sandbox: Sandbox;
  shop: string;
  world: WorldOptions;
  holdoutShare: number;
  /** The grid the shop decides by (saved as its owner before the history starts). */
  grid: Grid;
  lifecycle: { lapsedAfterDays?: number };
  owner: StaffMember;
  onProgress?: (message: string) => void;
}

export async function replayDemoHistory(input: DemoReplayInput): Promise<{ endedAt: Date; truth: HistoryTruth }> {
  const { sandbox, shop } = input;
  const { installQueueTime } = await import("../app/clock.server");
  // Make-goods above 5.00 wait for a person: the owner approves them within hours, until the end.
  await saveDecisionSettings(shop, input.owner, { holdoutShare: input.holdoutShare, autoApproveCeiling: "5.00" });
  // The demo grid (an experiment, the preferred-kind option) and its lifecycle thresholds.
  const { saveGrid } = await import("../app/models/grid.server");
  await saveGrid(shop, input.grid, input.owner.userId);
  await saveLifecycleSettings(shop, input.owner, input.lifecycle);
  // The history ends now (to the minute): the app opens on today with months behind it.
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const world = buildWorld(sandbox.store, input.world, end);
  await installedAtHistoryStart(shop, new Date(world.start));
  const hooks = pipelineHooks({
    shop,
    clock: sandbox.clock,
    seed: world.options.seed,
    approver: input.owner,
    // Staff stop approving a day and a half before the end: the queue opens with offers waiting.
    approveBefore: new Date(end - 36 * 3_600_000),
    // The weekly root-cause digests of the months replayed, as the worker's schedule sends them.
    dailySchedules: true,
  });
  const started = performance.now();
  installReplayQueueTime();
  let result;
  try {
    result = await replayWorld({
      sandbox,
      world,
      hooks: {
        ...hooks,
        drain: hooks.drain,
        afterDrain: hooks.afterDrain,
        progress: (done, total) =>
          input.onProgress?.(
            `history: ${done} store events replayed (${total} planned, plus persuaded orders), ${hooks.jobsRun} jobs run, ${hooks.approvals} approvals (${Math.round((performance.now() - started) / 1000)} s)`,
          ),
      },
      progressEvery: 500,
    });
  } finally {
    installQueueTime(undefined);
  }
  if (hooks.failures.length > 0)
    input.onProgress?.(`history: ${hooks.failures.length} job(s) failed while replaying (not retried)`);
  input.onProgress?.(
    `history: ${result.makeGoods} make-goods, ${result.persuadedOrders} persuaded orders, ${result.followUps} follow-ups with a rating link, ${result.ratings} ratings (${result.ratingsRefused} refused) in ${Math.round((performance.now() - started) / 1000)} s`,
  );
  // The demo shop reads its experiments in one round over every incident of its arms experiment
  // whose window has closed (decision 0111: a shop sets its round size; decision 0310).
  await saveReadoutSize(shop, input.owner, await replayReadoutSize(shop, new Date(end)));
  // From here the store clock runs on from the end of the history at real speed.
  sandbox.clock.set(new Date(end));
  sandbox.clock.unfreeze();
  const horizonDays = world.options.horizonDays;
  return {
    endedAt: new Date(end),
    truth: {
      effectParameter: world.options.effect,
      effectByKind: world.options.effectByKind,
      ratings: result.ratings,
      horizonDays,
      holdoutShare: input.holdoutShare,
      from: new Date(world.start),
      maturedBefore: new Date(end - horizonDays * DAY),
      // Each make-good's effect depends on its kind: the truth is over the failures that got one.
      all: issuedTruth(result.outcomes, world.options),
      matured: issuedTruth(
        result.outcomes.filter((o) => o.failure.at <= end - horizonDays * DAY),
        world.options,
      ),
      makeGoods: result.makeGoods,
      persuadedOrders: result.persuadedOrders,
      redeemed: result.outcomes.filter((o) => o.redeemed).length,
    },
  };
}

/**
 * What Amends measured, for the panel: the dashboard's latest readout (decision 0111), the lift by
 * assignment and per make-good that went out, over incidents whose windows have closed.
 */
export async function measuredLift(shop: string, truth: HistoryTruth): Promise<MeasuredLift> {
  const { recoveryMetrics } = await import("../app/services/metrics.server");
  const metrics = await recoveryMetrics(shop, { from: truth.from, to: truth.maturedBefore });
  const { experiment } = metrics;
  const readout = experiment.readouts[experiment.readouts.length - 1];
  return {
    treated: readout?.treated.incidents ?? 0,
    holdout: readout?.holdout.incidents ?? 0,
    difference: readout?.lift?.difference ?? null,
    interval: readout?.lift?.interval ?? null,
    perIssued: readout?.perIssued ?? null,
    sentence: experiment.sentence,
  };
}
