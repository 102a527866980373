import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { notifyIssued } from "../../services/issuing/lifecycle.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

/** Each channel sends at most once (marker events), so a retry only sends what did not go out. */
export const notifyOfferTask = defineTask("notify-offer", {
  async run({ shop, offerId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    log.info({ offerId, ...(await notifyIssued(shop, offerId)) }, "customer notification");
  },
});
