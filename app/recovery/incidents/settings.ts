/** Shop settings the detectors read, with defaults a merchant can run unchanged. */
import { z } from "zod";
import { DEFAULT_WEEKEND_DAYS, isLocalDate } from "../time";

const localDateString = z.string().refine(isLocalDate, { message: "must be a date YYYY-MM-DD" });

/** Cancellations by the store; `customer` and `fraud` are deliberately not representable. */
export const STORE_CANCEL_REASONS = ["inventory", "declined", "other", "staff"] as const;
export type StoreCancelReason = (typeof STORE_CANCEL_REASONS)[number];

const tagList = z.array(z.string().trim().min(1).max(255)).max(100);

export const detectionSettingsSchema = z.object({
  /** Business days the shop promises to ship in. */
  handlingDays: z.int().min(0).max(60).default(2),
  weekendDays: z
    .array(z.int().min(0).max(6))
    .max(6, "at least one day a week must be a business day")
    .refine((days) => new Set(days).size === days.length, "each day at most once")
    .default([...DEFAULT_WEEKEND_DAYS]),
  holidays: z.array(localDateString).max(400).default([]),
  /** Orders with any of these tags never open incidents. */
  excludedOrderTags: tagList.default(["amends-exclude"]),
  /** Customers (for example staff accounts) with any of these tags never open incidents. */
  excludedCustomerTags: tagList.default(["amends-exclude"]),
  /** Failed delivery attempts on one parcel before it counts as a delivery failure. */
  attemptedDeliveryThreshold: z.int().min(1).max(10).default(2),
  cancellationReasons: z.array(z.enum(STORE_CANCEL_REASONS)).default([...STORE_CANCEL_REASONS]),
  /** Whether refunds for customer returns open REFUND incidents. */
  countReturnRefunds: z.boolean().default(false),
});
export type DetectionSettings = z.output<typeof detectionSettingsSchema>;
export type DetectionSettingsInput = z.input<typeof detectionSettingsSchema>;

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = detectionSettingsSchema.parse({});
