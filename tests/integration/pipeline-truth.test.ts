/**
 * The dashboard's lift against a world whose truth is known. A seeded world (sandbox/history) is
 * replayed through the real pipeline: the sandbox store's webhooks go through the real route,
 * every job they lead to runs on the store clock (detection, decisions with the holdout draw,
 * issuing through the sandbox Admin API, attribution of new orders), staff approve what waits for
 * approval, and customers answer only the make-goods Amends actually issued. Then the lift the
 * metrics report for the incidents whose 90-day windows have closed must contain the world's true
 * effect and say something: exclude no effect and nonsense.
 */
// First: Amends's holdout draw hashes incident ids; seeded ids make the assignment repeatable.
import "../helpers/seeded-uuid";
import { beforeAll, expect, test } from "vitest";
import { installQueueTime } from "../../app/clock.server";
import { prisma } from "../../app/db.server";
import { recoveryMetrics } from "../../app/services/metrics.server";
import { gid } from "../../sandbox";
import {
  installReplayQueueTime,
  maturedExperimentIncidents,
  pipelineHooks,
  saveDecisionSettings,
  saveReadoutSize,
} from "../../sandbox/history/pipeline";
import { replayWorld, type ReplayResult } from "../../sandbox/history/replay";
import { buildWorld, effectTruth, type World, type WorldFailure } from "../../sandbox/history/world";
import { DAY } from "../../sandbox/clock";
import { mswServer } from "../helpers/msw";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "pipeline-truth.myshopify.com";
const OWNER = { userId: "1001", accountOwner: true };
// A Monday, before the real clock (the replay's timers are queued on a timeline of their own).
const END = new Date("2025-06-02T16:00:00Z");
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";
const WORLD = {
  shop: SHOP,
  seed: 12,
  customers: 2_500,
  ordersPerDay: 10,
  // Failures happen in the first 15 days; the last 105 only let their windows close, quietly (the
  // last failures are detected some days after their orders, and every window must close). Nearly
  // every order of those days goes wrong (each order costs the pipeline a dozen jobs, so the test
  // pays only for orders that make incidents).
  days: 120,
  quietDays: 105,
  quietCarriers: true,
  rates: { lateFulfillment: 0.6, carrierDelay: 0.3, deliveryFailure: 0.08, refund: 0.15, cancellation: 0.08 },
  effect: 0.7,
  churnAfterFailure: 0.3,
};
const HOLDOUT_SHARE = 0.5;

// A world replay, not about tokens: one fixed token (the sandbox switch) instead of hourly refreshes.
const sandbox = sandboxForTests({ admin: { accessTokens: { [SHOP]: "token" } } });
let world: World;
let replay: ReplayResult;
let hooks: ReturnType<typeof pipelineHooks>;

beforeAll(async () => {
  // sandboxForTests puts the sandbox in front of msw before each test; the replay runs before them.
  mswServer.use(...sandbox.handlers);
  await resetSandbox(sandbox, new Date(END.getTime() - WORLD.days * DAY));
  sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "America/New_York" });
  await prisma.shop.create({ data: { shop: SHOP, timezone: "America/New_York", currency: "USD" } });
  await installOfflineSession(SHOP, { scope: SCOPES, accessToken: "token" });
  await saveDecisionSettings(SHOP, OWNER, { holdoutShare: HOLDOUT_SHARE, cooldownDays: 0, budget: false, caps: false });
  world = buildWorld(sandbox.store, WORLD, END.getTime());
  hooks = pipelineHooks({ shop: SHOP, clock: sandbox.clock, seed: WORLD.seed, approver: OWNER });
  installReplayQueueTime();
  try {
    replay = await replayWorld({ sandbox, world, hooks });
  } finally {
    installQueueTime(undefined);
  }
}, 300_000);

/** Amends's incidents whose windows have closed, each with the world failure it is (same order, same kind). */
async function maturedIncidents(period: { from: Date; to: Date }) {
  const incidents = await prisma.incident.findMany({
    where: { shop: SHOP, detectedAt: { gte: period.from, lt: period.to } },
    select: { orderGid: true, type: true, decision: true, holdout: true, customerGid: true },
  });
  const failures = new Map<string, WorldFailure>();
  for (const f of world.failures) if (f.plan.orderId) failures.set(`${gid("Order", f.plan.orderId)}:${f.kind}`, f);
  return incidents.map((i) => ({ ...i, failure: failures.get(`${i.orderGid}:${i.type}`) ?? null }));
}

/**
 * The dashboard's readout over every incident whose window has closed (the test looks once, so
 * its one round is all of them): the lift by assignment, and the lift per make-good that went out,
 * which is what the world's truth measures (decision 0111).
 */
async function measuredLift() {
  const matured = await maturedExperimentIncidents(SHOP, END);
  await saveReadoutSize(SHOP, OWNER, Math.max(100, matured));
  const metrics = await recoveryMetrics(SHOP, { from: new Date(world.start), to: END, asOf: END });
  const readout = metrics.experiment.readouts[0];
  if (!readout?.lift || !readout.perIssued) throw new Error(`no readout: ${metrics.experiment.sentence}`);
  return {
    matured,
    itt: readout.lift.difference,
    issuedShare: readout.issuedShare,
    difference: readout.perIssued.difference,
    low: readout.perIssued.interval.low,
    high: readout.perIssued.interval.high,
    readout,
  };
}

/** What Amends made of the world, for assertion messages. */
async function pipelineSummary(): Promise<string> {
  const [decisions, offers] = await Promise.all([
    prisma.incident.groupBy({ by: ["type", "decision", "holdout"], where: { shop: SHOP }, _count: true }),
    prisma.offer.groupBy({ by: ["kind", "status"], where: { shop: SHOP }, _count: true }),
  ]);
  return JSON.stringify({ decisions, offers, makeGoods: replay.makeGoods, persuaded: replay.persuadedOrders });
}

test("the replay ran the real pipeline cleanly: incidents, offers issued through the Admin API, persuaded orders", async () => {
  expect(hooks.failures).toEqual([]);
  expect(replay.makeGoods, await pipelineSummary()).toBeGreaterThan(30);
  expect(replay.persuadedOrders).toBeGreaterThan(15);
  expect(replay.outcomes.filter((o) => o.redeemed).length).toBeGreaterThan(10);
});

test("the dashboard's readout contains the world's true effect, and excludes no effect", async () => {
  const maturedBefore = new Date(END.getTime() - 91 * DAY);
  const incidents = await maturedIncidents({ from: new Date(world.start), to: maturedBefore });
  // As the readout counts them: through the draw, with a customer to follow (guests are outside it).
  const drawn = incidents.filter(
    (i) => ["OFFER", "HOLDOUT", "NO_OFFER"].includes(i.decision ?? "") && i.customerGid !== null && i.failure,
  );
  // Nearly every incident is a world failure (Amends may count a cancellation the world's rules do
  // not); the truth is taken over those that are.
  expect(incidents.filter((i) => i.failure === null).length, await pipelineSummary()).toBeLessThanOrEqual(3);
  expect(drawn.length).toBeGreaterThan(70);
  expect(drawn.filter((i) => i.holdout).length).toBeGreaterThanOrEqual(30);

  // The truth over the incidents the readout counts: what an issued make-good changes for them.
  const truth = effectTruth(drawn.map((i) => i.failure as WorldFailure));
  const measured = await measuredLift();
  expect(measured.readout.treated.incidents + measured.readout.holdout.incidents).toBe(measured.matured);
  expect(truth.effect).not.toBeNull();
  const record = JSON.stringify({ truth, lift: { ...measured, readout: undefined }, incidents: drawn.length });
  expect(measured.low, record).toBeLessThanOrEqual(truth.effect as number);
  expect(measured.high, record).toBeGreaterThanOrEqual(truth.effect as number);
  expect(measured.low).toBeGreaterThan(0);
  expect(measured.high - measured.low).toBeLessThan(0.6);
  // The world's own truth over all its failures is of the same size as the seeded effect allows.
  expect(replay.truth.effect).toBeGreaterThan(0.1);
});
