/**
 * Money movements the store types do not hold: how an order was paid (card,
 * gift card, store credit) and where each refund went. Refunds go back to the
 * original payment methods and the refund payload lists one transaction per
 * gateway, so this must be known. It rides on the store objects under a
 * symbol (invisible to JSON and to Object.keys; faster and lighter than a
 * WeakMap at 100,000 orders). Orders made elsewhere (e.g. a draft order
 * completed by the Admin half) have none and count as paid by card.
 */
import { money, type Id, type Order, type Refund } from "../store";

export type Gateway = "shopify_payments" | "bogus" | "gift_card" | "shopify_store_credit";

export interface Payment {
  gateway: Gateway;
  amount: string;
  refunded: string;
  giftCardId: Id | null;
}

export interface RefundTransaction {
  gateway: Gateway;
  amount: string;
  giftCardId: Id | null;
}

/** What a refund was made of, beyond its line quantities. */
export interface RefundDetail {
  transactions: RefundTransaction[];
  /** Shipping refunded (REST: an order adjustment of kind shipping_refund). */
  shipping: string;
  /** An amount not tied to lines or shipping (REST: kind refund_discrepancy); negative when less than the lines was given back. */
  discrepancy: string;
  /** line item id -> "return" (was shipped), "cancel" (was not) or "no_restock". */
  restockTypes: Record<Id, "return" | "cancel" | "no_restock">;
}

const PAYMENTS = Symbol("sandbox.payments");
const REFUND_DETAIL = Symbol("sandbox.refundDetail");
type WithPayments = Order & { [PAYMENTS]?: Payment[] };
type WithDetail = Refund & { [REFUND_DETAIL]?: RefundDetail };

/** The card gateway Shopify shows: the test gateway "bogus" for test orders. */
export const cardGateway = (order: Order): Gateway => (order.test ? "bogus" : "shopify_payments");

export function setPayments(order: Order, list: Payment[]): void {
  (order as WithPayments)[PAYMENTS] = list;
}

export function paymentsOf(order: Order): Payment[] {
  let list = (order as WithPayments)[PAYMENTS];
  if (!list) {
    const card = money.sub(order.total, order.storeCreditUsed);
    list = [];
    if (money.cents(card) > 0)
      list.push({ gateway: cardGateway(order), amount: card, refunded: "0.00", giftCardId: null });
    if (money.cents(order.storeCreditUsed) > 0) {
      list.push({ gateway: "shopify_store_credit", amount: order.storeCreditUsed, refunded: "0.00", giftCardId: null });
    }
    setPayments(order, list);
  }
  return list;
}

export function setRefundDetail(refund: Refund, detail: RefundDetail): void {
  (refund as WithDetail)[REFUND_DETAIL] = detail;
}

export function refundDetailOf(refund: Refund, order: Order): RefundDetail {
  const known = (refund as WithDetail)[REFUND_DETAIL];
  if (known) return known;
  const restockTypes: RefundDetail["restockTypes"] = {};
  for (const lineId of Object.keys(refund.lines)) restockTypes[lineId] = refund.restock ? "return" : "no_restock";
  return {
    transactions:
      money.cents(refund.amount) > 0 ? [{ gateway: cardGateway(order), amount: refund.amount, giftCardId: null }] : [],
    shipping: "0.00",
    discrepancy: "0.00",
    restockTypes,
  };
}
