import type { DetectionSettings } from "./settings";
import type { OrderFacts } from "./facts";
import type { Detection } from "./signals";

/** Shopify tags compare case-insensitively and ignore surrounding spaces. */
function matchingTag(tags: readonly string[], excluded: readonly string[]): string | undefined {
  const wanted = new Set(excluded.map((tag) => tag.trim().toLowerCase()));
  return tags.find((tag) => wanted.has(tag.trim().toLowerCase()));
}

/**
 * The tag Amends puts on its own free-gift draft orders; Shopify carries a draft's tags to the order
 * it completes into. A merchant can remove it, so the services also pass `madeByAmends` from the
 * offer that records the gift order (decision 0112).
 */
export const AMENDS_GIFT_TAG = "amends-gift";

/** Amends's own free-gift order: its tag, or the link the caller found (the offer that made it). */
export function isAmendsGiftOrder(order: Pick<OrderFacts, "tags" | "madeByAmends">): boolean {
  return order.madeByAmends === true || matchingTag(order.tags, [AMENDS_GIFT_TAG]) !== undefined;
}

/** Why this order must never open an incident, or null when it may. */
export function exclusionOf(
  order: Pick<OrderFacts, "test" | "tags" | "customerTags" | "madeByAmends">,
  settings: Pick<DetectionSettings, "excludedOrderTags" | "excludedCustomerTags">,
): Extract<Detection, { kind: "EXCLUDED" }> | null {
  if (order.test) return { kind: "EXCLUDED", reason: "TEST_ORDER", detail: "test order" };
  // A make-good is not a new purchase: a late or lost gift is followed up on its original incident.
  if (isAmendsGiftOrder(order))
    return { kind: "EXCLUDED", reason: "AMENDS_GIFT_ORDER", detail: "Amends's own free-gift order" };
  const orderTag = matchingTag(order.tags, settings.excludedOrderTags);
  if (orderTag) return { kind: "EXCLUDED", reason: "EXCLUDED_ORDER_TAG", detail: `order tagged "${orderTag}"` };
  const customerTag = matchingTag(order.customerTags, settings.excludedCustomerTags);
  if (customerTag)
    return { kind: "EXCLUDED", reason: "EXCLUDED_CUSTOMER_TAG", detail: `customer tagged "${customerTag}"` };
  return null;
}
