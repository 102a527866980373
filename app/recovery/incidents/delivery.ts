/**
 * DELIVERY_FAILURE and DELIVERY_DELAY, judged per parcel (fulfillment).
 *
 * A parcel that failed is a failure, not also a delay: one customer problem,
 * one incident. Delay is counted in shop-local calendar days (carriers deliver
 * on Saturdays; the customer waits every day), against the first promise: the
 * checkout promise when Shopify has one, else the carrier's first estimate.
 * See docs/decisions/0102-incident-detection-rules.md.
 */
import { isoOrNull, type JsonObject } from "../json";
import { calendarDaysBetween, endOfLocalDay, localDate, MS_PER_DAY } from "../time";
import type { CarrierEventStatus, FulfillmentEventFacts, FulfillmentFacts, OrderFacts } from "./facts";
import { rootCauseOf } from "./root-cause";
import type { DetectionSettings } from "./settings";
import type { DeliveryFailureCause, DetectionContext, SignalOf } from "./signals";

const byTime = (a: FulfillmentEventFacts, b: FulfillmentEventFacts) => a.happenedAt.getTime() - b.happenedAt.getTime();
const liveParcels = (order: OrderFacts) => order.fulfillments.filter((f) => !f.cancelled);

interface ParcelFailure {
  fulfillment: FulfillmentFacts;
  cause: DeliveryFailureCause;
  attempts: number;
  occurredAt: Date;
}

/** Most telling first: a returned parcel is also a failure, and both imply attempts. */
const CAUSE_PRIORITY: readonly DeliveryFailureCause[] = ["RETURNED_TO_SENDER", "FAILURE", "REPEATED_ATTEMPTS"];

function parcelFailure(fulfillment: FulfillmentFacts, attemptThreshold: number): ParcelFailure | null {
  const events = [...fulfillment.events].sort(byTime);
  const attempts = events.filter((e) => e.status === "attempted_delivery");
  const triggers: { cause: DeliveryFailureCause; at: Date }[] = [];
  const returned = events.find((e) => e.status === "returned_to_sender");
  if (returned) triggers.push({ cause: "RETURNED_TO_SENDER", at: returned.happenedAt });
  const failed = events.find((e) => e.status === "failure");
  if (failed) triggers.push({ cause: "FAILURE", at: failed.happenedAt });
  const decisiveAttempt = attempts[attemptThreshold - 1];
  if (decisiveAttempt) triggers.push({ cause: "REPEATED_ATTEMPTS", at: decisiveAttempt.happenedAt });
  if (triggers.length === 0) return null;
  const cause = CAUSE_PRIORITY.find((c) => triggers.some((t) => t.cause === c)) ?? "FAILURE";
  const occurredAt = new Date(Math.min(...triggers.map((t) => t.at.getTime())));
  return { fulfillment, cause, attempts: attempts.length, occurredAt };
}

function failuresOf(order: OrderFacts, settings: DetectionSettings): ParcelFailure[] {
  return liveParcels(order)
    .map((f) => parcelFailure(f, settings.attemptedDeliveryThreshold))
    .filter((failure): failure is ParcelFailure => failure !== null);
}

export function detectDeliveryFailure(
  order: OrderFacts,
  _context: DetectionContext,
  settings: DetectionSettings,
): SignalOf<"DELIVERY_FAILURE"> | null {
  const failures = failuresOf(order, settings);
  if (failures.length === 0) return null;
  const worst = [...failures].sort((a, b) => CAUSE_PRIORITY.indexOf(a.cause) - CAUSE_PRIORITY.indexOf(b.cause))[0];
  if (!worst) return null;
  return {
    type: "DELIVERY_FAILURE",
    orderId: order.id,
    customerId: order.customerId,
    occurredAt: new Date(Math.min(...failures.map((f) => f.occurredAt.getTime()))),
    measure: { kind: "DELIVERY_FAILED", cause: worst.cause, attempts: Math.max(...failures.map((f) => f.attempts)) },
    evidence: {
      parcels: failures.map((f) => ({
        fulfillmentId: f.fulfillment.id,
        carrier: f.fulfillment.carrier,
        cause: f.cause,
        attempts: f.attempts,
        occurredAt: f.occurredAt.toISOString(),
        events: f.fulfillment.events.map(eventEvidence),
      })),
    },
    rootCause: rootCauseOf(order, { fulfillments: failures.map((f) => f.fulfillment) }),
  };
}

function eventEvidence(event: FulfillmentEventFacts): JsonObject {
  return {
    id: event.id,
    status: event.status,
    happenedAt: event.happenedAt.toISOString(),
    estimatedDeliveryAt: isoOrNull(event.estimatedDeliveryAt),
    message: event.message,
  };
}

interface ParcelDelay {
  fulfillment: FulfillmentFacts;
  days: number;
  occurredAt: Date;
  evidence: JsonObject;
}

/**
 * The parcel's first promise: checkout's, else the carrier's first estimate. Delay is measured
 * against it, and detection re-checks a parcel still under way once it has passed.
 */
export function deliveryPromise(order: OrderFacts, fulfillment: FulfillmentFacts): Date | null {
  const fo = order.fulfillmentOrders.find((candidate) => candidate.id === fulfillment.fulfillmentOrderId);
  const checkoutPromises = (fo ? [fo] : order.fulfillmentOrders).map(
    (candidate) => candidate.maxDeliveryAt?.getTime() ?? Number.NaN,
  );
  const checkout = checkoutPromises.filter(Number.isFinite);
  // Without a link to its fulfillment order, give the parcel the most generous checkout promise.
  if (checkout.length > 0) return new Date(Math.max(...checkout));
  return [...fulfillment.events].sort(byTime).find((e) => e.estimatedDeliveryAt)?.estimatedDeliveryAt ?? null;
}

function parcelDelay(order: OrderFacts, fulfillment: FulfillmentFacts, context: DetectionContext): ParcelDelay | null {
  const tz = context.timeZone;
  const events = [...fulfillment.events].sort(byTime);
  const promise = deliveryPromise(order, fulfillment);
  const delivered = events.find((e) => e.status === "delivered");
  const candidates: { days: number; at: Date; why: string }[] = [];
  // Past the promised date: counted to delivery, or to now while still under way.
  if (promise) {
    const end = delivered?.happenedAt ?? context.now;
    const days = calendarDaysBetween(promise, end, tz);
    if (days >= 1)
      candidates.push({
        days,
        at: new Date(endOfLocalDay(localDate(promise, tz), tz).getTime() + 1),
        why: delivered ? "DELIVERED_LATE" : "PAST_PROMISE",
      });
  }
  // Only a parcel still under way is judged on forecasts; a delivered one on what happened.
  if (!delivered) {
    const pushed = promise
      ? events.find((e) => e.estimatedDeliveryAt && calendarDaysBetween(promise, e.estimatedDeliveryAt, tz) >= 1)
      : undefined;
    const latest = [...events].reverse().find((e) => e.estimatedDeliveryAt)?.estimatedDeliveryAt;
    if (promise && pushed && latest) {
      const days = calendarDaysBetween(promise, latest, tz);
      if (days >= 1) candidates.push({ days, at: pushed.happenedAt, why: "ESTIMATE_PUSHED" });
    }
    const delayed = events.find((e) => e.status === "delayed");
    // A carrier's "delayed" without a new date still means at least a day.
    if (delayed) candidates.push({ days: 1, at: delayed.happenedAt, why: "CARRIER_DELAYED" });
  }
  if (candidates.length === 0) return null;
  return {
    fulfillment,
    days: Math.max(...candidates.map((c) => c.days)),
    occurredAt: new Date(Math.min(...candidates.map((c) => c.at.getTime()))),
    evidence: {
      fulfillmentId: fulfillment.id,
      carrier: fulfillment.carrier,
      promisedBy: isoOrNull(promise),
      deliveredAt: isoOrNull(delivered?.happenedAt ?? null),
      reasons: [...new Set(candidates.map((c) => c.why))],
      events: events.map(eventEvidence),
    },
  };
}

export function detectDeliveryDelay(
  order: OrderFacts,
  context: DetectionContext,
  settings: DetectionSettings,
): SignalOf<"DELIVERY_DELAY"> | null {
  const failed = new Set(failuresOf(order, settings).map((f) => f.fulfillment.id));
  const delays = liveParcels(order)
    .filter((f) => !failed.has(f.id))
    .map((f) => parcelDelay(order, f, context))
    .filter((delay): delay is ParcelDelay => delay !== null);
  if (delays.length === 0) return null;
  return {
    type: "DELIVERY_DELAY",
    orderId: order.id,
    customerId: order.customerId,
    occurredAt: new Date(Math.min(...delays.map((d) => d.occurredAt.getTime()))),
    measure: { kind: "DAYS_LATE", days: Math.max(...delays.map((d) => d.days)) },
    evidence: { checkedAt: context.now.toISOString(), parcels: delays.map((d) => d.evidence) },
    rootCause: rootCauseOf(order, { fulfillments: delays.map((d) => d.fulfillment) }),
  };
}

/** Days past a delivery promise that a parcel still under way is re-checked (the delay ladder tops out at 7). */
export const MAX_DELIVERY_RECHECK_DAYS = 14;

const SETTLED_PARCEL: ReadonlySet<CarrierEventStatus> = new Set(["delivered", "failure", "returned_to_sender"]);

/**
 * "Still in transit past the promised date" has no webhook: when to detect again so DELIVERY_DELAY
 * opens and escalates. While a parcel is under way with a promise, just after the promised day
 * ends, then at the start of each later day (shop time); none once every parcel is delivered or
 * failed, or MAX_DELIVERY_RECHECK_DAYS after its promise. Null: no re-check needed.
 */
export function deliveryRecheckAt(order: OrderFacts, context: DetectionContext): Date | null {
  const { now, timeZone } = context;
  const candidates: number[] = [];
  for (const parcel of liveParcels(order)) {
    if (parcel.events.some((e) => SETTLED_PARCEL.has(e.status))) continue;
    const promise = deliveryPromise(order, parcel);
    if (!promise) continue;
    const promisedDayEnd = endOfLocalDay(localDate(promise, timeZone), timeZone);
    if (now.getTime() <= promisedDayEnd.getTime()) {
      candidates.push(promisedDayEnd.getTime() + 1);
    } else if (now.getTime() - promisedDayEnd.getTime() < MAX_DELIVERY_RECHECK_DAYS * MS_PER_DAY) {
      candidates.push(endOfLocalDay(localDate(now, timeZone), timeZone).getTime() + 1);
    }
  }
  return candidates.length ? new Date(Math.min(...candidates)) : null;
}
