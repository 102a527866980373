/**
 * Orders and what hangs off them: line items, fulfillment orders (holds,
 * promised delivery), fulfillments with tracking and events, refunds.
 * Money comes in the shop's currency; prices are tax-free in the sandbox, so
 * tax sets are zero.
 */
import { paymentsOf, type Payment } from "../../activity/ledger";
import { assignedLocation } from "../../activity/catalog";
import {
  money,
  type FulfillmentEvent,
  type FulfillmentHold,
  type Location as StoreLocation,
  type Order,
} from "../../store";
import { notModelled } from "../errors";
import { byId, connection } from "./connection";
import { mailingAddress } from "./customers";
import {
  findVariant,
  orderVisible,
  type FulfillmentOrderRef,
  type FulfillmentRef,
  type LineRef,
  type RefundRef,
} from "./lookup";
import { defineMetafieldFields } from "./metafields";
import {
  displayFinancialStatus,
  displayFulfillmentStatus,
  eventStatus,
  fulfillmentDisplayStatus,
  fulfillmentStatus,
} from "./order-status";
import { gidOf, iso, moneyBag, type Args, type ResolverMap, type TypeResolvers } from "./util";

const bag = (order: Order, amount: string) => moneyBag(amount, order.currency);

function refundedAmount(order: Order): string {
  return order.refunds.reduce((sum, refund) => money.add(sum, refund.amount), "0.00");
}

function nonNegative(amount: string): string {
  return money.cents(amount) < 0 ? "0.00" : amount;
}

/** A plain list field with an optional `first` (Order.fulfillments, Order.refunds). */
function firstOf<T>(items: T[], args: Args): T[] {
  return typeof args.first === "number" ? items.slice(0, args.first) : items;
}

function refuseQuery(args: Args, field: string): void {
  if (typeof args.query === "string" && args.query.trim()) throw notModelled(`${field}(query:)`);
}

const Order: TypeResolvers<Order> = {
  id: (o) => gidOf("Order", o.id),
  legacyResourceId: (o) => o.id,
  name: (o) => o.name,
  number: (o) => o.number,
  createdAt: (o) => iso(o.createdAt),
  updatedAt: (o) => iso(o.updatedAt),
  processedAt: (o) => iso(o.processedAt),
  cancelledAt: (o) => iso(o.cancelledAt),
  cancelReason: (o) => o.cancelReason?.toUpperCase() ?? null,
  displayFulfillmentStatus: (o) => displayFulfillmentStatus(o),
  displayFinancialStatus: (o) => displayFinancialStatus(o),
  test: (o) => o.test,
  tags: (o) => o.tags,
  note: (o) => o.note,
  email: (o) => o.email,
  currencyCode: (o) => o.currency,
  presentmentCurrencyCode: (o) => o.currency,
  sourceName: (o) => o.sourceName,
  discountCodes: (o) => o.discountCodes,
  discountCode: (o) => o.discountCodes[0] ?? null,
  customer: (o, _a, ctx) => (o.customerId ? (ctx.shop.customers.get(o.customerId) ?? null) : null),
  shippingAddress: (o) => mailingAddress(o.shippingAddress),
  subtotalPriceSet: (o) => bag(o, o.subtotal),
  totalPriceSet: (o) => bag(o, o.total),
  totalDiscountsSet: (o) => bag(o, o.totalDiscounts),
  transactions: (o, args) =>
    firstOf(
      paymentsOf(o).map((payment, index) => ({ order: o, payment, index })),
      args,
    ),
  totalShippingPriceSet: (o) => bag(o, o.shippingPrice),
  totalTaxSet: (o) => bag(o, "0.00"),
  totalRefundedSet: (o) => bag(o, refundedAmount(o)),
  currentTotalPriceSet: (o) => bag(o, nonNegative(money.sub(o.total, refundedAmount(o)))),
  currentSubtotalPriceSet: (o) => {
    const refundedLines = o.refunds.flatMap((r) => Object.entries(r.lines));
    const refundedValue = refundedLines.reduce((sum, [lineId, quantity]) => {
      const line = o.lineItems.find((l) => l.id === lineId);
      if (!line) return sum;
      const unitAfterDiscount = money.sub(line.price, money.times(line.discount, 1 / line.quantity));
      return money.add(sum, money.times(unitAfterDiscount, quantity));
    }, "0.00");
    return bag(o, nonNegative(money.sub(o.subtotal, refundedValue)));
  },
  currentTotalDiscountsSet: (o) => bag(o, o.totalDiscounts),
  currentTotalTaxSet: (o) => bag(o, "0.00"),
  currentShippingPriceSet: (o) => bag(o, o.shippingPrice),
  subtotalLineItemsQuantity: (o) => o.lineItems.reduce((sum, line) => sum + line.quantity, 0),
  currentSubtotalLineItemsQuantity: (o) =>
    o.lineItems.reduce((sum, line) => sum + line.quantity - line.refundedQuantity, 0),
  lineItems: (o, args) =>
    byId(
      o.lineItems.map((line): LineRef => ({ order: o, line })),
      args,
      (ref) => ref.line.id,
    ),
  fulfillmentOrders: (o, args) => {
    refuseQuery(args, "Order.fulfillmentOrders");
    return byId(
      o.fulfillmentOrders.map((fo): FulfillmentOrderRef => ({ order: o, fo })),
      args,
      (ref) => ref.fo.id,
    );
  },
  fulfillments: (o, args) => {
    refuseQuery(args, "Order.fulfillments");
    return firstOf(
      o.fulfillments.map((fulfillment): FulfillmentRef => ({ order: o, fulfillment })),
      args,
    );
  },
  refunds: (o, args) =>
    firstOf(
      o.refunds.map((refund): RefundRef => ({ order: o, refund })),
      args,
    ),
  ...defineMetafieldFields<Order>((o) => gidOf("Order", o.id)),
};

const LineItem: TypeResolvers<LineRef> = {
  id: ({ line }) => gidOf("LineItem", line.id),
  title: ({ line }) => line.title,
  name: ({ line }, _a, ctx) => {
    const variant = findVariant(ctx, line.variantId);
    return variant && variant.title !== "Default Title" ? `${line.title} - ${variant.title}` : line.title;
  },
  variantTitle: ({ line }, _a, ctx) => findVariant(ctx, line.variantId)?.title ?? null,
  vendor: ({ line }, _a, ctx) => ctx.shop.products.get(line.productId)?.vendor ?? null,
  quantity: ({ line }) => line.quantity,
  currentQuantity: ({ line }) => line.quantity - line.refundedQuantity,
  refundableQuantity: ({ line }) => line.quantity - line.refundedQuantity,
  unfulfilledQuantity: ({ line }) => line.fulfillableQuantity,
  sku: ({ line }) => line.sku || null,
  requiresShipping: () => true,
  isGiftCard: () => false,
  variant: ({ line }, _a, ctx) => findVariant(ctx, line.variantId) ?? null,
  product: ({ line }, _a, ctx) => ctx.shop.products.get(line.productId) ?? null,
  originalUnitPriceSet: ({ order, line }) => bag(order, line.price),
  originalTotalSet: ({ order, line }) => bag(order, money.times(line.price, line.quantity)),
  discountedUnitPriceSet: ({ order, line }) =>
    bag(order, money.sub(line.price, money.times(line.discount, 1 / line.quantity))),
  discountedTotalSet: ({ order, line }) => bag(order, money.sub(money.times(line.price, line.quantity), line.discount)),
  totalDiscountSet: ({ order, line }) => bag(order, line.discount),
};

const FulfillmentOrder: TypeResolvers<FulfillmentOrderRef> = {
  id: ({ fo }) => gidOf("FulfillmentOrder", fo.id),
  status: ({ fo }) => fo.status,
  createdAt: ({ fo }) => iso(fo.createdAt),
  updatedAt: ({ fo }) => iso(fo.updatedAt),
  fulfillBy: ({ fo }) => iso(fo.fulfillBy),
  orderId: ({ order }) => gidOf("Order", order.id),
  orderName: ({ order }) => order.name,
  orderProcessedAt: ({ order }) => iso(order.processedAt),
  order: ({ order }, _a, ctx) => (orderVisible(ctx, order) ? order : null),
  fulfillmentHolds: ({ fo }) => fo.holds,
  assignedLocation: ({ fo }, _a, ctx) => assignedLocation(ctx.shop, fo),
  // The store keeps only the promised latest delivery; the method is always shipping.
  deliveryMethod: ({ fo }) => ({
    id: gidOf("DeliveryMethod", fo.id),
    methodType: "SHIPPING",
    maxDeliveryDateTime: iso(fo.maxDeliveryDateTime),
    minDeliveryDateTime: null,
  }),
  lineItems: ({ order, fo }, args) => {
    const lines = order.lineItems.filter((line) => line.id in fo.remaining).map((line) => ({ order, fo, line }));
    return byId(lines, args, (ref) => ref.line.id);
  },
};

/** Only a name, a country and the live location: the sandbox keeps no location addresses. */
const FulfillmentOrderAssignedLocation: TypeResolvers<StoreLocation> = {
  name: (l) => l.name,
  location: (l) => l,
  countryCode: () => "US",
  address1: () => null,
  address2: () => null,
  city: () => null,
  province: () => null,
  zip: () => null,
  phone: () => null,
};

const FulfillmentOrderLineItem: TypeResolvers<FulfillmentOrderRef & LineRef> = {
  // The store has no separate id for a fulfillment order line; the line item's id is reused under this type.
  id: ({ line }) => gidOf("FulfillmentOrderLineItem", line.id),
  lineItem: ({ order, line }) => ({ order, line }),
  remainingQuantity: ({ fo, line }) => fo.remaining[line.id] ?? 0,
  totalQuantity: ({ line }) => line.quantity - line.refundedQuantity,
  sku: ({ line }) => line.sku || null,
  productTitle: ({ line }) => line.title,
  variantTitle: ({ line }, _a, ctx) => findVariant(ctx, line.variantId)?.title ?? null,
  variant: ({ line }, _a, ctx) => findVariant(ctx, line.variantId) ?? null,
  requiresShipping: () => true,
};

const FulfillmentHold: TypeResolvers<FulfillmentHold> = {
  id: (hold) => gidOf("FulfillmentHold", hold.id),
  reason: (hold) => hold.reason.toUpperCase(),
  reasonNotes: (hold) => hold.reasonNotes,
  displayReason: (hold) =>
    hold.reason
      .replace(/_/g, " ")
      .toLowerCase()
      .replace(/^\w/, (c) => c.toUpperCase()),
  handle: () => null,
  heldByRequestingApp: () => false,
};

const Fulfillment: TypeResolvers<FulfillmentRef> = {
  id: ({ fulfillment }) => gidOf("Fulfillment", fulfillment.id),
  legacyResourceId: ({ fulfillment }) => fulfillment.id,
  name: ({ fulfillment }) => fulfillment.name,
  status: ({ fulfillment }) => fulfillmentStatus(fulfillment),
  displayStatus: ({ fulfillment }) => fulfillmentDisplayStatus(fulfillment),
  createdAt: ({ fulfillment }) => iso(fulfillment.createdAt),
  updatedAt: ({ fulfillment }) => iso(fulfillment.updatedAt),
  estimatedDeliveryAt: ({ fulfillment }) => iso(fulfillment.estimatedDeliveryAt),
  deliveredAt: ({ fulfillment }) => iso(fulfillment.deliveredAt),
  inTransitAt: ({ fulfillment }) => iso(fulfillment.inTransitAt),
  requiresShipping: () => true,
  totalQuantity: ({ fulfillment }) => Object.values(fulfillment.lines).reduce((a, b) => a + b, 0),
  order: ({ order }) => order,
  trackingInfo: ({ fulfillment }, args) =>
    fulfillment.trackingCompany || fulfillment.trackingNumber
      ? firstOf([{ company: fulfillment.trackingCompany, number: fulfillment.trackingNumber, url: null }], args)
      : [],
  events: ({ fulfillment }, args) => {
    if (args.sortKey !== undefined && args.sortKey !== "HAPPENED_AT" && args.sortKey !== "ID")
      throw notModelled(`Fulfillment.events(sortKey: ${String(args.sortKey)})`);
    if (args.sortKey === "ID") return byId(fulfillment.events, args, (e) => e.id);
    const sorted = [...fulfillment.events].sort(
      (a, b) => a.happenedAt.getTime() - b.happenedAt.getTime() || Number(a.id) - Number(b.id),
    );
    return byHappenedAt(sorted, args);
  },
  fulfillmentLineItems: ({ order, fulfillment }, args) => {
    const lines = Object.entries(fulfillment.lines).map(([lineId, quantity]) => ({
      order,
      line: order.lineItems.find((l) => l.id === lineId)!,
      quantity,
    }));
    return byId(
      lines.filter((l) => l.line),
      args,
      (l) => l.line.id,
    );
  },
};

/** Events page by (happenedAt, id), Shopify's default sort for them. */
function byHappenedAt(sorted: FulfillmentEvent[], args: Args) {
  const items = args.reverse === true ? [...sorted].reverse() : sorted;
  return connection({
    items,
    args,
    key: (e) => ({ id: Number(e.id), value: e.happenedAt.getTime() }),
    descending: args.reverse === true,
  });
}

const FulfillmentLineItem: TypeResolvers<LineRef & { quantity: number }> = {
  id: ({ line }) => gidOf("FulfillmentLineItem", line.id),
  lineItem: ({ order, line }) => ({ order, line }),
  quantity: ({ quantity }) => quantity,
  originalTotalSet: ({ order, line, quantity }) => bag(order, money.times(line.price, quantity)),
  discountedTotalSet: ({ order, line, quantity }) =>
    bag(order, money.times(money.sub(line.price, money.times(line.discount, 1 / line.quantity)), quantity)),
};

const FulfillmentEvent: TypeResolvers<FulfillmentEvent> = {
  id: (e) => gidOf("FulfillmentEvent", e.id),
  status: (e) => eventStatus(e.status),
  happenedAt: (e) => iso(e.happenedAt),
  createdAt: (e) => iso(e.createdAt),
  estimatedDeliveryAt: (e) => iso(e.estimatedDeliveryAt),
  message: (e) => e.message,
  address1: () => null,
  city: () => null,
  province: () => null,
  country: () => null,
  zip: () => null,
  latitude: () => null,
  longitude: () => null,
};

interface TransactionRef {
  order: Order;
  payment: Payment;
  index: number;
}

const GATEWAY_NAMES: Record<Payment["gateway"], string> = {
  shopify_payments: "Shopify Payments",
  bogus: "Bogus",
  gift_card: "Gift card",
  shopify_store_credit: "Store credit",
};

/** The sale transactions an order was paid with (card, gift card, store credit); refunds are not listed here. */
const OrderTransaction: TypeResolvers<TransactionRef> = {
  id: ({ order, index }) => gidOf("OrderTransaction", `${order.id}${index + 1}`),
  kind: () => "SALE",
  status: () => "SUCCESS",
  gateway: ({ payment }) => payment.gateway,
  formattedGateway: ({ payment }) => GATEWAY_NAMES[payment.gateway],
  amountSet: ({ order, payment }) => bag(order, payment.amount),
  createdAt: ({ order }) => iso(order.processedAt),
  processedAt: ({ order }) => iso(order.processedAt),
  test: ({ order }) => order.test,
  order: ({ order }) => order,
  // Shopify's receipt for a gift card payment names the card, as REST transactions do.
  receiptJson: ({ payment }) => JSON.stringify(payment.giftCardId ? { gift_card_id: Number(payment.giftCardId) } : {}),
};

const Refund: TypeResolvers<RefundRef> = {
  id: ({ refund }) => gidOf("Refund", refund.id),
  legacyResourceId: ({ refund }) => refund.id,
  createdAt: ({ refund }) => iso(refund.createdAt),
  processedAt: ({ refund }) => iso(refund.createdAt),
  updatedAt: ({ refund }) => iso(refund.createdAt),
  note: ({ refund }) => refund.note,
  order: ({ order }) => order,
  totalRefundedSet: ({ order, refund }) => bag(order, refund.amount),
  staffMember: ({ refund }) => (refund.staffMemberId ? { id: gidOf("StaffMember", refund.staffMemberId) } : null),
  refundLineItems: ({ order, refund }, args) => {
    const lines = Object.entries(refund.lines)
      .map(([lineId, quantity]) => ({ order, refund, line: order.lineItems.find((l) => l.id === lineId), quantity }))
      .filter((l): l is typeof l & { line: NonNullable<typeof l.line> } => !!l.line);
    return byId(lines, args, (l) => l.line.id);
  },
};

const RefundLineItem: TypeResolvers<RefundRef & LineRef & { quantity: number }> = {
  id: ({ refund, line }) => gidOf("RefundLineItem", `${refund.id}${line.id}`),
  lineItem: ({ order, line }) => ({ order, line }),
  quantity: ({ quantity }) => quantity,
  restockType: ({ refund }) => (refund.restock ? "RETURN" : "NO_RESTOCK"),
  restocked: ({ refund }) => refund.restock,
  priceSet: ({ order, line }) => bag(order, line.price),
  subtotalSet: ({ order, line, quantity }) =>
    bag(order, money.times(money.sub(line.price, money.times(line.discount, 1 / line.quantity)), quantity)),
  totalTaxSet: ({ order }) => bag(order, "0.00"),
};

export const orderResolvers: ResolverMap = {
  Order,
  LineItem,
  FulfillmentOrder,
  FulfillmentOrderAssignedLocation,
  FulfillmentOrderLineItem,
  FulfillmentHold,
  Fulfillment,
  FulfillmentLineItem,
  FulfillmentEvent,
  Refund,
  RefundLineItem,
  OrderTransaction,
};
