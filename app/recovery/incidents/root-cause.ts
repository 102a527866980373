import type { FulfillmentFacts, FulfillmentOrderFacts, OrderFacts } from "./facts";
import type { RootCause } from "./signals";

const distinct = (values: readonly (string | null)[]): string[] =>
  [...new Set(values.filter((value): value is string => value !== null))].sort();

export function rootCauseOf(
  order: OrderFacts,
  parts: { fulfillments?: readonly FulfillmentFacts[]; fulfillmentOrders?: readonly FulfillmentOrderFacts[] } = {},
): RootCause {
  const fulfillments = parts.fulfillments ?? [];
  const fulfillmentOrders = parts.fulfillmentOrders ?? [];
  return {
    productIds: distinct(order.productIds),
    carriers: distinct(fulfillments.map((f) => f.carrier)),
    locations: distinct([...fulfillments.map((f) => f.location), ...fulfillmentOrders.map((fo) => fo.location)]),
  };
}
