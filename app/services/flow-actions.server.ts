/**
 * Flow action "Open recovery incident": open (or raise) a MANUAL incident for the order, exactly
 * once per Flow action run, and answer fast. The work inline is what openManualIncident does (one
 * Admin API read of the order, one transaction that opens the incident and enqueues its decision);
 * deciding, issuing and notifying happen in jobs.
 *
 * One connection at a time (docs/decisions/0021-pool-and-retention.md): the order is read from the
 * Admin API before any transaction, each query taking and returning its own connection; then one
 * short transaction claims the run, opens the incident, records the outcome and enqueues the
 * decision, with no query outside it. The earlier shape held a transaction open across the Admin
 * call and a second, inner transaction on another connection: a burst of actions held two
 * connections each, up to 8 s, and starved everything else on the pool (with a pool of one it could
 * never finish).
 *
 * Exactly once per action_run_id: the run is claimed by inserting its FlowActionRun row (primary key
 * shop + run id) in that transaction. A concurrent retry of the same run (Flow retries after a
 * timeout) waits on that key (holding only its own connection), then finds the row and answers with
 * the first run's result; a later retry finds it before reading the order at all. If the first
 * transaction fails, nothing of it stays and the retry opens the incident itself. A FLOW_ACTION
 * timeline entry says which workflow run opened it.
 */
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { TerminalJobError } from "../queue/errors";
import type { OpenIncidentRequest } from "../shopify/flow/actions";
import { prepareManualIncident, writeManualIncident, type DetectionDeps } from "./detection.server";

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
  const runKey = { oneFlowActionRun: { shop, actionRunId: runId } };
  const answered = await prisma.flowActionRun.findUnique({ where: runKey });
  if (answered?.incidentId)
    return { kind: recordedOutcome(answered.outcome), incidentId: answered.incidentId, replayed: true };

  let prepared;
  try {
    prepared = await prepareManualIncident(
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
  // Nothing to open (a test order, an excluded tag): the same answer for every retry, nothing written.
  if (prepared.kind === "EXCLUDED") return prepared;
  const ready = prepared;

  return prisma.$transaction(
    async (tx): Promise<FlowActionOutcome> => {
      const claimed = await tx.$executeRaw`
        INSERT INTO "FlowActionRun" (shop, "actionRunId", handle) VALUES (${shop}, ${runId}, ${request.handle})
        ON CONFLICT (shop, "actionRunId") DO NOTHING`;
      if (claimed === 0) {
        const prior = await tx.flowActionRun.findUniqueOrThrow({ where: runKey });
        if (prior.incidentId)
          return { kind: recordedOutcome(prior.outcome), incidentId: prior.incidentId, replayed: true };
        // A row without an incident (an earlier version recorded excluded runs): this run opens it.
      }
      const outcome = await writeManualIncident(tx, ready);
      await tx.flowActionRun.update({
        where: runKey,
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
    // Flow waits 10 s for an answer and the order was already read: database work only from here. Give up
    // well before, so a run stuck behind a busy pool answers 5xx and Flow tries again later.
    { maxWait: 3_000, timeout: 5_000 },
  );
}
