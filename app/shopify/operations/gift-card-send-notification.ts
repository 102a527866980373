/** Shopify's gift card email to the card's customer. Not idempotent (a repeat sends a second email). */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid, userError } from "../scalars";

export const GIFT_CARD_SEND_NOTIFICATION_MUTATION = `#graphql
  mutation AmendsGiftCardSendNotificationToCustomer($id: ID!) {
    giftCardSendNotificationToCustomer(id: $id) {
      giftCard { id }
      userErrors { field code message }
    }
  }
`;

export const giftCardSendNotificationToCustomer = defineOperation({
  document: GIFT_CARD_SEND_NOTIFICATION_MUTATION,
  variables: z.object({ id: gid("GiftCard") }),
  data: z.object({
    giftCardSendNotificationToCustomer: z.object({
      giftCard: z.object({ id: gid("GiftCard") }),
      userErrors: z.array(userError),
    }),
  }),
});
