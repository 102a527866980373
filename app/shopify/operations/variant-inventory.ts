/**
 * The free gift, step 0: is the variant in stock? draftOrderComplete does not check (Shopify's own
 * note on the mutation: "verify inventory availability before completing the draft order"); a
 * completed draft takes the units whatever the count, so Amends looks first. InventoryItem needs
 * read_inventory or read_products (Amends has read_products); inventoryQuantity and
 * inventoryPolicy need nothing more.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";

export const VARIANT_INVENTORY_QUERY = `#graphql
  query AmendsVariantInventory($id: ID!) {
    productVariant(id: $id) {
      id
      displayName
      inventoryQuantity
      inventoryPolicy
      inventoryItem { tracked }
    }
  }
`;

export const variantStock = z.object({
  id: gid("ProductVariant"),
  displayName: z.string(),
  /** The total sellable quantity (null when Shopify does not say: not tracked). */
  inventoryQuantity: z.number().int().nullable(),
  /** CONTINUE: sold (and given away) even at zero or below. */
  inventoryPolicy: z.enum(["CONTINUE", "DENY"]),
  inventoryItem: z.object({ tracked: z.boolean() }),
});
export type VariantStock = z.output<typeof variantStock>;

export const variantInventory = defineOperation({
  document: VARIANT_INVENTORY_QUERY,
  variables: z.object({ id: gid("ProductVariant") }),
  // A deleted variant comes back as null.
  data: z.object({ productVariant: variantStock.nullable() }),
});

/**
 * Whether `quantity` units can go out now: an untracked variant or one sold when out of stock
 * always can; a tracked DENY variant only while it has that many.
 */
export function canGiveAway(stock: VariantStock, quantity: number): boolean {
  if (!stock.inventoryItem.tracked || stock.inventoryPolicy === "CONTINUE") return true;
  return (stock.inventoryQuantity ?? 0) >= quantity;
}
