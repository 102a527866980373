/**
 * A code discount for one or more named customers: the parent of an Amends
 * discount group (see README.md, "Discount grouping"). Its first code is the
 * code of the offer that opened the group; later offers add their customer
 * (AmendsDiscountCustomersAdd) and their code (AmendsDiscountRedeemCodeBulkAdd).
 *
 * Not idempotent: a lost response may mean the discount exists. Reconcile with
 * AmendsCodeDiscountNodeByCode before trying again.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { dateTime, dateTimeInput, decimalInput, gid, userError } from "../scalars";

export const DISCOUNT_CODE_BASIC_CREATE_MUTATION = `#graphql
  mutation AmendsDiscountCodeBasicCreate($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic { title status startsAt endsAt }
        }
      }
      userErrors { field code message }
    }
  }
`;

/** 15% off is { percentage: 0.15 }; 10 off the order is { amount: "10.00" } (shop currency, once per order). */
export const discountValue = z.union([z.object({ percentage: z.number() }), z.object({ amount: decimalInput })]);

export const combinesWith = z.object({
  orderDiscounts: z.boolean(),
  productDiscounts: z.boolean(),
  shippingDiscounts: z.boolean(),
});

const discountCodeBasicCreateVariables = z
  .object({
    title: z.string(),
    code: z.string(),
    startsAt: z.date(),
    endsAt: z.date().nullable(),
    /** The customers who may use the discount (context.customers). */
    customerIds: z.array(gid("Customer")).min(1),
    value: discountValue,
    /** Total redemptions across all of the discount's codes; null for a group (each customer once, by appliesOncePerCustomer). */
    usageLimit: z.number().int().nullable(),
    appliesOncePerCustomer: z.boolean().default(true),
    combinesWith: combinesWith.default({ orderDiscounts: false, productDiscounts: true, shippingDiscounts: true }),
  })
  .transform((v) => ({
    input: {
      title: v.title,
      code: v.code,
      startsAt: dateTimeInput.parse(v.startsAt),
      endsAt: v.endsAt ? dateTimeInput.parse(v.endsAt) : null,
      context: { customers: { add: v.customerIds } },
      customerGets: {
        value:
          "percentage" in v.value
            ? { percentage: v.value.percentage }
            : { discountAmount: { amount: v.value.amount, appliesOnEachItem: false } },
        items: { all: true },
      },
      usageLimit: v.usageLimit,
      appliesOncePerCustomer: v.appliesOncePerCustomer,
      combinesWith: v.combinesWith,
    },
  }));

const discountCodeBasicCreateData = z.object({
  discountCodeBasicCreate: z.object({
    codeDiscountNode: z.object({
      id: gid("DiscountCodeNode"),
      codeDiscount: z.object({
        title: z.string(),
        status: z.enum(["ACTIVE", "EXPIRED", "SCHEDULED"]),
        startsAt: dateTime,
        endsAt: dateTime.nullable(),
      }),
    }),
    userErrors: z.array(userError),
  }),
});

export const discountCodeBasicCreate = defineOperation({
  document: DISCOUNT_CODE_BASIC_CREATE_MUTATION,
  variables: discountCodeBasicCreateVariables,
  data: discountCodeBasicCreateData,
});
