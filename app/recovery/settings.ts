/**
 * All of a shop's recovery settings in one schema, for the Shop.settings JSON
 * column: every section and field has a default, so `{}` is a complete,
 * sensible configuration and a stored document missing newer keys still parses.
 */
import { z } from "zod";
import { attributionSettingsSchema } from "./attribution";
import { authoritySettingsSchema, decisionSettingsSchema } from "./guardrails";
import { detectionSettingsSchema } from "./incidents";
import { severitySettingsSchema } from "./severity";
import { tierSettingsSchema } from "./tiers";

export const recoverySettingsSchema = z.object({
  detection: detectionSettingsSchema.prefault({}),
  severity: severitySettingsSchema.prefault({}),
  tiers: tierSettingsSchema.prefault({}),
  decision: decisionSettingsSchema.prefault({}),
  authority: authoritySettingsSchema.prefault({}),
  attribution: attributionSettingsSchema.prefault({}),
});
export type RecoverySettings = z.output<typeof recoverySettingsSchema>;

export const DEFAULT_RECOVERY_SETTINGS: RecoverySettings = recoverySettingsSchema.parse({});
