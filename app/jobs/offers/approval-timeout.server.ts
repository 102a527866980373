import { approvalTimeout } from "../../services/approvals.server";
import { defineTask } from "../define-task.server";

export const approvalTimeoutTask = defineTask("approval-timeout", {
  async run({ shop, offerId, stage }, { log }) {
    const outcome = await approvalTimeout(shop, offerId, stage);
    log.info({ offerId, stage, outcome }, "approval timer");
  },
});
