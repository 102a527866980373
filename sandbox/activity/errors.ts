/**
 * What a real store refuses (an expired code, a held fulfillment order, an
 * over-refund) is refused here too, with a code a test can assert on, instead
 * of producing a state Shopify could never be in.
 */
export type SandboxErrorCode =
  | "UNKNOWN_CUSTOMER"
  | "UNKNOWN_ORDER"
  | "UNKNOWN_VARIANT"
  | "OUT_OF_STOCK"
  | "UNKNOWN_FULFILLMENT"
  | "INVALID_INPUT"
  | "DISCOUNT_NOT_FOUND"
  | "DISCOUNT_NOT_ACTIVE"
  | "DISCOUNT_EXPIRED"
  | "DISCOUNT_CUSTOMER_NOT_ELIGIBLE"
  | "DISCOUNT_USAGE_LIMIT_REACHED"
  | "DISCOUNT_ALREADY_USED_BY_CUSTOMER"
  | "GIFT_CARD_NOT_FOUND"
  | "GIFT_CARD_DISABLED"
  | "GIFT_CARD_EXPIRED"
  | "GIFT_CARD_EMPTY"
  | "GIFT_CARD_CURRENCY_MISMATCH"
  | "STORE_CREDIT_UNAVAILABLE"
  | "ORDER_CANCELLED"
  | "ORDER_HAS_FULFILLMENTS"
  | "FULFILLMENT_ORDER_ON_HOLD"
  | "FULFILLMENT_ORDER_NOT_HELD"
  | "NOTHING_TO_FULFILL"
  | "QUANTITY_EXCEEDS_REMAINING"
  | "REFUND_EXCEEDS_REFUNDABLE";

export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SandboxError";
  }
}
