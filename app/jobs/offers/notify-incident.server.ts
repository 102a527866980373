import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { notifyIncidentDetected } from "../../services/flow-incident.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

/**
 * "Recovery incident detected" to Flow with the customer's acknowledgement, and the acknowledgement by
 * SMTP (decision 0113): each at most once per incident (marker events), so retries are safe.
 */
export const notifyIncidentTask = defineTask("notify-incident", {
  async run({ shop, incidentId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    log.info({ incidentId, outcome: await notifyIncidentDetected(shop, incidentId) }, "incident notification");
  },
});
