/**
 * A shop's recovery settings: Shop.settings parsed through recoverySettingsSchema,
 * so missing keys take their defaults. A stored document that no longer
 * parses (a bad manual edit, an incompatible old shape) falls back to the
 * defaults rather than stopping detection for the shop, and says so in the log.
 */
import type { Tx } from "../db.server";
import { prisma } from "../db.server";
import { logger } from "../logger.server";
import { DEFAULT_RECOVERY_SETTINGS, recoverySettingsSchema, type RecoverySettings } from "../recovery";

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
