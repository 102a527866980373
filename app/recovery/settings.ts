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
import { lifecycleSettingsSchema } from "./lifecycle";
import { tierSettingsSchema } from "./tiers";

export const recoverySettingsSchema = z.object({
  detection: detectionSettingsSchema.prefault({}),
  severity: severitySettingsSchema.prefault({}),
  tiers: tierSettingsSchema.prefault({}),
  decision: decisionSettingsSchema.prefault({}),
  authority: authoritySettingsSchema.prefault({}),
  attribution: attributionSettingsSchema.prefault({}),
  /** Lifecycle stage thresholds (decision 0115). */
  lifecycle: lifecycleSettingsSchema.prefault({}),
});
export type RecoverySettings = z.output<typeof recoverySettingsSchema>;

export const DEFAULT_RECOVERY_SETTINGS: RecoverySettings = recoverySettingsSchema.parse({});

/** The optional SMTP channel (app/services/notifications/email.server.ts): one mail server per shop. */
const emailServerFields = {
  enabled: z.boolean().default(false),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** true: TLS from the start (port 465); false: STARTTLS, required (never a plain-text login). */
  secure: z.boolean().default(false),
  user: z.string().optional(),
  from: z.string().min(3),
  replyTo: z.string().optional(),
};

/** As kept in Shop.settings: the password only ever sealed (app/secrets.server.ts), never in plain text. */
export const emailSettingsSchema = z.object({
  ...emailServerFields,
  passwordSealed: z.string().optional(),
});
export type EmailSettings = z.output<typeof emailSettingsSchema>;

/** As the settings form sends it: the password in plain text, empty or absent to keep the stored one. */
export const emailSettingsInputSchema = z.object({
  ...emailServerFields,
  password: z.string().optional(),
});
export type EmailSettingsInput = z.output<typeof emailSettingsInputSchema>;
