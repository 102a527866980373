/**
 * Add offer codes to an existing Amends discount (Built for Shopify 5.5.3:
 * codes under a few discounts, not a discount per offer). A code added this
 * way shares the parent's value, dates and customer context.
 *
 * Shopify adds the codes asynchronously: the payload says `done: false`;
 * poll AmendsDiscountRedeemCodeBulkCreation for per-code results (a code
 * already taken fails there, not in userErrors). Not idempotent: after a lost
 * response, look the code up with AmendsCodeDiscountNodeByCode.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid, userError } from "../scalars";

export const DISCOUNT_REDEEM_CODE_BULK_ADD_MUTATION = `#graphql
  mutation AmendsDiscountRedeemCodeBulkAdd($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
    discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {
      bulkCreation { id done codesCount }
      userErrors { field code message }
    }
  }
`;

export const discountRedeemCodeBulkAdd = defineOperation({
  document: DISCOUNT_REDEEM_CODE_BULK_ADD_MUTATION,
  variables: z
    .object({ discountId: gid("DiscountCodeNode"), codes: z.array(z.string()).min(1).max(250) })
    .transform(({ discountId, codes }) => ({ discountId, codes: codes.map((code) => ({ code })) })),
  data: z.object({
    discountRedeemCodeBulkAdd: z.object({
      bulkCreation: z.object({
        id: gid("DiscountRedeemCodeBulkCreation"),
        done: z.boolean(),
        codesCount: z.number().int(),
      }),
      userErrors: z.array(userError),
    }),
  }),
});
