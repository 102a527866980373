import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { notifyIncidentDetected } from "../../services/flow-incident.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

/** "Recovery incident detected" to Flow, at most once per incident (a marker event), so retries are safe. */
export const notifyIncidentTask = defineTask("notify-incident", {
  async run({ shop, incidentId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    log.info({ incidentId, outcome: await notifyIncidentDetected(shop, incidentId) }, "incident notification");
  },
});
