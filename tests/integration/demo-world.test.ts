/**
 * The demo's world for issue 16 (part 8), small, replayed through the real pipeline as the demo
 * replays its history (sandbox/history, scripts/demo-replay.ts): the demo's grid (an experiment of a
 * 15% code against $10 store credit in every minor and moderate cell, the customer's preferred
 * kind in the major and critical rows), Flow workflows on the incident, offer and follow-up triggers, customers who
 * answer follow-ups' ratings through the public rating page. The world's persuasion depends on the
 * make-good's kind, so the experiment's arms have known true effects, and the readout's difference
 * between them must be consistent with that truth.
 */
// First: Amends's holdout draw hashes incident ids; seeded ids make the assignment repeatable.
import "../helpers/seeded-uuid";
import { beforeAll, expect, test } from "vitest";
import { installQueueTime } from "../../app/clock.server";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { lastCompleteWeek } from "../../app/recovery/digest/digest";
import { timeToFirstContact } from "../../app/services/first-contact.server";
import { recoveryMetrics } from "../../app/services/metrics.server";
import { csatOfPeriod } from "../../app/services/ratings/csat.server";
import { lowRatingRows } from "../../app/services/ratings/ratings.server";
import {
  FOLLOW_UP_TRIGGER,
  INCIDENT_DETECTED_TRIGGER,
  OFFER_ISSUED_TRIGGER,
  RATED_LOW_TRIGGER,
  DIGEST_READY_TRIGGER,
} from "../../app/shopify/flow/triggers";
import { gid } from "../../sandbox";
import { DAY } from "../../sandbox/clock";
import {
  installedAtHistoryStart,
  installReplayQueueTime,
  maturedArmIncidents,
  nextNoonUtc,
  pipelineHooks,
  replayReadoutSize,
  saveDecisionSettings,
  saveLifecycleSettings,
  saveReadoutSize,
} from "../../sandbox/history/pipeline";
import { replayWorld, type ReplayResult } from "../../sandbox/history/replay";
import {
  buildWorld,
  ratingOf,
  repurchasedWithKind,
  type MakeGoodKind,
  type World,
  type WorldFailure,
  type WorldOptions,
} from "../../sandbox/history/world";
import { DEMO_ARM_EFFECTS, DEMO_HOLDOUT_SHARE, demoGrid } from "../../scripts/demo-history";
import { enableFlowTriggers } from "../helpers/flow";
import { mswServer } from "../helpers/msw";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "demo-world.myshopify.com";
const OWNER = { userId: "1001", accountOwner: true };
// A Monday, before the real clock (the replay's timers are queued on a timeline of their own).
const END = new Date("2025-06-02T16:00:00Z");
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";
const WORLD: WorldOptions = {
  shop: SHOP,
  seed: 16,
  // Few customers for the orders: repeat customers, so redemptions teach preferred kinds and
  // stages vary (first order, returning, frequent, lapsed).
  customers: 400,
  ordersPerDay: 14,
  // Failures in the first 25 days; the last 105 only let their windows close, quietly.
  days: 130,
  quietDays: 105,
  quietCarriers: true,
  rates: { lateFulfillment: 0.6, carrierDelay: 0.3, deliveryFailure: 0.08, refund: 0.15, cancellation: 0.08 },
  effect: 0.5,
  effectByKind: { discount: DEMO_ARM_EFFECTS.code, storeCredit: DEMO_ARM_EFFECTS.credit },
  // Persuaded orders come soon, so a redemption precedes the customer's next failure.
  persuasionDays: 5,
  churnAfterFailure: 0.3,
};
/** The arms of the demo's experiment, in order: A a code, B store credit. */
const ARM_KINDS: readonly MakeGoodKind[] = ["discount", "storeCredit"];

// A world replay, not about tokens: one fixed token (the sandbox switch) instead of hourly refreshes.
const sandbox = sandboxForTests({ admin: { accessTokens: { [SHOP]: "token" } } });
let world: World;
let replay: ReplayResult;
let hooks: ReturnType<typeof pipelineHooks>;
/** The store clock's span over the replay: the daily schedule ran at every 12:00 UTC inside it. */
let scheduleFrom = 0;
let scheduleTo = 0;
let replayMs = 0;

beforeAll(async () => {
  mswServer.use(...sandbox.handlers);
  await resetSandbox(sandbox, new Date(END.getTime() - (WORLD.days as number) * DAY));
  sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "America/New_York" });
  await prisma.shop.create({ data: { shop: SHOP, timezone: "America/New_York", currency: "USD" } });
  await installOfflineSession(SHOP, { scope: SCOPES, accessToken: "token" });
  // As the demo merchant: workflows on the acknowledgement, offer, follow-up, low-rating and digest triggers.
  await enableFlowTriggers(SHOP, [
    INCIDENT_DETECTED_TRIGGER,
    OFFER_ISSUED_TRIGGER,
    FOLLOW_UP_TRIGGER,
    RATED_LOW_TRIGGER,
    DIGEST_READY_TRIGGER,
  ]);
  // The demo's settings: its holdout share, offers above 5.00 wait for the owner (time to offer varies).
  await saveDecisionSettings(SHOP, OWNER, {
    holdoutShare: DEMO_HOLDOUT_SHARE,
    cooldownDays: 0,
    budget: false,
    caps: false,
    autoApproveCeiling: "5.00",
  });
  await saveGrid(SHOP, await demoGrid(), OWNER.userId);
  // The demo's 60 lapsed days over 150, scaled to this world's 25 days of failures.
  await saveLifecycleSettings(SHOP, OWNER, { lapsedAfterDays: 10 });
  world = buildWorld(sandbox.store, WORLD, END.getTime());
  await installedAtHistoryStart(SHOP, new Date(world.start));
  hooks = pipelineHooks({ shop: SHOP, clock: sandbox.clock, seed: WORLD.seed, approver: OWNER, dailySchedules: true });
  scheduleFrom = sandbox.clock.now().getTime();
  installReplayQueueTime();
  const started = performance.now();
  try {
    replay = await replayWorld({ sandbox, world, hooks });
  } finally {
    installQueueTime(undefined);
    replayMs = performance.now() - started;
    scheduleTo = sandbox.clock.now().getTime();
  }
}, 1_200_000);

const failureByIncident = () => {
  const failures = new Map<string, WorldFailure>();
  for (const f of world.failures) if (f.plan.orderId) failures.set(`${gid("Order", f.plan.orderId)}:${f.kind}`, f);
  return (i: { orderGid: string; type: string }) => failures.get(`${i.orderGid}:${i.type}`) ?? null;
};

async function summary(): Promise<string> {
  const [decisions, offers, arms] = await Promise.all([
    prisma.incident.groupBy({ by: ["type", "severity", "decision"], where: { shop: SHOP }, _count: true }),
    prisma.offer.groupBy({ by: ["kind", "status"], where: { shop: SHOP }, _count: true }),
    prisma.armAssignment.groupBy({ by: ["arm"], where: { shop: SHOP }, _count: true }),
  ]);
  return JSON.stringify({
    replaySeconds: Math.round(replayMs / 1000),
    jobs: hooks.jobsRun,
    decisions,
    offers,
    arms,
    makeGoods: replay.makeGoods,
    persuaded: replay.persuadedOrders,
    followUps: replay.followUps,
    ratings: replay.ratings,
  });
}

test("the replay ran cleanly, acknowledged every customer's incident through Flow, and assigned arms", async () => {
  // What the replay cost and made, for the record (decision 0310 quotes it).
  process.stdout.write(`demo-world replay: ${await summary()}\n`);
  expect(hooks.failures).toEqual([]);
  expect(replay.makeGoods).toBeGreaterThan(50);

  // The first-contact card: incidents with a customer acknowledged at detection (Flow), within target.
  const contact = await timeToFirstContact(SHOP, { from: new Date(world.start), to: END }, 15, END);
  expect(contact.incidents).toBeGreaterThan(100);
  // At detection, blind to the decision (decision 0113): nearly all at once, on the store clock.
  expect(contact.acknowledged / contact.incidents, JSON.stringify(contact)).toBeGreaterThan(0.95);
  expect(contact.shareWithinTarget, JSON.stringify(contact)).toBeGreaterThan(0.9);

  // Both arms and the held-out control of the one experiment; each customer keeps their arm.
  const assignments = await prisma.armAssignment.findMany({
    where: { shop: SHOP },
    select: { experimentKey: true, arm: true, incident: { select: { customerGid: true, holdout: true } } },
  });
  expect(new Set(assignments.map((a) => a.experimentKey)).size).toBe(1);
  for (const arm of [0, 1, null]) expect(assignments.filter((a) => a.arm === arm).length).toBeGreaterThan(20);
  const armOf = new Map<string, number | null>();
  for (const a of assignments.filter((x) => x.arm !== null && x.incident.customerGid)) {
    const customer = a.incident.customerGid as string;
    if (armOf.has(customer)) expect(armOf.get(customer)).toBe(a.arm);
    armOf.set(customer, a.arm);
  }
  // Arm B's make-goods are store credit, arm A's codes.
  const offers = await prisma.offer.findMany({
    where: { shop: SHOP, incident: { customerGid: { not: null }, armAssignment: { arm: { not: null } } } },
    select: { kind: true, incident: { select: { armAssignment: { select: { arm: true } } } } },
  });
  for (const offer of offers)
    expect(offer.kind).toBe(offer.incident.armAssignment?.arm === 1 ? "STORE_CREDIT" : "DISCOUNT_PERCENT");
});

test("customers who spend store credit get it where the grid gives their preferred kind", async () => {
  // A customer who spent store credit (arm B) gets the credit equivalent in the major and critical rows.
  const offers = await prisma.offer.findMany({ where: { shop: SHOP }, select: { kind: true, cell: true } });
  const preferred = offers.filter((o) => (o.cell as { preferredFrom?: unknown }).preferredFrom !== undefined);
  expect(preferred.length, await summary()).toBeGreaterThan(0);
  for (const offer of preferred)
    expect((offer.cell as { preferredFrom: { preferred: string } }).preferredFrom.preferred).toBe(
      offer.kind === "STORE_CREDIT" ? "STORE_CREDIT" : "DISCOUNT_CODE",
    );
  const explanations = (
    await prisma.incident.findMany({ where: { shop: SHOP, customerGid: { not: null } }, select: { explanation: true } })
  ).flatMap((i) => i.explanation);
  expect(explanations.filter((l) => l.startsWith("Preferred kind: ")).length).toBeGreaterThan(0);
});

test("lifecycle stages decide: first orders, frequent buyers and lapsed customers", async () => {
  const explanations = (
    await prisma.incident.findMany({ where: { shop: SHOP, customerGid: { not: null } }, select: { explanation: true } })
  ).flatMap((i) => i.explanation);
  const stages = explanations.filter((l) => l.startsWith("Lifecycle: "));
  for (const stage of ["first order", "lapsed", "frequent"])
    expect(
      stages.filter((l) => l.includes(stage)).length,
      `${stage}: ${stages.slice(0, 5).join(" | ")}`,
    ).toBeGreaterThan(0);
});

test("customers rate follow-ups through the public page: scores as the world drew them, CSAT figures and low ratings for staff", async () => {
  expect(replay.ratingsRefused).toBe(0);
  expect(replay.ratings).toBeGreaterThan(15);
  const ratings = await prisma.rating.findMany({
    where: { shop: SHOP },
    select: { score: true, channel: true, incident: { select: { orderGid: true, type: true, holdout: true } } },
  });
  expect(ratings).toHaveLength(replay.ratings);
  // Every recorded score is the one the world's customer sent for that failure (treated: a follow-up).
  const failureOf = failureByIncident();
  const sent = new Map(replay.outcomes.filter((o) => o.rating !== null).map((o) => [o.failure.key, o.rating]));
  for (const rating of ratings) {
    const failure = failureOf(rating.incident);
    expect(failure).not.toBeNull();
    expect(sent.get((failure as WorldFailure).key)).toBe(rating.score);
    expect(rating.incident.holdout).toBe(false);
    expect(rating.channel).toBe("WEB");
  }
  // Each score is the world's rule for that customer, treated, at the time their make-good took
  // (how the rule depends on treatment and speed: tests/sandbox/history-world.test.ts).
  for (const o of replay.outcomes.filter((x) => x.rating !== null)) {
    const daysToOffer = ((o.madeGoodAt as Date).getTime() - o.failure.at) / DAY;
    expect(o.rating).toBe(ratingOf(o.failure, world.options.ratings, { treated: true, daysToOffer }));
  }

  const csat = await csatOfPeriod(SHOP, { from: new Date(world.start), to: END }, "America/New_York");
  expect(csat.overall.responses).toBe(replay.ratings);
  expect(csat.byTimeToOffer.length).toBeGreaterThan(1);
  const low = ratings.filter((r) => r.score <= 2).length;
  expect(low).toBeGreaterThan(0);
  expect((await lowRatingRows(SHOP, 500)).length).toBe(low);
});

test("the experiment reads out, and the difference between its arms is consistent with the world's true arm effects", async () => {
  const matured = await maturedArmIncidents(SHOP, END);
  expect(matured, await summary()).toBeGreaterThanOrEqual(100);
  await saveReadoutSize(SHOP, OWNER, await replayReadoutSize(SHOP, END));
  const metrics = await recoveryMetrics(SHOP, { from: new Date(world.start), to: END, asOf: END });
  const [experiment] = metrics.arms;
  const readout = experiment?.readouts[0];
  if (!readout) throw new Error(`no arms readout: ${experiment?.sentence ?? "no experiment"}`);
  const [comparison] = readout.comparisons;
  if (!comparison) throw new Error("no comparison of the arms");

  // The truth over the experiment's treated incidents the readout counts: the mean over them of
  // [buys again if given arm a's kind] - [... arm b's kind] (common random numbers).
  const before = new Date(END.getTime() - 91 * DAY);
  const incidents = await prisma.incident.findMany({
    where: {
      shop: SHOP,
      detectedAt: { lt: before },
      customerGid: { not: null },
      armAssignment: { arm: { not: null } },
    },
    select: { orderGid: true, type: true },
  });
  const failureOf = failureByIncident();
  const failures = incidents.map(failureOf).filter((f): f is WorldFailure => f !== null);
  expect(failures.length).toBeGreaterThan(incidents.length - 4);
  const options = world.options;
  const rate = (kind: MakeGoodKind) =>
    failures.filter((f) => repurchasedWithKind(f, options, kind)).length / failures.length;
  const truth = rate(ARM_KINDS[comparison.a] as MakeGoodKind) - rate(ARM_KINDS[comparison.b] as MakeGoodKind);
  const record = JSON.stringify({ truth, comparison, winner: readout.winner, sentence: readout.sentence });
  // Store credit's true effect is the larger: the truth favours arm B.
  expect(comparison.a === 1 ? truth : -truth, record).toBeGreaterThan(0.1);
  expect(comparison.interval.low, record).toBeLessThanOrEqual(truth);
  expect(comparison.interval.high, record).toBeGreaterThanOrEqual(truth);
  // Same direction as the truth.
  expect(Math.sign(comparison.difference), record).toBe(Math.sign(truth));
});

test("each week replayed gets its root-cause digest from the worker's daily schedule, sent to Flow once", async () => {
  const digests = await prisma.recoveryDigest.findMany({
    where: { shop: SHOP },
    select: { weekStart: true, digest: true, flowSentAt: true },
    orderBy: { weekStart: "asc" },
  });
  // One digest for every shop-local week that had ended at one of the schedule's daily runs, each once.
  const weeks = new Set<string>();
  for (let run = nextNoonUtc(scheduleFrom); run <= scheduleTo; run += DAY)
    weeks.add(lastCompleteWeek(new Date(run), "America/New_York").start);
  expect(weeks.size).toBeGreaterThan(15);
  expect(digests.map((d) => d.weekStart)).toEqual([...weeks].sort());
  for (const [i, d] of digests.entries()) {
    // Shop-local Mondays, one week apart, none missing.
    expect(new Date(`${d.weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
    if (i > 0)
      expect(Date.parse(`${d.weekStart}T00:00:00Z`) - Date.parse(`${digests[i - 1]!.weekStart}T00:00:00Z`)).toBe(
        7 * DAY,
      );
    expect(d.flowSentAt).not.toBeNull();
  }
  // The weeks with the world's failures name them: the busiest week's digest counts incidents.
  const counts = digests.map((d) => (d.digest as { incidentCount: number }).incidentCount);
  expect(Math.max(...counts)).toBeGreaterThan(10);
  expect(JSON.stringify(digests.map((d) => d.digest))).not.toMatch(/@|Customer\/\d/);
});
