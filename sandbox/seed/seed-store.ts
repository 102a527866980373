/**
 * seedStore: a deterministic, realistic shop history over the past W weeks.
 * The same seed (and options) gives the same store, in bulk or live mode.
 * Bulk (no activity) writes state directly and is fast at 10,000 customers and
 * 100,000 orders; live replays the history through StoreActivity so every
 * webhook is sent, dated when it happened.
 */
import { DAY } from "../clock";
import type { CallDelivery, StoreActivity } from "../activity/store-activity";
import { createDiscount } from "../activity/catalog";
import type { CancelReason, SandboxStore } from "../store";
import { ShopCalendar } from "./calendar";
import { seedCatalogue } from "./catalog";
import { executeBulk, executeLive } from "./execute";
import { FAILURE_KINDS, type FailureKind } from "./failures";
import { resolveModel, tierOf, TIERS, type RepurchaseModel, type Tier } from "./model";
import { DEFAULT_RATES, planOrder, type FailureRates, type OrderPlan } from "./plan";
import { allocateOrders, seedCustomers, type TreatmentQuestion } from "./population";
import { Random } from "./prng";
import { groundTruth, type RepurchaseTruth, type SeededFailure } from "./truth";

export interface SeedOptions {
  /** The shop's domain; added to the store if missing. */
  shop: string;
  customers: number;
  orders: number;
  weeks: number;
  seed: number;
  /** Share of orders from guest checkouts (no customer record). Default 0.12. */
  guestShare?: number;
  /** Business days the shop takes to ship; later is a late fulfillment. Default 2. */
  handlingDays?: number;
  /** Products in the catalogue. Default 24. */
  products?: number;
  rates?: Partial<FailureRates>;
  model?: Partial<RepurchaseModel>;
  /** Whether a failure's customer counts as treated (gets the model's treatmentLift). Default: nobody. */
  isTreated?: (failure: TreatmentQuestion) => boolean;
  /** Horizon for the reported repurchase rates. Default: the model's, capped at half the window. */
  truthHorizonDays?: number;
  /** Live mode: delivery options for the seeded webhooks. */
  delivery?: CallDelivery;
}

export interface SeedSummary {
  shop: string;
  seed: number;
  mode: "bulk" | "live";
  customers: number;
  orders: number;
  guestOrders: number;
  products: number;
  /** Customers by tier at the end (lifetime totals include history from before the window). */
  tiers: Record<Tier, number>;
  /** Customers with two or more orders in the window. */
  repeatCustomers: number;
  failures: Record<FailureKind, number>;
  cancellations: Record<CancelReason, number>;
  holds: number;
  /** Orders neither shipped nor cancelled at the end. */
  unfulfilled: number;
  promoCode: string;
  model: RepurchaseModel;
  truth: SeededFailure[];
  repurchase: RepurchaseTruth;
  /** State changes carried out (and, live, published). */
  steps: number;
  elapsedMs: number;
}

export const PROMO_CODE = "SPRING15";

export async function seedStore(
  store: SandboxStore,
  activity: StoreActivity | null | undefined,
  options: SeedOptions,
): Promise<SeedSummary> {
  const started = performance.now();
  const now = store.clock.now().getTime();
  const windowStart = now - options.weeks * 7 * DAY;
  const model = resolveModel(options.model);
  const rates = { ...DEFAULT_RATES, ...options.rates };
  const shop = store.shops.get(options.shop) ?? store.addShop({ domain: options.shop });
  const root = new Random(options.seed);
  // Independent streams, so changing one part (say the catalogue size) does not reshuffle the rest.
  const streams = {
    catalogue: root.fork("catalogue"),
    customers: root.fork("customers"),
    orders: root.fork("orders"),
    guests: root.fork("guests"),
  };

  const catalogue = seedCatalogue(store, shop.domain, streams.catalogue, options.products ?? 24);
  createDiscount(store, shop.domain, {
    code: PROMO_CODE,
    title: "Spring sale",
    value: { percentage: 0.15 },
    startsAt: new Date(windowStart - 30 * DAY),
  });
  const profiles = seedCustomers(store, shop.domain, streams.customers, options.customers, windowStart, now);
  const planContext = {
    now,
    calendar: new ShopCalendar(shop.ianaTimezone),
    handlingDays: options.handlingDays ?? 2,
    rates,
    catalogue,
    promoCode: PROMO_CODE,
    promoPercent: 0.15,
  };

  const guestTarget = Math.round(options.orders * (options.guestShare ?? 0.12));
  const unplaced =
    profiles.length > 0
      ? allocateOrders({
          random: streams.orders,
          seed: options.seed,
          profiles,
          registeredOrders: options.orders - guestTarget,
          windowStart,
          now,
          planContext,
          model,
          isTreated: options.isTreated ?? (() => false),
        })
      : options.orders - guestTarget;
  const guestPlans: OrderPlan[] = [];
  for (let i = 0; i < guestTarget + unplaced; i++) {
    guestPlans.push(
      planOrder(streams.guests, planContext, -1, windowStart + streams.guests.next() * (now - windowStart)),
    );
  }

  // A customer with no earlier history signed up just before their first order.
  for (const profile of profiles) {
    const first = profile.plans[0];
    const customer = shop.customers.get(profile.id);
    if (customer && profile.priorOrders === 0 && first) {
      customer.createdAt = new Date(first.at - streams.customers.between(60_000, 3 * DAY));
      customer.updatedAt = customer.createdAt;
    }
  }

  const plans = [...profiles.flatMap((p) => p.plans), ...guestPlans];
  const input = {
    store,
    shop: shop.domain,
    plans,
    customerIds: profiles.map((p) => p.id),
    now,
    activity: activity ?? null,
    ...(options.delivery ? { delivery: options.delivery } : {}),
  };
  const steps = activity ? await executeLive({ ...input, activity }) : executeBulk(input);

  const horizonDays = options.truthHorizonDays ?? Math.min(model.horizonDays, Math.floor((options.weeks * 7) / 2));
  const truth = groundTruth(profiles, guestPlans, now, horizonDays);
  return {
    shop: shop.domain,
    seed: options.seed,
    mode: activity ? "live" : "bulk",
    customers: profiles.length,
    orders: plans.length,
    guestOrders: guestPlans.length,
    products: shop.products.size,
    tiers: countTiers(store, shop.domain),
    repeatCustomers: profiles.filter((p) => p.plans.length >= 2).length,
    failures: countFailures(truth.failures),
    cancellations: countCancellations(plans, now),
    holds: plans.filter((p) => p.hold && p.hold.at <= now).length,
    unfulfilled: plans.filter((p) => !p.cancel && (p.fulfillAt === null || p.fulfillAt > now)).length,
    promoCode: PROMO_CODE,
    model,
    truth: truth.failures,
    repurchase: truth.repurchase,
    steps,
    elapsedMs: performance.now() - started,
  };
}

function countTiers(store: SandboxStore, domain: string): Record<Tier, number> {
  const tiers = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  for (const c of store.shop(domain).customers.values()) tiers[tierOf(c.numberOfOrders, Number(c.amountSpent))]++;
  return tiers;
}

function countFailures(failures: SeededFailure[]): Record<FailureKind, number> {
  const counts = Object.fromEntries(FAILURE_KINDS.map((k) => [k, 0])) as Record<FailureKind, number>;
  for (const f of failures) counts[f.kind]++;
  return counts;
}

function countCancellations(plans: OrderPlan[], now: number): Record<CancelReason, number> {
  const counts: Record<CancelReason, number> = { customer: 0, declined: 0, fraud: 0, inventory: 0, other: 0, staff: 0 };
  for (const p of plans) if (p.cancel && p.cancel.at <= now) counts[p.cancel.reason]++;
  return counts;
}
