/**
 * A shop's recovery settings: Shop.settings parsed through recoverySettingsSchema,
 * so missing keys take their defaults. A stored document that no longer
 * parses (a bad manual edit, an incompatible old shape) falls back to the
 * defaults rather than stopping detection for the shop, and says so in the log.
 */
import { z } from "zod";
import type { Tx } from "../db.server";
import { prisma } from "../db.server";
import { logger } from "../logger.server";
import { DEFAULT_RECOVERY_SETTINGS, recoverySettingsSchema, type RecoverySettings } from "../recovery";

/** What a shop Amends has no row for (or no value in it) is taken to use: one place for these defaults. */
export const SHOP_DEFAULTS = { timeZone: "UTC", currency: "USD" } as const;

export interface ShopContext {
  shop: string;
  installed: boolean;
  timeZone: string;
  currency: string;
  settings: RecoverySettings;
}

export function parseShopSettings(shop: string, stored: unknown): RecoverySettings {
  const parsed = recoverySettingsSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  logger.warn({ shop, issues: parsed.error.issues.slice(0, 5) }, "stored shop settings do not parse; using defaults");
  return DEFAULT_RECOVERY_SETTINGS;
}

/** The shop's time zone, currency and settings; null when Amends has no row for it. */
export async function shopContext(shop: string, db: Tx = prisma): Promise<ShopContext | null> {
  const row = await db.shop.findUnique({ where: { shop } });
  if (!row) return null;
  return {
    shop,
    installed: row.installState === "INSTALLED",
    timeZone: row.timezone,
    currency: row.currency,
    settings: parseShopSettings(shop, row.settings),
  };
}

export async function shopSettings(shop: string, db: Tx = prisma): Promise<RecoverySettings> {
  return (await shopContext(shop, db))?.settings ?? DEFAULT_RECOVERY_SETTINGS;
}

/**
 * The dashboard's first-run card state, kept in Shop.settings under `onboarding`.
 * recoverySettingsSchema is a plain z.object, which drops keys it does not know, so the key does
 * not disturb the program settings; it is written with jsonb_set so a concurrent settings save
 * and this write do not overwrite each other's keys.
 */
const onboardingSchema = z.object({ dismissedAt: z.iso.datetime().optional(), dismissedBy: z.string().optional() });
export type OnboardingState = z.output<typeof onboardingSchema>;

export function parseOnboarding(stored: unknown): OnboardingState {
  const value =
    typeof stored === "object" && stored !== null ? (stored as Record<string, unknown>).onboarding : undefined;
  const parsed = onboardingSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

export async function onboardingState(shop: string): Promise<OnboardingState> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  return parseOnboarding(row?.settings);
}

/** Returns false when the shop has no row (nothing to store it on). */
export async function saveOnboarding(shop: string, state: OnboardingState): Promise<boolean> {
  const updated = await prisma.$executeRaw`
    UPDATE "Shop" SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{onboarding}', ${JSON.stringify(state)}::jsonb, true), "updatedAt" = now()
    WHERE shop = ${shop}`;
  return updated > 0;
}
