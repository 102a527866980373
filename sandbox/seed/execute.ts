/**
 * Carry out the plans in time order (so order numbers, ids and totals grow as
 * in a real store), skipping whatever lies after the clock's now. Bulk mode
 * calls the state changes directly; live mode publishes each change's
 * webhooks through StoreActivity, dated when they happened.
 */
import { placeOrder } from "../activity/checkout";
import type { Change } from "../activity/emission";
import { addFulfillmentEvent, fulfill, placeOnHold, releaseHold } from "../activity/fulfillment";
import { cancel, refund } from "../activity/refunds";
import type { CallDelivery, StoreActivity } from "../activity/store-activity";
import type { Id, SandboxStore } from "../store";
import { FIRST_NAMES, LAST_NAMES } from "./names";
import type { OrderPlan, PlannedEvent } from "./plan";

export type Kind = "place" | "hold" | "release" | "cancel" | "fulfill" | "event" | "refund";
const KINDS: readonly Kind[] = ["place", "hold", "release", "cancel", "fulfill", "event", "refund"];

export interface Step {
  at: number;
  kind: Kind;
  plan: OrderPlan;
  event: number;
}

export interface ExecuteInput {
  store: SandboxStore;
  shop: string;
  plans: OrderPlan[];
  customerIds: Id[];
  now: number;
  activity: StoreActivity | null;
  delivery?: CallDelivery;
}

/**
 * Every step up to now, in time order (ties in the order they were planned).
 * Half a million steps are kept in typed arrays and sorted natively on one
 * packed number (time since the earliest step, then the step's sequence
 * number in the low bits) instead of as objects with a comparator.
 */
class Timeline {
  readonly at: Float64Array;
  readonly planIndex: Uint32Array;
  readonly kind: Uint8Array;
  readonly eventIndex: Int16Array;
  /** Step numbers in time order. */
  readonly order: Uint32Array;

  constructor(plans: OrderPlan[], now: number) {
    let capacity = 0;
    for (const plan of plans) capacity += 7 + plan.events.length;
    this.at = new Float64Array(capacity);
    this.planIndex = new Uint32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.eventIndex = new Int16Array(capacity);
    let n = 0;
    let earliest = Infinity;
    const add = (time: number, kind: number, plan: number, event: number) => {
      if (time > now) return;
      this.at[n] = time;
      this.kind[n] = kind;
      this.planIndex[n] = plan;
      this.eventIndex[n] = event;
      if (time < earliest) earliest = time;
      n++;
    };
    for (let p = 0; p < plans.length; p++) {
      const plan = plans[p] as OrderPlan;
      add(plan.at, 0, p, -1);
      if (plan.hold) {
        add(plan.hold.at, 1, p, -1);
        if (plan.hold.releaseAt !== null) add(plan.hold.releaseAt, 2, p, -1);
      }
      if (plan.cancel) add(plan.cancel.at, 3, p, -1);
      if (plan.fulfillAt !== null) {
        add(plan.fulfillAt, 4, p, -1);
        for (let e = 0; e < plan.events.length; e++) add((plan.events[e] as PlannedEvent).at, 5, p, e);
      }
      if (plan.refund) add(plan.refund.at, 6, p, -1);
    }

    const seqScale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
    // Coarsen the time (in powers of two of a millisecond) only if the span would not fit beside the sequence bits.
    let unit = 1;
    while (((now - earliest) / unit + 1) * seqScale >= Number.MAX_SAFE_INTEGER) unit *= 2;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = Math.floor(((this.at[i] as number) - earliest) / unit) * seqScale + i;
    keys.sort();
    this.order = new Uint32Array(n);
    for (let j = 0; j < n; j++) {
      const key = keys[j] as number;
      this.order[j] = key - Math.floor(key / seqScale) * seqScale;
    }
  }

  get length(): number {
    return this.order.length;
  }

  step(j: number, plans: OrderPlan[]): Step {
    const i = this.order[j] as number;
    return {
      at: this.at[i] as number,
      kind: KINDS[this.kind[i] as number] ?? "place",
      plan: plans[this.planIndex[i] as number] as OrderPlan,
      event: this.eventIndex[i] as number,
    };
  }
}

/** The store change one step of a plan makes (the replay of a seeded world reuses it). */
export function change(input: ExecuteInput, step: Step, guestNumber: () => number): Change<unknown> {
  const { store, shop } = input;
  const { plan } = step;
  const at = new Date(step.at);
  const orderId = plan.orderId ?? "";
  switch (step.kind) {
    case "place": {
      const n = plan.customer < 0 ? guestNumber() : 0;
      const who =
        plan.customer >= 0
          ? { customerId: input.customerIds[plan.customer] ?? "" }
          : {
              guest: {
                email: `guest.${n}@example.com`,
                firstName: FIRST_NAMES[n % FIRST_NAMES.length] ?? "Guest",
                lastName: LAST_NAMES[(n * 7) % LAST_NAMES.length] ?? "Shopper",
              },
            };
      const placed = placeOrder(store, shop, {
        ...who,
        lines: plan.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
        ...(plan.code ? { discountCode: plan.code } : {}),
        shippingPrice: (plan.shippingCents / 100).toFixed(2),
        createdAt: at,
      });
      plan.orderId = placed.result.id;
      return placed;
    }
    case "hold":
      return placeOnHold(store, shop, orderId, {
        reason: plan.hold?.reason ?? "OTHER",
        notes: plan.hold?.notes ?? null,
        at,
      });
    case "release":
      return releaseHold(store, shop, orderId, { at });
    case "cancel": {
      const reason = plan.cancel?.reason ?? "other";
      return cancel(store, shop, orderId, { reason, at, staffNote: `Cancelled: ${reason}` });
    }
    case "fulfill": {
      const made = fulfill(store, shop, orderId, {
        trackingCompany: plan.carrier,
        trackingNumber: plan.trackingNumber,
        estimatedDeliveryAt: plan.estimatedDeliveryAt === null ? null : new Date(plan.estimatedDeliveryAt),
        at,
      });
      plan.fulfillmentId = made.result.id;
      return made;
    }
    case "event": {
      const e = plan.events[step.event];
      if (!e) throw new Error("planned event out of range");
      return addFulfillmentEvent(store, shop, orderId, plan.fulfillmentId ?? "", {
        status: e.status,
        ...(e.estimatedDeliveryAt !== null ? { estimatedDeliveryAt: new Date(e.estimatedDeliveryAt) } : {}),
        message: e.message,
        at,
      });
    }
    case "refund": {
      const order = store.shop(shop).orders.get(orderId);
      const r = plan.refund;
      if (!order || !r) throw new Error("refund of an unknown order");
      const lines = r.full
        ? order.lineItems
            .filter((l) => l.quantity > l.refundedQuantity)
            .map((l) => ({ lineItemId: l.id, quantity: l.quantity - l.refundedQuantity }))
        : order.lineItems.slice(0, 1).map((l) => ({ lineItemId: l.id, quantity: 1 }));
      return refund(store, shop, orderId, {
        lines,
        shipping: r.full,
        note: r.note,
        restock: r.note !== "Arrived damaged",
        at,
      });
    }
  }
}

/**
 * Bulk: synchronous, no payloads built, and one order's whole life at a time
 * (orders in time order). Interleaving 100,000 lives step by step is about
 * three times slower (every step lands on a different order, far apart in
 * memory), and nothing in the final state depends on the interleaving except
 * the sequence of ids after each order's own: bulk and live runs of a seed
 * give the same orders, customers and totals, not the same fulfillment ids.
 */
export function executeBulk(input: ExecuteInput): number {
  let guests = 0;
  let steps = 0;
  const plans = input.plans
    .map((plan, index) => ({ plan, index }))
    .sort((a, b) => a.plan.at - b.plan.at || a.index - b.index);
  const run = (at: number, kind: Kind, plan: OrderPlan, event = -1) => {
    if (at > input.now) return;
    change(input, { at, kind, plan, event }, () => ++guests);
    steps++;
  };
  for (const { plan } of plans) {
    run(plan.at, "place", plan);
    if (plan.hold) {
      run(plan.hold.at, "hold", plan);
      if (plan.hold.releaseAt !== null) run(plan.hold.releaseAt, "release", plan);
    }
    if (plan.cancel) run(plan.cancel.at, "cancel", plan);
    if (plan.fulfillAt !== null) {
      run(plan.fulfillAt, "fulfill", plan);
      plan.events.forEach((e, i) => run(e.at, "event", plan, i));
    }
    if (plan.refund) run(plan.refund.at, "refund", plan);
  }
  return steps;
}

/** Live: every change's webhooks are sent (and awaited) before the next change. */
export async function executeLive(input: ExecuteInput & { activity: StoreActivity }): Promise<number> {
  let guests = 0;
  const timeline = new Timeline(input.plans, input.now);
  for (let j = 0; j < timeline.length; j++) {
    const step = timeline.step(j, input.plans);
    await input.activity.publish(
      input.shop,
      change(input, step, () => ++guests),
      new Date(step.at),
      input.delivery,
    );
  }
  return timeline.length;
}
