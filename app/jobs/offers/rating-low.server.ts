import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { notifyRatedLow } from "../../services/ratings/ratings.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

/** "Recovery rated low" to Flow after a low rating (decision 0117): at most once (marker event), so retries are safe. */
export const ratingLowTask = defineTask("rating-low", {
  async run({ shop, ratingId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    log.info({ ratingId, outcome: await notifyRatedLow(shop, ratingId) }, "low rating");
  },
});
