/** Severity thresholds (the defaults of decision 0099 §3), as typed, validated shop settings. */
import { z } from "zod";
import { SEVERITIES } from "../vocabulary";

type LadderDefaults = { minor: number; moderate: number | null; major: number | null; critical: number | null };

/**
 * "From N days late" for each level; null means the level is never reached by
 * days alone. Levels must rise with the days, or a later signal could come out
 * milder than an earlier one.
 */
function daysLadder(defaults: LadderDefaults) {
  const step = (value: number | null) => z.int().min(1).max(365).nullable().default(value);
  return z
    .object({
      minor: z.int().min(1).max(365).default(defaults.minor),
      moderate: step(defaults.moderate),
      major: step(defaults.major),
      critical: step(defaults.critical),
    })
    .refine(
      (ladder) => {
        const set = [ladder.minor, ladder.moderate, ladder.major, ladder.critical].filter(
          (v): v is number => v !== null,
        );
        return set.every((value, i) => i === 0 || value > (set[i - 1] ?? 0));
      },
      { message: "each level must start at more days than the level below it" },
    )
    .prefault({});
}

export const severitySettingsSchema = z.object({
  lateFulfillment: daysLadder({ minor: 1, moderate: 3, major: 6, critical: 10 }),
  deliveryDelay: daysLadder({ minor: 1, moderate: 3, major: 7, critical: null }),
  deliveryFailure: z.enum(SEVERITIES).default("major"),
  refund: z
    .object({
      /** A refund of at least this share of the order is moderate; below it, minor. */
      moderateFromPercent: z.int().min(1).max(100).default(25),
      /** A refund of more than this share is major. */
      majorAbovePercent: z.int().min(1).max(100).default(75),
    })
    .refine((r) => r.majorAbovePercent >= r.moderateFromPercent, {
      message: "the major share must not be below the moderate share",
      path: ["majorAbovePercent"],
    })
    .prefault({}),
  merchantCancellation: z.enum(SEVERITIES).default("major"),
  /** Another incident of the same customer within this many days raises severity one level. */
  repeatCustomerWindowDays: z.int().min(0).max(365).default(90),
  /**
   * Orders above this value (shop-currency minor units) raise severity one
   * level; null turns the boost off. The default, 25000, is 250.00 in a
   * two-decimal currency: review it in other currencies.
   */
  highValueOrderMinor: z.int().min(0).nullable().default(25_000),
});
export type SeveritySettings = z.output<typeof severitySettingsSchema>;
export type SeveritySettingsInput = z.input<typeof severitySettingsSchema>;
export type DaysLadder = SeveritySettings["lateFulfillment"];

export const DEFAULT_SEVERITY_SETTINGS: SeveritySettings = severitySettingsSchema.parse({});
