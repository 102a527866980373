/** The shop itself: the facts Amends keeps (time zone, currency, plan, customer-accounts version). */
import type { ShopState } from "../../store";
import { defineMetafieldFields } from "./metafields";
import { gidOf, type ResolverMap, type TypeResolvers } from "./util";

const Shop: TypeResolvers<ShopState> = {
  id: (_shop, _args, ctx) => gidOf("Shop", shopId(ctx.extras, ctx.store.newId.bind(ctx.store))),
  name: (shop) => shop.name,
  myshopifyDomain: (shop) => shop.domain,
  ianaTimezone: (shop) => shop.ianaTimezone,
  currencyCode: (shop) => shop.currency,
  enabledPresentmentCurrencies: (shop) => [shop.currency],
  plan: (shop) => ({
    publicDisplayName: shop.plan,
    partnerDevelopment: /development/i.test(shop.plan),
    shopifyPlus: /plus|enterprise/i.test(shop.plan),
  }),
  // Store credit is spendable only with new customer accounts; classic shops get CLASSIC (per-shop state).
  customerAccountsV2: (_shop, _args, ctx) => {
    const version = ctx.extras.customerAccountsVersion;
    return {
      customerAccountsVersion: version,
      loginLinksVisibleOnStorefrontAndCheckout: true,
      loginRequiredAtCheckout: false,
      url: version === "NEW_CUSTOMER_ACCOUNTS" ? `https://shopify.com/${ctx.shop.domain.split(".")[0]}/account` : null,
    };
  },
  ...defineMetafieldFields<ShopState>((_shop, ctx) =>
    gidOf("Shop", shopId(ctx.extras, ctx.store.newId.bind(ctx.store))),
  ),
};

/** The store keeps no shop id; one is drawn from the store's id sequence the first time it is asked for. */
export function shopId(extras: { shopId: string | null }, newId: () => string): string {
  extras.shopId ??= newId();
  return extras.shopId;
}

export const shopResolvers: ResolverMap = { Shop };
