/** What happens once a shop has authenticated (install, reinstall, new scopes). */
import { recordInstall } from "../models/shop.server";
import { interactiveAdmin, type AdminTransport } from "../shopify/admin.server";
import { refreshShopFacts } from "./shop-facts.server";

/** `admin` is afterAuth's, the request's own: the merchant is waiting on this. */
export async function afterAuthenticated(shop: string, scopes: string | null, admin: AdminTransport): Promise<void> {
  await recordInstall(shop, scopes);
  await refreshShopFacts(shop, interactiveAdmin(admin, shop));
}
