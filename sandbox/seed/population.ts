/**
 * Who buys what when. Customers get a long-tail appetite (most buy once, a few
 * buy a lot) and some a history from before the seeded window (lifetime
 * totals without orders in the store, as with any shop older than its
 * readable order history). Orders go to customers in proportion to appetite,
 * at random times in the window. After each failure a customer either keeps
 * buying or stops (see keepAfterFailure); orders a churned customer would have
 * placed go to others, and what cannot be placed becomes guest checkouts.
 */
import { createCustomer } from "../activity/catalog";
import { DAY } from "../clock";
import { money, type Id, type SandboxStore } from "../store";
import { hash32 } from "../webhooks/rest-format";
import type { FailureKind } from "./failures";
import { keepAfterFailure, tierOf, type RepurchaseModel, type Tier } from "./model";
import { FIRST_NAMES, LAST_NAMES, LOCALES, PLACES, STREETS } from "./names";
import { planOrder, type OrderPlan, type PlanContext } from "./plan";
import type { Random } from "./prng";

export interface CustomerProfile {
  index: number;
  id: Id;
  priorOrders: number;
  priorSpentCents: number;
  /** Relative appetite: the share of window orders this customer draws. */
  weight: number;
  churnedAt: number | null;
  plans: OrderPlan[];
}

export interface TreatmentQuestion {
  kind: FailureKind;
  customerId: Id;
  occurredAt: Date;
  tier: Tier;
}

export function seedCustomers(
  store: SandboxStore,
  domain: string,
  random: Random,
  count: number,
  windowStart: number,
  now: number,
): CustomerProfile[] {
  const places = PLACES.map((p) => p.weight);
  const profiles: CustomerProfile[] = [];
  for (let index = 0; index < count; index++) {
    const appetite = random.logNormal(0, 0.9);
    const returning = random.chance(0.5);
    const priorOrders = returning ? 1 + Math.floor(random.logNormal(0.3, 0.9) * Math.sqrt(appetite)) : 0;
    const averageOrder = 5500 * random.logNormal(0, 0.35);
    const priorSpentCents = Math.round(priorOrders * averageOrder * random.between(0.8, 1.2));
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const place = PLACES[random.weightedIndex(places)] ?? PLACES[0]!;
    // Returning customers signed up before the window; new ones get their date once their first order is known.
    const createdAt = returning
      ? windowStart - random.between(30, 900) * DAY
      : windowStart + random.next() * (now - windowStart);
    const customer = createCustomer(store, domain, {
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${index + 1}@example.com`.toLowerCase(),
      locale: random.weighted(LOCALES),
      address: {
        address1: `${random.int(1, 999)} ${random.pick(STREETS)}`,
        city: place.city,
        zip: place.zip,
        countryCode: place.countryCode,
        ...(place.provinceCode ? { provinceCode: place.provinceCode } : {}),
      },
      createdAt: new Date(createdAt),
      amountSpent: money.fromCents(priorSpentCents),
      numberOfOrders: priorOrders,
    });
    profiles.push({
      index,
      id: customer.id,
      priorOrders,
      priorSpentCents,
      weight: appetite ** 1.2,
      churnedAt: null,
      plans: [],
    });
  }
  return profiles;
}

export interface AllocationInput {
  random: Random;
  seed: number;
  profiles: CustomerProfile[];
  registeredOrders: number;
  windowStart: number;
  now: number;
  planContext: PlanContext;
  model: RepurchaseModel;
  isTreated: (question: TreatmentQuestion) => boolean;
}

function cumulativeWeights(profiles: CustomerProfile[]): number[] {
  const out: number[] = [];
  let total = 0;
  for (const p of profiles) {
    total += p.churnedAt === null ? p.weight : 0;
    out.push(total);
  }
  return out;
}

function pickProfile(random: Random, cumulative: number[]): number {
  const r = random.next() * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Walk a customer's failures in time order; at each, draw (reproducibly, from
 * the plan's identity) whether they keep buying. Returns how many planned
 * orders were lost to churn.
 */
function settleCustomer(profile: CustomerProfile, input: AllocationInput): number {
  const plans = profile.plans.sort((a, b) => a.at - b.at);
  const failures: Array<{ plan: OrderPlan; index: number; at: number; kind: FailureKind }> = [];
  for (const plan of plans)
    plan.failures.forEach((f, index) => f.at <= input.now && failures.push({ plan, index, at: f.at, kind: f.kind }));
  failures.sort((a, b) => a.at - b.at);
  const decided = failures.map((failure) => {
    let orders = profile.priorOrders;
    let spent = profile.priorSpentCents;
    for (const plan of plans) {
      if (plan.at >= failure.at) break;
      orders++;
      spent += plan.totalCents;
    }
    const tier = tierOf(orders, spent / 100);
    // Ask about every failure (also those after a churn: their orders were placed before it), once.
    const treated = (failure.plan.treated[failure.index] ??= input.isTreated({
      kind: failure.kind,
      customerId: profile.id,
      occurredAt: new Date(failure.at),
      tier,
    }));
    return { failure, tier, treated };
  });
  for (const { failure, tier, treated } of decided) {
    const draw = hash32(`${input.seed}:${failure.plan.uid}:${failure.index}`) / 4_294_967_296;
    if (draw >= keepAfterFailure(input.model, tier, treated)) {
      profile.churnedAt = failure.at;
      const kept = plans.filter((p) => p.at <= failure.at);
      const lost = plans.length - kept.length;
      profile.plans = kept;
      return lost;
    }
  }
  return 0;
}

/** Plan the registered customers' orders; returns how many could not be placed (to become guest orders). */
export function allocateOrders(input: AllocationInput): number {
  const { random, profiles, windowStart, now, planContext } = input;
  let uid = 0;
  let pending = input.registeredOrders;
  for (let round = 0; round < 8 && pending > 0; round++) {
    const cumulative = cumulativeWeights(profiles);
    if ((cumulative[cumulative.length - 1] ?? 0) <= 0) break;
    const touched = new Set<CustomerProfile>();
    for (let i = 0; i < pending; i++) {
      const profile = profiles[pickProfile(random, cumulative)];
      if (!profile) continue;
      const plan = planOrder(random, planContext, profile.index, windowStart + random.next() * (now - windowStart));
      plan.uid = ++uid;
      profile.plans.push(plan);
      touched.add(profile);
    }
    pending = 0;
    for (const profile of touched) pending += settleCustomer(profile, input);
  }
  return pending;
}
