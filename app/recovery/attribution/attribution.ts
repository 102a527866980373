/**
 * Attribution: does a new order win back earlier incidents of the same
 * customer, and did it use an offer?
 *
 * - Returned (the experiment's outcome, decision 0111): a counted order placed
 *   within the attribution window after the incident was detected, for every
 *   incident that went through the holdout draw, offer or not.
 * - Won back (per offer, for the incident page and the export): a counted order
 *   placed after the offer was issued and within the window from issue.
 * - Redeemed: the order used the offer's code, gift card or store credit. A
 *   redemption counts even after the window closes (consumption is about the
 *   offer being used), but never on a gift or replacement order.
 * Amends's own gift orders and staff replacement orders are not purchases and
 * count for nothing. See docs/decisions/0106-attribution.md.
 */
import { z } from "zod";
import { AMENDS_GIFT_TAG } from "../incidents/exclusions";
import type { MinorUnits } from "../money";
import { MS_PER_DAY } from "../time";
import type { OfferKind } from "../vocabulary";

export const attributionSettingsSchema = z.object({
  windowDays: z.int().min(1).max(365).default(90),
  /**
   * The experiment is read in rounds of this many matured incidents, each read once (decision
   * 0111); fixed in advance so that looking every day cannot manufacture a result.
   */
  readoutIncidents: z.int().min(100).max(100_000).default(1000),
  /** Tags on orders that are not purchases: Amends's gift orders (AMENDS_GIFT_TAG always counts), staff replacements. */
  giftOrderTags: z.array(z.string().min(1)).default([AMENDS_GIFT_TAG]),
  replacementOrderTags: z.array(z.string().min(1)).default(["replacement"]),
  /**
   * A draft order that costs the customer nothing is how staff send a
   * replacement; a paid draft order (a phone order) is a real purchase.
   */
  freeDraftOrdersAreReplacements: z.boolean().default(true),
});
export type AttributionSettings = z.output<typeof attributionSettingsSchema>;
export type AttributionSettingsInput = z.input<typeof attributionSettingsSchema>;
export const DEFAULT_ATTRIBUTION_SETTINGS: AttributionSettings = attributionSettingsSchema.parse({});

export interface AttributionOrder {
  id: string;
  customerId: string | null;
  createdAt: Date;
  totalMinor: MinorUnits;
  tags: readonly string[];
  sourceName: string | null;
  /** Amends made this order (an offer records it as its gift order), whatever its tags say now. */
  madeByAmends?: boolean;
  /** Discount codes applied, with the amount each took off. */
  discountCodes: readonly { code: string; amountMinor: MinorUnits }[];
  /** Gift cards paid with. */
  giftCards: readonly { giftCardId: string; amountMinor: MinorUnits }[];
  storeCreditUsedMinor: MinorUnits;
}

export interface AttributableOffer {
  offerId: string;
  incidentId: string;
  customerId: string;
  kind: Exclude<OfferKind, "NONE">;
  issuedAt: Date;
  faceValueMinor: MinorUnits;
  expiresAt: Date | null;
  code: string | null;
  giftCardId: string | null;
  /** The order that shipped a GIFT_PRODUCT; never a purchase. */
  giftOrderId: string | null;
  alreadyRedeemed: boolean;
}

export interface AttributableHoldout {
  incidentId: string;
  customerId: string;
  detectedAt: Date;
}

/** An incident that went through the holdout draw, treated or held out, with a customer to follow. */
export interface AttributableIncident {
  incidentId: string;
  customerId: string;
  detectedAt: Date;
}

export type WonBack = { kind: "OFFER"; offerId: string; incidentId: string } | { kind: "HOLDOUT"; incidentId: string };

export interface Redemption {
  offerId: string;
  incidentId: string;
  via: "CODE" | "GIFT_CARD" | "STORE_CREDIT";
  amountUsedMinor: MinorUnits;
}

export type Attribution =
  | { kind: "NOT_COUNTED"; reason: "AMENDS_GIFT_ORDER" | "STAFF_REPLACEMENT" | "GUEST" }
  | {
      kind: "ATTRIBUTED";
      orderId: string;
      /** Incidents whose window from detection holds the order: their outcome, if it is their first such order. */
      returned: string[];
      wonBack: WonBack[];
      redeemed: Redemption[];
    };

/** Shopify's source name for orders completed from a draft order. */
const DRAFT_ORDER_SOURCE = "shopify_draft_order";

const lower = (values: readonly string[]) => new Set(values.map((v) => v.trim().toLowerCase()));
const hasAny = (tags: readonly string[], wanted: readonly string[]) => {
  const set = lower(wanted);
  return tags.some((tag) => set.has(tag.trim().toLowerCase()));
};

function notCounted(
  order: AttributionOrder,
  offers: readonly AttributableOffer[],
  settings: AttributionSettings,
): Extract<Attribution, { kind: "NOT_COUNTED" }> | null {
  if (
    order.madeByAmends === true ||
    offers.some((o) => o.giftOrderId === order.id) ||
    hasAny(order.tags, [AMENDS_GIFT_TAG, ...settings.giftOrderTags])
  ) {
    return { kind: "NOT_COUNTED", reason: "AMENDS_GIFT_ORDER" };
  }
  const freeDraft =
    settings.freeDraftOrdersAreReplacements && order.sourceName === DRAFT_ORDER_SOURCE && order.totalMinor === 0;
  if (freeDraft || hasAny(order.tags, settings.replacementOrderTags))
    return { kind: "NOT_COUNTED", reason: "STAFF_REPLACEMENT" };
  if (order.customerId === null) return { kind: "NOT_COUNTED", reason: "GUEST" };
  return null;
}

const inWindow = (start: Date, at: Date, windowDays: number) =>
  at.getTime() > start.getTime() && at.getTime() <= start.getTime() + windowDays * MS_PER_DAY;

export function attributeOrder(
  order: AttributionOrder,
  candidates: {
    offers: readonly AttributableOffer[];
    holdouts: readonly AttributableHoldout[];
    incidents?: readonly AttributableIncident[];
  },
  settings: AttributionSettings = DEFAULT_ATTRIBUTION_SETTINGS,
): Attribution {
  const skip = notCounted(order, candidates.offers, settings);
  if (skip) return skip;
  const offers = candidates.offers.filter(
    (o) => o.customerId === order.customerId && o.issuedAt.getTime() < order.createdAt.getTime(),
  );
  const wonBack: WonBack[] = [
    ...offers
      .filter((o) => inWindow(o.issuedAt, order.createdAt, settings.windowDays))
      .map((o): WonBack => ({ kind: "OFFER", offerId: o.offerId, incidentId: o.incidentId })),
    ...candidates.holdouts
      .filter((h) => h.customerId === order.customerId && inWindow(h.detectedAt, order.createdAt, settings.windowDays))
      .map((h): WonBack => ({ kind: "HOLDOUT", incidentId: h.incidentId })),
  ];
  const open = offers.filter(
    (o) => !o.alreadyRedeemed && (o.expiresAt === null || o.expiresAt.getTime() >= order.createdAt.getTime()),
  );
  const returned = (candidates.incidents ?? [])
    .filter((i) => i.customerId === order.customerId && inWindow(i.detectedAt, order.createdAt, settings.windowDays))
    .map((i) => i.incidentId);
  return { kind: "ATTRIBUTED", orderId: order.id, returned, wonBack, redeemed: redemptions(order, open) };
}

function redemptions(order: AttributionOrder, open: readonly AttributableOffer[]): Redemption[] {
  const found: Redemption[] = [];
  for (const offer of open) {
    if ((offer.kind === "DISCOUNT_PERCENT" || offer.kind === "DISCOUNT_FIXED") && offer.code) {
      const used = order.discountCodes.find((d) => d.code.trim().toLowerCase() === offer.code?.trim().toLowerCase());
      if (used)
        found.push({
          offerId: offer.offerId,
          incidentId: offer.incidentId,
          via: "CODE",
          amountUsedMinor: used.amountMinor,
        });
    }
    if (offer.kind === "GIFT_CARD" && offer.giftCardId) {
      const used = order.giftCards
        .filter((g) => g.giftCardId === offer.giftCardId)
        .reduce((sum, g) => sum + g.amountMinor, 0);
      if (used > 0)
        found.push({ offerId: offer.offerId, incidentId: offer.incidentId, via: "GIFT_CARD", amountUsedMinor: used });
    }
  }
  return [...found, ...storeCreditRedemptions(order, open)];
}

/**
 * Store credit sits in one account balance, so which credit an order used is
 * not recorded. Oldest first (it expires first), each credit absorbing up to
 * its face value of what the order used.
 */
function storeCreditRedemptions(order: AttributionOrder, open: readonly AttributableOffer[]): Redemption[] {
  let left = order.storeCreditUsedMinor;
  const credits = open
    .filter((o) => o.kind === "STORE_CREDIT")
    .sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime());
  const found: Redemption[] = [];
  for (const credit of credits) {
    if (left <= 0) break;
    const used = Math.min(left, credit.faceValueMinor);
    found.push({ offerId: credit.offerId, incidentId: credit.incidentId, via: "STORE_CREDIT", amountUsedMinor: used });
    left -= used;
  }
  return found;
}
