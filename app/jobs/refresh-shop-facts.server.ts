import { refreshShopFacts } from "../services/shop-facts.server";
import { defineTask } from "./define-task.server";

export { enqueueShopFactsRefresh } from "../services/shop-facts.server";

export const refreshShopFactsTask = defineTask("refresh-shop-facts", {
  async run({ shop }, { log }) {
    const facts = await refreshShopFacts(shop);
    log.info({ customerAccountsV2: facts.customerAccountsV2 }, "shop facts refreshed");
  },
});
