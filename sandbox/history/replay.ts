/**
 * Replay a seeded world (world.ts) through the store up to an instant, on the
 * store clock: every order's life is carried out when it happens and its
 * webhooks are sent; between steps the caller's `drain` runs whatever the app
 * has due (its jobs, on the store clock). After each drain the customers look
 * at what the app actually gave them: a discount code, store credit or a gift
 * card created for them through the Admin API. A customer whose drawn response
 * is "persuaded" then places an extra order `delayMs` later, paying with the
 * make-good when their draw says so (persuadedBy: the chance depends on the kind
 * of make-good they got). A customer whose follow-up reaches them (a Flow
 * trigger receipt carrying a "Rating link") answers it or not, with the score
 * their draws, the treatment and the time to offer give (world.ts, ratingOf),
 * through the caller's `rate`.
 *
 * Nothing here knows the app: `drain` and `afterDrain` are the caller's (the
 * demo and the pipeline-truth test pass app-side ones, pipeline.ts).
 */
import { placeOrder, type PlaceOrderInput } from "../activity/checkout";
import { SandboxError } from "../activity/errors";
import { storeCreditAccountOf, storeCreditBalance } from "../activity/store-credit";
import { DAY, type ControlledClock } from "../clock";
import type { Sandbox } from "../index";
import { change, type ExecuteInput, type Kind } from "../seed/execute";
import type { OrderPlan } from "../seed/plan";
import { money, type Id, type ShopState } from "../store";
import {
  effectTruth,
  persuadedBy,
  ratingOf,
  type EffectTruth,
  type MakeGoodKind,
  type World,
  type WorldFailure,
} from "./world";

export interface ReplayHooks {
  /** Run what the app has due up to the store clock's now (moving the clock to each timer's instant, never past `until`). */
  drain(until: Date): Promise<void>;
  /** After a drain: e.g. staff deciding offers waiting for approval. Returns true if it changed anything (drain again). */
  afterDrain?(now: Date): Promise<boolean>;
  /**
   * A customer sends a rating through the follow-up's link (the public rating page's POST).
   * Returns whether it was recorded. Absent: customers never rate.
   */
  rate?(link: string, score: number): Promise<boolean>;
  /** Progress, every `progressEvery` steps. */
  progress?(done: number, total: number): void;
}

export type MakeGood = MakeGoodKind;

export interface FailureOutcome {
  failure: WorldFailure;
  /** When the first make-good for this failure reached the customer, and what it was. */
  madeGoodAt: Date | null;
  makeGood: MakeGood | null;
  /** The persuaded order placed (null if none, or not yet). */
  persuadedOrderId: Id | null;
  redeemed: boolean;
  /** The score the customer sent through the follow-up's rating link (null: none sent). */
  rating: number | null;
}

export interface ReplayResult {
  /** Every world failure up to `until`, with what happened to it. */
  outcomes: FailureOutcome[];
  steps: number;
  makeGoods: number;
  persuadedOrders: number;
  /** Follow-ups with a rating link that reached a customer; ratings sent; those the page refused. */
  followUps: number;
  ratings: number;
  ratingsRefused: number;
  truth: EffectTruth;
}

interface Event {
  at: number;
  seq: number;
  kind: Kind;
  plan: OrderPlan;
  event: number;
  /** For a persuaded order's placing step: pay with this. */
  pay?: { failure: WorldFailure; makeGood: MakeGood; code: string | null };
}

/** Time-ordered queue with inserts (persuaded orders are added as make-goods appear). */
class Timeline {
  private readonly events: Event[] = [];
  private seq = 0;
  private head = 0;

  add(plan: OrderPlan, from: number, until: number, pay?: Event["pay"]): void {
    const push = (at: number, kind: Kind, event = -1) => {
      if (at < from || at > until) return;
      this.insert({ at, seq: this.seq++, kind, plan, event, ...(kind === "place" && pay ? { pay } : {}) });
    };
    push(plan.at, "place");
    if (plan.hold) {
      push(plan.hold.at, "hold");
      if (plan.hold.releaseAt !== null) push(plan.hold.releaseAt, "release");
    }
    if (plan.cancel) push(plan.cancel.at, "cancel");
    if (plan.fulfillAt !== null) {
      push(plan.fulfillAt, "fulfill");
      plan.events.forEach((e, i) => push(e.at, "event", i));
    }
    if (plan.refund) push(plan.refund.at, "refund");
  }

  private insert(e: Event): void {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.events[mid] as Event;
      if (m.at < e.at || (m.at === e.at && m.seq < e.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.events.splice(lo, 0, e);
  }

  /** Sort once after the bulk adds (inserting thousands one by one would be quadratic). */
  addBulk(plans: readonly OrderPlan[], from: number, until: number): void {
    const saved = this.insert.bind(this);
    const batch: Event[] = [];
    (this as unknown as { insert: (e: Event) => void }).insert = (e) => batch.push(e);
    for (const plan of plans) this.add(plan, from, until);
    (this as unknown as { insert: (e: Event) => void }).insert = saved;
    this.events.push(...batch);
    this.events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  peek(): Event | undefined {
    return this.events[this.head];
  }

  shift(): Event | undefined {
    return this.events[this.head++];
  }

  get remaining(): number {
    return this.events.length - this.head;
  }
}

/** A plan moved in time by `ms` (a persuaded order happens after the make-good, not after the failure). */
function shifted(plan: OrderPlan, ms: number): OrderPlan {
  return {
    ...plan,
    at: plan.at + ms,
    fulfillAt: plan.fulfillAt === null ? null : plan.fulfillAt + ms,
    estimatedDeliveryAt: plan.estimatedDeliveryAt === null ? null : plan.estimatedDeliveryAt + ms,
    events: plan.events.map((e) => ({
      ...e,
      at: e.at + ms,
      estimatedDeliveryAt: e.estimatedDeliveryAt === null ? null : e.estimatedDeliveryAt + ms,
    })),
    hold: null,
    cancel: null,
    refund: null,
    failures: [],
    orderId: null,
    fulfillmentId: null,
  };
}

/** What the app has given customers so far, each once: discount codes, store credit, gift cards. */
class MakeGoodWatcher {
  private readonly seen = new Set<string>();

  constructor(private readonly shop: ShopState) {
    // Whatever existed before the replay is not Amends's.
    for (const found of this.scan()) this.seen.add(found.key);
  }

  private *scan(): Generator<{ key: string; customerId: Id; makeGood: MakeGood; code: string | null }> {
    for (const d of this.shop.discounts.values()) {
      // Amends's codes: one discount per customer, or a shared one (a discount group) whose members
      // each get their own code, added with them.
      if (d.customerIds.length === 0) continue;
      const newCodes = d.codes.filter((c) => !this.seen.has(`c:${c.id}`));
      let next = 0;
      for (const customerId of d.customerIds) {
        const key = `d:${d.id}:${customerId}`;
        if (this.seen.has(key)) continue;
        const code = newCodes[next++] ?? d.codes.at(-1);
        if (code) this.seen.add(`c:${code.id}`);
        yield { key, customerId, makeGood: "discount", code: code?.code ?? null };
      }
      for (const c of d.codes) this.seen.add(`c:${c.id}`);
    }
    for (const g of this.shop.giftCards.values()) {
      if (g.customerId) yield { key: `g:${g.id}`, customerId: g.customerId, makeGood: "giftCard", code: g.code };
    }
    for (const a of this.shop.storeCreditAccounts.values()) {
      for (const t of a.transactions)
        if (t.kind === "credit")
          yield { key: `s:${t.id}`, customerId: a.customerId, makeGood: "storeCredit", code: null };
    }
  }

  fresh(): Array<{ customerId: Id; makeGood: MakeGood; code: string | null }> {
    const out = [];
    for (const found of this.scan()) {
      if (this.seen.has(found.key)) continue;
      this.seen.add(found.key);
      out.push(found);
    }
    return out;
  }
}

/** Follow-ups that reached customers: Flow trigger receipts carrying a rating link, each once. */
class FollowUpWatcher {
  private next = 0;

  constructor(private readonly shop: ShopState) {
    this.next = shop.flowTriggers.length;
  }

  fresh(): Array<{ orderId: string; type: string | null; link: string }> {
    const out = [];
    for (; this.next < this.shop.flowTriggers.length; this.next++) {
      const payload = this.shop.flowTriggers[this.next]?.payload as Record<string, unknown> | undefined;
      const link = payload?.["Rating link"];
      const orderId = payload?.order_id;
      const type = payload?.["Incident type"];
      if (typeof link === "string" && link !== "" && orderId !== undefined)
        out.push({ orderId: String(orderId), type: typeof type === "string" ? type : null, link });
    }
    return out;
  }
}

function payment(shop: ShopState, pay: NonNullable<Event["pay"]>, customerId: Id, at: Date) {
  if (pay.makeGood === "discount" && pay.code) return { discountCode: pay.code };
  if (pay.makeGood === "giftCard" && pay.code) return { giftCardCode: pay.code };
  const account = storeCreditAccountOf(shop, customerId);
  if (account && money.cents(storeCreditBalance(account, at)) > 0) return { storeCredit: true as const };
  return {};
}

export interface ReplayInput {
  sandbox: Sandbox;
  world: World;
  /** Replay up to this instant (default: the world's end). */
  until?: Date;
  hooks: ReplayHooks;
  progressEvery?: number;
}

/**
 * Carry out the world from its start up to `until` on the sandbox's (controlled) clock. The clock
 * is frozen while replaying and left frozen at `until`.
 */
export async function replayWorld(input: ReplayInput): Promise<ReplayResult> {
  const { sandbox, world, hooks } = input;
  const clock = sandbox.clock as ControlledClock;
  const until = (input.until ?? new Date(world.end)).getTime();
  const shop = sandbox.store.shop(world.options.shop);
  const customerIds = world.profiles.map((p) => p.id);
  const byCustomer = new Map<Id, number>(world.profiles.map((p) => [p.id, p.index]));
  const execute: ExecuteInput = {
    store: sandbox.store,
    shop: shop.domain,
    plans: world.plans,
    customerIds,
    now: until,
    activity: sandbox.activity,
  };
  const outcomes = new Map<string, FailureOutcome>(
    world.failures
      .filter((f) => f.at <= until)
      .map((f) => [
        f.key,
        { failure: f, madeGoodAt: null, makeGood: null, persuadedOrderId: null, redeemed: false, rating: null },
      ]),
  );
  const failuresOf = new Map<number, WorldFailure[]>();
  for (const f of world.failures) failuresOf.set(f.customer, [...(failuresOf.get(f.customer) ?? []), f]);

  const timeline = new Timeline();
  timeline.addBulk(world.plans, world.start, until);
  const total = timeline.remaining;
  const watcher = new MakeGoodWatcher(shop);
  const followUps = new FollowUpWatcher(shop);
  clock.freeze(new Date(world.start));
  let steps = 0;
  let makeGoods = 0;
  let persuadedOrders = 0;
  let followUpCount = 0;
  let ratings = 0;
  let ratingsRefused = 0;

  const respond = () => {
    const now = clock.now().getTime();
    for (const found of watcher.fresh()) {
      makeGoods++;
      const index = byCustomer.get(found.customerId);
      if (index === undefined) continue;
      // The customer's latest failure so far that no make-good has answered yet.
      const failure = (failuresOf.get(index) ?? []).filter((f) => f.at <= now && !outcomes.get(f.key)?.makeGood).at(-1);
      const outcome = failure ? outcomes.get(failure.key) : undefined;
      if (!failure || !outcome) continue;
      outcome.madeGoodAt = new Date(now);
      outcome.makeGood = found.makeGood;
      if (!persuadedBy(failure, world.options, found.makeGood)) continue;
      const plan = shifted(failure.persuadedPlan, now - failure.at);
      timeline.add(
        plan,
        now,
        until,
        failure.redeems ? { failure, makeGood: found.makeGood, code: found.code } : undefined,
      );
      // Remember the plan so the outcome can name the order once it is placed.
      persuadedPlans.set(plan, failure.key);
    }
  };
  const persuadedPlans = new Map<OrderPlan, string>();

  /**
   * Customers who got a follow-up answer its rating or not (drawn up front): the follow-up names
   * the order and the incident type; the failure is that order's latest one of that kind a
   * make-good answered and nobody rated yet.
   * Returns whether a rating was sent (the app may have work to do).
   */
  const answerFollowUps = async (): Promise<boolean> => {
    let sent = false;
    for (const followUp of followUps.fresh()) {
      followUpCount++;
      const outcome = [...outcomes.values()]
        .filter(
          (o) =>
            String(o.failure.plan.orderId) === followUp.orderId &&
            (followUp.type === null || o.failure.kind === followUp.type) &&
            o.madeGoodAt !== null &&
            o.rating === null,
        )
        .at(-1);
      if (!outcome?.madeGoodAt || !hooks.rate) continue;
      const daysToOffer = (outcome.madeGoodAt.getTime() - outcome.failure.at) / DAY;
      const score = ratingOf(outcome.failure, world.options.ratings, { treated: true, daysToOffer });
      if (score === null) continue;
      if (await hooks.rate(followUp.link, score)) {
        outcome.rating = score;
        ratings++;
        sent = true;
      } else ratingsRefused++;
    }
    return sent;
  };

  const settle = async (to: number) => {
    for (let guard = 0; guard < 50; guard++) {
      await hooks.drain(new Date(to));
      respond();
      const rated = await answerFollowUps();
      if (!(await hooks.afterDrain?.(clock.now())) && !rated) return;
    }
  };

  let guests = 0;
  for (let next = timeline.peek(); next; next = timeline.peek()) {
    await settle(next.at);
    const e = timeline.shift() as Event;
    if (e.at > clock.now().getTime()) clock.set(new Date(e.at));
    await sandbox.sender.flushDue();
    if (e.kind === "place" && persuadedPlans.has(e.plan)) {
      const key = persuadedPlans.get(e.plan) as string;
      const outcome = outcomes.get(key);
      const customerId = customerIds[e.plan.customer] as Id;
      const base: PlaceOrderInput = {
        customerId,
        lines: e.plan.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
        shippingPrice: (e.plan.shippingCents / 100).toFixed(2),
      };
      const extra = e.pay ? payment(shop, e.pay, customerId, clock.now()) : {};
      let placed;
      let used = Object.keys(extra).length > 0;
      try {
        placed = placeOrder(sandbox.store, shop.domain, { ...base, ...extra });
      } catch (error) {
        // A make-good the checkout refuses (expired, used up) does not stop the purchase.
        if (!(error instanceof SandboxError)) throw error;
        placed = placeOrder(sandbox.store, shop.domain, base);
        used = false;
      }
      e.plan.orderId = placed.result.id;
      await sandbox.activity.publish(shop.domain, placed, clock.now());
      persuadedOrders++;
      if (outcome) {
        outcome.persuadedOrderId = placed.result.id;
        outcome.redeemed = used;
      }
    } else {
      await sandbox.activity.publish(
        shop.domain,
        change(execute, { at: e.at, kind: e.kind, plan: e.plan, event: e.event }, () => ++guests),
        new Date(e.at),
      );
    }
    steps++;
    if (hooks.progress && steps % (input.progressEvery ?? 500) === 0) hooks.progress(steps, total);
  }
  clock.set(new Date(until));
  await sandbox.sender.flushDue();
  await settle(until);

  const list = [...outcomes.values()];
  return {
    outcomes: list,
    steps,
    makeGoods,
    persuadedOrders,
    followUps: followUpCount,
    ratings,
    ratingsRefused,
    truth: effectTruth(list.map((o) => o.failure)),
  };
}
