/**
 * "See a sample offer": what the shop's grid and settings would give a typical late order,
 * computed by the real decision so the onboarding shows exactly what Amends would do. The
 * holdout draw is left out (share 0): the sample is about the make-good, and the explanation
 * says how many incidents the holdout would keep back.
 */
import type { GridVersion } from "../grid";
import { formatMoney, toMinorUnits, type MinorUnits } from "../money";
import { baseSeverity } from "../severity";
import type { RecoverySettings } from "../settings";
import { wholeOrderEstimate } from "../replacement/lines";
import { classifyTier } from "../tiers";
import { decide } from "./decide";
import type { Decision, ShopContext } from "./types";

export const SAMPLE_LATE_DAYS = 3;

export interface SampleOffer {
  /** The situation, in the merchant's words. */
  scenario: string;
  decision: Decision;
  holdoutShare: number;
}

export function sampleLateOrderOffer(input: {
  settings: RecoverySettings;
  gridVersion: GridVersion;
  shop: ShopContext;
  now: Date;
  /** Today's prices of the grid's gift variants (giftVariantIds): a gift cell is valued at them. */
  variantPrices?: Readonly<Record<string, MinorUnits>>;
}): SampleOffer {
  const { settings, shop, now } = input;
  const measure = { kind: "BUSINESS_DAYS_LATE" as const, days: SAMPLE_LATE_DAYS };
  const severity = baseSeverity({ type: "LATE_FULFILLMENT", measure }, settings.severity) ?? "moderate";
  const subtotal = toMinorUnits("80", shop.currency);
  // A returning customer: a third order, 180 in the shop's currency spent so far.
  const tier = classifyTier(
    { amountSpentMinor: toMinorUnits("180", shop.currency), numberOfOrders: 3 },
    settings.tiers,
  );
  const occurredAt = new Date(now.getTime() - SAMPLE_LATE_DAYS * 86_400_000);
  const decision = decide({
    incident: {
      id: "00000000-0000-4000-8000-000000000000",
      type: "LATE_FULFILLMENT",
      measure,
      severity,
      occurredAt,
      detectedAt: now,
      orderId: "gid://shopify/Order/sample",
      orderName: "#1001",
      orderTotalMinor: subtotal,
      orderSubtotalMinor: subtotal,
      customerId: "gid://shopify/Customer/sample",
      excluded: { testOrder: false, orderExcluded: false, customerExcluded: false },
      cancelReason: null,
      alreadyCompensated: false,
    },
    tier,
    gridVersion: input.gridVersion,
    settings: { ...settings.decision, holdoutShare: 0 },
    shop,
    state: { customerOffers: [], monthToDateIssuedMinor: 0, committedMinor: 0 },
    ...(input.variantPrices ? { variantPrices: input.variantPrices } : {}),
    // The sample order is one line of its subtotal, all of it late.
    replacementLines: wholeOrderEstimate(subtotal),
    now,
  });
  return {
    scenario: `An order of ${formatMoney(subtotal, shop.currency, shop.locale)} that ships ${SAMPLE_LATE_DAYS} business days late, for a returning customer on their third order.`,
    decision,
    holdoutShare: settings.decision.holdoutShare,
  };
}
