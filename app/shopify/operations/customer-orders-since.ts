/**
 * A customer's orders since a moment, oldest first, for attribution: did
 * the customer come back after the offer, and did they use its code? Gift
 * orders Amends itself made are told apart by their tag and sourceName.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { connectionPage, dateTime, gid, shopMoneyBag } from "../scalars";
import { customerCreatedSince } from "../search-query";

export const CUSTOMER_ORDERS_SINCE_QUERY = `#graphql
  query AmendsCustomerOrdersSince($query: String!, $after: String) {
    orders(first: 25, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        createdAt
        cancelledAt
        test
        tags
        sourceName
        discountCodes
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        totalDiscountsSet { shopMoney { amount currencyCode } }
        transactions(first: 5) { kind status gateway amountSet { shopMoney { amount currencyCode } } receiptJson }
      }
    }
  }
`;

export const customerOrdersSinceData = z.object({
  orders: connectionPage(
    z.object({
      id: gid("Order"),
      name: z.string(),
      createdAt: dateTime,
      cancelledAt: dateTime.nullable(),
      test: z.boolean(),
      tags: z.array(z.string()),
      sourceName: z.string().nullable(),
      discountCodes: z.array(z.string()),
      currentTotalPriceSet: shopMoneyBag,
      totalDiscountsSet: shopMoneyBag,
      transactions: z.array(
        z.object({
          kind: z.string(),
          status: z.string(),
          gateway: z.string().nullable(),
          amountSet: shopMoneyBag,
          receiptJson: z.string().nullable(),
        }),
      ),
    }),
  ),
});

export const customerOrdersSince = defineOperation({
  document: CUSTOMER_ORDERS_SINCE_QUERY,
  variables: z
    .object({ customerId: gid("Customer"), since: z.date(), after: z.string().nullable().optional() })
    .transform(({ customerId, since, after }) => ({
      query: customerCreatedSince(customerId, since).text,
      after: after ?? null,
    })),
  data: customerOrdersSinceData,
});
