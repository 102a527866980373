/**
 * The result of an AmendsDiscountRedeemCodeBulkAdd, per code, once Shopify has done it (poll until
 * `done`). `withCodes: false` reads only the counts (1 point): the poll, and enough when every code
 * was imported; the codes page (4 + 3 a code) only when some failed (decision 0024).
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid, pageInfo, userError } from "../scalars";

export const DISCOUNT_REDEEM_CODE_BULK_CREATION_QUERY = `#graphql
  query AmendsDiscountRedeemCodeBulkCreation($id: ID!, $first: Int!, $after: String, $withCodes: Boolean!) {
    discountRedeemCodeBulkCreation(id: $id) {
      id
      done
      codesCount
      importedCount
      failedCount
      discountCode @include(if: $withCodes) { id }
      codes(first: $first, after: $after) @include(if: $withCodes) {
        pageInfo { hasNextPage endCursor }
        nodes {
          code
          discountRedeemCode { id }
          errors { field code message }
        }
      }
    }
  }
`;

export const discountRedeemCodeBulkCreation = defineOperation({
  document: DISCOUNT_REDEEM_CODE_BULK_CREATION_QUERY,
  // `first`: the codes read per page (a one-code add reads one, which keeps the poll cheap).
  variables: z.object({
    id: gid("DiscountRedeemCodeBulkCreation"),
    first: z.number().int().min(1).max(250).default(50),
    after: z.string().nullable().default(null),
    withCodes: z.boolean().default(true),
  }),
  data: z.object({
    discountRedeemCodeBulkCreation: z
      .object({
        id: gid("DiscountRedeemCodeBulkCreation"),
        done: z.boolean(),
        codesCount: z.number().int(),
        importedCount: z.number().int(),
        failedCount: z.number().int(),
        discountCode: z
          .object({ id: gid("DiscountCodeNode") })
          .nullable()
          .optional(),
        codes: z
          .object({
            pageInfo,
            nodes: z.array(
              z.object({
                code: z.string(),
                discountRedeemCode: z.object({ id: gid("DiscountRedeemCode") }).nullable(),
                errors: z.array(userError),
              }),
            ),
          })
          .optional(),
      })
      .nullable(),
  }),
});
