/**
 * Shipping: fulfillments and the fulfillment order's remaining quantities and
 * status, carrier events and their effect on the fulfillment, and holds, each
 * with the webhooks Shopify sends, in its order.
 */
import { expect, test } from "vitest";
import { createStoreKit, orderFulfillmentStatus, SandboxError, shipmentStatusOf } from "../../sandbox/activity";
import { DAY } from "../../sandbox/clock";

const SHOP = "ship.myshopify.com";

async function orderOfThree() {
  const kit = createStoreKit({ shops: [SHOP] });
  const product = kit.activity.createProduct(SHOP, { title: "Lamp", variants: [{ price: "40.00" }] });
  const customer = kit.activity.createCustomer(SHOP, { firstName: "C", lastName: "D", email: "c@example.com" });
  const order = await kit.activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [{ variantId: product.variants[0]?.id ?? "", quantity: 3 }],
  });
  kit.sender.clearLog();
  const line = order.lineItems[0];
  if (!line) throw new Error("no line");
  return { ...kit, order, line };
}

const topics = (kit: { sender: { log: Array<{ topic: string }> } }) => kit.sender.log.map((r) => r.topic);

test("a partial fulfillment leaves the fulfillment order IN_PROGRESS; the rest CLOSES it", async () => {
  const kit = await orderOfThree();
  const { activity, order, line, clock } = kit;
  const first = await activity.fulfill(SHOP, order.id, {
    lines: [{ lineItemId: line.id, quantity: 1 }],
    trackingCompany: "UPS",
    trackingNumber: "1Z1",
  });

  expect(first).toMatchObject({
    name: "#1001.1",
    status: "success",
    trackingCompany: "UPS",
    lines: { [line.id]: 1 },
    createdAt: clock.now(),
  });
  expect(order.fulfillmentOrders[0]).toMatchObject({ status: "IN_PROGRESS", remaining: { [line.id]: 2 } });
  expect(line.fulfillableQuantity).toBe(2);
  expect(orderFulfillmentStatus(order)).toBe("partial");
  expect(topics(kit)).toEqual(["fulfillments/create", "orders/updated", "orders/partially_fulfilled"]);

  kit.sender.clearLog();
  const second = await activity.fulfill(SHOP, order.id, {
    trackingCompany: "USPS",
    trackingNumber: "9400",
    estimatedDeliveryAt: new Date(clock.now().getTime() + 3 * DAY),
  });
  expect(second).toMatchObject({ name: "#1001.2", lines: { [line.id]: 2 } });
  expect(order.fulfillmentOrders[0]).toMatchObject({ status: "CLOSED", remaining: { [line.id]: 0 } });
  expect(orderFulfillmentStatus(order)).toBe("fulfilled");
  expect(topics(kit)).toEqual(["fulfillments/create", "orders/updated", "orders/fulfilled"]);
  const payload = kit.sender.log[1]?.payload as { fulfillment_status: string; fulfillments: unknown[] };
  expect(payload.fulfillment_status).toBe("fulfilled");
  expect(payload.fulfillments).toHaveLength(2);
});

test("refuses to ship more than remains, nothing at all, or a cancelled order", async () => {
  const { activity, order, line } = await orderOfThree();
  await expect(
    activity.fulfill(SHOP, order.id, {
      lines: [{ lineItemId: line.id, quantity: 4 }],
      trackingCompany: null,
      trackingNumber: null,
    }),
  ).rejects.toMatchObject({ code: "QUANTITY_EXCEEDS_REMAINING" });
  await activity.fulfill(SHOP, order.id, { trackingCompany: null, trackingNumber: null });
  await expect(activity.fulfill(SHOP, order.id, { trackingCompany: null, trackingNumber: null })).rejects.toMatchObject(
    { code: "NOTHING_TO_FULFILL" },
  );
  await expect(activity.fulfill(SHOP, "404", { trackingCompany: null, trackingNumber: null })).rejects.toBeInstanceOf(
    SandboxError,
  );
});

test("carrier events: in transit, a delay that moves the estimate, delivery; fulfillments/update only when the shipment status changes", async () => {
  const kit = await orderOfThree();
  const { activity, order, clock } = kit;
  const at = (days: number) => new Date(clock.now().getTime() + days * DAY);
  const f = await activity.fulfill(SHOP, order.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z",
    estimatedDeliveryAt: at(3),
  });
  kit.sender.clearLog();

  clock.advance(DAY / 2);
  await activity.addFulfillmentEvent(SHOP, order.id, f.id, { status: "in_transit", estimatedDeliveryAt: at(2.5) });
  expect(f).toMatchObject({ inTransitAt: clock.now(), estimatedDeliveryAt: at(2.5) });
  expect(shipmentStatusOf(f)).toBe("in_transit");
  expect(topics(kit)).toEqual(["fulfillment_events/create", "fulfillments/update"]);

  kit.sender.clearLog();
  clock.advance(DAY);
  await activity.addFulfillmentEvent(SHOP, order.id, f.id, {
    status: "delayed",
    estimatedDeliveryAt: at(5),
    message: "Weather",
  });
  expect(f.estimatedDeliveryAt).toEqual(at(5));
  expect(shipmentStatusOf(f)).toBe("in_transit");
  expect(topics(kit)).toEqual(["fulfillment_events/create"]);
  expect(kit.sender.log[0]?.payload).toMatchObject({
    status: "delayed",
    message: "Weather",
    fulfillment_id: Number(f.id),
    order_id: Number(order.id),
  });

  kit.sender.clearLog();
  clock.advance(4 * DAY);
  const happenedAt = new Date(clock.now().getTime() - 3_600_000);
  await activity.addFulfillmentEvent(SHOP, order.id, f.id, { status: "delivered", happenedAt });
  expect(f.deliveredAt).toEqual(happenedAt);
  expect(f.events.map((e) => e.status)).toEqual(["in_transit", "delayed", "delivered"]);
  expect(topics(kit)).toEqual(["fulfillment_events/create", "fulfillments/update"]);
  expect(kit.sender.log[1]?.payload).toMatchObject({ shipment_status: "delivered" });
});

test("the first hold sends placed_on_hold and blocks shipping; a second hold sends nothing; release sends hold_released", async () => {
  const kit = await orderOfThree();
  const { activity, order } = kit;
  const hold = await activity.placeOnHold(SHOP, order.id, {
    reason: "inventory_out_of_stock",
    notes: "Back next week",
  });
  expect(hold).toMatchObject({ reason: "INVENTORY_OUT_OF_STOCK", reasonNotes: "Back next week" });
  expect(order.fulfillmentOrders[0]?.status).toBe("ON_HOLD");
  await activity.placeOnHold(SHOP, order.id, { reason: "OTHER" });
  expect(order.fulfillmentOrders[0]?.holds).toHaveLength(2);
  expect(topics(kit)).toEqual(["fulfillment_orders/placed_on_hold"]);
  expect(kit.sender.log[0]?.payload).toMatchObject({
    fulfillment_order: { status: "on_hold" },
    created_fulfillment_hold: { reason: "inventory_out_of_stock", reason_notes: "Back next week" },
    held_fulfillment_order_line_items: [{ quantity: 3 }],
  });

  await expect(activity.fulfill(SHOP, order.id, { trackingCompany: null, trackingNumber: null })).rejects.toMatchObject(
    { code: "FULFILLMENT_ORDER_ON_HOLD" },
  );
  await activity.releaseHold(SHOP, order.id);
  expect(order.fulfillmentOrders[0]).toMatchObject({ status: "OPEN", holds: [] });
  expect(topics(kit)).toEqual(["fulfillment_orders/placed_on_hold", "fulfillment_orders/hold_released"]);
  await expect(activity.releaseHold(SHOP, order.id)).rejects.toMatchObject({ code: "FULFILLMENT_ORDER_NOT_HELD" });
  await activity.fulfill(SHOP, order.id, { trackingCompany: null, trackingNumber: null });
});

test("every webhook of one call can be held and delivered out of order", async () => {
  const kit = await orderOfThree();
  const delivered: string[] = [];
  const sender = kit.sender;
  await kit.activity.fulfill(SHOP, kit.order.id, { trackingCompany: null, trackingNumber: null }, { hold: true });
  expect(sender.pending().map((r) => r.topic)).toEqual(["fulfillments/create", "orders/updated", "orders/fulfilled"]);
  for (const r of await sender.flush({ order: "reverse" })) delivered.push(r.topic);
  expect(delivered).toEqual(["orders/fulfilled", "orders/updated", "fulfillments/create"]);
});
