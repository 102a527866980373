/** refunds/create payload (also the items of an order payload's refunds[]). */
import { refundDetailOf } from "../../activity/ledger";
import { lineSubtotalCents } from "../../activity/pricing";
import { gid, money, type Order, type Refund, type ShopState } from "../../store";
import { DERIVED, derivedId, moneySet, restId, restTime } from "../rest-format";
import { locationId } from "./fulfillment";
import { nestedLineItem } from "./line-item";

/** The order's original sale, which refund transactions point at as their parent. */
export const saleTransactionId = (order: Order, index = 0) => derivedId(order.id, DERIVED.saleTransaction, index);

export function refundPayload(shop: ShopState, order: Order, refund: Refund) {
  const tz = shop.ianaTimezone;
  const currency = order.currency;
  const detail = refundDetailOf(refund, order);
  const userId = refund.staffMemberId === null ? null : restId(refund.staffMemberId);

  const refundLineItems = order.lineItems
    .filter((line) => (refund.lines[line.id] ?? 0) > 0)
    .map((line, index) => {
      const quantity = refund.lines[line.id] ?? 0;
      const subtotal = money.fromCents(lineSubtotalCents(line, quantity));
      return {
        id: derivedId(refund.id, DERIVED.refundLineItem, index),
        quantity,
        line_item_id: restId(line.id),
        location_id: detail.restockTypes[line.id] === "no_restock" ? null : locationId(shop),
        restock_type: detail.restockTypes[line.id] ?? "no_restock",
        subtotal: Number(subtotal),
        total_tax: 0,
        subtotal_set: moneySet(subtotal, currency),
        total_tax_set: moneySet("0.00", currency),
        line_item: nestedLineItem(shop, order, line),
      };
    });

  const adjustments: Array<{ kind: string; amount: string }> = [];
  if (money.cents(detail.shipping) > 0) adjustments.push({ kind: "shipping_refund", amount: detail.shipping });
  if (money.cents(detail.discrepancy) !== 0)
    adjustments.push({ kind: "refund_discrepancy", amount: detail.discrepancy });
  const orderAdjustments = adjustments.map((adjustment, index) => {
    // Adjustments reduce what the order is worth, so Shopify writes them as negative amounts.
    const amount = money.fromCents(-money.cents(adjustment.amount));
    return {
      id: derivedId(refund.id, DERIVED.orderAdjustment, index),
      order_id: restId(order.id),
      refund_id: restId(refund.id),
      amount,
      tax_amount: "0.00",
      kind: adjustment.kind,
      reason: adjustment.kind === "shipping_refund" ? "Shipping refund" : "Refund discrepancy",
      amount_set: moneySet(amount, currency),
      tax_amount_set: moneySet("0.00", currency),
    };
  });

  const transactions = detail.transactions.map((t, index) => {
    const id = derivedId(refund.id, DERIVED.refundTransaction, index);
    return {
      id,
      order_id: restId(order.id),
      kind: "refund",
      gateway: t.gateway,
      status: "success",
      message: null as string | null,
      created_at: restTime(refund.createdAt, tz),
      test: order.test,
      authorization: null as string | null,
      location_id: null as number | null,
      user_id: userId,
      parent_id: saleTransactionId(order),
      processed_at: restTime(refund.createdAt, tz),
      device_id: null as number | null,
      error_code: null as string | null,
      source_name: "web",
      receipt: {},
      amount: t.amount,
      currency,
      payment_id: `${order.name}.${index + 1}`,
      total_unsettled_set: {
        presentment_money: { amount: "0.0", currency },
        shop_money: { amount: "0.0", currency },
      },
      manual_payment_gateway: false,
      amount_rounding: null as string | null,
      admin_graphql_api_id: gid("OrderTransaction", String(id)),
    };
  });

  return {
    id: restId(refund.id),
    order_id: restId(order.id),
    created_at: restTime(refund.createdAt, tz),
    note: refund.note,
    user_id: userId,
    processed_at: restTime(refund.createdAt, tz),
    duties: [] as unknown[],
    total_duties_set: moneySet("0.00", currency),
    return: null,
    refund_shipping_lines: [] as unknown[],
    restock: refund.restock,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_adjustments: orderAdjustments,
    refund_line_items: refundLineItems,
    transactions,
  };
}
