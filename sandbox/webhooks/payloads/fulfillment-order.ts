/** fulfillment_orders/placed_on_hold and fulfillment_orders/hold_released payloads (GraphQL-style ids, REST casing). */
import { gid, type FulfillmentHold, type FulfillmentOrder } from "../../store";
import { DERIVED, derivedId } from "../rest-format";

/** The store keeps holds with GraphQL enum reasons (INVENTORY_OUT_OF_STOCK); payloads write them lower case. */
export function restHold(hold: FulfillmentHold) {
  return {
    id: gid("FulfillmentHold", hold.id),
    reason: hold.reason.toLowerCase(),
    reason_notes: hold.reasonNotes,
    held_by_requesting_app: false,
    // Holds placed by staff (not by an app) have no app and no handle.
    handle: null as string | null,
    held_by_app: null as { id: string } | null,
  };
}

/** Fulfillment order line items have no id in the store: derived from their order line item's id. */
export const fulfillmentOrderLineItemGid = (lineItemId: string) =>
  gid("FulfillmentOrderLineItem", String(derivedId(lineItemId, DERIVED.fulfillmentOrderLineItem)));

export function placedOnHoldPayload(fulfillmentOrder: FulfillmentOrder, created: FulfillmentHold) {
  return {
    fulfillment_order: {
      id: gid("FulfillmentOrder", fulfillmentOrder.id),
      status: fulfillmentOrder.status.toLowerCase(),
      fulfillment_holds: fulfillmentOrder.holds.map(restHold),
    },
    // The whole fulfillment order is held, so nothing is split off into a remaining one.
    remaining_fulfillment_order: null,
    held_fulfillment_order_line_items: Object.entries(fulfillmentOrder.remaining)
      .filter(([, quantity]) => quantity > 0)
      .map(([lineItemId, quantity]) => ({ id: fulfillmentOrderLineItemGid(lineItemId), quantity })),
    created_fulfillment_hold: restHold(created),
  };
}

export function holdReleasedPayload(fulfillmentOrder: FulfillmentOrder) {
  return {
    fulfillment_order: {
      id: gid("FulfillmentOrder", fulfillmentOrder.id),
      status: fulfillmentOrder.status.toLowerCase(),
    },
  };
}
