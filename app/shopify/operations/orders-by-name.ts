/**
 * Find an order by its name ("#1001"), for staff opening an incident by hand for an order Amends
 * has not recorded (placed before install, or a webhook still on its way). Shopify's search is
 * loose, so the caller keeps only an exact name match.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";
import { term } from "../search-query";

export const ORDERS_BY_NAME_QUERY = `#graphql
  query AmendsOrdersByName($query: String!) {
    orders(first: 5, query: $query) {
      nodes {
        id
        name
      }
    }
  }
`;

export const ordersByName = defineOperation({
  document: ORDERS_BY_NAME_QUERY,
  variables: z.object({ name: z.string().min(1) }).transform(({ name }) => ({ query: term("name", name).text })),
  data: z.object({ orders: z.object({ nodes: z.array(z.object({ id: gid("Order"), name: z.string() })) }) }),
});
