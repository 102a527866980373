import { detectOrder } from "../../services/detection.server";
import { defineTask } from "../define-task.server";

export const detectOrderTask = defineTask("detect-order", {
  async run({ shop, orderGid, reason }, { log }) {
    const outcome = await detectOrder(shop, orderGid);
    if (outcome.kind === "EXCLUDED") {
      log.info({ orderGid, reason, excluded: outcome.reason }, "order excluded from detection");
      return;
    }
    log.info(
      {
        orderGid,
        reason,
        results: outcome.results.map((r) => ({ type: r.type, kind: r.kind, incidentId: r.incidentId })),
      },
      "order detected",
    );
  },
});
