/** Every task the worker runs; the web process's in-process worker and `npm run worker` share it. */
import type { TaskList } from "graphile-worker";
import { checkShipByTask } from "./detection/check-ship-by.server";
import { detectOrderTask } from "./detection/detect-order.server";
import { RECONCILE_ALL_SHOPS, reconcileAllShops } from "./detection/reconcile-all-shops.server";
import { reconcileShopTask } from "./detection/reconcile-shop.server";
import { approvalTimeoutTask } from "./offers/approval-timeout.server";
import { attributeOrderTask } from "./offers/attribute-order.server";
import { checkCodeAddTask } from "./offers/check-code-add.server";
import { decideIncidentTask } from "./offers/decide-incident.server";
import { followUpTask } from "./offers/follow-up.server";
import { issueOfferTask } from "./offers/issue-offer.server";
import { notifyIncidentTask } from "./offers/notify-incident.server";
import { notifyOfferTask } from "./offers/notify-offer.server";
import { offerExpiryTask } from "./offers/offer-expiry.server";
import { processWebhook } from "./process-webhook.server";
import { PURGE_WEBHOOK_BODIES, purgeWebhookBodies } from "./purge-webhook-bodies.server";
import { PRUNE_AUDIT_ENTRIES, pruneAuditEntries } from "./prune-audit-entries.server";
import { PRUNE_WEBHOOK_DELIVERIES, pruneWebhookDeliveries } from "./prune-webhook-deliveries.server";
import { refreshShopFactsTask } from "./refresh-shop-facts.server";
import { PURGE_EXPIRED_EXPORTS, purgeExpiredExportsTask } from "./privacy/purge-expired-exports.server";
import { redactShopTask } from "./privacy/redact-shop.server";
import { WEEKLY_DIGEST_ALL_SHOPS, weeklyDigestAllShops } from "./digest/weekly-digest-all-shops.server";
import { weeklyDigestTask } from "./digest/weekly-digest.server";
import { ratingLowTask } from "./offers/rating-low.server";

export const taskList: TaskList = {
  "process-webhook": processWebhook,
  "detect-order": detectOrderTask,
  "check-ship-by": checkShipByTask,
  "reconcile-shop": reconcileShopTask,
  "refresh-shop-facts": refreshShopFactsTask,
  [RECONCILE_ALL_SHOPS]: reconcileAllShops,
  "decide-incident": decideIncidentTask,
  "issue-offer": issueOfferTask,
  "check-code-add": checkCodeAddTask,
  "notify-offer": notifyOfferTask,
  "notify-incident": notifyIncidentTask,
  "approval-timeout": approvalTimeoutTask,
  "offer-expiry": offerExpiryTask,
  "follow-up": followUpTask,
  "attribute-order": attributeOrderTask,
  [PURGE_WEBHOOK_BODIES]: purgeWebhookBodies,
  [PRUNE_WEBHOOK_DELIVERIES]: pruneWebhookDeliveries,
  [PRUNE_AUDIT_ENTRIES]: pruneAuditEntries,
  "redact-shop": redactShopTask,
  [PURGE_EXPIRED_EXPORTS]: purgeExpiredExportsTask,
  "weekly-digest": weeklyDigestTask,
  [WEEKLY_DIGEST_ALL_SHOPS]: weeklyDigestAllShops,
  "rating-low": ratingLowTask,
};
