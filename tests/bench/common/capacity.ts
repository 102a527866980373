/**
 * The capacity search's bookkeeping, apart from the runs themselves (bench:webhooks). The search
 * starts one step above the highest fixed rate that passed, so that rate is the capacity until a
 * search step passes above it: a search whose first step fails still reports the fixed rate, not
 * "none".
 */
export interface CapacityStep {
  rate: number;
  passed: boolean;
}

/** Highest fixed rate that passed, or null. */
export function bestPassingRate(fixed: readonly CapacityStep[]): number | null {
  const passing = fixed.filter((s) => s.passed).map((s) => s.rate);
  return passing.length > 0 ? Math.max(...passing) : null;
}

/**
 * The capacity from the fixed rates and the search steps (in the order run): the highest rate that
 * passed below the search's first failing step, the best fixed rate when no search step passed;
 * null when nothing passed.
 */
export function capacityOf(fixed: readonly CapacityStep[], steps: readonly CapacityStep[]): number | null {
  let capacity = bestPassingRate(fixed);
  for (const step of steps) {
    if (!step.passed) break;
    capacity = step.rate;
  }
  return capacity;
}
