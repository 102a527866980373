import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { attributeNewOrder } from "../../services/issuing/attribution.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

export const attributeOrderTask = defineTask("attribute-order", {
  async run({ shop, orderGid }, { log }) {
    if (await isUninstalled(prisma, shop)) throw new ShopUninstalledError(shop);
    log.info({ orderGid, ...(await attributeNewOrder(shop, orderGid)) }, "order attributed");
  },
});
