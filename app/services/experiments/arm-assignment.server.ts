/**
 * The arm an incident of an experiment cell was given (decision 0119), written in the decision's
 * transaction. A re-decided incident (a worse signal superseded its waiting offer) keeps one row:
 * the latest decision's.
 */
import type { Tx } from "../../db.server";
import type { Decision } from "../../recovery";

export async function recordArmAssignment(tx: Tx, shop: string, incidentId: string, decision: Decision): Promise<void> {
  if (decision.kind === "INELIGIBLE" || !decision.arm) {
    await tx.armAssignment.deleteMany({ where: { shop, incidentId } });
    return;
  }
  const arm = decision.arm;
  const data = {
    experimentKey: arm.experimentKey,
    arm: arm.arm,
    label: arm.label,
    arms: arm.arms,
    timing: arm.timing,
    timingOnly: arm.timingOnly,
    gridVersion: decision.gridVersion,
  };
  await tx.armAssignment.upsert({
    where: { incidentId },
    create: { shop, incidentId, ...data },
    update: data,
  });
}
