/**
 * The generator's model of customers coming back. A customer's value tier
 * follows Amends' default thresholds (docs/decisions/0099); each tier has a base chance
 * of buying again within the horizon; a failure takes points off it and a
 * treatment (the caller says who was treated) gives some back.
 */
export type Tier = "NEW" | "REGULAR" | "LOYAL" | "VIP";
export const TIERS: readonly Tier[] = ["NEW", "REGULAR", "LOYAL", "VIP"];

/**
 * NEW: at most one order; VIP: 1,000 spent or 10 orders (Amends' defaults);
 * LOYAL: 500 spent or 5 orders (the generator's own cut between the two).
 */
export function tierOf(numberOfOrders: number, amountSpent: number): Tier {
  if (amountSpent >= 1000 || numberOfOrders >= 10) return "VIP";
  if (numberOfOrders <= 1) return "NEW";
  if (amountSpent >= 500 || numberOfOrders >= 5) return "LOYAL";
  return "REGULAR";
}

export interface RepurchaseModel {
  /** Chance of another order within the horizon when nothing went wrong. */
  base: Record<Tier, number>;
  /** Points taken off after a failure (0.12 = 12 points). */
  failurePenalty: number;
  /** Points given back to customers marked as treated. */
  treatmentLift: number;
  /** Days over which "buys again" is counted. */
  horizonDays: number;
}

export const DEFAULT_MODEL: RepurchaseModel = {
  base: { NEW: 0.2, REGULAR: 0.35, LOYAL: 0.5, VIP: 0.65 },
  failurePenalty: 0.12,
  treatmentLift: 0.1,
  horizonDays: 90,
};

export function resolveModel(partial: Partial<RepurchaseModel> = {}): RepurchaseModel {
  return { ...DEFAULT_MODEL, ...partial, base: { ...DEFAULT_MODEL.base, ...partial.base } };
}

const clamp01 = (p: number) => Math.min(1, Math.max(0, p));

export function repurchaseProbability(model: RepurchaseModel, tier: Tier, failed: boolean, treated: boolean): number {
  return clamp01(model.base[tier] - (failed ? model.failurePenalty : 0) + (treated ? model.treatmentLift : 0));
}

/**
 * In the seeded history a failed customer keeps their future orders with
 * probability p(failed)/p(not failed), else stops buying: the same relative
 * effect as the forward model, applied to whatever their natural rate is.
 */
export function keepAfterFailure(model: RepurchaseModel, tier: Tier, treated: boolean): number {
  const base = repurchaseProbability(model, tier, false, false);
  return base === 0 ? 0 : clamp01(repurchaseProbability(model, tier, true, treated) / base);
}
