/** What a detector reports: the raw material of an incident. */
import type { JsonObject } from "../json";
import type { MinorUnits } from "../money";
import type { IncidentType, Severity } from "../vocabulary";
import type { StoreCancelReason } from "./settings";

export type DeliveryFailureCause = "FAILURE" | "REPEATED_ATTEMPTS" | "RETURNED_TO_SENDER";

/** What staff pick when they open an incident by hand. */
export const MANUAL_CATEGORIES = ["DAMAGED_ITEM", "WRONG_ITEM", "MISSING_ITEM", "QUALITY", "SERVICE", "OTHER"] as const;
export type ManualCategory = (typeof MANUAL_CATEGORIES)[number];

/** The figure severity is judged on, per incident type. */
export interface MeasureByType {
  LATE_FULFILLMENT: { kind: "BUSINESS_DAYS_LATE"; days: number };
  DELIVERY_DELAY: { kind: "DAYS_LATE"; days: number };
  DELIVERY_FAILURE: { kind: "DELIVERY_FAILED"; cause: DeliveryFailureCause; attempts: number };
  REFUND: { kind: "REFUND_SHARE"; refundedMinor: MinorUnits; orderTotalMinor: MinorUnits };
  MERCHANT_CANCELLATION: { kind: "CANCELLED"; reason: StoreCancelReason };
  MANUAL: { kind: "STAFF_CHOSEN"; severity: Severity; category: ManualCategory };
}
export type SignalMeasure = MeasureByType[IncidentType];

/** Where the failure came from, for root-cause reports. */
export interface RootCause {
  productIds: string[];
  carriers: string[];
  locations: string[];
}

interface SignalBase {
  orderId: string;
  customerId: string | null;
  /** When the failure began (a deadline passed, a carrier event happened). */
  occurredAt: Date;
  /** The facts that produced it, JSON-able, kept with the incident. */
  evidence: JsonObject;
  rootCause: RootCause;
}

export type IncidentSignal = {
  [T in IncidentType]: SignalBase & { type: T; measure: MeasureByType[T] };
}[IncidentType];

/** Type and measure, kept in step: what severity and the explanation read. */
export type MeasuredSignal = { [T in IncidentType]: { type: T; measure: MeasureByType[T] } }[IncidentType];

export type SignalOf<T extends IncidentType> = Extract<IncidentSignal, { type: T }>;

export type ExclusionReason = "TEST_ORDER" | "AMENDS_GIFT_ORDER" | "EXCLUDED_ORDER_TAG" | "EXCLUDED_CUSTOMER_TAG";

export type Detection =
  { kind: "EXCLUDED"; reason: ExclusionReason; detail: string } | { kind: "SIGNALS"; signals: IncidentSignal[] };

/** The time and place a detector runs in. */
export interface DetectionContext {
  now: Date;
  timeZone: string;
}
