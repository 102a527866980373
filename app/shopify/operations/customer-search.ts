/**
 * Staff search the incidents by a customer's email or name (issue 17): Amends stores neither, so
 * the search goes to Shopify's customer search at query time and the incidents are filtered by the
 * ids it returns. Only ids are read back; the search itself reads protected fields (Level 2: the
 * email, the name), so a shop whose app is not approved for them gets Shopify's "not approved"
 * refusal, which the caller shows (decision 0125). An email is sent quoted (Shopify tokenizes
 * `email`: a quoted address is a phrase, so "ada@example.com" does not also find
 * "ada@example.org"); a name as `(first_name:W OR last_name:W)` per word, each value built with
 * ../search-query.ts so nothing typed can change the query's meaning.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";
import { and, or, term, type SearchQuery } from "../search-query";

export const CUSTOMER_SEARCH_LIMIT = 25;

export const CUSTOMER_SEARCH_QUERY = `#graphql
  query AmendsCustomerSearch($query: String!) {
    customers(first: 25, query: $query) {
      nodes {
        id
      }
    }
  }
`;

/** What staff typed, already read as an email or as a name's words (app/services/incidents-view/query.ts). */
export type CustomerLookup = { kind: "EMAIL"; email: string } | { kind: "NAME"; words: string[] };

/** The customer search for a lookup, in Shopify's search syntax. */
export function customerSearchQuery(lookup: CustomerLookup): SearchQuery {
  // An address always holds "@", so term() always quotes it: a phrase.
  if (lookup.kind === "EMAIL") return term("email", lookup.email);
  return and(...lookup.words.map((word) => or(term("first_name", word), term("last_name", word))));
}

const lookup = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("EMAIL"), email: z.string().trim().min(3).max(254) }),
  z.object({ kind: z.literal("NAME"), words: z.array(z.string().trim().min(1).max(60)).min(1).max(5) }),
]);

export const customerSearch = defineOperation({
  document: CUSTOMER_SEARCH_QUERY,
  variables: lookup.transform((value) => ({ query: customerSearchQuery(value).text })),
  data: z.object({ customers: z.object({ nodes: z.array(z.object({ id: gid("Customer") })) }) }),
});
