/**
 * The words of the recovery domain (docs/decisions/0099), as closed lists. Every
 * module imports them from here so that a new incident type or tier is added
 * in one place and the compiler finds every switch that must handle it.
 */

export const INCIDENT_TYPES = [
  "LATE_FULFILLMENT",
  "DELIVERY_DELAY",
  "DELIVERY_FAILURE",
  "REFUND",
  "MERCHANT_CANCELLATION",
  "MANUAL",
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** An incident is open until it is resolved, excluded or times out. */
export const INCIDENT_STATES = ["OPEN", "CLOSED"] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** Ordered from mildest to worst; the order is used for comparisons. */
export const SEVERITIES = ["minor", "moderate", "major", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Ordered from least to most valuable. */
export const TIERS = ["NEW", "REGULAR", "LOYAL", "VIP"] as const;
export type Tier = (typeof TIERS)[number];

export const OFFER_KINDS = [
  "DISCOUNT_PERCENT",
  "DISCOUNT_FIXED",
  "STORE_CREDIT",
  "GIFT_CARD",
  "GIFT_PRODUCT",
  "NONE",
  "REPLACEMENT",
] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** Ordered from least to most human involvement; guardrails only ever move an offer right. */
export const APPROVALS = ["AUTO", "STAFF", "MANAGER"] as const;
export type Approval = (typeof APPROVALS)[number];

/** Shopify's order cancel reasons (OrderCancelReason, lower-cased as in REST payloads). */
export const CANCEL_REASONS = ["customer", "declined", "fraud", "inventory", "other", "staff"] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** One level up, capped at critical. */
export function raiseSeverity(severity: Severity, levels = 1): Severity {
  const rank = Math.min(severityRank(severity) + levels, SEVERITIES.length - 1);
  return SEVERITIES[rank] ?? "critical";
}

export function approvalRank(approval: Approval): number {
  return APPROVALS.indexOf(approval);
}

/** The stricter of two approval routes. */
export function maxApproval(a: Approval, b: Approval): Approval {
  return approvalRank(a) >= approvalRank(b) ? a : b;
}

/** Offer statuses; the moves between them are app/recovery/offers/lifecycle.ts (decision 0012). */
export const OFFER_STATUSES = [
  "PROPOSED",
  "PENDING_APPROVAL",
  "APPROVED",
  "REJECTED",
  "EXPIRED",
  "ISSUING",
  "ISSUED",
  "FAILED",
  "HOLDOUT",
  "SUPERSEDED",
  "REDEEMED",
  "UNUSED",
] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** Statuses of an offer the customer actually received. */
export const ISSUED_STATUSES: readonly OfferStatus[] = ["ISSUED", "REDEEMED", "UNUSED"];
