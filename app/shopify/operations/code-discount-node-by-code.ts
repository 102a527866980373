/**
 * Reconciling a discount code after an ambiguous failure: does the code
 * exist (case-insensitively), under which discount, is the customer in its
 * context, and how often has the discount been used.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { dateTime, gid } from "../scalars";

export const CODE_DISCOUNT_NODE_BY_CODE_QUERY = `#graphql
  query AmendsCodeDiscountNodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title
          status
          startsAt
          endsAt
          usageLimit
          appliesOncePerCustomer
          asyncUsageCount
          codesCount { count }
          context {
            __typename
            ... on DiscountCustomers { customers { id } }
          }
        }
      }
    }
  }
`;

const basic = z.object({
  __typename: z.literal("DiscountCodeBasic"),
  title: z.string(),
  status: z.enum(["ACTIVE", "EXPIRED", "SCHEDULED"]),
  startsAt: dateTime,
  endsAt: dateTime.nullable(),
  usageLimit: z.number().int().nullable(),
  appliesOncePerCustomer: z.boolean(),
  /** Redemptions of all the discount's codes together. */
  asyncUsageCount: z.number().int(),
  codesCount: z.object({ count: z.number().int() }).nullable(),
  context: z.union([
    z.object({ __typename: z.literal("DiscountCustomers"), customers: z.array(z.object({ id: gid("Customer") })) }),
    z.object({ __typename: z.string() }),
  ]),
});

const codeDiscountNodeByCodeData = z.object({
  codeDiscountNodeByCode: z
    .object({
      id: gid("DiscountCodeNode"),
      // Another kind of discount holding the code (made by someone else): only its kind matters.
      codeDiscount: z.union([basic, z.object({ __typename: z.string() })]),
    })
    .nullable(),
});

export const codeDiscountNodeByCode = defineOperation({
  document: CODE_DISCOUNT_NODE_BY_CODE_QUERY,
  variables: z.object({ code: z.string().min(1) }),
  data: codeDiscountNodeByCodeData,
});
