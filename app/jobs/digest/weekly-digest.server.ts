/** One shop's weekly root-cause digest (decision 0118): built and sent once per shop-week by the service. */
import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { ShopUninstalledError } from "../../queue/errors";
import { weeklyDigest } from "../../services/digest.server";
import { defineTask } from "../define-task.server";

export const weeklyDigestTask = defineTask("weekly-digest", {
  async run({ shop }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    log.info({ outcome: await weeklyDigest(shop) }, "weekly digest");
  },
});
