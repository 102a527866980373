/**
 * The words staff read for the domain's closed lists (vocabulary.ts and its neighbours): one
 * label per value, the same on every page, component, service and notification. Each table is
 * typed by its list, so a new incident type, tier or status does not compile until it has a
 * label here. Merchant-facing English; customer messages have their own catalog (messages/).
 */
import type { Decision } from "./decide/types";
import type { StoreCancelReason } from "./incidents/settings";
import type { ManualCategory } from "./incidents/signals";
import type { AuthorityLevel } from "./guardrails/authority";
import type { OfferTextKey } from "./messages/overrides";
import type { DayBucket } from "./time/day-bucket";
import type { Approval, IncidentState, IncidentType, OfferKind, OfferStatus, Severity, Tier } from "./vocabulary";

export const INCIDENT_TYPE_LABELS: Record<IncidentType, string> = {
  LATE_FULFILLMENT: "Late to ship",
  DELIVERY_DELAY: "Delivery delayed",
  DELIVERY_FAILURE: "Delivery failed",
  REFUND: "Refund",
  MERCHANT_CANCELLATION: "Cancelled by the store",
  MANUAL: "Reported by staff",
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  minor: "Minor",
  moderate: "Moderate",
  major: "Major",
  critical: "Critical",
};

export const TIER_LABELS: Record<Tier, string> = {
  NEW: "New",
  REGULAR: "Regular",
  LOYAL: "Loyal",
  VIP: "VIP",
};

export const INCIDENT_STATE_LABELS: Record<IncidentState, string> = {
  OPEN: "Open",
  CLOSED: "Closed",
};

export const OFFER_KIND_LABELS: Record<OfferKind, string> = {
  DISCOUNT_PERCENT: "Percentage discount code",
  DISCOUNT_FIXED: "Fixed-amount discount code",
  STORE_CREDIT: "Store credit",
  GIFT_CARD: "Gift card",
  GIFT_PRODUCT: "Free gift product",
  NONE: "Apology only (no offer)",
  REPLACEMENT: "Free replacement",
};

/** The offer texts of the message editor: a gift card's text depends on whether it expires. */
export const OFFER_TEXT_LABELS: Record<OfferTextKey, string> = {
  ...OFFER_KIND_LABELS,
  GIFT_CARD: "Gift card with an expiry",
  GIFT_CARD_NO_EXPIRY: "Gift card without expiry",
};

export const OFFER_STATUS_LABELS: Record<OfferStatus, string> = {
  PROPOSED: "Proposed",
  PENDING_APPROVAL: "Waiting for approval",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  EXPIRED: "Expired undecided",
  ISSUING: "Issuing",
  ISSUED: "Issued",
  FAILED: "Failed",
  HOLDOUT: "Control group",
  SUPERSEDED: "Replaced",
  REDEEMED: "Redeemed",
  UNUSED: "Expired unused",
};

/** Who approves an offer, as a choice in the grid editor. */
export const APPROVAL_LABELS: Record<Approval, string> = {
  AUTO: "Nobody: issued at once",
  STAFF: "Any staff member approves",
  MANAGER: "A manager approves",
};

/** The same, in the few words of a cell's summary ("20% code, 60 days, auto"). */
export const APPROVAL_SHORT_LABELS: Record<Approval, string> = {
  AUTO: "auto",
  STAFF: "staff approves",
  MANAGER: "manager approves",
};

export const AUTHORITY_LEVEL_LABELS: Record<AuthorityLevel, string> = {
  STAFF: "Staff",
  MANAGER: "Manager",
  OWNER: "Owner",
};

export const MANUAL_CATEGORY_LABELS: Record<ManualCategory, string> = {
  DAMAGED_ITEM: "Damaged item",
  WRONG_ITEM: "Wrong item",
  MISSING_ITEM: "Missing item",
  QUALITY: "Quality problem",
  SERVICE: "Poor service",
  OTHER: "Something else",
};

export const STORE_CANCEL_REASON_LABELS: Record<StoreCancelReason, string> = {
  inventory: "Out of stock",
  declined: "Payment declined",
  staff: "Staff error",
  other: "Other store reason",
};

export const DECISION_LABELS: Record<Decision["kind"], string> = {
  OFFER: "Make-good decided",
  HOLDOUT: "Control group: no make-good, to measure what make-goods change",
  NO_OFFER: "No make-good",
  INELIGIBLE: "Not eligible for a make-good",
};

/** When the offer arrived, counted in shop-local days from the failure. */
export const DAY_BUCKET_LABELS: Record<DayBucket, string> = {
  SAME_DAY: "Same day",
  NEXT_DAY: "Next day",
  LATER: "Later",
};

/** The label of a value that arrives as a plain string (a database column, loader data, a URL); undefined when unknown. */
export function findLabel<K extends string>(labels: Record<K, string>, value: unknown): string | undefined {
  return typeof value === "string" ? (labels as Record<string, string | undefined>)[value] : undefined;
}

/** The same, showing a value the table does not know as it is rather than hiding it. */
export function labelOf<K extends string>(labels: Record<K, string>, value: string): string {
  return findLabel(labels, value) ?? value;
}
