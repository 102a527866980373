/**
 * Making a real Order in the store from a completed draft order, the way
 * Shopify does for a free gift: line prices from the variants, line discounts
 * applied (a 100% discount makes the line free), shipping from the draft's
 * shipping line, one open fulfillment order for everything, and the
 * customer's order count and spend brought up to date.
 */
import {
  money,
  type DraftOrder,
  type LineItem,
  type Order,
  type ProductVariant,
  type SandboxStore,
  type ShopState,
} from "../store";

export function orderFromDraft(
  store: SandboxStore,
  shop: ShopState,
  draft: DraftOrder,
  options: { now: Date; paymentPending: boolean },
): Order {
  const { now } = options;
  const taken: ProductVariant[] = [];
  const lineItems: LineItem[] = draft.lineItems.map((draftLine) => {
    const product = [...shop.products.values()].find((p) => p.variants.some((v) => v.id === draftLine.variantId));
    const variant = product?.variants.find((v) => v.id === draftLine.variantId);
    if (!product || !variant)
      throw new Error(`draft order ${draft.id} names variant ${draftLine.variantId}, which the store no longer has`);
    taken.push(variant);
    const lineTotal = money.times(variant.price, draftLine.quantity);
    return {
      id: store.newId(),
      variantId: variant.id,
      productId: product.id,
      title: product.title,
      sku: variant.sku,
      quantity: draftLine.quantity,
      price: variant.price,
      fulfillableQuantity: draftLine.quantity,
      refundedQuantity: 0,
      discount: money.times(lineTotal, draftLine.discountPercent / 100),
    };
  });
  const subtotal = lineItems.reduce(
    (sum, line) => money.add(sum, money.sub(money.times(line.price, line.quantity), line.discount)),
    "0.00",
  );
  const totalDiscounts = lineItems.reduce((sum, line) => money.add(sum, line.discount), "0.00");
  const shippingPrice = draft.shippingLine?.price ?? "0.00";
  const total = money.add(subtotal, shippingPrice);
  const customer = draft.customerId ? shop.customers.get(draft.customerId) : undefined;
  const number = shop.nextOrderNumber++;
  const order: Order = {
    id: store.newId(),
    name: `#${number}`,
    number,
    createdAt: now,
    updatedAt: now,
    processedAt: now,
    customerId: customer?.id ?? null,
    email: customer?.email ?? null,
    currency: shop.currency,
    lineItems,
    shippingAddress: draft.shippingAddress,
    shippingPrice,
    subtotal,
    totalDiscounts,
    total,
    cancelledAt: null,
    cancelReason: null,
    test: false,
    tags: [...draft.tags],
    note: draft.note,
    discountCodes: [],
    storeCreditUsed: "0.00",
    giftCardIdsUsed: [],
    sourceName: "shopify_draft_order",
    draftOrderId: draft.id,
    fulfillmentOrders: [
      {
        id: store.newId(),
        status: "OPEN",
        createdAt: now,
        updatedAt: now,
        fulfillBy: null,
        maxDeliveryDateTime: null,
        remaining: Object.fromEntries(lineItems.map((line) => [line.id, line.quantity])),
        holds: [],
      },
    ],
    fulfillments: [],
    refunds: [],
    financialStatus: options.paymentPending ? "pending" : "paid",
  };
  shop.orders.set(order.id, order);
  draft.lineItems.forEach((line, i) => {
    const variant = taken[i];
    if (variant?.inventory.tracked) variant.inventory.quantity -= line.quantity;
  });
  if (customer) {
    customer.numberOfOrders += 1;
    // Spend counts money received: a pending payment adds nothing yet.
    if (!options.paymentPending) customer.amountSpent = money.add(customer.amountSpent, total);
    customer.updatedAt = now;
  }
  return order;
}
