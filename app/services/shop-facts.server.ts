/**
 * The shop facts Amends keeps from Shopify (time zone, currency, plan, customer-accounts version),
 * read with AmendsShopInfo: at install (afterAuthenticated), after app/scopes_update and daily
 * (the refresh-shop-facts job). Store credit is offered only while the shop uses new customer
 * accounts (issuing/kind-availability.server.ts).
 */
import { clock } from "../clock.server";
import type { Tx } from "../db.server";
import { enqueue } from "../queue/enqueue.server";
import { updateShopInfo, type ShopInfo } from "../models/shop.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { backgroundAdmin } from "../shopify/admin.server";
import { shopInfo } from "../shopify/operations/shop-info";

export async function readShopInfo(admin: AdminClient): Promise<ShopInfo> {
  const { shop } = await admin.run(shopInfo);
  return {
    timezone: shop.ianaTimezone,
    currency: shop.currencyCode,
    plan: shop.plan.publicDisplayName,
    customerAccountsV2: shop.customerAccountsV2.customerAccountsVersion === "NEW_CUSTOMER_ACCOUNTS",
  };
}

/** Read the facts again and store them; returns what was stored. */
export async function refreshShopFacts(shop: string, admin?: AdminClient): Promise<ShopInfo> {
  const info = await readShopInfo(admin ?? (await backgroundAdmin(shop)));
  await updateShopInfo(shop, info, clock().now());
  return info;
}

/** One pending refresh per shop: a second request before it ran does not queue another. */
export async function enqueueShopFactsRefresh(tx: Tx, shop: string): Promise<void> {
  await enqueue(
    tx,
    "refresh-shop-facts",
    { v: 1, shop },
    { jobKey: `shop-facts:${shop}`, jobKeyMode: "preserve_run_at" },
  );
}
