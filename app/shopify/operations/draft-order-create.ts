/**
 * The free gift, step 1: a draft order for the customer with every line 100%
 * off, shipped to the original order's address with a free shipping line,
 * tagged so it can be found again (the offer's own tag makes a lost response
 * reconcilable with AmendsDraftOrdersByTag). Step 2 is AmendsDraftOrderComplete.
 * Not idempotent.
 */
import { z } from "zod";
import { AMENDS_GIFT_TAG } from "../../recovery";
import { defineOperation } from "../operation";
import { currencyCode, gid, mailingAddressInput, shopMoneyBag, userError } from "../scalars";

export const DRAFT_ORDER_CREATE_MUTATION = `#graphql
  mutation AmendsDraftOrderCreate($input: DraftOrderInput!) {
    draftOrderCreate(input: $input) {
      draftOrder {
        id
        name
        status
        tags
        totalPriceSet { shopMoney { amount currencyCode } }
      }
      userErrors { field message }
    }
  }
`;

/** Carried to the completed order: detection and attribution leave Amends's own gift orders alone (decision 0112). */
export const GIFT_TAG = AMENDS_GIFT_TAG;

export const draftOrderCreate = defineOperation({
  document: DRAFT_ORDER_CREATE_MUTATION,
  variables: z
    .object({
      customerId: gid("Customer"),
      lines: z.array(z.object({ variantId: gid("ProductVariant"), quantity: z.number().int() })).min(1),
      /** An explicit address; null (what issuing passes: Amends reads no address) uses the customer's default address. */
      shippingAddress: mailingAddressInput.nullable(),
      currencyCode,
      /** Shown on the line's discount in the admin and the customer's order. */
      discountTitle: z.string().default("Amends gift"),
      shippingTitle: z.string().default("Free shipping"),
      /** GIFT_TAG is always added; add the offer's own tag for reconciliation. */
      tags: z.array(z.string()).default([]),
      note: z.string().nullable().default(null),
    })
    .transform((v) => ({
      input: {
        purchasingEntity: { customerId: v.customerId },
        lineItems: v.lines.map((line) => ({
          variantId: line.variantId,
          quantity: line.quantity,
          appliedDiscount: { valueType: "PERCENTAGE", value: 100, title: v.discountTitle },
        })),
        ...(v.shippingAddress ? { shippingAddress: v.shippingAddress } : { useCustomerDefaultAddress: true }),
        shippingLine: { title: v.shippingTitle, priceWithCurrency: { amount: "0.00", currencyCode: v.currencyCode } },
        tags: [GIFT_TAG, ...v.tags.filter((tag) => tag !== GIFT_TAG)],
        note: v.note,
      },
    })),
  data: z.object({
    draftOrderCreate: z.object({
      draftOrder: z.object({
        id: gid("DraftOrder"),
        name: z.string(),
        status: z.enum(["COMPLETED", "INVOICE_SENT", "OPEN"]),
        tags: z.array(z.string()),
        totalPriceSet: shopMoneyBag,
      }),
      userErrors: z.array(userError),
    }),
  }),
});
