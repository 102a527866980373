/**
 * Typed, versioned job payloads. Every payload names its shop, so uninstalling
 * a shop can find and cancel its pending work. Parsed strictly when a job runs.
 */
import { z } from "zod";
import { DISCOUNT_GROUP_CAPACITY } from "../recovery/discount-groups/discount-groups";
import { SHOP_DOMAIN_PATTERN } from "../shopify/shop-domain";

const shopDomain = z.string().regex(SHOP_DOMAIN_PATTERN, "must be a myshopify.com domain");

const orderGid = z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/, "must be an Order GID");

export const jobPayloads = {
  "process-webhook": z.strictObject({ v: z.literal(1), shop: shopDomain, deliveryId: z.uuid() }),
  // Detection (app/jobs/detection): re-read an order and run the detectors; the ship-by timer; the daily sweep.
  "detect-order": z.strictObject({ v: z.literal(1), shop: shopDomain, orderGid, reason: z.string().max(64) }),
  "check-ship-by": z.strictObject({ v: z.literal(1), shop: shopDomain, orderGid, check: z.number().int().min(1) }),
  "reconcile-shop": z.strictObject({ v: z.literal(1), shop: shopDomain }),
  // Shop facts (time zone, currency, plan, customer-accounts version): after app/scopes_update and daily.
  "refresh-shop-facts": z.strictObject({ v: z.literal(1), shop: shopDomain }),
  // Offers (app/jobs/offers): decide, issue, approval timers, follow-up, expiry, attribution.
  // reason RAISED: a worse signal after the decision; a make-good not yet issued is superseded and decided again.
  "decide-incident": z.strictObject({
    v: z.literal(1),
    shop: shopDomain,
    incidentId: z.uuid(),
    reason: z.enum(["OPENED", "RAISED"]).optional(),
  }),
  "issue-offer": z.strictObject({ v: z.literal(1), shop: shopDomain, offerId: z.uuid() }),
  // Reading back Shopify's asynchronous code add for a batch of grouped codes, and recording its offers.
  "check-code-add": z.strictObject({
    v: z.literal(1),
    shop: shopDomain,
    discountGid: z.string().regex(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/, "must be a DiscountCodeNode GID"),
    bulkCreationGid: z
      .string()
      .regex(/^gid:\/\/shopify\/DiscountRedeemCodeBulkCreation\/\d+$/, "must be a DiscountRedeemCodeBulkCreation GID"),
    offers: z
      .array(z.strictObject({ offerId: z.uuid(), attempt: z.number().int().min(1) }))
      .min(1)
      .max(DISCOUNT_GROUP_CAPACITY),
    poll: z.number().int().min(0),
  }),
  "approval-timeout": z.strictObject({
    v: z.literal(1),
    shop: shopDomain,
    offerId: z.uuid(),
    stage: z.enum(["ESCALATE", "EXPIRE"]),
  }),
  // Telling the customer about an issued offer (Flow trigger, SMTP), apart from issuing so it retries on its own.
  "notify-offer": z.strictObject({ v: z.literal(1), shop: shopDomain, offerId: z.uuid() }),
  // The "Recovery incident detected" Flow trigger for a newly opened incident (only enqueued when a workflow uses it).
  "notify-incident": z.strictObject({ v: z.literal(1), shop: shopDomain, incidentId: z.uuid() }),
  "follow-up": z.strictObject({ v: z.literal(1), shop: shopDomain, offerId: z.uuid() }),
  "offer-expiry": z.strictObject({ v: z.literal(1), shop: shopDomain, offerId: z.uuid() }),
  "attribute-order": z.strictObject({ v: z.literal(1), shop: shopDomain, orderGid }),
  // shop/redact's batched deletion (app/services/privacy/shop-redaction.server.ts), resumed by retries.
  "redact-shop": z.strictObject({ v: z.literal(1), shop: shopDomain, requestId: z.uuid() }),
  // The weekly root-cause digest of one shop (app/jobs/digest, decision 0118).
  "weekly-digest": z.strictObject({ v: z.literal(1), shop: shopDomain }),
  // The "Recovery rated low" Flow trigger after a low rating (decision 0117).
  "rating-low": z.strictObject({ v: z.literal(1), shop: shopDomain, ratingId: z.uuid() }),
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloads)[N]>;

/** Retries before a job gives up (graphile-worker backs off exponentially: ~e^attempt seconds). */
export const maxAttempts: Record<JobName, number> = {
  "process-webhook": 8,
  "detect-order": 10,
  "check-ship-by": 10,
  "reconcile-shop": 5,
  "refresh-shop-facts": 5,
  "decide-incident": 10,
  "issue-offer": 10,
  "check-code-add": 10,
  "approval-timeout": 10,
  "notify-offer": 8,
  "notify-incident": 8,
  "follow-up": 10,
  "offer-expiry": 10,
  "attribute-order": 10,
  "redact-shop": 25,
  "weekly-digest": 8,
  "rating-low": 8,
};
