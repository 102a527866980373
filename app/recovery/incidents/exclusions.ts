import type { DetectionSettings } from "./settings";
import type { OrderFacts } from "./facts";
import type { Detection } from "./signals";

/** Shopify tags compare case-insensitively and ignore surrounding spaces. */
function matchingTag(tags: readonly string[], excluded: readonly string[]): string | undefined {
  const wanted = new Set(excluded.map((tag) => tag.trim().toLowerCase()));
  return tags.find((tag) => wanted.has(tag.trim().toLowerCase()));
}

/** Why this order must never open an incident, or null when it may. */
export function exclusionOf(
  order: Pick<OrderFacts, "test" | "tags" | "customerTags">,
  settings: Pick<DetectionSettings, "excludedOrderTags" | "excludedCustomerTags">,
): Extract<Detection, { kind: "EXCLUDED" }> | null {
  if (order.test) return { kind: "EXCLUDED", reason: "TEST_ORDER", detail: "test order" };
  const orderTag = matchingTag(order.tags, settings.excludedOrderTags);
  if (orderTag) return { kind: "EXCLUDED", reason: "EXCLUDED_ORDER_TAG", detail: `order tagged "${orderTag}"` };
  const customerTag = matchingTag(order.customerTags, settings.excludedCustomerTags);
  if (customerTag)
    return { kind: "EXCLUDED", reason: "EXCLUDED_CUSTOMER_TAG", detail: `customer tagged "${customerTag}"` };
  return null;
}
