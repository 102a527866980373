/**
 * Refunds and cancellations. A refund gives back line items (their price less
 * their share of the discount), optionally the shipping and an extra amount,
 * to the original payment methods: the card first, then the gift card, then
 * store credit (as a new credit). Cancelling refunds what is left by default.
 */
import {
  money,
  type CancelReason,
  type Id,
  type Order,
  type Refund,
  type SandboxStore,
  type ShopState,
} from "../store";
import { orderPayload } from "../webhooks/payloads/order";
import { refundPayload } from "../webhooks/payloads/refund";
import { shopNumericId } from "../webhooks/rest-format";
import type { Change, Emission } from "./emission";
import { SandboxError } from "./errors";
import { paymentsOf, refundDetailOf, setRefundDetail, type RefundDetail, type RefundTransaction } from "./ledger";
import { customerOf, orderOf } from "./lookup";
import { lineSubtotalCents } from "./pricing";
import { creditStoreCredit, ensureStoreCreditAccount } from "./store-credit";

export interface RefundInput {
  lines?: Array<{ lineItemId: Id; quantity: number }>;
  note?: string | null;
  /** Put the items back in stock (restock_type "cancel" for unshipped units, "return" for shipped ones). */
  restock?: boolean;
  /** Also refund the shipping not refunded yet. */
  shipping?: boolean;
  /** An extra amount not tied to lines (goodwill, price adjustment). */
  amount?: string;
  /** The staff member who refunded; null for a refund made by an app. Default: the shop owner. */
  staffMemberId?: Id | null;
  at?: Date;
}

/** The shop owner's staff id (the store has no staff): derived from the shop. */
export const shopOwnerStaffId = (shop: ShopState): Id => String(shopNumericId(shop.domain) + 2);

const refundedCents = (order: Order) => order.refunds.reduce((n, r) => n + money.cents(r.amount), 0);

/** `capped`: give back at most what is left (a cancellation after an earlier goodwill refund). */
function applyRefund(
  store: SandboxStore,
  shop: ShopState,
  order: Order,
  input: RefundInput,
  at: Date,
  capped = false,
): Refund {
  const lines: Record<Id, number> = {};
  let linesCents = 0;
  for (const { lineItemId, quantity } of input.lines ?? []) {
    const line = order.lineItems.find((l) => l.id === lineItemId);
    if (!line) throw new SandboxError("INVALID_INPUT", `order ${order.name} has no line item ${lineItemId}`);
    if (quantity <= 0 || quantity + (lines[lineItemId] ?? 0) > line.quantity - line.refundedQuantity) {
      throw new SandboxError(
        "REFUND_EXCEEDS_REFUNDABLE",
        `line ${lineItemId} has ${line.quantity - line.refundedQuantity} units left to refund`,
      );
    }
    lines[lineItemId] = (lines[lineItemId] ?? 0) + quantity;
    linesCents += lineSubtotalCents(line, quantity);
  }
  const shippingRefunded = order.refunds.reduce((n, r) => n + money.cents(refundDetailOf(r, order).shipping), 0);
  const shippingCents = input.shipping ? money.cents(order.shippingPrice) - shippingRefunded : 0;
  const discrepancyCents = input.amount ? money.cents(input.amount) : 0;
  const refundableCents = money.cents(order.total) - refundedCents(order);
  const totalCents = capped
    ? Math.min(refundableCents, linesCents + shippingCents + discrepancyCents)
    : linesCents + shippingCents + discrepancyCents;
  if (totalCents > refundableCents) {
    throw new SandboxError(
      "REFUND_EXCEEDS_REFUNDABLE",
      `order ${order.name} has ${money.fromCents(money.cents(order.total) - refundedCents(order))} left to refund`,
    );
  }
  if (totalCents <= 0 && Object.keys(lines).length === 0)
    throw new SandboxError("INVALID_INPUT", "a refund needs lines, shipping or an amount");

  // Unshipped units leave the fulfillment order; shipped ones come back as returns.
  const restockTypes: RefundDetail["restockTypes"] = {};
  const fo = order.fulfillmentOrders.find((f) => f.status !== "CLOSED" && f.status !== "CANCELLED");
  for (const [lineItemId, quantity] of Object.entries(lines)) {
    const line = order.lineItems.find((l) => l.id === lineItemId);
    if (!line) continue;
    const unshipped = Math.min(quantity, line.fulfillableQuantity);
    line.refundedQuantity += quantity;
    line.fulfillableQuantity -= unshipped;
    if (fo && unshipped > 0) fo.remaining[lineItemId] = Math.max(0, (fo.remaining[lineItemId] ?? 0) - unshipped);
    restockTypes[lineItemId] = input.restock ? (unshipped > 0 ? "cancel" : "return") : "no_restock";
  }
  if (fo && Object.values(fo.remaining).every((q) => q === 0)) {
    fo.status = "CLOSED";
    fo.updatedAt = at;
  }

  const transactions: RefundTransaction[] = [];
  let left = totalCents;
  const gatewayOrder = ["shopify_payments", "bogus", "gift_card", "shopify_store_credit"] as const;
  const payments = [...paymentsOf(order)].sort(
    (a, b) => gatewayOrder.indexOf(a.gateway) - gatewayOrder.indexOf(b.gateway),
  );
  for (const payment of payments) {
    if (left <= 0) break;
    const take = Math.min(left, money.cents(payment.amount) - money.cents(payment.refunded));
    if (take <= 0) continue;
    payment.refunded = money.fromCents(money.cents(payment.refunded) + take);
    left -= take;
    transactions.push({ gateway: payment.gateway, amount: money.fromCents(take), giftCardId: payment.giftCardId });
    if (payment.gateway === "gift_card" && payment.giftCardId) {
      const card = shop.giftCards.get(payment.giftCardId);
      if (card) card.balance = money.fromCents(money.cents(card.balance) + take);
    }
    if (payment.gateway === "shopify_store_credit" && order.customerId) {
      creditStoreCredit(store, ensureStoreCreditAccount(store, shop, order.customerId), money.fromCents(take), {
        at,
        orderId: order.id,
      });
    }
  }

  const refund: Refund = {
    id: store.newId(),
    createdAt: at,
    note: input.note ?? null,
    lines,
    amount: money.fromCents(totalCents),
    restock: input.restock ?? false,
    staffMemberId: input.staffMemberId === undefined ? shopOwnerStaffId(shop) : input.staffMemberId,
  };
  // A capped refund gives back less than its lines: the shortfall is a negative discrepancy, so the parts still add up.
  const discrepancy = totalCents - linesCents - shippingCents;
  setRefundDetail(refund, {
    transactions,
    shipping: money.fromCents(shippingCents),
    discrepancy: money.fromCents(discrepancy),
    restockTypes,
  });
  order.refunds.push(refund);
  order.financialStatus = refundedCents(order) >= money.cents(order.total) ? "refunded" : "partially_refunded";
  order.updatedAt = at;
  if (order.customerId) {
    const customer = customerOf(shop, order.customerId);
    customer.amountSpent = money.fromCents(Math.max(0, money.cents(customer.amountSpent) - totalCents));
    customer.updatedAt = at;
  }
  return refund;
}

export function refund(store: SandboxStore, domain: string, orderId: Id, input: RefundInput): Change<Refund> {
  const shop = store.shop(domain);
  const order = orderOf(shop, orderId);
  const result = applyRefund(store, shop, order, input, input.at ?? store.clock.now());
  return {
    result,
    emissions: () => [
      { topic: "refunds/create", build: () => refundPayload(shop, order, result) },
      { topic: "orders/updated", build: () => orderPayload(shop, order) },
    ],
  };
}

export interface CancelInput {
  reason: CancelReason;
  /** Refund what is left (default true; a declined payment has nothing to refund and is voided instead). */
  refund?: boolean;
  restock?: boolean;
  /** orderCancel's staff-facing note; the store has no field for it, so it becomes the refund's note. */
  staffNote?: string | null;
  staffMemberId?: Id | null;
  at?: Date;
}

export function cancel(store: SandboxStore, domain: string, orderId: Id, input: CancelInput): Change<Order> {
  const shop = store.shop(domain);
  const order = orderOf(shop, orderId);
  const at = input.at ?? store.clock.now();
  if (order.cancelledAt) throw new SandboxError("ORDER_CANCELLED", `order ${order.name} is already cancelled`);
  if (order.fulfillments.some((f) => f.status === "success")) {
    throw new SandboxError(
      "ORDER_HAS_FULFILLMENTS",
      `order ${order.name} has fulfillments: cancel them before the order`,
    );
  }

  const declined = input.reason === "declined";
  const wantsRefund = (input.refund ?? !declined) && money.cents(order.total) - refundedCents(order) > 0;
  let refundMade: Refund | null = null;
  if (wantsRefund) {
    const lines = order.lineItems
      .filter((l) => l.quantity - l.refundedQuantity > 0)
      .map((l) => ({ lineItemId: l.id, quantity: l.quantity - l.refundedQuantity }));
    const refundable = money.cents(order.total) - refundedCents(order);
    const linesCents = order.lineItems.reduce((n, l) => n + lineSubtotalCents(l, l.quantity - l.refundedQuantity), 0);
    const shippingLeft =
      money.cents(order.shippingPrice) -
      order.refunds.reduce((n, r) => n + money.cents(refundDetailOf(r, order).shipping), 0);
    const rest = refundable - linesCents - Math.max(0, shippingLeft);
    refundMade = applyRefund(
      store,
      shop,
      order,
      {
        lines,
        shipping: shippingLeft > 0,
        ...(rest > 0 ? { amount: money.fromCents(rest) } : {}),
        restock: input.restock ?? true,
        note: input.staffNote ?? null,
        ...(input.staffMemberId !== undefined ? { staffMemberId: input.staffMemberId } : {}),
      },
      at,
      true,
    );
  }

  order.cancelledAt = at;
  order.cancelReason = input.reason;
  order.updatedAt = at;
  if (declined && !refundMade) order.financialStatus = "voided";
  for (const line of order.lineItems) line.fulfillableQuantity = 0;
  // Nothing shipped (checked above), so every fulfillment order is cancelled, even one the refund just emptied.
  for (const fo of order.fulfillmentOrders) {
    for (const key of Object.keys(fo.remaining)) fo.remaining[key] = 0;
    fo.holds = [];
    fo.status = "CANCELLED";
    fo.updatedAt = at;
  }

  const made = refundMade;
  const emissions = (): Emission[] => [
    { topic: "orders/cancelled", build: () => orderPayload(shop, order) },
    ...(made ? [{ topic: "refunds/create" as const, build: () => refundPayload(shop, order, made) }] : []),
    { topic: "orders/updated", build: () => orderPayload(shop, order) },
  ];
  return { result: order, emissions };
}
