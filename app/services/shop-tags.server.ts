/**
 * The shop's order and customer tags for the Detection settings' pickers (decision 0126), read live
 * as the signed-in member and never stored. Shopify being slow, throttled or refusing leaves the
 * pickers empty, not the page broken: a tag can still be typed.
 */
import type { AdminClient } from "../shopify/admin-client.server";
import { AdminApiError } from "../shopify/admin-errors";
import { shopTags } from "../shopify/operations/shop-tags";

export interface ShopTagLists {
  order: string[];
  customer: string[];
  /** The tags could not be read just now. */
  unavailable: boolean;
}

export async function readShopTags(client: AdminClient): Promise<ShopTagLists> {
  try {
    const { shop } = await client.run(shopTags);
    return { order: shop.orderTags.nodes, customer: shop.customerTags.nodes, unavailable: false };
  } catch (error) {
    if (error instanceof AdminApiError) return { order: [], customer: [], unavailable: true };
    throw error;
  }
}
