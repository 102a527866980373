/**
 * Gift products: for the grid editor, read from the Admin API as the signed-in staff member
 * (their online token), so the picker shows what that member may see; and the prices of the
 * variants a grid gives away, for valuing a gift in a decision (with whichever client the caller has).
 */
import { toMinorUnits, type MinorUnits } from "../recovery";
import type { AdminClient } from "../shopify/admin-client.server";
import { giftProductSearch, giftVariants } from "../shopify/operations/gift-products";

export interface GiftVariantOption {
  id: string;
  /** "Thank-you mug - Default Title" */
  displayName: string;
  productTitle: string;
  variantTitle: string;
  price: string;
  /** "12 in stock", "out of stock", "0 in stock, sold when out of stock", "not tracked" (decision 0112). */
  stock: string;
  /** A gift of one can go out now (Amends refuses to send a tracked DENY variant it has none of). */
  inStock: boolean;
}

function stockText(v: { inventoryQuantity: number | null; inventoryPolicy: "CONTINUE" | "DENY"; tracked: boolean }) {
  if (!v.tracked) return { stock: "not tracked", inStock: true };
  const quantity = v.inventoryQuantity ?? 0;
  if (v.inventoryPolicy === "CONTINUE") return { stock: `${quantity} in stock, sold when out of stock`, inStock: true };
  return quantity > 0 ? { stock: `${quantity} in stock`, inStock: true } : { stock: "out of stock", inStock: false };
}

export async function searchGiftProducts(client: AdminClient, text: string): Promise<GiftVariantOption[]> {
  const { products } = await client.run(giftProductSearch, { query: text });
  return products.nodes.flatMap((product) =>
    product.variants.nodes.map((v) => ({
      id: v.id,
      displayName: v.displayName,
      productTitle: product.title,
      variantTitle: v.title,
      price: v.price,
      ...stockText({ ...v, tracked: v.inventoryItem.tracked }),
    })),
  );
}

export interface GiftVariantDetails {
  titles: Record<string, string>;
  prices: Record<string, MinorUnits>;
}

/** AmendsGiftVariants reads at most this many variants a request. */
const VARIANTS_PER_REQUEST = 50;

/** Titles and prices of the variants a grid names; a variant Shopify no longer has is simply absent. */
export async function giftVariantDetails(
  client: AdminClient,
  ids: readonly string[],
  currency: string,
): Promise<GiftVariantDetails> {
  const details: GiftVariantDetails = { titles: {}, prices: {} };
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += VARIANTS_PER_REQUEST) {
    const { nodes } = await client.run(giftVariants, { ids: unique.slice(start, start + VARIANTS_PER_REQUEST) });
    for (const node of nodes) {
      if (!node) continue;
      details.titles[node.id] = node.displayName;
      details.prices[node.id] = toMinorUnits(node.price, currency);
    }
  }
  return details;
}

/**
 * Today's prices of gift variants in the shop's currency, the one way every decision reads them
 * (the automatic decision, the order page's suggestion, the grid preview). A variant Shopify no
 * longer has is absent: decide() refuses to value a gift it has no price for.
 */
export async function giftVariantPrices(
  client: AdminClient,
  ids: readonly string[],
  currency: string,
): Promise<Record<string, MinorUnits>> {
  return (await giftVariantDetails(client, ids, currency)).prices;
}
