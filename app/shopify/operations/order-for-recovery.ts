/**
 * Everything the recovery loop needs to judge one order: where it stands
 * (cancelled, holds, promised dates, shipments and their tracking events),
 * what it was worth, who bought it (the customer's id only), and what has
 * already been refunded or used. Protected customer data Level 1: no name,
 * email, phone or address (docs/decisions/0015-protected-customer-data.md).
 * Requested cost about 460 points (lines 50, fulfillments 10 x events 20).
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { dateTime, gid, shopMoneyBag } from "../scalars";

export const ORDER_FOR_RECOVERY_QUERY = `#graphql
  query AmendsOrderForRecovery($id: ID!) {
    order(id: $id) {
      id
      name
      createdAt
      updatedAt
      cancelledAt
      cancelReason
      test
      tags
      sourceName
      displayFulfillmentStatus
      currencyCode
      discountCodes
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      subtotalPriceSet { shopMoney { amount currencyCode } }
      customer { id }
      lineItems(first: 50) {
        pageInfo { hasNextPage }
        nodes { id title quantity variant { id } product { id } }
      }
      fulfillmentOrders(first: 10) {
        nodes {
          id
          status
          fulfillBy
          updatedAt
          fulfillmentHolds { reason }
          deliveryMethod { maxDeliveryDateTime }
        }
      }
      fulfillments(first: 10) {
        id
        status
        displayStatus
        createdAt
        estimatedDeliveryAt
        deliveredAt
        trackingInfo(first: 1) { company }
        events(first: 20, sortKey: HAPPENED_AT, reverse: true) {
          nodes { status happenedAt estimatedDeliveryAt }
        }
      }
      refunds(first: 10) {
        id
        createdAt
        note
        totalRefundedSet { shopMoney { amount currencyCode } }
      }
    }
  }
`;

const orderCancelReason = z.enum(["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"]);
export const orderDisplayFulfillmentStatus = z.enum([
  "FULFILLED",
  "FULFILLMENT_NOT_REQUIRED",
  "IN_PROGRESS",
  "ON_HOLD",
  "OPEN",
  "PARTIALLY_FULFILLED",
  "PENDING_FULFILLMENT",
  "REQUEST_DECLINED",
  "RESTOCKED",
  "SCHEDULED",
  "UNFULFILLED",
]);
const fulfillmentOrderStatus = z.enum([
  "CANCELLED",
  "CLOSED",
  "INCOMPLETE",
  "IN_PROGRESS",
  "ON_HOLD",
  "OPEN",
  "SCHEDULED",
]);
const fulfillmentHoldReason = z.enum([
  "AWAITING_PAYMENT",
  "AWAITING_RETURN_ITEMS",
  "HIGH_RISK_OF_FRAUD",
  "INCORRECT_ADDRESS",
  "INVENTORY_OUT_OF_STOCK",
  "ONLINE_STORE_POST_PURCHASE_CROSS_SELL",
  "OTHER",
  "UNKNOWN_DELIVERY_DATE",
]);
export const fulfillmentStatus = z.enum(["CANCELLED", "ERROR", "FAILURE", "OPEN", "PENDING", "SUCCESS"]);
export const fulfillmentDisplayStatus = z.enum([
  "ATTEMPTED_DELIVERY",
  "CANCELED",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "FULFILLED",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "LABEL_VOIDED",
  "MARKED_AS_FULFILLED",
  "NOT_DELIVERED",
  "OUT_FOR_DELIVERY",
  "PICKED_UP",
  "READY_FOR_PICKUP",
  "SUBMITTED",
]);
const fulfillmentEventStatus = z.enum([
  "ATTEMPTED_DELIVERY",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "OUT_FOR_DELIVERY",
  "READY_FOR_PICKUP",
]);

const lineItem = z.object({
  id: gid("LineItem"),
  title: z.string(),
  quantity: z.number().int(),
  variant: z.object({ id: gid("ProductVariant") }).nullable(),
  product: z.object({ id: gid("Product") }).nullable(),
});

const fulfillmentOrder = z.object({
  id: gid("FulfillmentOrder"),
  status: fulfillmentOrderStatus,
  fulfillBy: dateTime.nullable(),
  updatedAt: dateTime,
  fulfillmentHolds: z.array(z.object({ reason: fulfillmentHoldReason })),
  deliveryMethod: z.object({ maxDeliveryDateTime: dateTime.nullable() }).nullable(),
});

const fulfillment = z.object({
  id: gid("Fulfillment"),
  status: fulfillmentStatus,
  displayStatus: fulfillmentDisplayStatus.nullable(),
  createdAt: dateTime,
  estimatedDeliveryAt: dateTime.nullable(),
  deliveredAt: dateTime.nullable(),
  trackingInfo: z.array(z.object({ company: z.string().nullable() })),
  /** Latest first. */
  events: z.object({
    nodes: z.array(
      z.object({ status: fulfillmentEventStatus, happenedAt: dateTime, estimatedDeliveryAt: dateTime.nullable() }),
    ),
  }),
});

const refund = z.object({
  id: gid("Refund"),
  createdAt: dateTime.nullable(),
  note: z.string().nullable(),
  totalRefundedSet: shopMoneyBag,
});

const orderForRecoveryData = z.object({
  order: z
    .object({
      id: gid("Order"),
      name: z.string(),
      createdAt: dateTime,
      updatedAt: dateTime,
      cancelledAt: dateTime.nullable(),
      cancelReason: orderCancelReason.nullable(),
      test: z.boolean(),
      tags: z.array(z.string()),
      sourceName: z.string().nullable(),
      displayFulfillmentStatus: orderDisplayFulfillmentStatus,
      currencyCode: z.string(),
      discountCodes: z.array(z.string()),
      currentTotalPriceSet: shopMoneyBag,
      subtotalPriceSet: shopMoneyBag.nullable(),
      customer: z.object({ id: gid("Customer") }).nullable(),
      lineItems: z.object({ pageInfo: z.object({ hasNextPage: z.boolean() }), nodes: z.array(lineItem) }),
      fulfillmentOrders: z.object({ nodes: z.array(fulfillmentOrder) }),
      fulfillments: z.array(fulfillment),
      refunds: z.array(refund),
    })
    // null: no such order, or older than 60 days without read_all_orders.
    .nullable(),
});

export type OrderForRecovery = NonNullable<z.output<typeof orderForRecoveryData>["order"]>;

export const orderForRecovery = defineOperation({
  document: ORDER_FOR_RECOVERY_QUERY,
  variables: z.object({ id: gid("Order") }),
  data: orderForRecoveryData,
});
