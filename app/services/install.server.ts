/** What happens once a shop has authenticated (install, reinstall, new scopes, restored access). */
import { prisma } from "../db.server";
import { logger } from "../logger.server";
import { clearReauthRequired, recordInstall, updateShopInfo } from "../models/shop.server";
import { enqueue } from "../queue/enqueue.server";
import { interactiveAdmin, type AdminTransport } from "../shopify/admin.server";
import { shopInfo } from "../shopify/operations/shop-info";

/** `admin` is afterAuth's, the request's own: the merchant is waiting on this. */
export async function afterAuthenticated(shop: string, scopes: string | null, admin: AdminTransport): Promise<void> {
  await recordInstall(shop, scopes);
  // A token exchange just stored a new offline token: background work may call Shopify again.
  if (await clearReauthRequired(shop)) {
    logger.info({ shop }, "offline access restored; background work resumes");
    // Catch up on what detection missed while access was lost (one pending sweep per shop).
    await prisma.$transaction((tx) =>
      enqueue(tx, "reconcile-shop", { v: 1, shop }, { jobKey: `reconcile:${shop}`, jobKeyMode: "preserve_run_at" }),
    );
  }
  const { shop: info } = await interactiveAdmin(admin, shop).run(shopInfo);
  await updateShopInfo(shop, {
    timezone: info.ianaTimezone,
    currency: info.currencyCode,
    plan: info.plan.publicDisplayName,
  });
}
