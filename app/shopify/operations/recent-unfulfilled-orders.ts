/**
 * Reconciliation sweep: open orders not yet fulfilled (any status that can still become late), created since a moment, a
 * page at a time (webhooks can be lost; this finds what they missed). Only
 * what is needed to compare with the stored order facts; an order that
 * changed is then read in full with AmendsOrderForRecovery.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { connectionPage, dateTime, gid } from "../scalars";
import { and, createdSince, not, term } from "../search-query";
import { orderDisplayFulfillmentStatus } from "./order-for-recovery";

export const RECENT_UNFULFILLED_ORDERS_QUERY = `#graphql
  query AmendsRecentUnfulfilledOrders($query: String!, $after: String) {
    orders(first: 50, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        createdAt
        updatedAt
        cancelledAt
        test
        displayFulfillmentStatus
      }
    }
  }
`;

const recentUnfulfilledOrdersData = z.object({
  orders: connectionPage(
    z.object({
      id: gid("Order"),
      name: z.string(),
      createdAt: dateTime,
      updatedAt: dateTime,
      cancelledAt: dateTime.nullable(),
      test: z.boolean(),
      displayFulfillmentStatus: orderDisplayFulfillmentStatus,
    }),
  ),
});

/**
 * Every open order not yet fulfilled: `fulfillment_status` filters by displayFulfillmentStatus one
 * value at a time (`unfulfilled` is UNFULFILLED only, leaving out PARTIALLY_FULFILLED, ON_HOLD,
 * SCHEDULED, REQUEST_DECLINED), and IN_PROGRESS, OPEN and PENDING_FULFILLMENT have no filter value
 * at all; each of them still has open fulfillment orders that can become late. So the sweep asks
 * for "not fulfilled" and the detection rules decide per fulfillment order.
 */
export function sweepQuery(since: Date) {
  return and(not(term("fulfillment_status", "fulfilled")), term("status", "open"), createdSince(since));
}

export const recentUnfulfilledOrders = defineOperation({
  document: RECENT_UNFULFILLED_ORDERS_QUERY,
  variables: z
    .object({
      since: z.date(),
      after: z.string().nullable().optional(),
    })
    .transform(({ since, after }) => ({
      query: sweepQuery(since).text,
      after: after ?? null,
    })),
  data: recentUnfulfilledOrdersData,
});
