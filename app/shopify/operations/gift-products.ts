/**
 * The grid editor's gift product picker outside the admin (the demo): products
 * matching what the merchant typed, with their variants and stock, and the variants a
 * grid already names (titles for the table, prices for the preview).
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";
import { freeText } from "../search-query";

const variant = z.object({
  id: gid("ProductVariant"),
  title: z.string(),
  displayName: z.string(),
  price: z.string(),
});

export const GIFT_PRODUCT_SEARCH_QUERY = `#graphql
  query AmendsGiftProductSearch($query: String!) {
    products(first: 10, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
        variants(first: 20) {
          nodes { id title displayName price inventoryQuantity inventoryPolicy inventoryItem { tracked } }
        }
      }
    }
  }
`;

export const giftProductSearch = defineOperation({
  document: GIFT_PRODUCT_SEARCH_QUERY,
  // Free-text words only (search-query.ts freeText): what the merchant types cannot change the query's meaning.
  variables: z.object({ query: z.string().transform((typed) => freeText(typed)?.text ?? "") }),
  data: z.object({
    products: z.object({
      nodes: z.array(
        z.object({
          id: gid("Product"),
          title: z.string(),
          variants: z.object({
            nodes: z.array(
              variant.extend({
                // The picker says whether a gift can go out now (a completed draft takes units it lacks).
                inventoryQuantity: z.number().int().nullable(),
                inventoryPolicy: z.enum(["CONTINUE", "DENY"]),
                inventoryItem: z.object({ tracked: z.boolean() }),
              }),
            ),
          }),
        }),
      ),
    }),
  }),
});

export const GIFT_VARIANTS_QUERY = `#graphql
  query AmendsGiftVariants($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant { id title displayName price }
    }
  }
`;

export const giftVariants = defineOperation({
  document: GIFT_VARIANTS_QUERY,
  variables: z.object({ ids: z.array(gid("ProductVariant")).max(50) }),
  // A deleted variant comes back as null; other node types cannot appear for ProductVariant ids.
  data: z.object({ nodes: z.array(variant.nullable()) }),
});
