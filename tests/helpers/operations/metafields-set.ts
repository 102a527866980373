/**
 * Set metafields (at most 25, atomically), e.g. the Amends incident id on an
 * order. A missing namespace is the app's own reserved one ($app). Setting the
 * same value again changes nothing, so repeating is harmless. The app sets no metafield; tests use
 * it as an idempotent mutation for the client's retry policy and the sandbox.
 */
import { z } from "zod";
import { defineOperation } from "../../../app/shopify/operation";
import { gid, userError } from "../../../app/shopify/scalars";

export const METAFIELDS_SET_MUTATION = `#graphql
  mutation AmendsMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id namespace key type value ownerType }
      userErrors { field code message }
    }
  }
`;

export const INCIDENT_METAFIELD = { namespace: "$app", key: "incident_id", type: "single_line_text_field" } as const;

export const metafieldsSet = defineOperation({
  document: METAFIELDS_SET_MUTATION,
  variables: z.object({
    metafields: z
      .array(
        z.object({
          ownerId: z.string().startsWith("gid://shopify/"),
          namespace: z.string().optional(),
          key: z.string(),
          type: z.string(),
          value: z.string(),
        }),
      )
      .min(1)
      .max(25),
  }),
  data: z.object({
    metafieldsSet: z.object({
      metafields: z.array(
        z.object({
          id: gid("Metafield"),
          namespace: z.string(),
          key: z.string(),
          type: z.string(),
          value: z.string(),
          ownerType: z.string(),
        }),
      ),
      userErrors: z.array(userError),
    }),
  }),
  idempotent: true,
});
