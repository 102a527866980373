/**
 * The free gift, step 2: turn the draft into a real order (paid: its total is
 * zero). No deprecated `paymentPending`. Not idempotent: after a lost
 * response, read the draft with AmendsDraftOrder (COMPLETED with an order
 * means it worked).
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid, userError } from "../scalars";

export const DRAFT_ORDER_COMPLETE_MUTATION = `#graphql
  mutation AmendsDraftOrderComplete($id: ID!) {
    draftOrderComplete(id: $id) {
      draftOrder {
        id
        status
        order { id name }
      }
      userErrors { field message }
    }
  }
`;

export const draftOrderComplete = defineOperation({
  document: DRAFT_ORDER_COMPLETE_MUTATION,
  variables: z.object({ id: gid("DraftOrder") }),
  data: z.object({
    draftOrderComplete: z.object({
      draftOrder: z.object({
        id: gid("DraftOrder"),
        status: z.literal("COMPLETED"),
        order: z.object({ id: gid("Order"), name: z.string() }),
      }),
      userErrors: z.array(userError),
    }),
  }),
});
