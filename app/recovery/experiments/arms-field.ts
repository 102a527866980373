/**
 * The `arms` field of a grid cell (issue 16 part 7, decision 0119): 2-4 alternative make-goods a
 * cell tries side by side, each a full offer template with an optional label. Each arm's offer is
 * a cell template checked by the grid's own cell schema (schema.ts, after the cell schema exists):
 * this file imports nothing from the grid so the grid can import it without a cycle.
 */
import { z } from "zod";

export const MIN_ARMS = 2;
export const MAX_ARMS = 4;
/** Arms are called A, B, C, D in order unless the merchant labels them. */
export const ARM_LETTERS = ["A", "B", "C", "D"] as const;

/**
 * When an arm's make-good is issued: at once (NOW, the default) or at the shop's next morning
 * (NEXT_MORNING: 09:00 shop time on the next local day, experiments/timing.ts).
 */
export const ARM_TIMINGS = ["NOW", "NEXT_MORNING"] as const;
export type ArmTiming = (typeof ARM_TIMINGS)[number];

export const armEntrySchema = z.object({
  label: z
    .string("a label must be text")
    .trim()
    .min(1, "leave the label out or give it at least one character")
    .max(40, "a label has at most 40 characters")
    .optional(),
  /** Absent: NOW. */
  timing: z.enum(ARM_TIMINGS, "timing is NOW or NEXT_MORNING").optional(),
  /** A make-good as a cell gives it (kind, value, expiry, approval, template); no arms of its own. */
  offer: z.record(z.string(), z.unknown(), "each arm needs its make-good (kind, value, expiry, approval)"),
});
export type ArmEntry = z.output<typeof armEntrySchema>;

export const armsField = z
  .array(armEntrySchema, "arms must be a list")
  .min(MIN_ARMS, `an experiment needs at least ${MIN_ARMS} arms`)
  .max(MAX_ARMS, `an experiment has at most ${MAX_ARMS} arms`)
  .optional();
