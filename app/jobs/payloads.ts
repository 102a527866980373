/**
 * Typed, versioned job payloads. Every payload names its shop, so uninstalling
 * a shop can find and cancel its pending work. Parsed strictly when a job runs.
 */
import { z } from "zod";

const shopDomain = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a myshopify.com domain");

export const jobPayloads = {
  "process-webhook": z.strictObject({ v: z.literal(1), shop: shopDomain, deliveryId: z.uuid() }),
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloads)[N]>;

/** Retries before a job gives up (graphile-worker backs off exponentially: ~e^attempt seconds). */
export const maxAttempts: Record<JobName, number> = {
  "process-webhook": 8,
};
