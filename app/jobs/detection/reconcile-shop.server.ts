import { reconcileShop } from "../../services/detection.server";
import { defineTask } from "../define-task.server";

export const reconcileShopTask = defineTask("reconcile-shop", {
  async run({ shop }, { log }) {
    const outcome = await reconcileShop(shop);
    log.info(outcome, "shop reconciled");
  },
});
