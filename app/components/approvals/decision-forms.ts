/**
 * The fields of the queue's decision modals, checked the same way in the browser (before sending)
 * and in the action (which never trusts the browser).
 */
import { z } from "zod";

export const rejectReasonSchema = z
  .string("Give a reason for rejecting")
  .trim()
  .min(3, "Give a reason for rejecting (at least 3 characters)")
  .max(500, "Keep the reason under 500 characters");

export const editedValueSchema = z
  .string("Enter the new value")
  .trim()
  .regex(/^\d+(\.\d+)?$/, "Enter a number, like 25 or 12.50")
  .refine((v) => Number(v) > 0, "Enter a value above zero");

/** The field's message, or null when the value passes. */
export function fieldMessage(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check this field");
}
