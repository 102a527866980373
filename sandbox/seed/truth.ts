/**
 * The generator's ground truth: every failure it planned (and that happened
 * by now), who suffered it, whether the caller marked them treated, and
 * whether they bought again within the horizon, with the resulting rates.
 * "Bought again" counts any later order of the same customer.
 */
import type { Id } from "../store";
import type { FailureKind } from "./failures";
import { tierOf, TIERS, type Tier } from "./model";
import type { OrderPlan } from "./plan";
import type { CustomerProfile } from "./population";

export interface SeededFailure {
  kind: FailureKind;
  orderId: Id;
  customerId: Id | null;
  occurredAt: Date;
  /** Days late or delayed, or the share refunded. */
  measure: number;
  /** The customer's tier when it happened; null for guests. */
  tier: Tier | null;
  treated: boolean;
  /** null while the horizon has not passed yet (or for guests). */
  repurchased: boolean | null;
}

export interface Rate {
  /** Cases whose horizon has passed. */
  eligible: number;
  repurchased: number;
  rate: number | null;
}

export interface RepurchaseTruth {
  horizonDays: number;
  failedTreated: Rate;
  failedUntreated: Rate;
  /** Orders without any failure: the customer's natural rate of buying again. */
  noFailure: Rate;
  byTier: Record<Tier, { failed: Rate; noFailure: Rate }>;
}

class Counter {
  eligible = 0;
  repurchased = 0;
  add(repurchased: boolean): void {
    this.eligible++;
    if (repurchased) this.repurchased++;
  }
  rate(): Rate {
    return {
      eligible: this.eligible,
      repurchased: this.repurchased,
      rate: this.eligible ? this.repurchased / this.eligible : null,
    };
  }
}

/** Is there an order in (after, after + horizon]? `times` is sorted. */
function boughtWithin(times: number[], after: number, horizonMs: number): boolean {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] ?? 0) <= after) lo = mid + 1;
    else hi = mid;
  }
  const next = times[lo];
  return next !== undefined && next <= after + horizonMs;
}

export function groundTruth(
  profiles: CustomerProfile[],
  guestPlans: OrderPlan[],
  now: number,
  horizonDays: number,
): { failures: SeededFailure[]; repurchase: RepurchaseTruth } {
  const horizonMs = horizonDays * 86_400_000;
  const failures: SeededFailure[] = [];
  const treated = new Counter();
  const untreated = new Counter();
  const noFailure = new Counter();
  const byTier = Object.fromEntries(
    TIERS.map((t) => [t, { failed: new Counter(), noFailure: new Counter() }]),
  ) as Record<Tier, { failed: Counter; noFailure: Counter }>;

  for (const profile of profiles) {
    const plans = profile.plans.filter((p) => p.orderId !== null);
    const times = plans.map((p) => p.at);
    let orders = profile.priorOrders;
    let spent = profile.priorSpentCents;
    for (const plan of plans) {
      const tierAtOrder = tierOf(orders + 1, (spent + plan.totalCents) / 100);
      const happened = plan.failures.filter((f) => f.at <= now);
      if (happened.length === 0 && plan.at + horizonMs <= now) {
        const again = boughtWithin(times, plan.at, horizonMs);
        noFailure.add(again);
        byTier[tierAtOrder].noFailure.add(again);
      }
      happened.forEach((f) => {
        let n = profile.priorOrders;
        let s = profile.priorSpentCents;
        for (const p of plans) {
          if (p.at >= f.at) break;
          n++;
          s += p.totalCents;
        }
        const tier = tierOf(n, s / 100);
        const wasTreated = plan.treated[plan.failures.indexOf(f)] ?? false;
        const matured = f.at + horizonMs <= now;
        const again = matured ? boughtWithin(times, f.at, horizonMs) : null;
        if (again !== null) {
          (wasTreated ? treated : untreated).add(again);
          byTier[tier].failed.add(again);
        }
        failures.push({
          kind: f.kind,
          orderId: plan.orderId ?? "",
          customerId: profile.id,
          occurredAt: new Date(f.at),
          measure: f.measure,
          tier,
          treated: wasTreated,
          repurchased: again,
        });
      });
      orders++;
      spent += plan.totalCents;
    }
  }
  for (const plan of guestPlans) {
    for (const f of plan.failures) {
      if (f.at > now || plan.orderId === null) continue;
      failures.push({
        kind: f.kind,
        orderId: plan.orderId,
        customerId: null,
        occurredAt: new Date(f.at),
        measure: f.measure,
        tier: null,
        treated: false,
        repurchased: null,
      });
    }
  }
  failures.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return {
    failures,
    repurchase: {
      horizonDays,
      failedTreated: treated.rate(),
      failedUntreated: untreated.rate(),
      noFailure: noFailure.rate(),
      byTier: Object.fromEntries(
        TIERS.map((t) => [t, { failed: byTier[t].failed.rate(), noFailure: byTier[t].noFailure.rate() }]),
      ) as RepurchaseTruth["byTier"],
    },
  };
}
