/**
 * Fire the app's Flow trigger. Reference fields go in the payload as
 * `order_id` / `customer_id` (numeric ids), custom fields by their key.
 * Not idempotent, and there is nothing to look up afterwards: a caller that
 * gets AMBIGUOUS decides between at most once (drop) and at least once (send again).
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { userError } from "../scalars";

export const FLOW_TRIGGER_RECEIVE_MUTATION = `#graphql
  mutation AmendsFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }
`;

export const flowTriggerReceive = defineOperation({
  document: FLOW_TRIGGER_RECEIVE_MUTATION,
  variables: z.object({ handle: z.string().min(1).max(30), payload: z.record(z.string(), z.unknown()) }),
  data: z.object({ flowTriggerReceive: z.object({ userErrors: z.array(userError) }) }),
});
