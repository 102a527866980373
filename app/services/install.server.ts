/** What happens once a shop has authenticated (install, reinstall, new scopes). */
import { recordInstall, updateShopInfo } from "../models/shop.server";
import { interactiveAdmin, type AdminTransport } from "../shopify/admin.server";
import { shopInfo } from "../shopify/operations/shop-info";

/** `admin` is afterAuth's, the request's own: the merchant is waiting on this. */
export async function afterAuthenticated(shop: string, scopes: string | null, admin: AdminTransport): Promise<void> {
  await recordInstall(shop, scopes);
  const { shop: info } = await interactiveAdmin(admin, shop).run(shopInfo);
  await updateShopInfo(shop, {
    timezone: info.ianaTimezone,
    currency: info.currencyCode,
    plan: info.plan.publicDisplayName,
  });
}
