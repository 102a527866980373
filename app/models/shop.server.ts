/** Shop rows: install state, locale facts and program settings. */
import { prisma, type Tx } from "../db.server";

export async function recordInstall(shop: string, scopes: string | null): Promise<void> {
  await prisma.shop.upsert({
    where: { shop },
    create: { shop, scopes },
    update: { installState: "INSTALLED", uninstalledAt: null, scopes },
  });
}

export async function isUninstalled(tx: Tx, shop: string): Promise<boolean> {
  const row = await tx.shop.findUnique({ where: { shop }, select: { installState: true } });
  return row?.installState === "UNINSTALLED";
}

export async function markUninstalled(tx: Tx, shop: string, at: Date): Promise<void> {
  await tx.shop.upsert({
    where: { shop },
    create: { shop, installState: "UNINSTALLED", uninstalledAt: at },
    update: { installState: "UNINSTALLED", uninstalledAt: at },
  });
}

export async function updateScopes(tx: Tx, shop: string, scopes: string): Promise<void> {
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
  await prisma.shop.update({ where: { shop }, data: { ...info, customerAccountsCheckedAt: checkedAt } });
}
