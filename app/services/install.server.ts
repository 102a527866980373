/** What happens once a shop has authenticated (install, reinstall, new scopes, restored access). */
import { prisma } from "../db.server";
import { logger } from "../logger.server";
import { clearReauthRequired, recordInstall } from "../models/shop.server";
import { enqueue } from "../queue/enqueue.server";
import { interactiveAdmin, type AdminTransport } from "../shopify/admin.server";
import { refreshShopFacts } from "./shop-facts.server";

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
  await refreshShopFacts(shop, interactiveAdmin(admin, shop));
}
