/**
 * One order, read by id, for attribution: did it use an offer's code, gift card or store credit,
 * and is it Amends's own gift? Read by id, not by a customer search: the orders/create webhook
 * usually arrives before Shopify's search index shows the order, and a lookup by id does not lag.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { dateTime, gid, shopMoneyBag } from "../scalars";

export const ORDER_FOR_ATTRIBUTION_QUERY = `#graphql
  query AmendsOrderForAttribution($id: ID!) {
    order(id: $id) {
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
`;

/** What attribution reads of an order. */
export const attributionOrder = z.object({
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
});

export const orderForAttribution = defineOperation({
  document: ORDER_FOR_ATTRIBUTION_QUERY,
  variables: z.object({ id: gid("Order") }),
  // Null when the order is gone or outside the 60 days an app without read_all_orders may read.
  data: z.object({ order: attributionOrder.nullable() }),
});
