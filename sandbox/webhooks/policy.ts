/**
 * A sender-wide policy that misbehaves at random, the way production delivery
 * does now and then: duplicates, drops and lateness at given rates, seeded so a
 * demo or a soak test can be replayed.
 */
import { Random } from "../seed/prng";
import type { DeliveryOptions } from "./delivery-types";

export interface RandomPolicyOptions {
  seed: number;
  /** Share of sends delivered twice (same webhook id). */
  duplicateRate?: number;
  /** Share of sends never delivered. */
  dropRate?: number;
  /** Share of sends delivered late, by up to maxDelayMs on the clock. */
  lateRate?: number;
  maxDelayMs?: number;
}

export function randomPolicy(options: RandomPolicyOptions): (topic: string, shop: string) => DeliveryOptions {
  const random = new Random(options.seed);
  return () => {
    const delivery: DeliveryOptions = {};
    if (random.chance(options.dropRate ?? 0)) delivery.drop = true;
    if (random.chance(options.duplicateRate ?? 0)) delivery.duplicate = 1;
    if (random.chance(options.lateRate ?? 0))
      delivery.delayMs = Math.round(random.between(1_000, options.maxDelayMs ?? 60_000));
    return delivery;
  };
}
