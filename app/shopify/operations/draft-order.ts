/** One draft order's state, to reconcile an ambiguous AmendsDraftOrderComplete. */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";

export const DRAFT_ORDER_QUERY = `#graphql
  query AmendsDraftOrder($id: ID!) {
    draftOrder(id: $id) {
      id
      name
      status
      tags
      order { id name }
    }
  }
`;

export const draftOrderSummary = z.object({
  id: gid("DraftOrder"),
  name: z.string(),
  status: z.enum(["COMPLETED", "INVOICE_SENT", "OPEN"]),
  tags: z.array(z.string()),
  order: z.object({ id: gid("Order"), name: z.string() }).nullable(),
});

export const draftOrder = defineOperation({
  document: DRAFT_ORDER_QUERY,
  variables: z.object({ id: gid("DraftOrder") }),
  data: z.object({ draftOrder: draftOrderSummary.nullable() }),
});
