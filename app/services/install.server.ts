/** What happens once a shop has authenticated (install, reinstall, new scopes). */
import { recordInstall, updateShopInfo } from "../models/shop.server";
import { runOperation, type GraphqlClient } from "../shopify/admin-graphql.server";
import { SHOP_INFO_QUERY, shopInfoData } from "../shopify/operations/shop-info";

export async function afterAuthenticated(shop: string, scopes: string | null, admin: GraphqlClient): Promise<void> {
  await recordInstall(shop, scopes);
  const { shop: info } = await runOperation(admin, SHOP_INFO_QUERY, shopInfoData);
  await updateShopInfo(shop, {
    timezone: info.ianaTimezone,
    currency: info.currencyCode,
    plan: info.plan.publicDisplayName,
  });
}
