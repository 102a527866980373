/**
 * Statuses Shopify derives rather than stores: the order's display
 * fulfillment and financial status and a fulfillment's display status, from
 * the store's line quantities, fulfillment orders, fulfillments and events.
 */
import { GraphQLError } from "graphql";
import type { Fulfillment, FulfillmentEventStatus, Order } from "../../store";

export function fulfilledQuantity(order: Order): number {
  return order.fulfillments
    .filter((f) => f.status === "success")
    .reduce((sum, f) => sum + Object.values(f.lines).reduce((a, b) => a + b, 0), 0);
}

export function displayFulfillmentStatus(order: Order): string {
  const unfulfilled = order.lineItems.reduce((sum, line) => sum + line.fulfillableQuantity, 0);
  const fulfilled = fulfilledQuantity(order);
  if (fulfilled > 0) return unfulfilled > 0 ? "PARTIALLY_FULFILLED" : "FULFILLED";
  if (unfulfilled === 0 && order.lineItems.length > 0) {
    // Nothing shipped and nothing left to ship: every line was refunded or removed.
    return order.refunds.some((r) => r.restock) ? "RESTOCKED" : "UNFULFILLED";
  }
  const open = order.fulfillmentOrders.filter((fo) => fo.status !== "CANCELLED" && fo.status !== "CLOSED");
  if (open.length > 0 && open.every((fo) => fo.status === "ON_HOLD")) return "ON_HOLD";
  if (open.some((fo) => fo.status === "IN_PROGRESS")) return "IN_PROGRESS";
  if (open.length > 0 && open.every((fo) => fo.status === "SCHEDULED")) return "SCHEDULED";
  return "UNFULFILLED";
}

const FINANCIAL: Record<Order["financialStatus"], string> = {
  paid: "PAID",
  partially_refunded: "PARTIALLY_REFUNDED",
  refunded: "REFUNDED",
  voided: "VOIDED",
  pending: "PENDING",
};

export function displayFinancialStatus(order: Order): string {
  return FINANCIAL[order.financialStatus];
}

/** FulfillmentEventStatus in 2026-10 has no PICKED_UP; the store's "picked_up" cannot be sent as an event status. */
export function eventStatus(status: FulfillmentEventStatus): string {
  if (status === "picked_up") {
    throw new GraphQLError(
      "The sandbox store holds a fulfillment event with status picked_up, which FulfillmentEventStatus (2026-10) does not have.",
      {
        extensions: { code: "SANDBOX_STORE_INCONSISTENT" },
      },
    );
  }
  return status.toUpperCase();
}

export function fulfillmentStatus(fulfillment: Fulfillment): string {
  return fulfillment.status.toUpperCase();
}

/** The latest event decides, as in the admin's timeline; without events, the fulfillment's own status. */
export function fulfillmentDisplayStatus(fulfillment: Fulfillment): string | null {
  const latest = [...fulfillment.events].sort((a, b) => b.happenedAt.getTime() - a.happenedAt.getTime())[0];
  if (fulfillment.status === "cancelled") return "CANCELED";
  if (latest) return latest.status === "picked_up" ? "PICKED_UP" : latest.status.toUpperCase();
  switch (fulfillment.status) {
    case "success":
      return fulfillment.trackingNumber ? "FULFILLED" : "MARKED_AS_FULFILLED";
    case "failure":
    case "error":
      return "FAILURE";
    default:
      return "SUBMITTED";
  }
}
