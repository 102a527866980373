/**
 * Shopify Flow's trigger lifecycle callback: a merchant enabled or disabled a workflow that uses
 * one of Amends's triggers. Verified with authenticateFlow (the library's authenticate.flow: HMAC
 * with the app secret; an unknown shop, a bad signature or a body that is not a JSON object naming
 * a shop is refused with 400 before anything is written). Answered at once:
 * Flow lets a merchant enable the workflow only after a 2xx.
 *
 * flow_trigger_definition_id is matched to a trigger by handle, title or uid
 * (triggerForDefinitionId, decision 0301): Shopify's own example value is a title, while
 * flowTriggerReceive takes the handle, and the usage is recorded under the handle the senders ask
 * about. An id Amends does not know is answered 200 and logged, not refused: a 4xx would stop the
 * merchant from enabling their workflow, and no retry could change the answer.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { logger } from "../logger.server";
import { recordTriggerLifecycle } from "../models/flow-triggers.server";
import { triggerForDefinitionId } from "../shopify/flow/triggers";
import { authenticateFlow } from "../shopify.server";

const lifecycleSchema = z.object({
  flow_trigger_definition_id: z.string().min(1).max(255),
  has_enabled_flow: z.boolean(),
  shopify_domain: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
});

export async function action({ request }: ActionFunctionArgs) {
  const { session, payload } = await authenticateFlow(request);
  const parsed = lifecycleSchema.safeParse(payload);
  if (!parsed.success) {
    logger.warn(
      { shop: session.shop, issues: parsed.error.issues.map((i) => i.path.join(".")) },
      "malformed Flow lifecycle callback",
    );
    return Response.json(
      { error: "malformed lifecycle callback", fields: parsed.error.issues.map((i) => i.path.join(".")) },
      { status: 422 },
    );
  }
  const event = parsed.data;
  const trigger = triggerForDefinitionId(event.flow_trigger_definition_id);
  if (!trigger) {
    // The id names one of our own extensions (a handle, title or uid), never a person: safe to log,
    // and the log is the only place an operator learns that a workflow's trigger will never fire.
    logger.warn(
      { shop: session.shop, definitionId: event.flow_trigger_definition_id, enabled: event.has_enabled_flow },
      "Flow lifecycle callback for a trigger Amends does not know: answered 200, nothing recorded",
    );
    return Response.json({ recorded: false, reason: "unknown trigger" }, { status: 200 });
  }
  const applied = await recordTriggerLifecycle({
    shop: session.shop,
    trigger,
    enabled: event.has_enabled_flow,
    at: new Date(event.timestamp),
  });
  logger.info(
    {
      shop: session.shop,
      trigger,
      definitionId: event.flow_trigger_definition_id,
      enabled: event.has_enabled_flow,
      applied,
    },
    "Flow trigger lifecycle",
  );
  return new Response(null, { status: 204 });
}
