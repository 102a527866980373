import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { decideIncident, supersedeAndRedecide } from "../../services/decision.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

export const decideIncidentTask = defineTask("decide-incident", {
  async run({ shop, incidentId, reason }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    const result =
      reason === "RAISED" ? await supersedeAndRedecide(shop, incidentId) : await decideIncident(shop, incidentId);
    log.info(
      {
        incidentId,
        outcome: result.outcome,
        ...(result.outcome === "DECIDED" ? { decision: result.decision.kind, offerId: result.offerId } : {}),
      },
      "incident decided",
    );
  },
});
