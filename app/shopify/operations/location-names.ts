/**
 * Location names for the dashboard's and the digest's root causes (incidents keep location ids
 * only): one `nodes` read of the few locations shown. Its own operation, not a fragment of the
 * product titles' read: Location needs read_locations, which a shop may not have granted yet, and
 * a refusal here must not cost the product titles. A location deleted since is null.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";

export const LOCATION_NAMES_QUERY = `#graphql
  query AmendsLocationNames($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Location { id name }
    }
  }
`;

export const locationNames = defineOperation({
  document: LOCATION_NAMES_QUERY,
  variables: z.object({ ids: z.array(gid("Location")).min(1).max(25) }),
  data: z.object({
    nodes: z.array(
      z
        .object({ id: gid("Location"), name: z.string() })
        .partial()
        .nullable(),
    ),
  }),
});
