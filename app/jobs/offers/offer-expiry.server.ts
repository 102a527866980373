import { expireOffer } from "../../services/issuing/lifecycle.server";
import { defineTask } from "../define-task.server";

export const offerExpiryTask = defineTask("offer-expiry", {
  async run({ shop, offerId }, { log }) {
    log.info({ offerId, outcome: await expireOffer(shop, offerId) }, "offer expiry");
  },
});
