/**
 * Gift products for the grid editor, read from the Admin API as the signed-in staff member
 * (their online token), so the picker shows what that member may see.
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
    })),
  );
}

export interface GiftVariantDetails {
  titles: Record<string, string>;
  prices: Record<string, MinorUnits>;
}

/** Titles and prices of the variants a grid names; a variant Shopify no longer has is simply absent. */
export async function giftVariantDetails(
  client: AdminClient,
  ids: readonly string[],
  currency: string,
): Promise<GiftVariantDetails> {
  const details: GiftVariantDetails = { titles: {}, prices: {} };
  if (ids.length === 0) return details;
  const { nodes } = await client.run(giftVariants, { ids: [...ids] });
  for (const node of nodes) {
    if (!node) continue;
    details.titles[node.id] = node.displayName;
    details.prices[node.id] = toMinorUnits(node.price, currency);
  }
  return details;
}
