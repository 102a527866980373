/**
 * One order's life, planned as plain data before anything touches the store:
 * when it is placed, held, cancelled, shipped, tracked, delivered or not, and
 * refunded, with the failures that life contains. Rates are shares of all
 * orders (or of shipments where noted) and default to figures a small
 * merchant-fulfilled store would recognise.
 */
import { DAY, HOUR } from "../clock";
import type { HoldReason } from "../activity/fulfillment";
import type { CancelReason, FulfillmentEventStatus, Id } from "../store";
import type { ShopCalendar } from "./calendar";
import type { FailureKind } from "./failures";
import { CARRIERS, DELAY_MESSAGES, FAILED_DELIVERY_NOTES, REFUND_NOTES } from "./names";
import type { Random } from "./prng";

export interface FailureRates {
  /** Orders shipped after the handling deadline, or still waiting. */
  lateFulfillment: number;
  /** Shipments whose carrier reports a delay and a later estimate. */
  carrierDelay: number;
  /** Shipments that end in a failed delivery. */
  deliveryFailure: number;
  /** Shipments with one missed attempt before delivery (not a failure by itself). */
  attemptedDelivery: number;
  /** Orders partly or wholly refunded by staff after delivery. */
  refund: number;
  /** Orders cancelled before shipping, for any reason. */
  cancellation: number;
  /** Orders put on hold before shipping. */
  hold: number;
  /** Orders using the shop's public promotion code. */
  promoCode: number;
}

export const DEFAULT_RATES: FailureRates = {
  lateFulfillment: 0.06,
  carrierDelay: 0.05,
  deliveryFailure: 0.015,
  attemptedDelivery: 0.04,
  refund: 0.04,
  cancellation: 0.03,
  hold: 0.015,
  promoCode: 0.08,
};

/** Cancellation reasons and their shares: most are the customer's own; inventory, declined and other are the merchant's. */
export const CANCEL_REASONS: Readonly<Record<CancelReason, number>> = {
  customer: 40,
  inventory: 20,
  fraud: 12,
  declined: 10,
  other: 10,
  staff: 8,
};
const HOLD_REASONS: Readonly<Partial<Record<HoldReason, number>>> = {
  INCORRECT_ADDRESS: 4,
  INVENTORY_OUT_OF_STOCK: 3,
  AWAITING_PAYMENT: 2,
  OTHER: 1,
};
const HOLD_NOTES: Readonly<Record<string, string>> = {
  INCORRECT_ADDRESS: "Confirming the street address with the customer",
  INVENTORY_OUT_OF_STOCK: "Waiting for restock",
  AWAITING_PAYMENT: "Payment pending",
  OTHER: "Checking the order",
  HIGH_RISK_OF_FRAUD: "Flagged by fraud analysis",
};

const CARRIER_NAMES = Object.keys(CARRIERS);
const CARRIER_WEIGHTS = Object.values(CARRIERS);

export interface PlannedEvent {
  at: number;
  status: FulfillmentEventStatus;
  estimatedDeliveryAt: number | null;
  message: string | null;
}

export interface PlannedFailure {
  kind: FailureKind;
  at: number;
  measure: number;
}

export interface PlannedLine {
  variantId: Id;
  quantity: number;
  priceCents: number;
}

export interface OrderPlan {
  /** Index of the customer in the generator's list, or -1 for a guest checkout. */
  customer: number;
  at: number;
  lines: PlannedLine[];
  code: string | null;
  shippingCents: number;
  /** Close to the order's total (the generator's tiers need it before the order exists). */
  totalCents: number;
  hold: { at: number; reason: HoldReason; notes: string; releaseAt: number | null } | null;
  cancel: { at: number; reason: CancelReason } | null;
  fulfillAt: number | null;
  carrier: string;
  trackingNumber: string;
  estimatedDeliveryAt: number | null;
  events: PlannedEvent[];
  refund: { at: number; full: boolean; note: string } | null;
  failures: PlannedFailure[];
  /** Per failure: whether the caller counts the customer as treated (asked once, while allocating). */
  treated: Array<boolean | undefined>;
  /** A stable identity for reproducible draws about this plan. */
  uid: number;
  // Filled in while the plan is carried out.
  orderId: Id | null;
  fulfillmentId: Id | null;
}

export interface Catalogue {
  variants: Array<{ id: Id; priceCents: number }>;
  /** Cumulative popularity weights over `variants` (a few products sell most). */
  cumulative: number[];
}

export interface PlanContext {
  now: number;
  calendar: ShopCalendar;
  handlingDays: number;
  rates: FailureRates;
  catalogue: Catalogue;
  promoCode: string;
  promoPercent: number;
}

function pickVariant(random: Random, catalogue: Catalogue) {
  const total = catalogue.cumulative[catalogue.cumulative.length - 1] ?? 0;
  const r = random.next() * total;
  let lo = 0;
  let hi = catalogue.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((catalogue.cumulative[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return catalogue.variants[lo] ?? catalogue.variants[0]!;
}

function trackingNumber(random: Random, carrier: string): string {
  const digits = (n: number) => {
    let out = "";
    while (out.length < n) out += String(Math.floor(random.next() * 1e9)).padStart(9, "0");
    return out.slice(0, n);
  };
  if (carrier === "UPS") return `1Z${digits(16)}`;
  if (carrier === "USPS") return `9400${digits(18)}`;
  return digits(12);
}

export function planOrder(random: Random, ctx: PlanContext, customer: number, at: number): OrderPlan {
  const lineCount = 1 + random.weightedIndex([60, 30, 10]);
  const lines: PlannedLine[] = [];
  for (let i = 0; i < lineCount; i++) {
    const variant = pickVariant(random, ctx.catalogue);
    if (lines.some((l) => l.variantId === variant.id)) continue;
    lines.push({
      variantId: variant.id,
      quantity: 1 + random.weightedIndex([85, 12, 3]),
      priceCents: variant.priceCents,
    });
  }
  const gross = lines.reduce((n, l) => n + l.priceCents * l.quantity, 0);
  const code = random.chance(ctx.rates.promoCode) ? ctx.promoCode : null;
  const discount = code ? Math.round(gross * ctx.promoPercent) : 0;
  // Free shipping over 75, a flat rate below.
  const shippingCents = gross - discount >= 7500 ? 0 : 695;
  const plan: OrderPlan = {
    customer,
    at,
    lines,
    code,
    shippingCents,
    totalCents: gross - discount + shippingCents,
    hold: null,
    cancel: null,
    fulfillAt: null,
    carrier: CARRIER_NAMES[random.weightedIndex(CARRIER_WEIGHTS)] ?? "USPS",
    trackingNumber: "",
    estimatedDeliveryAt: null,
    events: [],
    refund: null,
    failures: [],
    treated: [],
    uid: 0,
    orderId: null,
    fulfillmentId: null,
  };
  plan.trackingNumber = trackingNumber(random, plan.carrier);
  const deadline = ctx.calendar.addBusinessDays(at, ctx.handlingDays);

  if (random.chance(ctx.rates.cancellation)) {
    const reason = random.weighted(CANCEL_REASONS);
    // Cancelled within a day and a half, before the ship-by deadline and before anything ships.
    const cancelAt = at + random.between(0.5 * HOUR, Math.max(HOUR, Math.min(36 * HOUR, deadline - at - HOUR)));
    if (reason === "fraud" && random.chance(0.5)) {
      plan.hold = {
        at: at + random.between(0.05, 0.4) * (cancelAt - at),
        reason: "HIGH_RISK_OF_FRAUD",
        notes: HOLD_NOTES.HIGH_RISK_OF_FRAUD ?? "",
        releaseAt: null,
      };
    }
    plan.cancel = { at: cancelAt, reason };
    if (reason === "inventory" || reason === "declined" || reason === "other")
      plan.failures.push({ kind: "MERCHANT_CANCELLATION", at: cancelAt, measure: 1 });
    return plan;
  }

  let fulfillAt = random.chance(ctx.rates.lateFulfillment)
    ? deadline + Math.min(25, 0.3 + random.exponential(2.5)) * DAY
    : at + random.between(0.1, 0.95) * (deadline - at);
  if (random.chance(ctx.rates.hold)) {
    const reason = random.weighted(HOLD_REASONS as Record<HoldReason, number>);
    const holdAt = at + random.between(0.2, 4) * HOUR;
    const releaseAt = holdAt + random.between(4, 40) * HOUR;
    plan.hold = { at: holdAt, reason, notes: HOLD_NOTES[reason] ?? "", releaseAt };
    fulfillAt = Math.max(fulfillAt, releaseAt + random.between(1, 6) * HOUR);
  }
  plan.fulfillAt = fulfillAt;
  if (fulfillAt > deadline)
    plan.failures.push({ kind: "LATE_FULFILLMENT", at: deadline, measure: (fulfillAt - deadline) / DAY });

  // The carrier's journey.
  const inTransitAt = fulfillAt + random.between(4, 20) * HOUR;
  let estimate = fulfillAt + random.int(2, 5) * DAY;
  plan.estimatedDeliveryAt = estimate;
  const firstEstimate = estimate;
  const events: PlannedEvent[] = [
    { at: inTransitAt, status: "in_transit", estimatedDeliveryAt: estimate, message: null },
  ];
  if (random.chance(ctx.rates.carrierDelay)) {
    const delayedAt = inTransitAt + random.between(0.2, 0.9) * (estimate - inTransitAt);
    estimate += random.int(2, 8) * DAY;
    events.push({
      at: delayedAt,
      status: "delayed",
      estimatedDeliveryAt: estimate,
      message: random.pick(DELAY_MESSAGES),
    });
    if (random.chance(0.25)) {
      const again = delayedAt + random.between(1, 2) * DAY;
      estimate += random.int(1, 4) * DAY;
      events.push({
        at: again,
        status: "delayed",
        estimatedDeliveryAt: estimate,
        message: random.pick(DELAY_MESSAGES),
      });
    }
    plan.failures.push({ kind: "DELIVERY_DELAY", at: delayedAt, measure: (estimate - firstEstimate) / DAY });
  }

  let settledAt: number;
  let failedDelivery = false;
  if (random.chance(ctx.rates.deliveryFailure)) {
    failedDelivery = true;
    events.push({ at: estimate - 5 * HOUR, status: "out_for_delivery", estimatedDeliveryAt: null, message: null });
    events.push({
      at: estimate,
      status: "attempted_delivery",
      estimatedDeliveryAt: null,
      message: "Recipient not available",
    });
    settledAt = estimate + random.between(1, 3) * DAY;
    events.push({
      at: settledAt,
      status: "failure",
      estimatedDeliveryAt: null,
      message: random.pick(FAILED_DELIVERY_NOTES),
    });
    plan.failures.push({ kind: "DELIVERY_FAILURE", at: settledAt, measure: 1 });
  } else if (random.chance(ctx.rates.attemptedDelivery)) {
    events.push({ at: estimate - 5 * HOUR, status: "out_for_delivery", estimatedDeliveryAt: null, message: null });
    events.push({
      at: estimate,
      status: "attempted_delivery",
      estimatedDeliveryAt: null,
      message: "Recipient not available",
    });
    settledAt = estimate + DAY;
    events.push({ at: settledAt - 4 * HOUR, status: "out_for_delivery", estimatedDeliveryAt: null, message: null });
    events.push({ at: settledAt, status: "delivered", estimatedDeliveryAt: null, message: null });
  } else {
    events.push({
      at: estimate - random.between(2, 6) * HOUR,
      status: "out_for_delivery",
      estimatedDeliveryAt: null,
      message: null,
    });
    settledAt = estimate;
    events.push({ at: settledAt, status: "delivered", estimatedDeliveryAt: null, message: null });
  }
  plan.events = events;

  if (random.chance(ctx.rates.refund) || (failedDelivery && random.chance(0.6))) {
    const refundAt = settledAt + random.between(1, 12) * DAY;
    const full = failedDelivery || random.chance(0.4);
    plan.refund = { at: refundAt, full, note: failedDelivery ? "Parcel never arrived" : random.pick(REFUND_NOTES) };
    const firstLine = lines[0];
    const partialCents = firstLine ? Math.round(firstLine.priceCents * (1 - (code ? ctx.promoPercent : 0))) : 0;
    plan.failures.push({
      kind: "REFUND",
      at: refundAt,
      measure: full ? 1 : partialCents / Math.max(1, plan.totalCents),
    });
  }
  return plan;
}
