/**
 * The service failures a store's state shows, by the rules of docs/decisions/0099: the
 * generator's ground truth, read back from the store (so it also works on a
 * store changed after seeding). Test orders are skipped.
 */
import { DAY } from "../clock";
import { money, type Id, type Order, type SandboxStore } from "../store";
import { ShopCalendar } from "./calendar";

export type FailureKind =
  "LATE_FULFILLMENT" | "DELIVERY_DELAY" | "DELIVERY_FAILURE" | "REFUND" | "MERCHANT_CANCELLATION";
export const FAILURE_KINDS: readonly FailureKind[] = [
  "LATE_FULFILLMENT",
  "DELIVERY_DELAY",
  "DELIVERY_FAILURE",
  "REFUND",
  "MERCHANT_CANCELLATION",
];

export interface ObservedFailure {
  kind: FailureKind;
  orderId: Id;
  customerId: Id | null;
  occurredAt: Date;
  /** Days late (late fulfillment) or days the estimate slipped (delay); share refunded (refund). */
  measure: number;
}

/** Merchant cancellations; never customer or fraud (decision 0099 §3), and "staff" (a staff error) is not counted either. */
export const MERCHANT_CANCEL_REASONS = new Set(["inventory", "declined", "other"]);

/** When every unit not refunded had shipped (the last fulfillment), or null. */
function fullyFulfilledAt(order: Order): number | null {
  if (order.fulfillments.length === 0 || order.lineItems.some((l) => l.fulfillableQuantity > 0)) return null;
  return Math.max(...order.fulfillments.map((f) => f.createdAt.getTime()));
}

export function failuresOfOrder(
  order: Order,
  calendar: ShopCalendar,
  handlingDays: number,
  now: number,
): ObservedFailure[] {
  if (order.test) return [];
  const out: ObservedFailure[] = [];
  const base = { orderId: order.id, customerId: order.customerId };
  const cancelledAt = order.cancelledAt?.getTime() ?? null;

  const deadline = calendar.addBusinessDays(order.createdAt.getTime(), handlingDays);
  const shippedAt = fullyFulfilledAt(order);
  const stillOpenAt = shippedAt ?? cancelledAt ?? now;
  if (deadline <= now && stillOpenAt > deadline) {
    out.push({
      ...base,
      kind: "LATE_FULFILLMENT",
      occurredAt: new Date(deadline),
      measure: (stillOpenAt - deadline) / DAY,
    });
  }

  for (const f of order.fulfillments) {
    const delayed = f.events.find((e) => e.status === "delayed" && e.happenedAt.getTime() <= now);
    if (delayed) {
      const estimates = f.events
        .map((e) => e.estimatedDeliveryAt?.getTime())
        .filter((t): t is number => t !== undefined);
      const first = estimates[0] ?? delayed.happenedAt.getTime();
      const last = estimates[estimates.length - 1] ?? first;
      out.push({ ...base, kind: "DELIVERY_DELAY", occurredAt: delayed.happenedAt, measure: (last - first) / DAY });
    }
    const attempts = f.events.filter((e) => e.status === "attempted_delivery");
    const failed = f.events.find((e) => e.status === "failure") ?? (attempts.length >= 2 ? attempts[1] : undefined);
    if (failed && failed.happenedAt.getTime() <= now) {
      out.push({ ...base, kind: "DELIVERY_FAILURE", occurredAt: failed.happenedAt, measure: 1 });
    }
  }

  for (const r of order.refunds) {
    // Refunds by an app (staffMemberId null) are Amends' own; the refund of a cancellation belongs to the cancellation.
    if (r.staffMemberId === null || r.createdAt.getTime() === cancelledAt) continue;
    const total = money.cents(order.total);
    out.push({
      ...base,
      kind: "REFUND",
      occurredAt: r.createdAt,
      measure: total > 0 ? money.cents(r.amount) / total : 0,
    });
  }

  if (order.cancelledAt && order.cancelReason && MERCHANT_CANCEL_REASONS.has(order.cancelReason)) {
    out.push({ ...base, kind: "MERCHANT_CANCELLATION", occurredAt: order.cancelledAt, measure: 1 });
  }
  return out;
}

export function findFailures(
  store: SandboxStore,
  domain: string,
  options: { handlingDays?: number; now?: Date } = {},
): ObservedFailure[] {
  const shop = store.shop(domain);
  const calendar = new ShopCalendar(shop.ianaTimezone);
  const now = (options.now ?? store.clock.now()).getTime();
  const out: ObservedFailure[] = [];
  for (const order of shop.orders.values())
    out.push(...failuresOfOrder(order, calendar, options.handlingDays ?? 2, now));
  return out.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
