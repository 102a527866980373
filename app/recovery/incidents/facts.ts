/**
 * Normalised facts about one order, as the detectors read them. The services
 * build them from webhook records and Admin API reads; nothing here knows
 * about Shopify's wire formats. Money is in shop-currency minor units.
 */
import type { MinorUnits } from "../money";
import type { CancelReason } from "../vocabulary";

/** What is left to ship on a fulfillment order. "closed" covers cancelled or closed ones: nothing to ship. */
export type FulfillmentOrderState = "unfulfilled" | "partial" | "fulfilled" | "closed";

export interface FulfillmentOrderFacts {
  id: string;
  state: FulfillmentOrderState;
  /** Set for scheduled fulfillment orders (pre-orders, subscriptions): handling starts then. */
  fulfillAt: Date | null;
  /** An explicit ship-by promise for this fulfillment order; wins over the shop's handling time. */
  fulfillBy: Date | null;
  /** The latest delivery promised at checkout (delivery method's max delivery date). */
  maxDeliveryAt: Date | null;
  /** The name of the location it is assigned to, as Shopify recorded it; null when unknown. */
  location: string | null;
}

/**
 * Carrier event statuses: Shopify's FulfillmentEventStatus, lower-cased, plus
 * "returned_to_sender", which Shopify has no status for (carriers report it as
 * a message; see carrierEventStatus).
 */
export const CARRIER_EVENT_STATUSES = [
  "label_purchased",
  "label_printed",
  "confirmed",
  "ready_for_pickup",
  "picked_up",
  "carrier_picked_up",
  "in_transit",
  "out_for_delivery",
  "attempted_delivery",
  "delayed",
  "failure",
  "delivered",
  "returned_to_sender",
] as const;
export type CarrierEventStatus = (typeof CARRIER_EVENT_STATUSES)[number];

export interface FulfillmentEventFacts {
  id: string | null;
  status: CarrierEventStatus;
  happenedAt: Date;
  estimatedDeliveryAt: Date | null;
  message: string | null;
}

export interface FulfillmentFacts {
  id: string;
  /** The fulfillment order it ships, to find the checkout promise; null when unknown. */
  fulfillmentOrderId: string | null;
  createdAt: Date;
  cancelled: boolean;
  carrier: string | null;
  /** The name of the location it left from; null when unknown. */
  location: string | null;
  events: readonly FulfillmentEventFacts[];
}

export interface RefundFacts {
  id: string;
  createdAt: Date;
  amountMinor: MinorUnits;
  /** Refunds Amends itself made are make-goods, never new incidents. */
  createdByAmends: boolean;
  /** Refunds for a customer's return (changed their mind) are not service failures by default. */
  linkedToReturn: boolean;
  note: string | null;
}

export interface OrderTotals {
  subtotalMinor: MinorUnits;
  totalMinor: MinorUnits;
}

export interface OrderFacts {
  /** Admin GraphQL id, gid://shopify/Order/... */
  id: string;
  /** "#1001" */
  name: string;
  createdAt: Date;
  customerId: string | null;
  customerTags: readonly string[];
  currency: string;
  totals: OrderTotals;
  test: boolean;
  tags: readonly string[];
  /**
   * Amends made this order itself (a free gift's completed draft), as the offer that records it says;
   * the AMENDS_GIFT_TAG says so too unless a merchant removed it. Absent means not known to be.
   */
  madeByAmends?: boolean;
  cancelledAt: Date | null;
  cancelReason: CancelReason | null;
  fulfillmentOrders: readonly FulfillmentOrderFacts[];
  fulfillments: readonly FulfillmentFacts[];
  refunds: readonly RefundFacts[];
  /** Products on the order, for root-cause reports. */
  productIds: readonly string[];
}

const RETURNED_TO_SENDER = /\breturn(?:ed|ing)?\s+to\s+(?:sender|shipper|origin)\b/i;

/**
 * Normalise a carrier event. Shopify has no "returned to sender" status:
 * carriers send it as a failure (or an in-transit update) whose message says
 * so, which is the only place it can be read from.
 */
export function carrierEventStatus(status: string, message: string | null): CarrierEventStatus | null {
  const lower = status.toLowerCase();
  if (message && RETURNED_TO_SENDER.test(message) && lower !== "delivered") return "returned_to_sender";
  return (CARRIER_EVENT_STATUSES as readonly string[]).includes(lower) ? (lower as CarrierEventStatus) : null;
}
