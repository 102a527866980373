/**
 * Flow action "Open recovery incident" (extensions/open-recovery-incident): Flow POSTs each run
 * here. Verified with authenticateFlow (the library's authenticate.flow: HMAC with the app secret; a
 * bad signature, a shop without a session or a body that is not a JSON object naming a shop is
 * refused with 400 before anything is written); the properties are
 * validated with zod (422 naming the property); the service opens the incident exactly once per
 * action_run_id and enqueues its decision. Flow retries 5xx and 429 for 24 hours and marks other
 * 4xx as failed, so refusals that retrying cannot fix are 4xx.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { logger } from "../logger.server";
import { runOpenIncidentAction } from "../services/flow-actions.server";
import { openIncidentRequest } from "../shopify/flow/actions";
import { authenticateFlow } from "../shopify.server";

export async function action({ request }: ActionFunctionArgs) {
  const { session, payload } = await authenticateFlow(request);
  const parsed = openIncidentRequest.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      property: i.path.filter((p) => p !== "properties").join(".") || "(body)",
      message: i.message,
    }));
    logger.warn({ shop: session.shop, problems }, "Flow action with invalid properties");
    return Response.json(
      {
        error: `invalid ${problems.map((p) => p.property).join(", ")}: ${problems.map((p) => p.message).join("; ")}`,
        problems,
      },
      { status: 422 },
    );
  }
  const outcome = await runOpenIncidentAction(session.shop, parsed.data);
  const log = { shop: session.shop, actionRunId: parsed.data.action_run_id, outcome: outcome.kind };
  switch (outcome.kind) {
    case "ORDER_NOT_FOUND":
      logger.warn(log, "Flow action for an unknown order");
      return Response.json(
        { error: `order ${parsed.data.properties.order_id} not found (deleted, or older than the app can read)` },
        { status: 404 },
      );
    case "SHOP_NOT_ACTIVE":
      return Response.json({ error: outcome.reason }, { status: 410 });
    case "EXCLUDED":
      logger.info(log, "Flow action for an excluded order");
      return Response.json({ error: `no incident: the order is excluded (${outcome.reason})` }, { status: 422 });
    default:
      logger.info(
        { ...log, incidentId: outcome.incidentId, replayed: outcome.replayed },
        "Flow action opened an incident",
      );
      return Response.json(
        { incidentId: outcome.incidentId, outcome: outcome.kind, replayed: outcome.replayed },
        { status: 200 },
      );
  }
}
