/**
 * A shop as the app reads it: time zone, currency, install state and Shop.settings (the recovery
 * sections, the offer lifecycle's settings and the shop's own message wording), with every default
 * in this one place. A stored section that no longer parses falls back to its defaults rather than
 * stopping work for the shop, and says so in the log.
 */
import type { Shop } from "@prisma/client";
import { z } from "zod";
import type { Tx } from "../db.server";
import { prisma } from "../db.server";
import { logger } from "../logger.server";
import { shopChanged, shopRow } from "./shop-snapshot.server";
import {
  attributionSettingsSchema,
  authoritySettingsSchema,
  decisionSettingsSchema,
  DEFAULT_RECOVERY_SETTINGS,
  detectionSettingsSchema,
  severitySettingsSchema,
  tierSettingsSchema,
  lifecycleSettingsSchema,
  type RecoverySettings,
} from "../recovery";
import { messageOverridesSchema, NO_MESSAGE_OVERRIDES, type MessageOverrides } from "../recovery/messages/overrides";
import { emailSettingsSchema } from "../recovery/settings";

/** What a shop Amends has no row for (or no value in it) is taken to use: one place for these defaults. */
const SHOP_DEFAULTS = { timeZone: "UTC", currency: "USD" } as const;

/**
 * Offer lifecycle settings, kept next to the recovery settings in Shop.settings under `offers`.
 * Defaults: escalate a pending offer to MANAGER after 4 h, expire it after 48 h; follow up 48 h
 * after issue (decision 0099 §8: 48-72 h); let Shopify email store credit and gift cards.
 */
export const offerSettingsSchema = z.object({
  escalateAfterHours: z
    .number()
    .min(0.25)
    .max(24 * 14)
    .default(4),
  expireAfterHours: z
    .number()
    .min(1)
    .max(24 * 30)
    .default(48),
  followUpAfterHours: z
    .number()
    .min(1)
    .max(24 * 14)
    .default(48),
  /**
   * Target time to first contact (decision 0113): the acknowledgement should reach the customer
   * within this many minutes of detection; the dashboard measures against it.
   */
  acknowledgeWithinMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  notifyStoreCredit: z.boolean().default(true),
  notifyGiftCard: z.boolean().default(true),
  /** Optional SMTP channel for the apology (in addition to the Flow trigger); its password is kept sealed. */
  email: emailSettingsSchema.nullable().default(null),
  /**
   * Where the weekly root-cause digest goes by the shop's mail server (decision 0118); null: no
   * digest email (the default), the Flow trigger and the dashboard still have it.
   */
  digestEmailTo: z
    .email("Enter an address like you@yourstore.com, or leave it empty for no digest email")
    .nullable()
    .default(null),
});
export type OfferSettings = z.output<typeof offerSettingsSchema>;

/** The recovery sections of Shop.settings, each with its own schema. */
export const RECOVERY_SECTIONS = {
  detection: detectionSettingsSchema,
  severity: severitySettingsSchema,
  tiers: tierSettingsSchema,
  decision: decisionSettingsSchema,
  authority: authoritySettingsSchema,
  attribution: attributionSettingsSchema,
  lifecycle: lifecycleSettingsSchema,
} as const;
export type RecoverySection = keyof typeof RECOVERY_SECTIONS;

/** Shop.settings read: the recovery sections, `offers` and `messages` (the shop's own wording). */
export interface ShopSettingsDocument {
  /** The raw document, for keys no schema here owns (a save keeps them). */
  raw: Record<string, unknown>;
  recovery: RecoverySettings;
  offers: OfferSettings;
  messages: MessageOverrides;
}

/**
 * Each section parsed on its own: a section that no longer parses (a bad manual edit, an
 * incompatible old shape) falls back to its defaults, says so in the log, and does not drag the
 * others with it; missing keys take their defaults.
 */
export function parseShopSettings(shop: string, document: unknown): ShopSettingsDocument {
  const raw =
    typeof document === "object" && document !== null && !Array.isArray(document)
      ? (document as Record<string, unknown>)
      : {};
  const invalid: string[] = [];
  const section = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const parsed = schema.safeParse(raw[name] ?? {});
    if (parsed.success) return parsed.data;
    invalid.push(name);
    return fallback;
  };
  const recovery = { ...DEFAULT_RECOVERY_SETTINGS } as Record<RecoverySection, unknown>;
  for (const name of Object.keys(RECOVERY_SECTIONS) as RecoverySection[])
    recovery[name] = section(name, RECOVERY_SECTIONS[name] as z.ZodType<unknown>, DEFAULT_RECOVERY_SETTINGS[name]);
  const offers = section("offers", offerSettingsSchema, offerSettingsSchema.parse({}));
  const messages = section("messages", messageOverridesSchema, NO_MESSAGE_OVERRIDES);
  if (invalid.length > 0) logger.warn({ shop, sections: invalid }, "stored shop settings do not parse; using defaults");
  return { raw, recovery: recovery as RecoverySettings, offers, messages };
}

/** Everything the app reads about a shop, with the defaults filled in: the one reader of Shop. */
export interface ShopContext {
  shop: string;
  /** Amends has a row for the shop (it installed at least once). */
  known: boolean;
  installed: boolean;
  timeZone: string;
  currency: string;
  recovery: RecoverySettings;
  offers: OfferSettings;
  /** The shop's own wording for customer messages (the settings page); render with catalogWithOverrides. */
  messages: MessageOverrides;
  /** Access scopes the shop grants (Shop.scopes, kept by install and app/scopes_update); null when not recorded. */
  grantedScopes: string | null;
  /** New customer accounts (store credit is spendable only there); null until first read from Shopify. */
  customerAccountsV2: boolean | null;
}

/** The context of a Shop row already read (null: a shop Amends does not know). */
export function shopContextOf(shop: string, row: Shop | null): ShopContext {
  const { recovery, offers, messages } = parseShopSettings(shop, row?.settings);
  return {
    shop,
    known: row !== null,
    installed: row?.installState === "INSTALLED",
    timeZone: row?.timezone ?? SHOP_DEFAULTS.timeZone,
    currency: row?.currency ?? SHOP_DEFAULTS.currency,
    recovery,
    offers,
    messages,
    grantedScopes: row?.scopes ?? null,
    customerAccountsV2: row?.customerAccountsV2 ?? null,
  };
}

/** Outside a transaction, a job's snapshot of the row answers (shop-snapshot.server.ts). */
export async function shopContext(shop: string, db: Tx = prisma): Promise<ShopContext> {
  return shopContextOf(shop, db === prisma ? await shopRow(shop) : await db.shop.findUnique({ where: { shop } }));
}

/**
 * The dashboard's first-run card state, kept in Shop.settings under `onboarding`.
 * recoverySettingsSchema is a plain z.object, which drops keys it does not know, so the key does
 * not disturb the program settings; it is written with jsonb_set so a concurrent settings save
 * and this write do not overwrite each other's keys.
 */
/** Setup guide steps a member may tick by hand (looking is enough; nothing has to be saved). */
export const MANUAL_SETUP_STEPS = ["defaults", "grid"] as const;
export type ManualSetupStep = (typeof MANUAL_SETUP_STEPS)[number];

const onboardingSchema = z.object({
  dismissedAt: z.iso.datetime().optional(),
  dismissedBy: z.string().optional(),
  /** Steps of the setup guide a member marked done. */
  completed: z.array(z.enum(MANUAL_SETUP_STEPS)).optional(),
});
export type OnboardingState = z.output<typeof onboardingSchema>;

export function parseOnboarding(stored: unknown): OnboardingState {
  const value =
    typeof stored === "object" && stored !== null ? (stored as Record<string, unknown>).onboarding : undefined;
  const parsed = onboardingSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

/**
 * The card's state, and whether the program settings were ever saved: the settings page writes the
 * whole document, so any key beside `onboarding` means someone saved them.
 */
export async function onboardingState(shop: string): Promise<OnboardingState & { settingsSaved: boolean }> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  const stored = row?.settings;
  const keys = typeof stored === "object" && stored !== null && !Array.isArray(stored) ? Object.keys(stored) : [];
  return { ...parseOnboarding(stored), settingsSaved: keys.some((k) => k !== "onboarding") };
}

/** Returns false when the shop has no row (nothing to store it on). */
export async function saveOnboarding(shop: string, state: OnboardingState): Promise<boolean> {
  shopChanged(shop);
  const updated = await prisma.$executeRaw`
    UPDATE "Shop" SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{onboarding}', ${JSON.stringify(state)}::jsonb, true), "updatedAt" = now()
    WHERE shop = ${shop}`;
  return updated > 0;
}
