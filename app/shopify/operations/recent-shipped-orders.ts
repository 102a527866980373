/**
 * Reconciliation sweep, second half: open orders with something shipped (fulfilled or partly),
 * created since a moment, with their parcels' latest carrier events, a page at a time. A
 * `fulfillment_events/create` webhook that was lost (a carrier delay, a failed delivery) leaves
 * no trace anywhere else: the sweep compares these events with the stored records and records
 * the missing ones as the webhook would have (decision 0022).
 *
 * Small pages, as the order read (decision 0024): 5 orders, 5 parcels each, a parcel's 10 latest
 * events; the requested cost is 332 points (checked by tests/integration/operation-costs.test.ts),
 * the actual cost follows the parcels and events there are.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { connectionPage, dateTime, gid } from "../scalars";
import { and, createdSince, or, term } from "../search-query";
import { fulfillmentDisplayStatus, fulfillmentEventStatus } from "./order-for-recovery";

export const RECENT_SHIPPED_ORDERS_QUERY = `#graphql
  query AmendsRecentShippedOrders($query: String!, $after: String) {
    orders(first: 5, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        cancelledAt
        test
        fulfillments(first: 5) {
          id
          createdAt
          displayStatus
          deliveredAt
          events(first: 10, sortKey: HAPPENED_AT, reverse: true) {
            nodes { id status message happenedAt estimatedDeliveryAt }
          }
        }
      }
    }
  }
`;

const recentShippedOrdersData = z.object({
  orders: connectionPage(
    z.object({
      id: gid("Order"),
      cancelledAt: dateTime.nullable(),
      test: z.boolean(),
      fulfillments: z.array(
        z.object({
          id: gid("Fulfillment"),
          createdAt: dateTime,
          displayStatus: fulfillmentDisplayStatus.nullable(),
          deliveredAt: dateTime.nullable(),
          /** Latest first. */
          events: z.object({
            nodes: z.array(
              z.object({
                id: gid("FulfillmentEvent"),
                status: fulfillmentEventStatus,
                message: z.string().nullable(),
                // Kept as sent: the reconcile hands them to the webhook payload's own schema.
                happenedAt: z.string(),
                estimatedDeliveryAt: z.string().nullable(),
              }),
            ),
          }),
        }),
      ),
    }),
  ),
});

/** Open orders with at least one parcel shipped: fulfilled, or partly (the rest is the first sweep's). */
export function shippedSweepQuery(since: Date) {
  return and(
    or(term("fulfillment_status", "fulfilled"), term("fulfillment_status", "partial")),
    term("status", "open"),
    createdSince(since),
  );
}

export const recentShippedOrders = defineOperation({
  document: RECENT_SHIPPED_ORDERS_QUERY,
  variables: z
    .object({
      since: z.date(),
      after: z.string().nullable().optional(),
    })
    .transform(({ since, after }) => ({
      query: shippedSweepQuery(since).text,
      after: after ?? null,
    })),
  data: recentShippedOrdersData,
});
