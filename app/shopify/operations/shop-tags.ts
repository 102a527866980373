/**
 * The shop's own order and customer tags, for the settings' excluded-tags pickers (decision 0126):
 * read live when the Detection settings page loads, never stored. The first 250 of each, which is
 * what a picker can show; a tag beyond them can still be typed.
 */
import { z } from "zod";
import { defineOperation } from "../operation";

export const SHOP_TAGS_QUERY = `#graphql
  query AmendsShopTags {
    shop {
      orderTags(first: 250) {
        nodes
      }
      customerTags(first: 250) {
        nodes
      }
    }
  }
`;

export const shopTags = defineOperation({
  document: SHOP_TAGS_QUERY,
  data: z.object({
    shop: z.object({
      orderTags: z.object({ nodes: z.array(z.string()) }),
      customerTags: z.object({ nodes: z.array(z.string()) }),
    }),
  }),
});
