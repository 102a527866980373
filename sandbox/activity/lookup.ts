/** Finding store objects or failing with a SandboxError that names what is missing. */
import type { Customer, Fulfillment, Id, Order, ShopState } from "../store";
import { SandboxError } from "./errors";

export function orderOf(shop: ShopState, orderId: Id): Order {
  const order = shop.orders.get(orderId);
  if (!order) throw new SandboxError("UNKNOWN_ORDER", `${shop.domain} has no order ${orderId}`);
  return order;
}

export function customerOf(shop: ShopState, customerId: Id): Customer {
  const customer = shop.customers.get(customerId);
  if (!customer) throw new SandboxError("UNKNOWN_CUSTOMER", `${shop.domain} has no customer ${customerId}`);
  return customer;
}

export function fulfillmentOf(order: Order, fulfillmentId: Id): Fulfillment {
  const fulfillment = order.fulfillments.find((f) => f.id === fulfillmentId);
  if (!fulfillment)
    throw new SandboxError("UNKNOWN_FULFILLMENT", `order ${order.name} has no fulfillment ${fulfillmentId}`);
  return fulfillment;
}
