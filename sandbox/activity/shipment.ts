/**
 * A fulfillment's shipment_status as REST shows it: the status of its latest
 * tracking event, except that "delayed" is not a shipment status (a delay only
 * moves the estimated delivery), so a delayed shipment keeps its last status.
 */
import type { Fulfillment, FulfillmentEventStatus } from "../store";

export function isShipmentStatus(status: FulfillmentEventStatus): boolean {
  return status !== "delayed";
}

export function shipmentStatusOf(fulfillment: Fulfillment): FulfillmentEventStatus | null {
  for (let i = fulfillment.events.length - 1; i >= 0; i--) {
    const event = fulfillment.events[i];
    if (event && isShipmentStatus(event.status)) return event.status;
  }
  return null;
}
