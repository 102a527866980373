/**
 * REFUND and MERCHANT_CANCELLATION. A cancellation refunds the order as part
 * of cancelling it; that refund belongs to the cancellation (which opens its
 * own incident, or none for a customer or fraud cancellation), so it never
 * opens a REFUND incident as well.
 */
import type { RefundFacts, OrderFacts } from "./facts";
import { rootCauseOf } from "./root-cause";
import { STORE_CANCEL_REASONS, type DetectionSettings, type StoreCancelReason } from "./settings";
import type { DetectionContext, SignalOf } from "./signals";

/** Shopify writes the cancellation's refund within moments of `cancelledAt`, sometimes just before it. */
const CANCELLATION_REFUND_TOLERANCE_MS = 5 * 60_000;

function belongsToCancellation(refund: RefundFacts, order: OrderFacts): boolean {
  if (!order.cancelledAt) return false;
  return refund.createdAt.getTime() >= order.cancelledAt.getTime() - CANCELLATION_REFUND_TOLERANCE_MS;
}

export function staffRefunds(
  order: OrderFacts,
  settings: Pick<DetectionSettings, "countReturnRefunds">,
): RefundFacts[] {
  return order.refunds
    .filter((r) => !r.createdByAmends && r.amountMinor > 0)
    .filter((r) => settings.countReturnRefunds || !r.linkedToReturn)
    .filter((r) => !belongsToCancellation(r, order))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export function detectRefund(
  order: OrderFacts,
  _context: DetectionContext,
  settings: DetectionSettings,
): SignalOf<"REFUND"> | null {
  const refunds = staffRefunds(order, settings);
  const first = refunds[0];
  if (!first || order.totals.totalMinor <= 0) return null;
  const refundedMinor = refunds.reduce((sum, r) => sum + r.amountMinor, 0);
  return {
    type: "REFUND",
    orderId: order.id,
    customerId: order.customerId,
    occurredAt: first.createdAt,
    measure: { kind: "REFUND_SHARE", refundedMinor, orderTotalMinor: order.totals.totalMinor },
    evidence: {
      orderTotalMinor: order.totals.totalMinor,
      refundedMinor,
      refunds: refunds.map((r) => ({
        id: r.id,
        createdAt: r.createdAt.toISOString(),
        amountMinor: r.amountMinor,
        note: r.note,
      })),
    },
    rootCause: rootCauseOf(order),
  };
}

const isStoreReason = (reason: string): reason is StoreCancelReason =>
  (STORE_CANCEL_REASONS as readonly string[]).includes(reason);

export function detectMerchantCancellation(
  order: OrderFacts,
  _context: DetectionContext,
  settings: DetectionSettings,
): SignalOf<"MERCHANT_CANCELLATION"> | null {
  const reason = order.cancelReason;
  // An unknown reason is not evidence of a store failure.
  if (!order.cancelledAt || !reason || !isStoreReason(reason)) return null;
  if (!settings.cancellationReasons.includes(reason)) return null;
  return {
    type: "MERCHANT_CANCELLATION",
    orderId: order.id,
    customerId: order.customerId,
    occurredAt: order.cancelledAt,
    measure: { kind: "CANCELLED", reason },
    evidence: { cancelledAt: order.cancelledAt.toISOString(), cancelReason: reason },
    rootCause: rootCauseOf(order, { fulfillmentOrders: order.fulfillmentOrders }),
  };
}
