/**
 * Make more customers eligible for an existing Amends discount (the group's
 * parent): discountCodeBasicUpdate with only context.customers.add, which
 * adds to the list and leaves every other setting as it is. Adding a customer
 * who is already there changes nothing, so repeating it is harmless.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid, userError } from "../scalars";

export const DISCOUNT_CUSTOMERS_ADD_MUTATION = `#graphql
  mutation AmendsDiscountCustomersAdd($id: ID!, $customerIds: [ID!]!) {
    discountCodeBasicUpdate(id: $id, basicCodeDiscount: { context: { customers: { add: $customerIds } } }) {
      codeDiscountNode { id }
      userErrors { field code message }
    }
  }
`;

export const discountCustomersAdd = defineOperation({
  document: DISCOUNT_CUSTOMERS_ADD_MUTATION,
  variables: z.object({ id: gid("DiscountCodeNode"), customerIds: z.array(gid("Customer")).min(1) }),
  data: z.object({
    discountCodeBasicUpdate: z.object({
      codeDiscountNode: z.object({ id: gid("DiscountCodeNode") }),
      userErrors: z.array(userError),
    }),
  }),
  idempotent: true,
});
