import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { issueOffer } from "../../services/issuing.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

export const issueOfferTask = defineTask("issue-offer", {
  async run({ shop, offerId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    const result = await issueOffer(shop, offerId);
    log[result.outcome === "FAILED" ? "warn" : "info"]({ ...result }, "offer issue attempt");
    // Telling the customer is the notify-offer job's, enqueued with the ISSUED record.
  },
});
