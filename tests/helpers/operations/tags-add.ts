/**
 * Tag an order, customer or draft order. Tags are de-duplicated, so repeating is harmless. The app
 * sends no tagsAdd; tests use it as an idempotent mutation for the client's retry policy.
 */
import { z } from "zod";
import { defineOperation } from "../../../app/shopify/operation";
import { userError } from "../../../app/shopify/scalars";

export const TAGS_ADD_MUTATION = `#graphql
  mutation AmendsTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node { id }
      userErrors { field message }
    }
  }
`;

export const tagsAdd = defineOperation({
  document: TAGS_ADD_MUTATION,
  variables: z.object({ id: z.string().startsWith("gid://shopify/"), tags: z.array(z.string()).min(1) }),
  data: z.object({
    tagsAdd: z.object({ node: z.object({ id: z.string() }), userErrors: z.array(userError) }),
  }),
  idempotent: true,
});
