/**
 * The customer's lifecycle stage (issue 16 part 3, decision 0115): where the incident's order sits
 * in the customer's buying history, a second dimension of the grid beside the value tier. The
 * words are chosen so they cannot be mistaken for tiers (LOYAL and VIP are tiers, by value):
 *
 * - FIRST_ORDER: the incident's order is the customer's first order with the shop.
 * - LAPSED: the customer's previous order was more than `lapsedAfterDays` before this one.
 * - FREQUENT: at least `frequentMinEarlierOrders` orders before this one (the "loyal" playbook).
 * - RETURNING: any other customer with an earlier order.
 *
 * Checked in that order: a first order cannot be lapsed; a frequent buyer who stayed away longer
 * than the lapse threshold is LAPSED (the win-back matters more than the count).
 *
 * A guest checkout has no stage: without a customer record there is no history to place the order
 * in, so a guest gets the base cell, exactly as before stages existed.
 *
 * Pure: the caller reads the facts (Shopify's numberOfOrders, the previous order's date where
 * Amends can see it) and passes them in.
 */
import { z } from "zod";

export const LIFECYCLE_STAGES = ["FIRST_ORDER", "RETURNING", "LAPSED", "FREQUENT"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** How a stage reads in the editor, the preview and explanations. */
export const LIFECYCLE_STAGE_LABELS: Record<LifecycleStage, string> = {
  FIRST_ORDER: "First order",
  RETURNING: "Returning",
  LAPSED: "Lapsed",
  FREQUENT: "Frequent buyer",
};

const DAY_MS = 86_400_000;

export const lifecycleSettingsSchema = z.object({
  /** LAPSED when the previous order was more than this many days before the incident's order. */
  lapsedAfterDays: z
    .int("days must be a whole number")
    .min(1, "days must be at least 1")
    .max(3650, "days must be at most 3650 (10 years)")
    .default(180),
  /** FREQUENT with at least this many orders before the incident's order. */
  frequentMinEarlierOrders: z
    .int("orders must be a whole number")
    .min(2, "a frequent buyer needs at least 2 earlier orders (1 is a returning customer)")
    .max(1000, "orders must be at most 1000")
    .default(4),
});
export type LifecycleSettings = z.output<typeof lifecycleSettingsSchema>;
export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = lifecycleSettingsSchema.parse({});

/** What is known about the customer's history when the incident is decided. */
export interface LifecycleFacts {
  /** No customer record (guest checkout, or a customer Shopify no longer has). */
  guest: boolean;
  /** Shopify's Customer.numberOfOrders: counts the incident's order. */
  numberOfOrders: number;
  /** When the incident's order was placed. */
  orderAt: Date;
  /** The customer's latest order placed before the incident's order, where Amends can see one. */
  previousOrderAt: Date | null;
  /**
   * Amends sees every order of the shop placed since this instant (the orders it recorded): an
   * earlier order it cannot see was placed before it. Null: nothing is known about unseen orders.
   */
  seenSince: Date | null;
}

export type LifecycleAssessment =
  | { stage: null; reason: "GUEST" }
  | {
      stage: LifecycleStage;
      earlierOrders: number;
      /** Whole days from the previous order to this one; for an unseen previous order, at least this. */
      gapDays: number | null;
      gapIsLowerBound: boolean;
    };

/**
 * The stage of the incident's order. numberOfOrders - 1 orders came before it (at least one when a
 * previous order is seen, whatever a lagging count says). The gap to the previous order is exact
 * when it is seen; when it is not, the previous order is older than `seenSince`, so the gap is at
 * least orderAt - seenSince and LAPSED is only concluded when that bound already exceeds the
 * threshold: an unknown gap never makes a customer lapsed.
 */
export function classifyLifecycle(
  facts: LifecycleFacts,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS,
): LifecycleAssessment {
  if (facts.guest) return { stage: null, reason: "GUEST" };
  const counted = Math.max(0, Math.floor(facts.numberOfOrders) - 1);
  const earlierOrders = facts.previousOrderAt ? Math.max(1, counted) : counted;
  if (earlierOrders === 0) return { stage: "FIRST_ORDER", earlierOrders, gapDays: null, gapIsLowerBound: false };

  let gapMs: number | null = null;
  let gapIsLowerBound = false;
  if (facts.previousOrderAt) {
    gapMs = facts.orderAt.getTime() - facts.previousOrderAt.getTime();
  } else if (facts.seenSince) {
    gapMs = facts.orderAt.getTime() - facts.seenSince.getTime();
    gapIsLowerBound = true;
  }
  const gapDays = gapMs === null ? null : Math.max(0, Math.floor(gapMs / DAY_MS));
  const base = { earlierOrders, gapDays, gapIsLowerBound };
  if (gapMs !== null && gapMs > settings.lapsedAfterDays * DAY_MS) return { ...base, stage: "LAPSED" };
  if (earlierOrders >= settings.frequentMinEarlierOrders) return { ...base, stage: "FREQUENT" };
  return { ...base, stage: "RETURNING" };
}

const orders = (n: number) => (n === 1 ? "1 earlier order" : `${n} earlier orders`);

/** "first order with the shop" / "lapsed: previous order 212 days earlier": the stage and why. */
export function describeLifecycle(assessment: LifecycleAssessment, settings: LifecycleSettings): string {
  if (assessment.stage === null) return "no lifecycle stage (guest checkout: no order history)";
  const gap =
    assessment.gapDays === null
      ? null
      : assessment.gapIsLowerBound
        ? `previous order more than ${assessment.gapDays} days earlier`
        : `previous order ${assessment.gapDays} days earlier`;
  switch (assessment.stage) {
    case "FIRST_ORDER":
      return "first order with the shop";
    case "LAPSED":
      return `lapsed: ${gap ?? "previous order long ago"} (lapsed after ${settings.lapsedAfterDays} days)`;
    case "FREQUENT":
      return `frequent buyer: ${orders(assessment.earlierOrders)} (at least ${settings.frequentMinEarlierOrders})`;
    case "RETURNING":
      return `returning: ${orders(assessment.earlierOrders)}${gap ? `, ${gap}` : ""}`;
  }
}
