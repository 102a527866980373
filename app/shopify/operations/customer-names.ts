/**
 * The names and emails the incident pages show beside a customer (issue 17): one `nodes` read of
 * the page's customers, at page load, never stored (decision 0125). Name and email are protected
 * customer data (Level 2): a field Shopify refuses comes back null with the refused path reported
 * (`protectedFields`), and the page shows the customer's id instead. A customer deleted since is
 * null.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";

export const CUSTOMER_NAMES_LIMIT = 50;

export const CUSTOMER_NAMES_QUERY = `#graphql
  query AmendsCustomerNames($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        firstName
        lastName
        defaultEmailAddress { emailAddress }
      }
    }
  }
`;

export const customerNames = defineOperation({
  document: CUSTOMER_NAMES_QUERY,
  variables: z.object({ ids: z.array(gid("Customer")).min(1).max(CUSTOMER_NAMES_LIMIT) }),
  data: z.object({
    nodes: z.array(
      z
        .object({
          id: gid("Customer"),
          firstName: z.string().nullable(),
          lastName: z.string().nullable(),
          defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable(),
        })
        .partial()
        .nullable(),
    ),
  }),
  protectedFields: [
    ["nodes"],
    ["nodes", "firstName"],
    ["nodes", "lastName"],
    ["nodes", "defaultEmailAddress"],
    ["nodes", "defaultEmailAddress", "emailAddress"],
  ],
});
