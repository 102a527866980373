/** Shop rows: install state, locale facts and program settings. */
import { prisma, type Tx } from "../db.server";
import { shopChanged, shopRow } from "./shop-snapshot.server";

export async function recordInstall(shop: string, scopes: string | null): Promise<void> {
  shopChanged(shop);
  await prisma.shop.upsert({
    where: { shop },
    create: { shop, scopes },
    update: { installState: "INSTALLED", uninstalledAt: null, scopes },
  });
}

/** Outside a transaction (`prisma`), a job's snapshot of the row answers (shop-snapshot.server.ts). */
export async function isUninstalled(tx: Tx, shop: string): Promise<boolean> {
  const row =
    tx === prisma ? await shopRow(shop) : await tx.shop.findUnique({ where: { shop }, select: { installState: true } });
  return row?.installState === "UNINSTALLED";
}

export async function markUninstalled(tx: Tx, shop: string, at: Date): Promise<void> {
  shopChanged(shop);
  await tx.shop.upsert({
    where: { shop },
    create: { shop, installState: "UNINSTALLED", uninstalledAt: at },
    update: { installState: "UNINSTALLED", uninstalledAt: at },
  });
}

export async function updateScopes(tx: Tx, shop: string, scopes: string): Promise<void> {
  shopChanged(shop);
  await tx.shop.updateMany({ where: { shop }, data: { scopes } });
  await tx.session.updateMany({ where: { shop }, data: { scope: scopes } });
}

export interface ShopInfo {
  timezone: string;
  currency: string;
  plan: string;
  /** shop.customerAccountsV2.customerAccountsVersion is NEW_CUSTOMER_ACCOUNTS. */
  customerAccountsV2: boolean;
}

export async function updateShopInfo(shop: string, info: ShopInfo, checkedAt: Date): Promise<void> {
  shopChanged(shop);
  await prisma.shop.update({ where: { shop }, data: { ...info, customerAccountsCheckedAt: checkedAt } });
}

/**
 * What the last read of protected customer data (name, email) found: refused (Shopify has not
 * approved Amends for them on this shop) sets protectedDataDeniedAt, a clean read clears it.
 */
export async function recordProtectedDataAccess(shop: string, deniedAt: Date | null): Promise<void> {
  shopChanged(shop);
  await prisma.shop.updateMany({
    where: deniedAt ? { shop } : { shop, protectedDataDeniedAt: { not: null } },
    data: { protectedDataDeniedAt: deniedAt },
  });
}

export async function protectedDataDeniedAt(shop: string): Promise<Date | null> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { protectedDataDeniedAt: true } });
  return row?.protectedDataDeniedAt ?? null;
}

/** Why and since when the shop's offline token cannot be refreshed; null when background work may call Shopify. */
export async function reauthRequired(shop: string): Promise<{ at: Date; reason: string } | null> {
  const row = await shopRow(shop);
  return row?.reauthRequiredAt ? { at: row.reauthRequiredAt, reason: row.reauthReason ?? "" } : null;
}

/** The first failure's time is kept: the dashboard says since when background work has stopped. */
export async function markReauthRequired(shop: string, reason: string, at: Date): Promise<void> {
  shopChanged(shop);
  await prisma.shop.updateMany({
    where: { shop, reauthRequiredAt: null },
    data: { reauthRequiredAt: at, reauthReason: reason },
  });
}

export async function clearReauthRequired(shop: string): Promise<boolean> {
  shopChanged(shop);
  const { count } = await prisma.shop.updateMany({
    where: { shop, reauthRequiredAt: { not: null } },
    data: { reauthRequiredAt: null, reauthReason: null },
  });
  return count > 0;
}
