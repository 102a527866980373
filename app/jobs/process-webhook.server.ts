import { recordFailedAttempt } from "../models/webhook-delivery.server";
import { processDelivery } from "../services/webhook-processing.server";
import { defineTask } from "./define-task.server";

export const processWebhook = defineTask("process-webhook", {
  async run({ deliveryId }, { log }) {
    const outcome = await processDelivery(deliveryId);
    const level = outcome.kind === "FAILED" ? "warn" : "info";
    log[level](
      { deliveryId, outcome: outcome.kind, ...("reason" in outcome ? { reason: outcome.reason } : {}) },
      "webhook processed",
    );
  },
  async onFailure({ deliveryId }, error, final) {
    await recordFailedAttempt(deliveryId, error instanceof Error ? error.message : String(error), final);
  },
});
