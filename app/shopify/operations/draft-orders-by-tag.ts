/**
 * Draft orders carrying a tag, to reconcile an ambiguous AmendsDraftOrderCreate:
 * Amends tags each gift draft with its offer's own tag, so at most one
 * should come back.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { term } from "../search-query";
import { draftOrderSummary } from "./draft-order";

export const DRAFT_ORDERS_BY_TAG_QUERY = `#graphql
  query AmendsDraftOrdersByTag($query: String!) {
    draftOrders(first: 5, query: $query, sortKey: ID, reverse: true) {
      nodes {
        id
        name
        status
        tags
        order { id name }
      }
    }
  }
`;

export const draftOrdersByTag = defineOperation({
  document: DRAFT_ORDERS_BY_TAG_QUERY,
  variables: z.object({ tag: z.string().min(1) }).transform(({ tag }) => ({ query: term("tag", tag).text })),
  data: z.object({ draftOrders: z.object({ nodes: z.array(draftOrderSummary) }) }),
});
