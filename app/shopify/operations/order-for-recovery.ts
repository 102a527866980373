/**
 * Everything the recovery loop needs to judge one order: where it stands
 * (cancelled, holds, promised dates, shipments and their tracking events),
 * what it was worth, who bought it (the customer's id only), and what has
 * already been refunded or used. Protected customer data Level 1: no name,
 * email, phone or address (docs/decisions/0015-protected-customer-data.md).
 *
 * Only what detection and the decision read, with small pages (issue 15, decision 0024): the
 * requested cost is 115 points (was 461), checked by tests/integration/operation-costs.test.ts.
 * Line items give only their product ids (root-cause metrics; the first 5 products are enough),
 * fulfillment orders their assigned location's name (root causes by location; no read_locations);
 * holds are judged from the fulfillment order's status; a parcel's 9 latest carrier events (10
 * until the assigned location's name took the tenth's 5 points, decision 0124)
 * (a parcel Shopify knows delivered gets its delivered event from `deliveredAt`), 5 parcels,
 * 5 fulfillment orders and 5 refunds cover every order the detectors were written for. The free
 * gift needs no address from here: its draft order uses the customer's default address.
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
      lineItems(first: 5) {
        nodes { product { id } }
      }
      fulfillmentOrders(first: 5) {
        nodes {
          id
          status
          fulfillBy
          updatedAt
          deliveryMethod { maxDeliveryDateTime }
          assignedLocation { name }
        }
      }
      fulfillments(first: 5) {
        id
        status
        displayStatus
        createdAt
        estimatedDeliveryAt
        deliveredAt
        trackingInfo(first: 1) { company }
        events(first: 9, sortKey: HAPPENED_AT, reverse: true) {
          nodes { status happenedAt estimatedDeliveryAt }
        }
      }
      refunds(first: 5) {
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
/** Every status FulfillmentEventStatus (2026-10) has; the webhook payload's are these, lower-cased. */
export const fulfillmentEventStatus = z.enum([
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
  product: z.object({ id: gid("Product") }).nullable(),
});

const fulfillmentOrder = z.object({
  id: gid("FulfillmentOrder"),
  status: fulfillmentOrderStatus,
  fulfillBy: dateTime.nullable(),
  updatedAt: dateTime,
  deliveryMethod: z.object({ maxDeliveryDateTime: dateTime.nullable() }).nullable(),
  /**
   * Root causes by location (decision 0124): the name Shopify recorded on the fulfillment order,
   * which needs no read_locations (Location itself would).
   */
  assignedLocation: z.object({ name: z.string() }),
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
      lineItems: z.object({ nodes: z.array(lineItem) }),
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
