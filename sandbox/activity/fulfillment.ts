/**
 * Shipping: fulfilling (part of) an order, the carrier's tracking events,
 * and holds on the fulfillment order. Each returns the webhooks Shopify sends
 * for it, in the order it sends them.
 */
import type {
  Fulfillment,
  FulfillmentEvent,
  FulfillmentEventStatus,
  FulfillmentHold,
  FulfillmentOrder,
  Id,
  Order,
  SandboxStore,
} from "../store";
import { fulfillmentEventPayload, fulfillmentPayload } from "../webhooks/payloads/fulfillment";
import { holdReleasedPayload, placedOnHoldPayload } from "../webhooks/payloads/fulfillment-order";
import { orderPayload } from "../webhooks/payloads/order";
import type { Change, Emission } from "./emission";
import { SandboxError } from "./errors";
import { fulfillmentOf, orderOf } from "./lookup";
import { orderFulfillmentStatus } from "./order-status";
import { shipmentStatusOf } from "./shipment";

export interface FulfillInput {
  /** Part of the order; default everything still to ship. */
  lines?: Array<{ lineItemId: Id; quantity: number }>;
  trackingCompany: string | null;
  trackingNumber: string | null;
  estimatedDeliveryAt?: Date | null;
  at?: Date;
}

/** The fulfillment order still to ship (Shopify makes one per location; the sandbox has one location). */
function activeFulfillmentOrder(order: Order): FulfillmentOrder | undefined {
  return order.fulfillmentOrders.find(
    (fo) => fo.status === "OPEN" || fo.status === "IN_PROGRESS" || fo.status === "ON_HOLD" || fo.status === "SCHEDULED",
  );
}

export function fulfill(store: SandboxStore, domain: string, orderId: Id, input: FulfillInput): Change<Fulfillment> {
  const shop = store.shop(domain);
  const order = orderOf(shop, orderId);
  const at = input.at ?? store.clock.now();
  if (order.cancelledAt) throw new SandboxError("ORDER_CANCELLED", `order ${order.name} is cancelled`);
  const fo = activeFulfillmentOrder(order);
  if (!fo) throw new SandboxError("NOTHING_TO_FULFILL", `order ${order.name} has nothing left to fulfill`);
  if (fo.status === "ON_HOLD") throw new SandboxError("FULFILLMENT_ORDER_ON_HOLD", `order ${order.name} is on hold`);

  const wanted =
    input.lines ?? Object.entries(fo.remaining).map(([lineItemId, quantity]) => ({ lineItemId, quantity }));
  const lines: Record<Id, number> = {};
  for (const { lineItemId, quantity } of wanted) {
    if (quantity <= 0) continue;
    if (quantity > (fo.remaining[lineItemId] ?? 0)) {
      throw new SandboxError(
        "QUANTITY_EXCEEDS_REMAINING",
        `line ${lineItemId} has ${fo.remaining[lineItemId] ?? 0} left to fulfill, not ${quantity}`,
      );
    }
    lines[lineItemId] = (lines[lineItemId] ?? 0) + quantity;
  }
  if (Object.keys(lines).length === 0)
    throw new SandboxError("NOTHING_TO_FULFILL", `order ${order.name} has nothing left to fulfill`);

  const fulfillment: Fulfillment = {
    id: store.newId(),
    name: `${order.name}.${order.fulfillments.length + 1}`,
    // A merchant-fulfilled shipment is complete at once; tracking events follow.
    status: "success",
    createdAt: at,
    updatedAt: at,
    trackingCompany: input.trackingCompany,
    trackingNumber: input.trackingNumber,
    lines,
    events: [],
    estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
    deliveredAt: null,
    inTransitAt: null,
  };
  for (const [lineItemId, quantity] of Object.entries(lines)) {
    fo.remaining[lineItemId] = (fo.remaining[lineItemId] ?? 0) - quantity;
    const line = order.lineItems.find((l) => l.id === lineItemId);
    if (line) line.fulfillableQuantity -= quantity;
  }
  fo.status = Object.values(fo.remaining).every((q) => q === 0) ? "CLOSED" : "IN_PROGRESS";
  fo.updatedAt = at;
  order.fulfillments.push(fulfillment);
  order.updatedAt = at;

  const complete = orderFulfillmentStatus(order) === "fulfilled";
  return {
    result: fulfillment,
    emissions: () => [
      { topic: "fulfillments/create", build: () => fulfillmentPayload(shop, order, fulfillment) },
      { topic: "orders/updated", build: () => orderPayload(shop, order) },
      { topic: complete ? "orders/fulfilled" : "orders/partially_fulfilled", build: () => orderPayload(shop, order) },
    ],
  };
}

export interface FulfillmentEventInput {
  status: FulfillmentEventStatus;
  /** The carrier's estimate given with this event; it becomes the fulfillment's estimatedDeliveryAt. */
  estimatedDeliveryAt?: Date | null;
  message?: string | null;
  /** When the carrier says it happened; default `at`. */
  happenedAt?: Date;
  at?: Date;
}

export function addFulfillmentEvent(
  store: SandboxStore,
  domain: string,
  orderId: Id,
  fulfillmentId: Id,
  input: FulfillmentEventInput,
): Change<FulfillmentEvent> {
  const shop = store.shop(domain);
  const order = orderOf(shop, orderId);
  const fulfillment = fulfillmentOf(order, fulfillmentId);
  const at = input.at ?? store.clock.now();
  const happenedAt = input.happenedAt ?? at;
  const before = shipmentStatusOf(fulfillment);

  const event: FulfillmentEvent = {
    id: store.newId(),
    status: input.status,
    happenedAt,
    createdAt: at,
    estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
    message: input.message ?? null,
  };
  fulfillment.events.push(event);
  if (input.estimatedDeliveryAt !== undefined) fulfillment.estimatedDeliveryAt = input.estimatedDeliveryAt;
  if (input.status === "in_transit" && !fulfillment.inTransitAt) fulfillment.inTransitAt = happenedAt;
  if (input.status === "delivered") fulfillment.deliveredAt = happenedAt;

  // fulfillments/update only when the REST fulfillment changed: its shipment_status ("delayed" is not one).
  const statusChanged = shipmentStatusOf(fulfillment) !== before;
  if (statusChanged) fulfillment.updatedAt = at;
  const emissions = (): Emission[] => [
    { topic: "fulfillment_events/create", build: () => fulfillmentEventPayload(shop, order, fulfillment, event) },
    ...(statusChanged
      ? [{ topic: "fulfillments/update" as const, build: () => fulfillmentPayload(shop, order, fulfillment) }]
      : []),
  ];
  return { result: event, emissions };
}

export type HoldReason =
  | "AWAITING_PAYMENT"
  | "AWAITING_RETURN_ITEMS"
  | "HIGH_RISK_OF_FRAUD"
  | "INCORRECT_ADDRESS"
  | "INVENTORY_OUT_OF_STOCK"
  | "ONLINE_STORE_POST_PURCHASE_CROSS_SELL"
  | "OTHER"
  | "UNKNOWN_DELIVERY_DATE";

export interface HoldInput {
  /** The GraphQL enum value, or its REST lower-case form. */
  reason: HoldReason | Lowercase<HoldReason>;
  notes?: string | null;
  at?: Date;
}

export function placeOnHold(
  store: SandboxStore,
  domain: string,
  orderId: Id,
  input: HoldInput,
): Change<FulfillmentHold> {
  const shop = store.shop(domain);
  const order = orderOf(shop, orderId);
  const at = input.at ?? store.clock.now();
  const fo = activeFulfillmentOrder(order);
  if (!fo || order.cancelledAt)
    throw new SandboxError("NOTHING_TO_FULFILL", `order ${order.name} has nothing left to hold`);
  const hold: FulfillmentHold = {
    id: store.newId(),
    reason: input.reason.toUpperCase(),
    reasonNotes: input.notes ?? null,
    heldAt: at,
  };
  const firstHold = fo.status !== "ON_HOLD";
  fo.holds.push(hold);
  fo.status = "ON_HOLD";
  fo.updatedAt = at;
  // placed_on_hold fires once, when the fulfillment order becomes ON_HOLD; further holds only add to the list.
  const emissions = (): Emission[] =>
    firstHold ? [{ topic: "fulfillment_orders/placed_on_hold", build: () => placedOnHoldPayload(fo, hold) }] : [];
  return { result: hold, emissions };
}

/** Release every hold; hold_released fires when the fulfillment order leaves ON_HOLD. */
export function releaseHold(
  store: SandboxStore,
  domain: string,
  orderId: Id,
  input: { at?: Date } = {},
): Change<FulfillmentOrder> {
  const shop = store.shop(domain);
  const order = orderOf(shop, orderId);
  const fo = order.fulfillmentOrders.find((f) => f.status === "ON_HOLD");
  if (!fo) throw new SandboxError("FULFILLMENT_ORDER_NOT_HELD", `order ${order.name} is not on hold`);
  fo.holds = [];
  fo.status = order.fulfillments.some((f) => f.status === "success") ? "IN_PROGRESS" : "OPEN";
  fo.updatedAt = input.at ?? store.clock.now();
  return {
    result: fo,
    emissions: () => [{ topic: "fulfillment_orders/hold_released", build: () => holdReleasedPayload(fo) }],
  };
}
