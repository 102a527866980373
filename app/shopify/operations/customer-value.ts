/**
 * Who the customer is to the shop, for the offer's tier: lifetime spend and
 * order count, tags (VIP, wholesale, opted out) and Shopify's own predicted
 * spend tier. Protected customer data Level 1: no name or email (those are
 * read only to address a message: customer-contact.ts).
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid, moneyV2, unsignedInt64 } from "../scalars";

export const CUSTOMER_VALUE_QUERY = `#graphql
  query AmendsCustomerValue($id: ID!) {
    customer(id: $id) {
      id
      amountSpent { amount currencyCode }
      numberOfOrders
      tags
      statistics { predictedSpendTier rfmGroup }
    }
  }
`;

const customerValueData = z.object({
  customer: z
    .object({
      id: gid("Customer"),
      amountSpent: moneyV2,
      numberOfOrders: unsignedInt64,
      tags: z.array(z.string()),
      statistics: z.object({
        predictedSpendTier: z.enum(["HIGH", "MEDIUM", "LOW"]).nullable(),
        rfmGroup: z.string().nullable(),
      }),
    })
    .nullable(),
});

export type CustomerValue = NonNullable<z.output<typeof customerValueData>["customer"]>;

export const customerValue = defineOperation({
  document: CUSTOMER_VALUE_QUERY,
  variables: z.object({ id: gid("Customer") }),
  data: customerValueData,
});
