import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { issueOffer } from "../../services/issuing.server";
import { notifyIssued } from "../../services/issuing/lifecycle.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../errors";

export const issueOfferTask = defineTask("issue-offer", {
  async run({ shop, offerId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    const result = await issueOffer(shop, offerId);
    log[result.outcome === "FAILED" ? "warn" : "info"]({ ...result }, "offer issue attempt");
    if (result.outcome !== "ISSUED") return;
    // The offer exists now; a failed notification must not make the job retry the issue (it would be skipped anyway).
    try {
      await notifyIssued(shop, offerId);
    } catch (error) {
      log.warn({ offerId, err: { message: error instanceof Error ? error.message : String(error) } }, "offer issued, customer notification failed");
    }
  },
});
