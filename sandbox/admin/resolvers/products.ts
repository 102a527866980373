/** Products and variants: enough for the gift product picker (titles, prices, SKUs) and stock. */
import type { GraphQLResolveInfo } from "graphql";
import type { Location as StoreLocation, Product, ProductVariant } from "../../store";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import { connection, sortedConnection } from "./connection";
import { defineMetafieldFields } from "./metafields";
import { compareWith, connectionSearch, textMatches, type TermMatcher } from "./search";
import { gidOf, idOfType, type Args, type ResolverMap, type TypeResolvers } from "./util";

const handleOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const Product: TypeResolvers<Product> = {
  id: (p) => gidOf("Product", p.id),
  legacyResourceId: (p) => p.id,
  title: (p) => p.title,
  handle: (p) => handleOf(p.title),
  vendor: (p) => p.vendor,
  status: () => "ACTIVE",
  hasOnlyDefaultVariant: (p) => p.variants.length === 1 && p.variants[0]?.title === "Default Title",
  // Variants keep the store's order, which is their position.
  variants: (p, args) => {
    const items = args.reverse === true ? [...p.variants].reverse() : p.variants;
    const position = (v: ProductVariant) => p.variants.indexOf(v);
    return connection({
      items,
      args,
      key: (v) => ({ id: Number(v.id), value: position(v) }),
      descending: args.reverse === true,
    });
  },
  ...defineMetafieldFields<Product>((p) => gidOf("Product", p.id)),
};

const ProductVariant: TypeResolvers<ProductVariant> = {
  id: (v) => gidOf("ProductVariant", v.id),
  legacyResourceId: (v) => v.id,
  title: (v) => v.title,
  displayName: (v, _a, ctx) => `${ctx.shop.products.get(v.productId)?.title ?? ""} - ${v.title}`,
  // Money (unlike Decimal) keeps two places, as variant prices come from Shopify ("9.00").
  price: (v) => Number(v.price).toFixed(2),
  sku: (v) => v.sku || null,
  product: (v, _a, ctx) => ctx.shop.products.get(v.productId) ?? null,
  // The sandbox has one location: the variant's sellable quantity is its stock there (below zero when oversold).
  inventoryQuantity: (v) => v.inventory.quantity,
  inventoryPolicy: (v) => v.inventory.policy,
  // The variant stands in for its inventory item (one item per variant, as in Shopify).
  inventoryItem: (v) => v,
  ...defineMetafieldFields<ProductVariant>((v) => gidOf("ProductVariant", v.id)),
};

const InventoryItem: TypeResolvers<ProductVariant> = {
  id: (v) => gidOf("InventoryItem", v.id),
  legacyResourceId: (v) => v.id,
  sku: (v) => v.sku || null,
  tracked: (v) => v.inventory.tracked,
  variant: (v) => v,
};

function productMatcher(): TermMatcher<Product> {
  return (product, { field, op, value }) => {
    switch (field) {
      case null:
        return product.title.toLowerCase().includes(value.toLowerCase().replace(/\*/g, ""));
      case "title":
        return textMatches(product.title, value);
      case "vendor":
        return textMatches(product.vendor, value);
      case "sku":
        return product.variants.some((v) => textMatches(v.sku, value));
      case "id":
        return /^\d+$/.test(value) ? compareWith(op, Number(product.id), Number(value)) : undefined;
      case "status":
        return value.toLowerCase().split(",").includes("active");
      default:
        return undefined;
    }
  };
}

const SORTS: Record<string, (p: Product) => string | number> = {
  ID: (p) => Number(p.id),
  RELEVANCE: (p) => Number(p.id),
  TITLE: (p) => p.title.toLowerCase(),
  VENDOR: (p) => p.vendor.toLowerCase(),
};

function products(_root: unknown, args: Args, ctx: AdminContext, info: GraphQLResolveInfo) {
  if (args.savedSearchId !== undefined && args.savedSearchId !== null) throw notModelled("products(savedSearchId:)");
  const sortKey = typeof args.sortKey === "string" ? args.sortKey : "ID";
  const sortValue = SORTS[sortKey];
  if (!sortValue) throw notModelled(`products(sortKey: ${sortKey})`);
  const filter = connectionSearch(ctx, info, args.query, productMatcher());
  return sortedConnection([...ctx.shop.products.values()].filter(filter), args, (p) => Number(p.id), sortValue);
}

/** Only what Amends reads of a location: its name. */
const Location: TypeResolvers<StoreLocation> = {
  id: (l) => gidOf("Location", l.id),
  name: (l) => l.name,
};

export const productResolvers: ResolverMap = { Product, ProductVariant, InventoryItem, Location };

export const productQueries = {
  product: (_root: unknown, args: Args, ctx: AdminContext) => {
    const id = idOfType(args.id, "Product");
    return (id && ctx.shop.products.get(id)) || null;
  },
  productVariant: (_root: unknown, args: Args, ctx: AdminContext) => {
    const id = idOfType(args.id, "ProductVariant");
    if (!id) return null;
    for (const product of ctx.shop.products.values()) {
      const variant = product.variants.find((v) => v.id === id);
      if (variant) return variant;
    }
    return null;
  },
  products,
};
