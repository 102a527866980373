/**
 * A gift card for a customer. 2026-10 sends nothing on create: follow with
 * AmendsGiftCardSendNotificationToCustomer when the customer should hear from
 * Shopify. Passing our own `code` (8-20 letters and digits) makes a lost
 * response reconcilable (AmendsGiftCardsForReconcile matches its last
 * characters). Not idempotent.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { currencyCode, date, dateInput, dateTime, decimalInput, gid, moneyV2, userError } from "../scalars";

export const GIFT_CARD_CREATE_MUTATION = `#graphql
  mutation AmendsGiftCardCreate($input: GiftCardCreateInput!) {
    giftCardCreate(input: $input) {
      giftCard {
        id
        lastCharacters
        initialValue { amount currencyCode }
        expiresOn
        createdAt
        note
        customer { id }
      }
      giftCardCode
      userErrors { field code message }
    }
  }
`;

export const giftCardCreate = defineOperation({
  document: GIFT_CARD_CREATE_MUTATION,
  variables: z
    .object({
      customerId: gid("Customer"),
      amount: decimalInput,
      currencyCode,
      /** A calendar date in the shop's zone. */
      expiresOn: dateInput.nullable().default(null),
      note: z.string().nullable().default(null),
      code: z.string().nullable().default(null),
    })
    .transform((v) => ({
      input: {
        initialAmount: { amount: v.amount, currencyCode: v.currencyCode },
        customerId: v.customerId,
        expiresOn: v.expiresOn,
        note: v.note,
        code: v.code,
      },
    })),
  data: z.object({
    giftCardCreate: z.object({
      giftCard: z.object({
        id: gid("GiftCard"),
        lastCharacters: z.string(),
        initialValue: moneyV2,
        expiresOn: date.nullable(),
        createdAt: dateTime,
        note: z.string().nullable(),
        customer: z.object({ id: gid("Customer") }).nullable(),
      }),
      /** The full code: shown once; store it no more than the offer needs. */
      giftCardCode: z.string(),
      userErrors: z.array(userError),
    }),
  }),
});
