/**
 * Customer value tier from Shopify's Customer.amountSpent and numberOfOrders,
 * read at decision time. Both count the order the incident is about, so
 * "earlier orders" is numberOfOrders - 1. Spend is compared in shop-currency
 * minor units. See docs/decisions/0103-customer-tiers.md.
 */
import { z } from "zod";
import { formatMoney, type MinorUnits } from "../money";
import type { Tier } from "../vocabulary";

const threshold = (orders: number, spendMinor: number) =>
  z
    .object({
      /** Shopify's numberOfOrders at or above this reaches the tier. */
      minOrders: z.int().min(1).max(10_000).default(orders),
      /** Lifetime spend at or above this (minor units) reaches the tier. */
      minSpendMinor: z.int().min(0).default(spendMinor),
    })
    .prefault({});

export const tierSettingsSchema = z
  .object({
    /** NEW while the customer has at most this many orders before the incident's order. */
    newMaxEarlierOrders: z.int().min(0).max(100).default(1),
    loyal: threshold(5, 40_000),
    vip: threshold(10, 100_000),
  })
  .refine((t) => t.vip.minOrders >= t.loyal.minOrders && t.vip.minSpendMinor >= t.loyal.minSpendMinor, {
    message: "VIP thresholds must not be below LOYAL ones",
    path: ["vip"],
  });
export type TierSettings = z.output<typeof tierSettingsSchema>;
export type TierSettingsInput = z.input<typeof tierSettingsSchema>;

export const DEFAULT_TIER_SETTINGS: TierSettings = tierSettingsSchema.parse({});

/** Shopify's figures for the customer; null for a guest checkout. */
export interface CustomerValue {
  amountSpentMinor: MinorUnits;
  numberOfOrders: number;
}

export interface TierAssessment {
  tier: Tier;
  guest: boolean;
  amountSpentMinor: MinorUnits;
  numberOfOrders: number;
}

function reaches(value: CustomerValue, t: { minOrders: number; minSpendMinor: number }): boolean {
  return value.numberOfOrders >= t.minOrders || value.amountSpentMinor >= t.minSpendMinor;
}

/** Value first: a first-time customer who spent VIP money is treated as a VIP. */
export function classifyTier(
  customer: CustomerValue | null,
  settings: TierSettings = DEFAULT_TIER_SETTINGS,
): TierAssessment {
  if (!customer) return { tier: "NEW", guest: true, amountSpentMinor: 0, numberOfOrders: 0 };
  const base = { guest: false, amountSpentMinor: customer.amountSpentMinor, numberOfOrders: customer.numberOfOrders };
  if (reaches(customer, settings.vip)) return { ...base, tier: "VIP" };
  if (reaches(customer, settings.loyal)) return { ...base, tier: "LOYAL" };
  const earlierOrders = Math.max(0, customer.numberOfOrders - 1);
  return { ...base, tier: earlierOrders <= settings.newMaxEarlierOrders ? "NEW" : "REGULAR" };
}

/** "VIP: $1,240 spent in 14 orders" / "NEW: guest checkout". */
export function describeTier(assessment: TierAssessment, currency: string, locale = "en"): string {
  if (assessment.guest) return `${assessment.tier}: guest checkout`;
  const orders = assessment.numberOfOrders === 1 ? "1 order" : `${assessment.numberOfOrders} orders`;
  return `${assessment.tier}: ${formatMoney(assessment.amountSpentMinor, currency, locale)} spent in ${orders}`;
}
