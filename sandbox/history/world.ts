/**
 * A seeded world to replay through Amends: customers, their ordinary orders
 * (with the service failures those orders' lives contain) and how each
 * customer answers a make-good, all drawn before anything runs.
 *
 * Common random numbers: every draw is made up front and none depends on what
 * Amends will decide, so for every failure both potential outcomes are known:
 * - without a make-good, the customer buys again within the horizon if one of
 *   their ordinary orders falls in it (ordinary orders never depend on offers);
 * - with a make-good issued, they also place a persuaded extra order, with
 *   probability `effect`, `delayDays` after the make-good reaches them, often
 *   paying with it.
 * The truth of the world is the mean difference of the two. The replay
 * (replay.ts) then sees only what Amends actually issued in the store.
 *
 * The persuasion draw is one uniform per failure, compared with the effect of
 * the kind of make-good the customer got (`effectByKind`, else `effect`): the
 * same customer is persuaded by a stronger make-good whenever a weaker one
 * would have persuaded them, so the truth of every kind (an experiment's arms)
 * is known for every failure. Each failure also draws, up front, whether the
 * customer answers a follow-up's rating and a latent satisfaction; the score
 * is that latent plus what the treatment and the time to offer add
 * (`ratingOf`), so a rating depends on what Amends did and how fast, and on
 * nothing else Amends could see.
 */
import { DAY } from "../clock";
import type { SandboxStore } from "../store";
import { ShopCalendar } from "../seed/calendar";
import { seedCatalogue } from "../seed/catalog";
import type { FailureKind } from "../seed/failures";
import { DEFAULT_RATES, planOrder, type FailureRates, type OrderPlan, type PlanContext } from "../seed/plan";
import { seedCustomers, type CustomerProfile } from "../seed/population";
import { Random } from "../seed/prng";

export interface WorldOptions {
  shop: string;
  seed: number;
  customers: number;
  /** Ordinary orders a day across the shop (Poisson, shared out by each customer's appetite). */
  ordersPerDay: number;
  /** Days Amends runs: the replay starts `days` before `end`. */
  days: number;
  /**
   * The last this-many days are quiet (default 0): only customers who met a failure before still
   * order, and their orders go smoothly (shipped at once, no carrier events). Lets a test watch
   * its incidents' windows close without paying for a whole shop's activity.
   */
  quietDays?: number;
  rates?: Partial<FailureRates>;
  /** Chance that an issued make-good brings a persuaded extra order (the seeded effect). */
  effect: number;
  /**
   * The persuasion chance by the kind of make-good the customer got, where it differs from
   * `effect` (e.g. an experiment whose arms are a code and store credit). Default: none.
   */
  effectByKind?: Partial<Record<MakeGoodKind, number>>;
  /** How customers answer a follow-up's rating (default DEFAULT_RATING_MODEL). */
  ratings?: Partial<RatingModel>;
  /** The persuaded order comes within this many days of the make-good (default 30). */
  persuasionDays?: number;
  /** Chance that a persuaded order pays with the make-good (default 0.8). */
  redeemRate?: number;
  /** Chance that a failure makes the customer stop buying (their later ordinary orders are lost); default 0.2. */
  churnAfterFailure?: number;
  /** Days over which "bought again" counts (Amends's attribution window; default 90). */
  horizonDays?: number;
  /**
   * Carrier scans only when something happens to the parcel (delayed, attempted, failed,
   * delivered): no "in transit" and "out for delivery" events. Fewer webhooks for a fast test.
   */
  quietCarriers?: boolean;
  handlingDays?: number;
  products?: number;
}

export type ResolvedWorldOptions = Required<Omit<WorldOptions, "ratings">> & { ratings: RatingModel };

/** What the customers in the store can be given (what the replay watches for). */
export type MakeGoodKind = "discount" | "storeCredit" | "giftCard";

/**
 * A follow-up's rating in the world. A customer who gets the follow-up answers with probability
 * `answerTreated` (`answerHeldOut` for one who got no make-good: Amends sends held-out customers no
 * follow-up, so theirs is a potential outcome only); the score is
 * round(latent + base + treatedBonus [if treated] - perDayToOffer x days from failure to offer),
 * clamped to 1..5, where the latent is a standard normal x `spread` drawn per failure.
 */
export interface RatingModel {
  answerTreated: number;
  answerHeldOut: number;
  base: number;
  treatedBonus: number;
  perDayToOffer: number;
  /** The time-to-offer penalty stops growing after this many days. */
  maxDaysToOffer: number;
  spread: number;
}

export const DEFAULT_RATING_MODEL: RatingModel = {
  answerTreated: 0.45,
  answerHeldOut: 0.3,
  base: 3,
  treatedBonus: 1,
  perDayToOffer: 0.6,
  maxDaysToOffer: 4,
  spread: 0.9,
};

export interface WorldFailure {
  /** Stable identity: "<plan uid>:<failure index>". */
  key: string;
  plan: OrderPlan;
  kind: FailureKind;
  at: number;
  customer: number;
  /**
   * Drawn up front: does a make-good bring an extra order, how long after it, is it paid with it.
   * `persuaded` is for a make-good of the world's default effect; `persuasionDraw` (uniform in
   * [0, 1)) is compared with the effect of the kind actually given (persuadedBy).
   */
  persuaded: boolean;
  persuasionDraw: number;
  delayMs: number;
  redeems: boolean;
  /** The persuaded order's life (always a clean one: shipped on time, delivered). */
  persuadedPlan: OrderPlan;
  /** Potential outcomes over the horizon from the failure. */
  repurchasedWithout: boolean;
  repurchasedWith: boolean;
  /** Drawn up front for the follow-up's rating (ratingOf): uniform for answering, standard normal latent. */
  ratingAnswerDraw: number;
  ratingLatent: number;
}

export interface World {
  options: ResolvedWorldOptions;
  start: number;
  end: number;
  profiles: CustomerProfile[];
  /** Ordinary orders in time order (including those after `end`, which only the truth reads). */
  plans: OrderPlan[];
  failures: WorldFailure[];
  /** The clean-order context, for plans drawn later (none today; kept for callers' extra orders). */
  cleanContext: PlanContext;
}

export function resolveWorldOptions(options: WorldOptions): ResolvedWorldOptions {
  return {
    quietDays: 0,
    rates: {},
    persuasionDays: 30,
    redeemRate: 0.8,
    churnAfterFailure: 0.2,
    horizonDays: 90,
    quietCarriers: false,
    handlingDays: 2,
    products: 24,
    effectByKind: {},
    ...options,
    ratings: { ...DEFAULT_RATING_MODEL, ...options.ratings },
  };
}

/** The persuasion chance of a make-good of this kind. */
export function effectOf(options: ResolvedWorldOptions, kind: MakeGoodKind): number {
  return options.effectByKind[kind] ?? options.effect;
}

/** Does a make-good of this kind persuade this failure's customer (common random numbers across kinds). */
export function persuadedBy(failure: WorldFailure, options: ResolvedWorldOptions, kind: MakeGoodKind): boolean {
  return failure.persuasionDraw < effectOf(options, kind);
}

/** Would the customer buy again within the horizon if given a make-good of this kind at detection. */
export function repurchasedWithKind(failure: WorldFailure, options: ResolvedWorldOptions, kind: MakeGoodKind): boolean {
  return (
    failure.repurchasedWithout || (persuadedBy(failure, options, kind) && failure.delayMs <= options.horizonDays * DAY)
  );
}

/**
 * The customer's answer to a follow-up's rating: null when they do not answer, else the score 1-5.
 * `daysToOffer` is from the failure to the make-good (treated), ignored for a held-out customer.
 */
export function ratingOf(
  failure: WorldFailure,
  model: RatingModel,
  treatment: { treated: boolean; daysToOffer: number },
): number | null {
  if (failure.ratingAnswerDraw >= (treatment.treated ? model.answerTreated : model.answerHeldOut)) return null;
  const days = Math.min(Math.max(0, treatment.daysToOffer), model.maxDaysToOffer);
  const mean = model.base + (treatment.treated ? model.treatedBonus - model.perDayToOffer * days : 0);
  return Math.min(5, Math.max(1, Math.round(mean + model.spread * failure.ratingLatent)));
}

/**
 * Build the world in `store` (catalogue and customers, who shopped here before Amends was
 * installed) and plan everything else. `end` is when the replay stops (the store's "now" then).
 */
export function buildWorld(store: SandboxStore, input: WorldOptions, end: number): World {
  const options = resolveWorldOptions(input);
  const horizonMs = options.horizonDays * DAY;
  const start = end - options.days * DAY;
  const shop = store.shops.get(options.shop) ?? store.addShop({ domain: options.shop });
  const root = new Random(options.seed);
  const streams = {
    catalogue: root.fork("catalogue"),
    customers: root.fork("customers"),
    orders: root.fork("orders"),
    responses: root.fork("responses"),
  };
  const catalogue = seedCatalogue(store, shop.domain, streams.catalogue, options.products);
  // Customers signed up before the replay starts (their lifetime totals carry their earlier history).
  const profiles = seedCustomers(store, shop.domain, streams.customers, options.customers, start - 1, start);
  const calendar = new ShopCalendar(shop.ianaTimezone);
  const context: PlanContext = {
    now: end + 2 * horizonMs,
    calendar,
    handlingDays: options.handlingDays,
    // The world has no public promotion: any code on an order is a make-good.
    rates: { ...DEFAULT_RATES, ...options.rates, promoCode: 0 },
    catalogue,
    promoCode: "NONE",
    promoPercent: 0,
  };
  const cleanContext: PlanContext = {
    ...context,
    rates: {
      lateFulfillment: 0,
      carrierDelay: 0,
      deliveryFailure: 0,
      attemptedDelivery: 0,
      refund: 0,
      cancellation: 0,
      hold: 0,
      promoCode: 0,
    },
  };

  // Ordinary orders: each customer a Poisson process at their share of the shop's rate, over the
  // replay and one horizon beyond it (the truth of late failures needs the orders after the end).
  const lastOrderAt = end - options.quietDays * DAY;
  const totalWeight = profiles.reduce((n, p) => n + p.weight, 0);
  const plans: OrderPlan[] = [];
  let uid = 0;
  for (const profile of profiles) {
    const perMs = (options.ordersPerDay * profile.weight) / totalWeight / DAY;
    const random = streams.orders.fork(`customer:${profile.index}`);
    for (let t = start + random.exponential(1 / perMs); t < end + horizonMs; t += random.exponential(1 / perMs)) {
      const plan = planOrder(random, context, profile.index, t);
      plan.uid = ++uid;
      if (options.quietCarriers)
        plan.events = plan.events.filter((e) => e.status !== "in_transit" && e.status !== "out_for_delivery");
      profile.plans.push(plan);
    }
  }

  for (const profile of profiles) {
    if (options.quietDays > 0) {
      const failed = profile.plans.some((p) => p.at <= lastOrderAt && p.failures.length > 0);
      profile.plans = profile.plans.filter((p) => p.at <= lastOrderAt || failed);
      for (const plan of profile.plans) if (plan.at > lastOrderAt) smooth(plan, options.handlingDays);
    }
    // Churn after a failure (drawn per failure, whatever Amends will do): later ordinary orders are lost.
    const failures = profile.plans
      .flatMap((plan) => plan.failures.map((f, i) => ({ at: f.at, key: `${plan.uid}:${i}` })))
      .sort((a, b) => a.at - b.at);
    const churn = failures.find(
      (f) => f.at < end && streams.orders.fork(`churn:${f.key}`).next() < options.churnAfterFailure,
    );
    if (churn) {
      profile.plans = profile.plans.filter((p) => p.at <= churn.at);
      profile.churnedAt = churn.at;
    }
    plans.push(...profile.plans);
  }
  plans.sort((a, b) => a.at - b.at || a.uid - b.uid);

  const failures: WorldFailure[] = [];
  for (const profile of profiles) {
    const times = profile.plans.map((p) => p.at);
    for (const plan of profile.plans) {
      plan.failures.forEach((f, index) => {
        if (f.at > end) return;
        const key = `${plan.uid}:${index}`;
        const random = streams.responses.fork(key);
        const persuasionDraw = random.next();
        const delayMs = random.between(1, options.persuasionDays) * DAY;
        const redeems = random.chance(options.redeemRate);
        const persuadedPlan = planOrder(random, cleanContext, profile.index, f.at + delayMs);
        persuadedPlan.uid = 1_000_000 + failures.length;
        // A stream of its own, so adding the rating changed no earlier draw of the world.
        const rating = streams.responses.fork(`rating:${key}`);
        const ratingAnswerDraw = rating.next();
        const ratingLatent = rating.normal();
        const persuaded = persuasionDraw < options.effect;
        const without = times.some((t) => t > f.at && t <= f.at + horizonMs);
        failures.push({
          key,
          plan,
          kind: f.kind,
          at: f.at,
          customer: profile.index,
          persuaded,
          persuasionDraw,
          delayMs,
          redeems,
          persuadedPlan,
          repurchasedWithout: without,
          // Issued at detection: the persuaded order lands within persuasionDays, inside the horizon.
          repurchasedWith: without || (persuaded && delayMs <= horizonMs),
          ratingAnswerDraw,
          ratingLatent,
        });
      });
    }
  }
  failures.sort((a, b) => a.at - b.at);
  return { options, start, end, profiles, plans, failures, cleanContext };
}

/** An order whose life goes smoothly and quietly: shipped within a day, nothing else happens. */
function smooth(plan: OrderPlan, handlingDays: number): void {
  plan.hold = null;
  plan.cancel = null;
  plan.refund = null;
  plan.failures = [];
  plan.events = [];
  plan.fulfillAt = plan.at + Math.min(handlingDays, 1) * DAY * 0.5;
  plan.estimatedDeliveryAt = null;
}

export interface EffectTruth {
  /** Failures averaged over. */
  n: number;
  /** Share who buy again within the horizon without / with an issued make-good. */
  withoutRate: number | null;
  withRate: number | null;
  /** Mean over failures of [bought again if issued] - [bought again if not]. */
  effect: number | null;
}

/** The world's truth over a set of failures (all of them, or those Amends turned into incidents). */
export function effectTruth(failures: readonly WorldFailure[]): EffectTruth {
  const n = failures.length;
  if (n === 0) return { n, withoutRate: null, withRate: null, effect: null };
  const without = failures.filter((f) => f.repurchasedWithout).length / n;
  const withOffer = failures.filter((f) => f.repurchasedWith).length / n;
  return { n, withoutRate: without, withRate: withOffer, effect: withOffer - without };
}

/**
 * The world's truth for a make-good of one kind over a set of failures: the share who would buy
 * again given it at detection, and its effect over no make-good. Two kinds' difference is the true
 * difference of an experiment whose arms give them (per make-good that went out).
 */
export function kindTruth(
  failures: readonly WorldFailure[],
  options: ResolvedWorldOptions,
  kind: MakeGoodKind,
): EffectTruth {
  const n = failures.length;
  if (n === 0) return { n, withoutRate: null, withRate: null, effect: null };
  const without = failures.filter((f) => f.repurchasedWithout).length / n;
  const withKind = failures.filter((f) => repurchasedWithKind(f, options, kind)).length / n;
  return { n, withoutRate: without, withRate: withKind, effect: withKind - without };
}

/**
 * The truth of the make-goods that went out, when a make-good's effect depends on its kind: over
 * the failures that got one, [bought again with the kind they got] - [bought again without]. With
 * one effect for every kind it is effectTruth over those failures.
 */
export function issuedTruth(
  given: readonly { failure: WorldFailure; makeGood: MakeGoodKind | null }[],
  options: ResolvedWorldOptions,
): EffectTruth {
  const issued = given.filter((g): g is { failure: WorldFailure; makeGood: MakeGoodKind } => g.makeGood !== null);
  const n = issued.length;
  if (n === 0) return { n, withoutRate: null, withRate: null, effect: null };
  const without = issued.filter((g) => g.failure.repurchasedWithout).length / n;
  const withKind = issued.filter((g) => repurchasedWithKind(g.failure, options, g.makeGood)).length / n;
  return { n, withoutRate: without, withRate: withKind, effect: withKind - without };
}
