/**
 * The monthly budget check. Pure: the database serialises concurrent
 * decisions (a locked budget row) and calls this with the figures it read
 * under the lock, so two decisions can never both see the last of the budget.
 */
import type { MinorUnits } from "../money";

export interface BudgetCheck {
  withinBudget: boolean;
  /** Issued plus committed before this offer. */
  spentMinor: MinorUnits;
  /** Issued plus committed if this offer goes ahead. */
  afterMinor: MinorUnits;
  budgetMinor: MinorUnits | null;
  /** What is left before this offer; null when there is no budget. */
  remainingMinor: MinorUnits | null;
}

/** An offer that lands exactly on the budget is within it; one minor unit more is not. */
export function budgetCheck(
  monthToDateIssuedMinor: MinorUnits,
  committedMinor: MinorUnits,
  valueMinor: MinorUnits,
  budgetMinor: MinorUnits | null,
): BudgetCheck {
  const spentMinor = monthToDateIssuedMinor + committedMinor;
  const afterMinor = spentMinor + valueMinor;
  return {
    withinBudget: budgetMinor === null || afterMinor <= budgetMinor,
    spentMinor,
    afterMinor,
    budgetMinor,
    remainingMinor: budgetMinor === null ? null : budgetMinor - spentMinor,
  };
}
