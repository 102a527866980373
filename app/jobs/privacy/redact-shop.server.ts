/** shop/redact's deletion, in short batches; a retry resumes where an interrupted run stopped. */
import { runShopRedaction } from "../../services/privacy/shop-redaction.server";
import { defineTask } from "../define-task.server";

export const redactShopTask = defineTask("redact-shop", {
  async run({ requestId }, { log }) {
    const progress = await runShopRedaction(requestId);
    log.info({ requestId, deleted: progress.deleted }, "shop data erased");
  },
});
