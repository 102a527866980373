import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { followUp } from "../../services/issuing/lifecycle.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

export const followUpTask = defineTask("follow-up", {
  async run({ shop, offerId }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    log.info({ offerId, outcome: await followUp(shop, offerId) }, "follow-up");
  },
});
