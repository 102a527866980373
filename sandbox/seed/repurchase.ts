/**
 * The weeks after: which customers come back, by the generator's model. Each
 * customer with a purchase history buys again within the horizon with
 * probability base[tier] - failurePenalty (if a failure hit them lately) +
 * treatmentLift (if the caller says they were treated, e.g. Amends issued them
 * an offer). A treated customer who comes back often uses what they were
 * given: their own discount code, their store credit or their gift card.
 *
 * The orders are placed in time order. With a ControlledClock the clock moves
 * to each order (so the app sees them when they happen, and late webhooks fall
 * due) and ends at the horizon; with another clock they are placed now,
 * dated in the future.
 */
import { placeOrder, type PlaceOrderInput } from "../activity/checkout";
import { SandboxError } from "../activity/errors";
import type { CallDelivery, StoreActivity } from "../activity/store-activity";
import { storeCreditAccountOf, storeCreditBalance } from "../activity/store-credit";
import { ControlledClock, DAY } from "../clock";
import { money, type Customer, type Id, type Order, type SandboxStore, type ShopState } from "../store";
import { findFailures } from "./failures";
import { repurchaseProbability, resolveModel, tierOf, type RepurchaseModel, type Tier } from "./model";
import { Random } from "./prng";
import type { Rate } from "./truth";

export interface SimulateOptions {
  shop: string;
  /** Customers the caller treated (e.g. those Amends issued an offer to). */
  treated: ReadonlySet<Id>;
  horizonDays: number;
  seed: number;
  model?: Partial<RepurchaseModel>;
  /** Failures that count against a customer; default: read from the store (findFailures). */
  failures?: ReadonlyArray<{ customerId: Id | null; occurredAt: Date }>;
  /** Only failures this recent count. Default 90 days. */
  lookbackDays?: number;
  /** Chance that a treated customer who comes back uses their offer. Default 0.7. */
  redeemRate?: number;
  handlingDays?: number;
  delivery?: CallDelivery;
}

export type Redemption = "discount" | "storeCredit" | "giftCard";

export interface RepurchaseOutcome {
  customerId: Id;
  tier: Tier;
  failed: boolean;
  treated: boolean;
  probability: number;
  order: Order | null;
  redeemed: Redemption | null;
}

export interface SimulationResult {
  outcomes: RepurchaseOutcome[];
  orders: Order[];
  /** Observed shares who bought again. */
  rates: { failedTreated: Rate; failedUntreated: Rate; noFailure: Rate };
  /** The model's mean probability for the same groups (what the rates estimate). */
  expected: { failedTreated: number | null; failedUntreated: number | null; noFailure: number | null };
  startedAt: Date;
  endedAt: Date;
}

function offerFor(
  shop: ShopState,
  customer: Customer,
  at: Date,
): (Pick<PlaceOrderInput, "discountCode" | "storeCredit" | "giftCardCode"> & { kind: Redemption }) | null {
  for (const discount of shop.discounts.values()) {
    const active = discount.startsAt <= at && (discount.endsAt === null || discount.endsAt > at);
    const unused =
      discount.usageLimit === null || discount.codes.reduce((n, c) => n + c.usageCount, 0) < discount.usageLimit;
    const code = discount.codes[0];
    if (code && active && unused && discount.customerIds.includes(customer.id))
      return { kind: "discount", discountCode: code.code };
  }
  const account = storeCreditAccountOf(shop, customer.id);
  if (account && money.cents(storeCreditBalance(account, at)) > 0) return { kind: "storeCredit", storeCredit: true };
  for (const card of shop.giftCards.values()) {
    if (card.customerId === customer.id && card.enabled && money.cents(card.balance) > 0)
      return { kind: "giftCard", giftCardCode: card.code };
  }
  return null;
}

function group(
  outcomes: RepurchaseOutcome[],
  pick: (o: RepurchaseOutcome) => boolean,
): { rate: Rate; expected: number | null } {
  const members = outcomes.filter(pick);
  const repurchased = members.filter((o) => o.order !== null).length;
  return {
    rate: { eligible: members.length, repurchased, rate: members.length ? repurchased / members.length : null },
    expected: members.length ? members.reduce((n, o) => n + o.probability, 0) / members.length : null,
  };
}

export async function simulateRepurchases(
  store: SandboxStore,
  activity: StoreActivity | null,
  options: SimulateOptions,
): Promise<SimulationResult> {
  const shop = store.shop(options.shop);
  const model = resolveModel(options.model);
  const random = new Random(options.seed);
  const start = store.clock.now();
  const horizonMs = options.horizonDays * DAY;
  const lookbackFrom = start.getTime() - (options.lookbackDays ?? 90) * DAY;
  const failures =
    options.failures ??
    findFailures(store, shop.domain, options.handlingDays !== undefined ? { handlingDays: options.handlingDays } : {});
  const failed = new Set<Id>();
  for (const f of failures)
    if (f.customerId && f.occurredAt.getTime() >= lookbackFrom && f.occurredAt <= start) failed.add(f.customerId);

  const variants = [...shop.products.values()].flatMap((p) => p.variants);
  const planned: Array<{ outcome: RepurchaseOutcome; at: number; redeem: boolean; lines: PlaceOrderInput["lines"] }> =
    [];
  const outcomes: RepurchaseOutcome[] = [];
  for (const customer of shop.customers.values()) {
    if (customer.numberOfOrders === 0) continue;
    const tier = tierOf(customer.numberOfOrders, Number(customer.amountSpent));
    const isFailed = failed.has(customer.id);
    const isTreated = options.treated.has(customer.id);
    const probability = repurchaseProbability(model, tier, isFailed, isTreated);
    const outcome: RepurchaseOutcome = {
      customerId: customer.id,
      tier,
      failed: isFailed,
      treated: isTreated,
      probability,
      order: null,
      redeemed: null,
    };
    outcomes.push(outcome);
    // Draw every number for every customer, so one customer's luck never shifts another's.
    const buys = random.chance(probability);
    const at = start.getTime() + random.next() * horizonMs;
    const redeem = random.chance(options.redeemRate ?? 0.7);
    const lineCount = random.int(1, 2);
    const lines = Array.from({ length: lineCount }, () => ({ variantId: random.pick(variants).id, quantity: 1 }));
    if (buys && variants.length > 0)
      planned.push({
        outcome,
        at,
        redeem: isTreated && redeem,
        lines: lines.filter((l, i) => lines.findIndex((m) => m.variantId === l.variantId) === i),
      });
  }
  planned.sort((a, b) => a.at - b.at);

  const clock = store.clock instanceof ControlledClock ? store.clock : null;
  const orders: Order[] = [];
  for (const p of planned) {
    const at = new Date(p.at);
    if (clock) {
      clock.set(at);
      await activity?.sender?.flushDue();
    }
    const customer = shop.customers.get(p.outcome.customerId);
    if (!customer) continue;
    const offer = p.redeem ? offerFor(shop, customer, at) : null;
    const base: PlaceOrderInput = { customerId: customer.id, lines: p.lines, ...(clock ? {} : { createdAt: at }) };
    let order: Order;
    try {
      order = await place(
        store,
        activity,
        shop.domain,
        offer ? { ...base, ...withoutKind(offer) } : base,
        options.delivery,
      );
      p.outcome.redeemed = offer?.kind ?? null;
    } catch (error) {
      // An offer checkout refuses (used up, expired meanwhile) does not stop the purchase.
      if (!(error instanceof SandboxError) || !offer) throw error;
      order = await place(store, activity, shop.domain, base, options.delivery);
    }
    p.outcome.order = order;
    orders.push(order);
  }
  const end = new Date(start.getTime() + horizonMs);
  if (clock) {
    clock.set(end);
    await activity?.sender?.flushDue();
  }

  const treatedFailed = group(outcomes, (o) => o.failed && o.treated);
  const untreatedFailed = group(outcomes, (o) => o.failed && !o.treated);
  const noFailure = group(outcomes, (o) => !o.failed && !o.treated);
  return {
    outcomes,
    orders,
    rates: { failedTreated: treatedFailed.rate, failedUntreated: untreatedFailed.rate, noFailure: noFailure.rate },
    expected: {
      failedTreated: treatedFailed.expected,
      failedUntreated: untreatedFailed.expected,
      noFailure: noFailure.expected,
    },
    startedAt: start,
    endedAt: end,
  };
}

function withoutKind(
  offer: { kind: Redemption } & Pick<PlaceOrderInput, "discountCode" | "storeCredit" | "giftCardCode">,
) {
  const { kind: _kind, ...rest } = offer;
  return rest;
}

async function place(
  store: SandboxStore,
  activity: StoreActivity | null,
  shop: string,
  input: PlaceOrderInput,
  delivery?: CallDelivery,
): Promise<Order> {
  if (activity) return activity.placeOrder(shop, input, delivery);
  return placeOrder(store, shop, input).result;
}
