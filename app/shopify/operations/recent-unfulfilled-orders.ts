/**
 * Reconciliation sweep: open, unfulfilled orders created since a moment, a
 * page at a time (webhooks can be lost; this finds what they missed). Only
 * what is needed to compare with the stored order facts; an order that
 * changed is then read in full with AmendsOrderForRecovery.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { connectionPage, createdSince, dateTime, gid } from "../scalars";
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

export const recentUnfulfilledOrders = defineOperation({
  document: RECENT_UNFULFILLED_ORDERS_QUERY,
  variables: z
    .object({
      since: z.date(),
      after: z.string().nullable().optional(),
    })
    .transform(({ since, after }) => ({
      query: `fulfillment_status:unfulfilled status:open ${createdSince(since)}`,
      after: after ?? null,
    })),
  data: recentUnfulfilledOrdersData,
});
