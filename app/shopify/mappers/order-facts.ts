/**
 * Admin API AmendsOrderForRecovery data -> the recovery core's OrderFacts.
 * Money goes to shop-currency minor units; enums are lower-cased where the
 * core uses REST spellings. Pure: no I/O.
 *
 * What the read does not carry, and what we assume instead:
 * - who made a refund: Amends issues no refunds (its make-goods are codes,
 *   credit, gift cards and gift orders), so no refund is `createdByAmends`;
 * - returns: the query reads no returns, so no refund is `linkedToReturn`;
 * - which fulfillment order a fulfillment ships, and so its location: with
 *   one fulfillment order (the common case) it is that one, else unknown;
 * - customer tags come from the customer read (CustomerValue), passed in.
 */
import {
  carrierEventStatus,
  toMinorUnits,
  type CancelReason,
  type FulfillmentEventFacts,
  type FulfillmentFacts,
  type FulfillmentOrderFacts,
  type FulfillmentOrderState,
  type OrderFacts,
} from "../../recovery";
import type { OrderForRecovery } from "../operations/order-for-recovery";

type FulfillmentOrderStatus = OrderForRecovery["fulfillmentOrders"]["nodes"][number]["status"];

const FULFILLMENT_ORDER_STATES: Record<FulfillmentOrderStatus, FulfillmentOrderState> = {
  OPEN: "unfulfilled",
  SCHEDULED: "unfulfilled",
  ON_HOLD: "unfulfilled",
  IN_PROGRESS: "partial",
  INCOMPLETE: "partial",
  CLOSED: "fulfilled",
  CANCELLED: "closed",
};

export interface OrderFactsExtras {
  customerTags?: readonly string[];
  /** An offer records this order as its free gift (OrderFacts.madeByAmends). */
  madeByAmends?: boolean;
}

export function orderFactsFromAdmin(order: OrderForRecovery, extras: OrderFactsExtras = {}): OrderFacts {
  const currency = order.currentTotalPriceSet.shopMoney.currencyCode;
  const minor = (amount: string) => toMinorUnits(amount, currency);
  const fulfillmentOrders: FulfillmentOrderFacts[] = order.fulfillmentOrders.nodes.map((fo) => ({
    id: fo.id,
    state: FULFILLMENT_ORDER_STATES[fo.status],
    fulfillAt: null,
    fulfillBy: fo.fulfillBy,
    maxDeliveryAt: fo.deliveryMethod?.maxDeliveryDateTime ?? null,
    location: fo.assignedLocation.name,
  }));
  const only = fulfillmentOrders.length === 1 ? fulfillmentOrders[0] : undefined;
  const onlyFulfillmentOrder = only?.id ?? null;
  const fulfillments: FulfillmentFacts[] = order.fulfillments.map((f) => ({
    id: f.id,
    fulfillmentOrderId: onlyFulfillmentOrder,
    createdAt: f.createdAt,
    cancelled: f.status === "CANCELLED",
    carrier: f.trackingInfo[0]?.company ?? null,
    location: only?.location ?? null,
    events: parcelEvents(f),
  }));
  const subtotal = order.subtotalPriceSet?.shopMoney.amount ?? order.currentTotalPriceSet.shopMoney.amount;
  const productIds = [
    ...new Set(order.lineItems.nodes.map((li) => li.product?.id).filter((id): id is string => Boolean(id))),
  ];
  return {
    id: order.id,
    name: order.name,
    createdAt: order.createdAt,
    customerId: order.customer?.id ?? null,
    customerTags: extras.customerTags ?? [],
    currency,
    totals: { subtotalMinor: minor(subtotal), totalMinor: totalBeforeRefunds(order, minor) },
    test: order.test,
    tags: order.tags,
    ...(extras.madeByAmends ? { madeByAmends: true } : {}),
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason ? (order.cancelReason.toLowerCase() as CancelReason) : null,
    fulfillmentOrders,
    fulfillments,
    refunds: order.refunds.map((r) => ({
      id: r.id,
      createdAt: r.createdAt ?? order.updatedAt,
      amountMinor: minor(r.totalRefundedSet.shopMoney.amount),
      createdByAmends: false,
      linkedToReturn: false,
      note: r.note,
    })),
    productIds,
  };
}

/**
 * `currentTotalPriceSet` is net of refunds; the refund share is judged against
 * what the customer paid, so refunds are added back.
 */
function totalBeforeRefunds(order: OrderForRecovery, minor: (amount: string) => number): number {
  const current = minor(order.currentTotalPriceSet.shopMoney.amount);
  const refunded = order.refunds.reduce((sum, r) => sum + minor(r.totalRefundedSet.shopMoney.amount), 0);
  return current + refunded;
}

type FulfillmentRead = OrderForRecovery["fulfillments"][number];

/**
 * The parcel's carrier events, oldest first (the read is latest first). A parcel Shopify says was
 * delivered (`deliveredAt`, e.g. marked by staff, or its event beyond the 10 read) gets its
 * delivered event, so it is judged on when it arrived rather than as still under way.
 */
function parcelEvents(f: FulfillmentRead): FulfillmentEventFacts[] {
  const events = f.events.nodes
    .map((e): FulfillmentEventFacts | null => {
      const status = carrierEventStatus(e.status, null);
      return status
        ? { id: null, status, happenedAt: e.happenedAt, estimatedDeliveryAt: e.estimatedDeliveryAt, message: null }
        : null;
    })
    .filter((e): e is FulfillmentEventFacts => e !== null);
  if (f.deliveredAt && !events.some((e) => e.status === "delivered")) {
    events.push({ id: null, status: "delivered", happenedAt: f.deliveredAt, estimatedDeliveryAt: null, message: null });
  }
  return events.sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime());
}
