/** Derived order states Shopify reports but the store does not keep as fields. */
import type { Order } from "../store";

/** Units shipped per line item by successful fulfillments. */
export function shippedQuantities(order: Order): Map<string, number> {
  const shipped = new Map<string, number>();
  for (const f of order.fulfillments) {
    if (f.status !== "success") continue;
    for (const [lineId, quantity] of Object.entries(f.lines))
      shipped.set(lineId, (shipped.get(lineId) ?? 0) + quantity);
  }
  return shipped;
}

/**
 * REST order fulfillment_status: null before anything shipped, "partial" while
 * some units are still to ship, "fulfilled" once every unit not refunded shipped.
 */
export function orderFulfillmentStatus(order: Order): "fulfilled" | "partial" | null {
  const shipped = shippedQuantities(order);
  let any = false;
  for (const quantity of shipped.values()) if (quantity > 0) any = true;
  if (!any) return null;
  return order.lineItems.every((line) => line.fulfillableQuantity === 0) ? "fulfilled" : "partial";
}
