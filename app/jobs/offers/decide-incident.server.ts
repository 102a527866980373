import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { decideIncident } from "../../services/decision.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../errors";

export const decideIncidentTask = defineTask("decide-incident", {
  async run({ shop, incidentId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    const result = await decideIncident(shop, incidentId);
    log.info({ incidentId, outcome: result.outcome, ...(result.outcome === "DECIDED" ? { decision: result.decision.kind, offerId: result.offerId } : {}) }, "incident decided");
  },
});
