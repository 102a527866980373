/**
 * A short story that makes the store send every webhook topic it knows, for
 * tests that check each payload and for a demo button. Needs a shop that
 * exists in the store; adds its own product and customers.
 */
import { DAY } from "../clock";
import type { Customer, Order, Product } from "../store";
import type { StoreActivity } from "./store-activity";

export interface EveryTopicResult {
  product: Product;
  customer: Customer;
  delivered: Order;
  partial: Order;
  refunded: Order;
  cancelled: Order;
  held: Order;
}

export async function everyTopicScenario(activity: StoreActivity, shop: string): Promise<EveryTopicResult> {
  const now = () => activity.store.clock.now();
  const product = activity.createProduct(shop, {
    title: "Canvas Tote",
    vendor: "Sandbox Goods",
    variants: [
      { title: "Natural", price: "24.00", sku: "TOTE-NAT" },
      { title: "Black", price: "26.00", sku: "TOTE-BLK" },
    ],
  });
  const [natural, black] = product.variants;
  if (!natural || !black) throw new Error("product without variants");
  const customer = activity.createCustomer(shop, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  activity.createDiscount(shop, { code: "WELCOME10", value: { percentage: 0.1 } });

  // orders/create, then fulfillments/create + orders/updated + orders/fulfilled, then tracking.
  const delivered = await activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [
      { variantId: natural.id, quantity: 2 },
      { variantId: black.id, quantity: 1 },
    ],
    discountCode: "WELCOME10",
    shippingPrice: "5.00",
  });
  const shipment = await activity.fulfill(shop, delivered.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z999AA10123456784",
    estimatedDeliveryAt: new Date(now().getTime() + 3 * DAY),
  });
  await activity.addFulfillmentEvent(shop, delivered.id, shipment.id, {
    status: "in_transit",
    estimatedDeliveryAt: new Date(now().getTime() + 3 * DAY),
  });
  await activity.addFulfillmentEvent(shop, delivered.id, shipment.id, {
    status: "delayed",
    estimatedDeliveryAt: new Date(now().getTime() + 6 * DAY),
    message: "Weather delay",
  });
  await activity.addFulfillmentEvent(shop, delivered.id, shipment.id, { status: "delivered" });

  // orders/partially_fulfilled.
  const partial = await activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [{ variantId: natural.id, quantity: 3 }],
  });
  const firstLine = partial.lineItems[0];
  if (!firstLine) throw new Error("order without lines");
  await activity.fulfill(shop, partial.id, {
    lines: [{ lineItemId: firstLine.id, quantity: 1 }],
    trackingCompany: "USPS",
    trackingNumber: "9400100000000000000000",
  });

  // refunds/create + orders/updated.
  const refunded = await activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [{ variantId: black.id, quantity: 2 }],
    shippingPrice: "5.00",
  });
  const refundLine = refunded.lineItems[0];
  if (!refundLine) throw new Error("order without lines");
  await activity.refund(shop, refunded.id, {
    lines: [{ lineItemId: refundLine.id, quantity: 1 }],
    note: "Arrived damaged",
    shipping: true,
  });

  // orders/cancelled (with its refund) for a guest checkout.
  const cancelled = await activity.placeOrder(shop, {
    guest: { email: "guest@example.com" },
    lines: [{ variantId: natural.id, quantity: 1 }],
  });
  await activity.cancel(shop, cancelled.id, { reason: "inventory", staffNote: "Out of stock" });

  // fulfillment_orders/placed_on_hold, then hold_released.
  const held = await activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [{ variantId: black.id, quantity: 1 }],
  });
  await activity.placeOnHold(shop, held.id, {
    reason: "INCORRECT_ADDRESS",
    notes: "Customer to confirm the street number",
  });
  await activity.releaseHold(shop, held.id);

  // Privacy and lifecycle: the uninstall queues shop/redact 48 hours later (sender.flushDue() once the clock passed it).
  await activity.requestCustomerData(shop, customer.id);
  await activity.redactCustomer(shop, customer.id);
  await activity.uninstall(shop);
  return { product, customer, delivered, partial, refunded, cancelled, held };
}
