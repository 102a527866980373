/**
 * Reconciling a gift card after an ambiguous giftCardCreate: the customer's
 * cards created since the first attempt, newest first. Match on the last
 * characters of the code Amends chose, the amount and the note.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { date, dateTime, gid, moneyV2 } from "../scalars";
import { customerCreatedSince } from "../search-query";

export const GIFT_CARDS_FOR_RECONCILE_QUERY = `#graphql
  query AmendsGiftCardsForReconcile($query: String!) {
    giftCards(first: 10, query: $query, sortKey: CREATED_AT, reverse: true) {
      nodes {
        id
        lastCharacters
        initialValue { amount currencyCode }
        createdAt
        expiresOn
        note
        enabled
        customer { id }
      }
    }
  }
`;

export const giftCardsForReconcile = defineOperation({
  document: GIFT_CARDS_FOR_RECONCILE_QUERY,
  variables: z
    .object({ customerId: gid("Customer"), since: z.date() })
    .transform(({ customerId, since }) => ({ query: customerCreatedSince(customerId, since).text })),
  data: z.object({
    giftCards: z.object({
      nodes: z.array(
        z.object({
          id: gid("GiftCard"),
          lastCharacters: z.string(),
          initialValue: moneyV2,
          createdAt: dateTime,
          expiresOn: date.nullable(),
          note: z.string().nullable(),
          enabled: z.boolean(),
          customer: z.object({ id: gid("Customer") }).nullable(),
        }),
      ),
    }),
  }),
});
