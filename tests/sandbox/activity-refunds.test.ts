/**
 * Refunds, cancellations and the app lifecycle / privacy webhooks: state
 * (financial status, quantities, customer totals, money back to the original
 * payment methods) and the webhooks in Shopify's order.
 */
import { expect, test } from "vitest";
import { createStoreKit, SHOP_REDACT_DELAY_MS, storeCreditAccountOf } from "../../sandbox/activity";
import { HOUR } from "../../sandbox/clock";

const SHOP = "refund.myshopify.com";

async function paidOrder(options: { discount?: boolean } = {}) {
  const kit = createStoreKit({ shops: [SHOP] });
  const { activity } = kit;
  const product = activity.createProduct(SHOP, {
    title: "Chair",
    variants: [
      { title: "Oak", price: "100.00" },
      { title: "Ash", price: "50.00" },
    ],
  });
  const [oak, ash] = product.variants;
  const customer = activity.createCustomer(SHOP, { firstName: "R", lastName: "F", email: "r@example.com" });
  if (options.discount) activity.createDiscount(SHOP, { code: "TEN", value: { percentage: 0.1 } });
  const order = await activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [
      { variantId: oak?.id ?? "", quantity: 2 },
      { variantId: ash?.id ?? "", quantity: 1 },
    ],
    shippingPrice: "10.00",
    ...(options.discount ? { discountCode: "TEN" } : {}),
  });
  kit.sender.clearLog();
  const [oakLine, ashLine] = order.lineItems;
  if (!oakLine || !ashLine) throw new Error("lines missing");
  return { ...kit, order, customer, oakLine, ashLine, shop: kit.store.shop(SHOP) };
}

test("a partial refund gives back the units less their discount share, marks the order partially refunded, and sends refunds/create then orders/updated", async () => {
  const kit = await paidOrder({ discount: true });
  const { activity, order, oakLine, shop, customer } = kit;
  expect(order.total).toBe("235.00");
  const refund = await activity.refund(SHOP, order.id, {
    lines: [{ lineItemId: oakLine.id, quantity: 1 }],
    note: "Scratched",
    restock: true,
  });

  expect(refund).toMatchObject({ amount: "90.00", note: "Scratched", restock: true, lines: { [oakLine.id]: 1 } });
  expect(refund.staffMemberId).not.toBeNull();
  expect(order.financialStatus).toBe("partially_refunded");
  expect(oakLine).toMatchObject({ refundedQuantity: 1, fulfillableQuantity: 1 });
  // Not shipped yet: the refunded unit leaves the fulfillment order.
  expect(order.fulfillmentOrders[0]?.remaining[oakLine.id]).toBe(1);
  expect(shop.customers.get(customer.id)?.amountSpent).toBe("145.00");
  expect(kit.sender.log.map((r) => r.topic)).toEqual(["refunds/create", "orders/updated"]);
  expect(kit.sender.log[0]?.payload).toMatchObject({
    refund_line_items: [{ quantity: 1, restock_type: "cancel", subtotal: 90 }],
    transactions: [{ kind: "refund", gateway: "shopify_payments", amount: "90.00" }],
  });
  expect(kit.sender.log[1]?.payload).toMatchObject({
    financial_status: "partially_refunded",
    current_total_price: "145.00",
  });
});

test("refunding everything with shipping makes it refunded; more than was paid is refused", async () => {
  const { activity, order, oakLine, ashLine } = await paidOrder();
  await activity.fulfill(SHOP, order.id, { trackingCompany: null, trackingNumber: null });
  await activity.refund(SHOP, order.id, { lines: [{ lineItemId: oakLine.id, quantity: 2 }], restock: true });
  const last = await activity.refund(SHOP, order.id, {
    lines: [{ lineItemId: ashLine.id, quantity: 1 }],
    shipping: true,
  });
  expect(last.amount).toBe("60.00");
  expect(order.financialStatus).toBe("refunded");
  await expect(activity.refund(SHOP, order.id, { amount: "0.01" })).rejects.toMatchObject({
    code: "REFUND_EXCEEDS_REFUNDABLE",
  });
  await expect(
    activity.refund(SHOP, order.id, { lines: [{ lineItemId: ashLine.id, quantity: 1 }] }),
  ).rejects.toMatchObject({ code: "REFUND_EXCEEDS_REFUNDABLE" });
});

test("a goodwill amount without lines is a refund discrepancy; an app's refund has no staff member", async () => {
  const kit = await paidOrder();
  const refund = await kit.activity.refund(SHOP, kit.order.id, {
    amount: "15.00",
    note: "Sorry for the wait",
    staffMemberId: null,
  });
  expect(refund).toMatchObject({ amount: "15.00", lines: {}, staffMemberId: null });
  expect(kit.sender.log[0]?.payload).toMatchObject({
    user_id: null,
    order_adjustments: [{ kind: "refund_discrepancy", amount: "-15.00" }],
  });
});

test("refunds go back to the card first, then the gift card, then store credit (as new credit)", async () => {
  const kit = createStoreKit({ shops: [SHOP] });
  const { activity, store } = kit;
  const product = activity.createProduct(SHOP, { title: "Desk", variants: [{ price: "100.00" }] });
  const customer = activity.createCustomer(SHOP, { firstName: "M", lastName: "P", email: "m@example.com" });
  activity.issueStoreCredit(SHOP, customer.id, "30.00");
  const card = activity.createGiftCard(SHOP, { code: "G1", initialValue: "50.00" });
  const order = await activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [{ variantId: product.variants[0]?.id ?? "", quantity: 1 }],
    storeCredit: true,
    giftCardCode: "G1",
  });
  expect(order).toMatchObject({ total: "100.00", storeCreditUsed: "30.00" });
  expect(card.balance).toBe("0.00");

  kit.sender.clearLog();
  await activity.refund(SHOP, order.id, { lines: [{ lineItemId: order.lineItems[0]?.id ?? "", quantity: 1 }] });
  expect(kit.sender.log[0]?.payload).toMatchObject({
    transactions: [
      { gateway: "shopify_payments", amount: "20.00" },
      { gateway: "gift_card", amount: "50.00" },
      { gateway: "shopify_store_credit", amount: "30.00" },
    ],
  });
  expect(card.balance).toBe("50.00");
  const account = storeCreditAccountOf(store.shop(SHOP), customer.id);
  expect(account?.transactions.map((t) => [t.kind, t.amount, t.remaining])).toEqual([
    ["credit", "30.00", "0.00"],
    ["debit", "-30.00", "0.00"],
    ["credit", "30.00", "30.00"],
  ]);
});

test("cancelling refunds what is left, cancels the fulfillment order, and sends orders/cancelled, refunds/create, orders/updated", async () => {
  const kit = await paidOrder();
  const { activity, order, clock } = kit;
  await activity.placeOnHold(SHOP, order.id, { reason: "HIGH_RISK_OF_FRAUD" });
  kit.sender.clearLog();
  await activity.cancel(SHOP, order.id, { reason: "fraud", staffNote: "Chargeback risk" });

  expect(order).toMatchObject({ cancelReason: "fraud", cancelledAt: clock.now(), financialStatus: "refunded" });
  expect(order.fulfillmentOrders[0]).toMatchObject({ status: "CANCELLED", holds: [] });
  expect(order.refunds).toEqual([
    expect.objectContaining({ amount: "260.00", note: "Chargeback risk", restock: true }),
  ]);
  expect(order.lineItems.every((l) => l.fulfillableQuantity === 0)).toBe(true);
  expect(kit.sender.log.map((r) => r.topic)).toEqual(["orders/cancelled", "refunds/create", "orders/updated"]);
  expect(kit.sender.log[0]?.payload).toMatchObject({ cancel_reason: "fraud", financial_status: "refunded" });
  await expect(activity.cancel(SHOP, order.id, { reason: "other" })).rejects.toMatchObject({ code: "ORDER_CANCELLED" });
});

test("a declined payment is voided, not refunded; a shipped order cannot be cancelled", async () => {
  const declined = await paidOrder();
  await declined.activity.cancel(SHOP, declined.order.id, { reason: "declined" });
  expect(declined.order).toMatchObject({ financialStatus: "voided", refunds: [] });
  expect(declined.sender.log.map((r) => r.topic)).toEqual(["orders/cancelled", "orders/updated"]);

  const shipped = await paidOrder();
  await shipped.activity.fulfill(SHOP, shipped.order.id, { trackingCompany: null, trackingNumber: null });
  await expect(shipped.activity.cancel(SHOP, shipped.order.id, { reason: "customer" })).rejects.toMatchObject({
    code: "ORDER_HAS_FULFILLMENTS",
  });
});

test("uninstall sends app/uninstalled now, silences the shop's other topics, and sends shop/redact 48 hours later", async () => {
  const kit = await paidOrder();
  const { activity, sender, clock, order } = kit;
  await activity.uninstall(SHOP);
  await activity.refund(SHOP, order.id, { amount: "1.00" });

  expect(sender.log.map((r) => [r.topic, r.state])).toEqual([
    ["app/uninstalled", "delivered"],
    ["shop/redact", "scheduled"],
    ["refunds/create", "unsubscribed"],
    ["orders/updated", "unsubscribed"],
  ]);
  expect(sender.log[0]?.payload).toMatchObject({
    myshopify_domain: SHOP,
    domain: SHOP,
    iana_timezone: "America/New_York",
  });
  clock.advance(SHOP_REDACT_DELAY_MS - HOUR);
  await sender.flushDue();
  expect(sender.log[1]?.state).toBe("scheduled");
  clock.advance(HOUR);
  await sender.flushDue();
  expect(sender.log[1]).toMatchObject({ state: "delivered", payload: { shop_domain: SHOP } });
});

test("reinstalling within 48 hours withdraws shop/redact and resumes webhooks", async () => {
  const kit = await paidOrder();
  await kit.activity.uninstall(SHOP);
  kit.activity.reinstall(SHOP);
  kit.clock.advance(SHOP_REDACT_DELAY_MS);
  await kit.sender.flushDue();
  expect(kit.sender.deliveries({ topic: "shop/redact" })[0]?.state).toBe("cancelled");
  await kit.activity.refund(SHOP, kit.order.id, { amount: "1.00" });
  expect(kit.sender.deliveries({ topic: "refunds/create" })[0]?.state).toBe("delivered");
});

test("customers/redact and customers/data_request name the customer and their orders", async () => {
  const kit = await paidOrder();
  const { activity, customer, order } = kit;
  await activity.redactCustomer(SHOP, customer.id);
  const requestId = await activity.requestCustomerData(SHOP, customer.id);
  expect(kit.sender.log.map((r) => r.payload)).toEqual([
    expect.objectContaining({
      shop_domain: SHOP,
      customer: { id: Number(customer.id), email: "r@example.com", phone: null },
      orders_to_redact: [Number(order.id)],
    }),
    expect.objectContaining({
      shop_domain: SHOP,
      orders_requested: [Number(order.id)],
      data_request: { id: Number(requestId) },
    }),
  ]);
});

test("cancelling after a goodwill refund gives back only what is left", async () => {
  const { activity, order } = await paidOrder();
  await activity.refund(SHOP, order.id, { amount: "15.00" });
  await activity.cancel(SHOP, order.id, { reason: "inventory" });
  expect(order.refunds.map((r) => r.amount)).toEqual(["15.00", "245.00"]);
  expect(order.financialStatus).toBe("refunded");
});
