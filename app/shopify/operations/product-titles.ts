/**
 * Product titles for the dashboard's root causes (incidents keep product ids only): one `nodes`
 * read of the few products shown. A product deleted since is null.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";

export const PRODUCT_TITLES_QUERY = `#graphql
  query AmendsProductTitles($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product { id title }
    }
  }
`;

export const productTitles = defineOperation({
  document: PRODUCT_TITLES_QUERY,
  variables: z.object({ ids: z.array(gid("Product")).min(1).max(25) }),
  data: z.object({
    nodes: z.array(
      z
        .object({ id: gid("Product"), title: z.string() })
        .partial()
        .nullable(),
    ),
  }),
});
