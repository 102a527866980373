/** Program settings the decision reads, with defaults a merchant can run unchanged. */
import { z } from "zod";
import { INCIDENT_TYPES } from "../vocabulary";

/** What a grid cell falls back to when its kind cannot be issued on the shop (decide/availability.ts). */
export const FALLBACK_KINDS = ["DISCOUNT_FIXED", "GIFT_CARD", "STORE_CREDIT", "NONE"] as const;
export type FallbackKind = (typeof FALLBACK_KINDS)[number];

export const decisionSettingsSchema = z.object({
  enabledIncidentTypes: z
    .array(z.enum(INCIDENT_TYPES))
    .refine((types) => new Set(types).size === types.length, "each type at most once")
    .default([...INCIDENT_TYPES]),
  /**
   * Share of eligible incidents held out as a control group. Above one half
   * the program would mostly withhold make-goods, so that is refused.
   */
  holdoutShare: z.number().min(0).max(0.5).default(0.1),
  /** At most one offer per customer in this many days without a manager. */
  cooldownDays: z.int().min(0).max(365).default(30),
  /**
   * Face value one customer may receive in any 365 days without a manager;
   * null for no cap. Money defaults are minor units sized for two-decimal
   * currencies (20000 = 200.00).
   */
  yearlyCapPerCustomerMinor: z.int().min(0).nullable().default(20_000),
  /** Offers worth more than this need a person to approve them. */
  autoApproveCeilingMinor: z.int().min(0).default(5_000),
  /** Face value issued plus committed per shop-local calendar month; null for no budget. */
  monthlyBudgetMinor: z.int().min(0).nullable().default(100_000),
  /**
   * When the grid's kind cannot be issued (a scope the shop took back, store credit on classic
   * customer accounts): this kind instead, same value; a fixed-amount code if this one cannot be
   * issued either; NONE for the apology only.
   */
  unavailableKindFallback: z.enum(FALLBACK_KINDS).default("DISCOUNT_FIXED"),
});
export type DecisionSettings = z.output<typeof decisionSettingsSchema>;
export type DecisionSettingsInput = z.input<typeof decisionSettingsSchema>;

export const DEFAULT_DECISION_SETTINGS: DecisionSettings = decisionSettingsSchema.parse({});
