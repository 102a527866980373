/**
 * Flow action "Open recovery incident": open (or raise) a MANUAL incident for the order, exactly
 * once per Flow action run, and answer fast. The work inline is what openManualIncident does (one
 * Admin API read of the order, one transaction that opens the incident and enqueues its decision);
 * deciding, issuing and notifying happen in jobs.
 *
 * Exactly once per action_run_id: the run is claimed by inserting its FlowActionRun row (primary key
 * shop + run id) in a transaction that stays open while the incident is opened. A retry of the same
 * run (Flow retries after a timeout) waits on that key, then finds the row and answers with the
 * first run's result. If the claim's transaction fails after the incident was opened, the retry
 * opens again and finds the open incident (one open incident per order and type is a database key),
 * so nothing is doubled. A FLOW_ACTION timeline entry says which workflow run opened it.
 */
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { TerminalJobError } from "../queue/errors";
import type { OpenIncidentRequest } from "../shopify/flow/actions";
import { openManualIncident, type DetectionDeps } from "./detection.server";

const FLOW_ACTION_EVENT = "FLOW_ACTION";

export type FlowActionOutcome =
  | { kind: "OPENED" | "RAISED" | "UNCHANGED"; incidentId: string; replayed: boolean }
  | { kind: "EXCLUDED"; reason: string }
  | { kind: "ORDER_NOT_FOUND" | "SHOP_NOT_ACTIVE"; reason: string };

function recordedOutcome(value: string | null): "OPENED" | "RAISED" | "UNCHANGED" {
  return value === "OPENED" || value === "RAISED" ? value : "UNCHANGED";
}

export async function runOpenIncidentAction(
  shop: string,
  request: OpenIncidentRequest,
  deps: DetectionDeps = {},
): Promise<FlowActionOutcome> {
  const runId = request.action_run_id;
  const { order_id: orderGid, incident_type: category, severity, note } = request.properties;
  return prisma.$transaction(
    async (tx) => {
      const claimed = await tx.$executeRaw`
        INSERT INTO "FlowActionRun" (shop, "actionRunId", handle) VALUES (${shop}, ${runId}, ${request.handle})
        ON CONFLICT (shop, "actionRunId") DO NOTHING`;
      if (claimed === 0) {
        const prior = await tx.flowActionRun.findUniqueOrThrow({
          where: { oneFlowActionRun: { shop, actionRunId: runId } },
        });
        if (prior.incidentId)
          return { kind: recordedOutcome(prior.outcome), incidentId: prior.incidentId, replayed: true };
        // The first run found nothing to open (excluded order): repeat its answer by running again, harmlessly.
      }
      let outcome;
      try {
        outcome = await openManualIncident(
          shop,
          orderGid,
          { category, severity, note: note || "Opened by a Shopify Flow workflow", reportedBy: "flow" },
          deps,
        );
      } catch (error) {
        if (error instanceof TerminalJobError && error.code === "ORDER_NOT_FOUND")
          return { kind: "ORDER_NOT_FOUND", reason: error.message };
        if (error instanceof TerminalJobError) return { kind: "SHOP_NOT_ACTIVE", reason: error.message };
        throw error;
      }
      if (outcome.kind === "EXCLUDED") return outcome;
      await tx.flowActionRun.update({
        where: { oneFlowActionRun: { shop, actionRunId: runId } },
        data: { incidentId: outcome.incidentId, outcome: outcome.kind },
      });
      await tx.incidentEvent.create({
        data: {
          shop,
          incidentId: outcome.incidentId,
          kind: FLOW_ACTION_EVENT,
          actor: "flow",
          at: clock().now(),
          data: { actionRunId: runId, actionHandle: request.handle, outcome: outcome.kind, category, severity },
        },
      });
      return { kind: outcome.kind, incidentId: outcome.incidentId, replayed: false };
    },
    // Flow waits 10 s for an answer: give up well before, so a stuck retry answers 5xx and Flow tries again later.
    { maxWait: 4_000, timeout: 8_000 },
  );
}
