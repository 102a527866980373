/** fulfillments/create, fulfillments/update and fulfillment_events/create payloads. */
import { assignedLocation, defaultLocation } from "../../activity/catalog";
import { shipmentStatusOf } from "../../activity/shipment";
import { gid, type Fulfillment, type FulfillmentEvent, type Order, type ShopState } from "../../store";
import { restAddress } from "../address";
import { restId, restTime, restTimeOrNull, shopNumericId } from "../rest-format";
import { nestedLineItem } from "./line-item";

/** Shopify fills tracking_url only for carriers it knows; the sandbox links every carrier to a local, never-resolving host. */
export function trackingUrl(company: string | null, number: string | null): string | null {
  if (!number) return null;
  return `https://tracking.sandbox.invalid/${encodeURIComponent((company ?? "other").toLowerCase())}/${encodeURIComponent(number)}`;
}

/** The shop's default location (activity/catalog.ts): refunds restock there. */
export const locationId = (shop: ShopState) => Number(defaultLocation(shop).id);

/** The location a shipment left from: its fulfillment order's (with one, that one), else the default. */
function fulfillmentLocation(shop: ShopState, order: Order, fulfillment: Fulfillment) {
  const assigned = order.fulfillmentOrders.find((fo) =>
    Object.keys(fulfillment.lines).some((line) => line in fo.remaining),
  );
  return assigned ? assignedLocation(shop, assigned) : defaultLocation(shop);
}

export function fulfillmentPayload(shop: ShopState, order: Order, fulfillment: Fulfillment) {
  const tz = shop.ianaTimezone;
  const url = trackingUrl(fulfillment.trackingCompany, fulfillment.trackingNumber);
  const lines = order.lineItems
    .filter((line) => (fulfillment.lines[line.id] ?? 0) > 0)
    .map((line) => nestedLineItem(shop, order, line, fulfillment.lines[line.id] ?? 0));
  return {
    id: restId(fulfillment.id),
    order_id: restId(order.id),
    status: fulfillment.status,
    created_at: restTime(fulfillment.createdAt, tz),
    service: "manual",
    updated_at: restTime(fulfillment.updatedAt, tz),
    tracking_company: fulfillment.trackingCompany,
    shipment_status: shipmentStatusOf(fulfillment),
    location_id: Number(fulfillmentLocation(shop, order, fulfillment).id),
    origin_address: null,
    email: order.email,
    destination: order.shippingAddress ? restAddress(order.shippingAddress) : null,
    line_items: lines,
    tracking_number: fulfillment.trackingNumber,
    tracking_numbers: fulfillment.trackingNumber ? [fulfillment.trackingNumber] : [],
    tracking_url: url,
    tracking_urls: url ? [url] : [],
    receipt: {},
    name: fulfillment.name,
    admin_graphql_api_id: gid("Fulfillment", fulfillment.id),
  };
}

export function fulfillmentEventPayload(
  shop: ShopState,
  order: Order,
  fulfillment: Fulfillment,
  event: FulfillmentEvent,
) {
  const tz = shop.ianaTimezone;
  return {
    id: restId(event.id),
    fulfillment_id: restId(fulfillment.id),
    status: event.status,
    message: event.message,
    happened_at: restTime(event.happenedAt, tz),
    city: null as string | null,
    province: null as string | null,
    country: order.shippingAddress?.countryCode ?? null,
    zip: null as string | null,
    address1: null as string | null,
    latitude: null as number | null,
    longitude: null as number | null,
    shop_id: shopNumericId(shop.domain),
    created_at: restTime(event.createdAt, tz),
    updated_at: restTime(event.createdAt, tz),
    estimated_delivery_at: restTimeOrNull(event.estimatedDeliveryAt, tz),
    order_id: restId(order.id),
    admin_graphql_api_id: gid("FulfillmentEvent", event.id),
  };
}
