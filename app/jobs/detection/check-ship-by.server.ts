import { checkShipBy } from "../../services/detection.server";
import { defineTask } from "../define-task.server";

export const checkShipByTask = defineTask("check-ship-by", {
  async run({ shop, orderGid, check }, { log }) {
    const outcome = await checkShipBy(shop, orderGid, check);
    log.info(
      { orderGid, check, outcome: outcome.kind, ...("reason" in outcome ? { reason: outcome.reason } : {}) },
      "ship-by checked",
    );
  },
});
