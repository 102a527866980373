/** Plain-English pieces of explanations and summaries. */
import type { IneligibleReason } from "./types";
import type { MeasuredSignal } from "../incidents";
import { STORE_CANCEL_REASON_LABELS } from "../words";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "6 business days late", "parcel returned to sender", "62% of the order refunded". */
export function describeMeasure(signal: MeasuredSignal): string {
  switch (signal.type) {
    case "LATE_FULFILLMENT":
      return `${plural(signal.measure.days, "business day", "business days")} late to ship`;
    case "DELIVERY_DELAY":
      return `delivery ${plural(signal.measure.days, "day", "days")} late`;
    case "DELIVERY_FAILURE": {
      const { cause, attempts } = signal.measure;
      if (cause === "RETURNED_TO_SENDER") return "parcel returned to sender";
      if (cause === "REPEATED_ATTEMPTS") return `delivery failed after ${plural(attempts, "attempt", "attempts")}`;
      return "delivery failed";
    }
    case "REFUND": {
      const { refundedMinor, orderTotalMinor } = signal.measure;
      if (orderTotalMinor <= 0) return "order refunded";
      const percent = Math.round((refundedMinor * 100) / orderTotalMinor);
      return `${percent === 0 ? "under 1" : percent}% of the order refunded`;
    }
    case "MERCHANT_CANCELLATION":
      return `cancelled by the store (${STORE_CANCEL_REASON_LABELS[signal.measure.reason].toLowerCase()})`;
    case "MANUAL":
      return `reported by staff (${signal.measure.category.toLowerCase().replaceAll("_", " ")})`;
  }
}

export const INELIGIBLE_WORDING: Record<IneligibleReason, string> = {
  TYPE_DISABLED: "this incident type is turned off",
  TEST_ORDER: "test order",
  ORDER_EXCLUDED: "order excluded by tag",
  CUSTOMER_EXCLUDED: "customer excluded by tag",
  FRAUD: "order cancelled as fraud",
  CUSTOMER_CANCELLATION: "order cancelled by the customer",
  ALREADY_COMPENSATED: "already compensated",
};

export function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
