/** Deterministic seeded store histories and the ground truth to check measurements against. */
export { seedStore, PROMO_CODE, type SeedOptions, type SeedSummary } from "./seed-store";
export {
  simulateRepurchases,
  type SimulateOptions,
  type SimulationResult,
  type RepurchaseOutcome,
  type Redemption,
} from "./repurchase";
export { findFailures, FAILURE_KINDS, type FailureKind, type ObservedFailure } from "./failures";
export { DEFAULT_MODEL, repurchaseProbability, tierOf, TIERS, type RepurchaseModel, type Tier } from "./model";
export { DEFAULT_RATES, CANCEL_REASONS, type FailureRates } from "./plan";
export type { TreatmentQuestion } from "./population";
export type { Rate, RepurchaseTruth, SeededFailure } from "./truth";
export { Random } from "./prng";
