/**
 * The shop itself: the facts Amends keeps (time zone, currency, plan, customer-accounts version),
 * and the tags in use on its orders and customers.
 */
import type { ShopState } from "../../store";
import { connection } from "./connection";
import { defineMetafieldFields } from "./metafields";
import { gidOf, type Args, type ResolverMap, type TypeResolvers } from "./util";

/**
 * Shop.orderTags / customerTags: every distinct tag on the shop's orders or customers, sorted, as
 * a StringConnection. `first` is required by the schema and capped at 250 like any connection; a
 * tag differing only in letter case from an earlier one is the same tag, as Shopify counts it.
 */
function tagConnection(tagged: Iterable<{ tags: readonly string[] }>, args: Args) {
  const seen = new Map<string, string>();
  for (const item of tagged)
    for (const tag of item.tags) if (!seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  // Code-unit order, the order the cursors compare in.
  const tags = [...seen.values()].sort();
  return connection({ items: tags, args, key: (tag) => ({ id: tags.indexOf(tag) + 1, value: tag }) });
}

const Shop: TypeResolvers<ShopState> = {
  id: (_shop, _args, ctx) => gidOf("Shop", shopId(ctx.extras, ctx.store.newId.bind(ctx.store))),
  name: (shop) => shop.name,
  myshopifyDomain: (shop) => shop.domain,
  ianaTimezone: (shop) => shop.ianaTimezone,
  currencyCode: (shop) => shop.currency,
  enabledPresentmentCurrencies: (shop) => [shop.currency],
  orderTags: (shop, args) => tagConnection(shop.orders.values(), args),
  customerTags: (shop, args) => tagConnection(shop.customers.values(), args),
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
