/**
 * When a service failure is over, so its incident can close once its recovery is settled
 * (docs/decisions/0110-closing-incidents.md). Late fulfilment ends when nothing is left to ship;
 * delivery problems end when every parcel arrived. Refunds, store cancellations and manual
 * reports are events, not states: they are over as soon as they happened.
 */
import type { IncidentType } from "../vocabulary";
import type { OrderFacts } from "./facts";

export type FailureState = { over: true; reason: string } | { over: false; reason: string };

const delivered = (facts: OrderFacts) =>
  facts.fulfillments.filter((f) => !f.cancelled).every((f) => f.events.some((e) => e.status === "delivered"));

export function failureState(type: IncidentType, facts: OrderFacts): FailureState {
  switch (type) {
    case "LATE_FULFILLMENT": {
      if (facts.cancelledAt) return { over: true, reason: "the order was cancelled" };
      const open = facts.fulfillmentOrders.filter((fo) => fo.state === "unfulfilled" || fo.state === "partial");
      return open.length === 0
        ? { over: true, reason: "everything has shipped" }
        : { over: false, reason: `${open.length} fulfillment order(s) still to ship` };
    }
    case "DELIVERY_DELAY":
    case "DELIVERY_FAILURE": {
      if (facts.cancelledAt) return { over: true, reason: "the order was cancelled" };
      const live = facts.fulfillments.filter((f) => !f.cancelled);
      if (live.length === 0) return { over: false, reason: "no parcel is on its way" };
      return delivered(facts)
        ? { over: true, reason: "every parcel was delivered" }
        : { over: false, reason: "a parcel is still on its way" };
    }
    case "REFUND":
    case "MERCHANT_CANCELLATION":
    case "MANUAL":
      return { over: true, reason: "a one-off event" };
  }
}

/** Incident types whose failure is over when it is reported. */
export const ONE_OFF_TYPES: readonly IncidentType[] = ["REFUND", "MERCHANT_CANCELLATION", "MANUAL"];
