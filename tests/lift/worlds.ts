/**
 * Simulated shops whose true effect is known, run through the app's own pure functions: the holdout
 * draw (guardrails/holdout.ts), attribution (attributeOrder), and the dashboard report
 * (recoveryReport). The DB rows the app would hold are built here, then turned into metric records
 * by the app's own mapping (toIncidentRecords/toOfferRecords, app/recovery/metrics/rows.ts).
 *
 * The model, per incident: the customer's own orders follow a Poisson process whose rate decays after
 * the incident (mean life TAU_DAYS), scaled so `baseline` of customers order within 90 days. An issued
 * offer persuades a further order, with probability `offerEffect`, within 30 days of its issue.
 * Every random draw is made before assignment, so each incident's outcome can be computed both as if
 * treated and as if held out (common random numbers): that is the truth the report is scored against.
 */
import { Random } from "../../sandbox/seed/prng";
import { holdoutDraw, isHeldOut } from "../../app/recovery/guardrails/holdout";
import {
  attributeOrder,
  DEFAULT_ATTRIBUTION_SETTINGS,
  type AttributableHoldout,
  type AttributableOffer,
  type AttributionOrder,
} from "../../app/recovery/attribution";
import {
  periodOfRange,
  recoveryComparison,
  recoveryReport,
  resolveDateRange,
  toIncidentRecords,
  toOfferRecords,
  type IncidentRecord,
  type MetricsIncidentRow,
  type MetricsOfferRow,
  type OfferRecord,
  type RecoveryReport,
} from "../../app/recovery/metrics";
import { ISSUED_STATUSES, type OfferStatus } from "../../app/recovery/vocabulary";
import { MS_PER_DAY } from "../../app/recovery/time";

const MS_PER_MINUTE = 60_000;
const TIME_ZONE = "UTC";
/** How fast a customer's urge to order again fades after an incident. */
const TAU_DAYS = 45;
const WINDOW_DAYS = DEFAULT_ATTRIBUTION_SETTINGS.windowDays;
const OFFER_VALID_DAYS = 30;
const PERSUADED_WITHIN_DAYS = 30;
const DISCOUNT_SHARE = 0.1;
/** Of a customer's ordinary orders while an offer is open, the share that use its code. */
const CODE_USE_ON_ORDINARY_ORDER = 0.5;

/** Ways a treated incident ends without an issued offer, in the app's words. */
export const NOT_SENT = ["NO_OFFER", "REJECTED", "EXPIRED", "FAILED", "PENDING_APPROVAL"] as const;
export type NotSent = (typeof NOT_SENT)[number];

export interface World {
  name: string;
  title: string;
  incidents: number;
  holdoutShare: number;
  /** Share of incidents whose customer orders again within 90 days of detection without an offer. */
  baseline: number;
  /** Probability an issued offer brings an extra order (with baseline 0.2: 0.0625 is +5 points). */
  offerEffect: number;
  /** Share of treated incidents whose offer never goes out, spread over NOT_SENT. */
  notSentShare: number;
  /** Weights for a customer having 1, 2, 3... incidents in the period. */
  incidentsPerCustomer: readonly number[];
  /** Share of offers waiting for staff, and how many days they wait. */
  staffDelay: { share: number; minDays: number; maxDays: number } | null;
  guestShare: number;
  /** "matured": a past 30-day range whose windows have all closed; "default": the dashboard's default range on a 30-day-old shop. */
  view: "matured" | "default";
}

const EFFECT = 0.0625;
const base: Omit<World, "name" | "title"> = {
  incidents: 2000,
  holdoutShare: 0.1,
  baseline: 0.2,
  offerEffect: 0,
  notSentShare: 0,
  incidentsPerCustomer: [1],
  staffDelay: null,
  guestShare: 0,
  view: "matured",
};

export const WORLDS: readonly World[] = [
  { ...base, name: "none", title: "1. no effect" },
  { ...base, name: "effect", title: "2. real effect (+5 points per issued offer)", offerEffect: EFFECT },
  {
    ...base,
    name: "not-sent",
    title: "3. 15% of treated never get an offer",
    offerEffect: EFFECT,
    notSentShare: 0.15,
  },
  {
    ...base,
    name: "repeat",
    title: "4. repeat incidents, per-incident holdout draw",
    offerEffect: EFFECT,
    incidentsPerCustomer: [0.5, 0.25, 0.15, 0.1],
  },
  {
    ...base,
    name: "delays",
    title: "5. staff delays (half the offers 1-14 days late)",
    offerEffect: EFFECT,
    staffDelay: { share: 0.5, minDays: 1, maxDays: 14 },
  },
  { ...base, name: "guests", title: "6. 30% guests", offerEffect: EFFECT, guestShare: 0.3 },
  {
    ...base,
    name: "young",
    title: "7. young shop, default 30-day view",
    offerEffect: EFFECT,
    view: "default",
  },
];

/** One incident with every draw made, before and regardless of assignment. */
interface SimIncident {
  id: string;
  customer: string | null;
  occurredAt: Date;
  detectedAt: Date;
  heldOut: boolean;
  notSent: NotSent | null;
  issueDelayMs: number;
  /** Ordinary orders this incident's customer places (ms since epoch). */
  ordinaryOrders: number[];
  persuadedAfterMs: number | null;
}

interface SimOrder {
  id: string;
  customer: string | null;
  at: number;
  subtotalMinor: number;
  /** The offer that persuaded it, if any. */
  persuadedBy: string | null;
}

export interface Shop {
  world: World;
  now: Date;
  period: { from: Date; to: Date };
  incidents: SimIncident[];
}

export function hexId(random: Random): string {
  let s = "";
  for (let i = 0; i < 32; i++) s += Math.floor(random.next() * 16).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20)}`;
}

function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random.next(); p > limit; p *= random.next()) k++;
  return k;
}

const exponential = (random: Random, mean: number) => -Math.log(1 - random.next()) * mean;

/** The ordinary-order rate's total mass, so P(at least one order within 90 days) = baseline. */
function orderMass(baseline: number): number {
  return -Math.log(1 - baseline) / (1 - Math.exp(-WINDOW_DAYS / TAU_DAYS));
}

/** The dashboard's period for the world's view, and the moment the merchant looks. */
export function viewOf(world: World): { now: Date; period: { from: Date; to: Date }; historyFrom: Date } {
  if (world.view === "default") {
    const today = "2025-01-30";
    const range = resolveDateRange({}, today);
    const period = periodOfRange(range, TIME_ZONE);
    return { now: new Date("2025-01-30T18:00:00Z"), period, historyFrom: period.from };
  }
  const range = resolveDateRange({ from: "2025-01-01", to: "2025-01-30" }, "2025-06-30");
  const period = periodOfRange(range, TIME_ZONE);
  return { now: new Date("2025-06-30T18:00:00Z"), period, historyFrom: period.from };
}

export function simulateShop(world: World, seed: number, timing = viewOf(world)): Shop {
  const random = new Random(seed);
  const { now, period, historyFrom } = timing;
  const span = Math.min(period.to.getTime(), now.getTime()) - historyFrom.getTime();
  const mass = orderMass(world.baseline);
  const incidents: SimIncident[] = [];
  while (incidents.length < world.incidents) {
    const guest = random.chance(world.guestShare);
    const count = guest ? 1 : random.weightedIndex(world.incidentsPerCustomer) + 1;
    const customer = guest ? null : `gid://shopify/Customer/${hexId(random)}`;
    for (let k = 0; k < count && incidents.length < world.incidents; k++) {
      const id = hexId(random);
      const detected = historyFrom.getTime() + random.next() * span;
      const notSent = random.chance(world.notSentShare) ? random.pick(NOT_SENT) : null;
      const staff = world.staffDelay !== null && random.chance(world.staffDelay.share);
      const issueDelayMs = staff
        ? random.between(world.staffDelay?.minDays ?? 0, world.staffDelay?.maxDays ?? 0) * MS_PER_DAY
        : random.between(2, 10) * MS_PER_MINUTE;
      const ordinaryOrders = Array.from(
        { length: poisson(random, mass) },
        () => detected + exponential(random, TAU_DAYS) * MS_PER_DAY,
      );
      const persuaded = random.chance(world.offerEffect);
      const lag = random.next() * PERSUADED_WITHIN_DAYS * MS_PER_DAY;
      incidents.push({
        id,
        customer,
        occurredAt: new Date(detected - random.between(0.5, 48) * 60 * MS_PER_MINUTE),
        detectedAt: new Date(detected),
        heldOut: isHeldOut(holdoutDraw(id), world.holdoutShare),
        notSent,
        issueDelayMs,
        ordinaryOrders,
        persuadedAfterMs: persuaded ? lag : null,
      });
    }
  }
  incidents.sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime());
  return { world, now, period, incidents };
}

const issuedAtOf = (i: SimIncident) => i.detectedAt.getTime() + i.issueDelayMs;
const customerOf = (i: SimIncident) => i.customer ?? `guest:${i.id}`;

/** Orders each customer places when `treated(i)` decides who gets an offer (every order, past or future). */
function ordersBy(incidents: readonly SimIncident[], treated: (i: SimIncident) => boolean): Map<string, SimOrder[]> {
  const byCustomer = new Map<string, SimOrder[]>();
  const add = (key: string, order: SimOrder) => {
    const list = byCustomer.get(key);
    if (list) list.push(order);
    else byCustomer.set(key, [order]);
  };
  for (const i of incidents) {
    i.ordinaryOrders.forEach((at, n) =>
      add(customerOf(i), {
        id: `gid://shopify/Order/${i.id}-${n}`,
        customer: i.customer,
        at,
        subtotalMinor: 4000 + ((at / 1000) % 8000),
        persuadedBy: null,
      }),
    );
    if (treated(i) && i.notSent === null && i.persuadedAfterMs !== null) {
      add(customerOf(i), {
        id: `gid://shopify/Order/${i.id}-p`,
        customer: i.customer,
        at: issuedAtOf(i) + i.persuadedAfterMs,
        subtotalMinor: 6000,
        persuadedBy: i.id,
      });
    }
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.at - b.at);
  return byCustomer;
}

const inEstimandWindow = (i: SimIncident, orders: readonly SimOrder[] | undefined) =>
  (orders ?? []).some(
    (o) => o.at > i.detectedAt.getTime() && o.at <= i.detectedAt.getTime() + WINDOW_DAYS * MS_PER_DAY,
  );

export interface Truth {
  /** Incidents in the period, and those whose offer would go out if treated. */
  n: number;
  issued: number;
  /** Sum over incidents of (outcome if every incident were treated) - (outcome if every incident were held out). */
  effectSum: number;
  issuedEffectSum: number;
}

/**
 * The true effect in this shop: each incident's 90-days-from-detection repurchase if the whole
 * program ran (every incident treated) against if nobody got anything, same draws otherwise.
 */
export function truthOf(shop: Shop): Truth {
  const all = ordersBy(shop.incidents, () => true);
  const none = ordersBy(shop.incidents, () => false);
  const truth: Truth = { n: 0, issued: 0, effectSum: 0, issuedEffectSum: 0 };
  for (const i of shop.incidents) {
    const d =
      Number(inEstimandWindow(i, all.get(customerOf(i)))) - Number(inEstimandWindow(i, none.get(customerOf(i))));
    truth.n++;
    truth.effectSum += d;
    if (i.notSent === null) {
      truth.issued++;
      truth.issuedEffectSum += d;
    }
  }
  return truth;
}

/** Everything that happened up to `until` for one shop, as the Offer and Incident rows would hold it. */
export interface ShopRows {
  incidents: MetricsIncidentRow[];
  offers: MetricsOfferRow[];
}

const codeOf = (incidentId: string) => `AMENDS-${incidentId.slice(0, 8).toUpperCase()}`;

export function rowsOf(shop: Shop): ShopRows {
  const now = shop.now.getTime();
  const offers = new Map<string, MetricsOfferRow>();
  const attributable = new Map<string, AttributableOffer[]>();
  const holdouts = new Map<string, AttributableHoldout[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const incidentRows: MetricsIncidentRow[] = [];
  for (const i of shop.incidents) {
    const decision = i.heldOut ? "HOLDOUT" : i.notSent === "NO_OFFER" ? "NO_OFFER" : "OFFER";
    incidentRows.push({
      id: i.id,
      type: "LATE_FULFILLMENT",
      occurredAt: i.occurredAt,
      detectedAt: i.detectedAt,
      decision,
      holdout: i.heldOut,
      rootCause: { productIds: [], carriers: [], locationIds: [] },
    });
    if (decision === "NO_OFFER") continue;
    const issued = decision === "OFFER" && i.notSent === null && issuedAtOf(i) <= now;
    const issuedAt = issued ? new Date(issuedAtOf(i)) : null;
    const status: OfferStatus =
      decision === "HOLDOUT"
        ? "HOLDOUT"
        : issued
          ? "ISSUED"
          : i.notSent === null || i.notSent === "NO_OFFER"
            ? "PENDING_APPROVAL" // still waiting for staff at `now`
            : i.notSent;
    const row: MetricsOfferRow = {
      id: `offer-${i.id}`,
      incidentId: i.id,
      kind: decision === "HOLDOUT" ? "NONE" : "DISCOUNT_PERCENT",
      status,
      issuedAt,
      expiresAt: issuedAt ? new Date(issuedAt.getTime() + OFFER_VALID_DAYS * MS_PER_DAY) : null,
      faceValueMinor: decision === "HOLDOUT" ? 0 : 1000,
      redeemedAt: null,
      discountUsedMinor: null,
      wonBackAt: null,
      wonBackOrderGid: null,
      wonBackMinor: null,
    };
    offers.set(i.id, row);
    // As attributeNewOrder loads them: offers with a customer and an issue date, holdouts with a customer.
    if (i.customer === null) continue;
    if (issuedAt)
      push(attributable, i.customer, {
        offerId: row.id,
        incidentId: i.id,
        customerId: i.customer,
        kind: "DISCOUNT_PERCENT",
        issuedAt,
        faceValueMinor: row.faceValueMinor,
        expiresAt: row.expiresAt,
        code: codeOf(i.id),
        giftCardId: null,
        giftOrderId: null,
        alreadyRedeemed: false,
      });
    if (i.heldOut) push(holdouts, i.customer, { incidentId: i.id, customerId: i.customer, detectedAt: i.detectedAt });
  }

  const orders = ordersBy(shop.incidents, (i) => !i.heldOut);
  const codeChance = new Random(shop.incidents.length * 7919 + now);
  for (const list of orders.values()) {
    for (const o of list) {
      if (o.at > now) break;
      const candidates = o.customer === null ? [] : (attributable.get(o.customer) ?? []);
      const open = candidates.filter(
        (c) => !c.alreadyRedeemed && c.issuedAt.getTime() < o.at && (c.expiresAt?.getTime() ?? Infinity) >= o.at,
      );
      const own = open.find((c) => c.incidentId === o.persuadedBy);
      const used = own ?? (open[0] && codeChance.chance(CODE_USE_ON_ORDINARY_ORDER) ? open[0] : undefined);
      const discount = used ? Math.round(o.subtotalMinor * DISCOUNT_SHARE) : 0;
      const order: AttributionOrder = {
        id: o.id,
        customerId: o.customer,
        createdAt: new Date(o.at),
        totalMinor: o.subtotalMinor - discount,
        tags: [],
        sourceName: "web",
        discountCodes: used?.code ? [{ code: used.code, amountMinor: discount }] : [],
        giftCards: [],
        storeCreditUsedMinor: 0,
      };
      const result = attributeOrder(order, {
        offers: candidates,
        holdouts: o.customer === null ? [] : (holdouts.get(o.customer) ?? []),
      });
      if (result.kind !== "ATTRIBUTED") continue;
      for (const won of result.wonBack) {
        const row = offers.get(won.incidentId);
        if (!row || row.wonBackAt !== null) continue;
        row.wonBackAt = order.createdAt;
        row.wonBackOrderGid = order.id;
        row.wonBackMinor = order.totalMinor;
      }
      for (const r of result.redeemed) {
        const row = offers.get(r.incidentId);
        const candidate = candidates.find((c) => c.offerId === r.offerId);
        if (!row || !candidate || row.redeemedAt !== null) continue;
        row.redeemedAt = order.createdAt;
        row.status = "REDEEMED";
        row.discountUsedMinor = r.amountUsedMinor || null;
        candidate.alreadyRedeemed = true;
      }
    }
  }
  for (const row of offers.values()) {
    if (row.status === "ISSUED" && row.expiresAt && row.expiresAt.getTime() < now) row.status = "UNUSED";
  }
  return { incidents: incidentRows, offers: [...offers.values()] };
}

/** The rows as they stood at `asOf` (a won-back or redemption after it had not happened yet). */
export function rowsAsOf(rows: ShopRows, asOf: Date, period: { from: Date; to: Date }): ShopRows {
  const t = asOf.getTime();
  const inPeriod = (d: Date) => d >= period.from && d < period.to && d.getTime() <= t;
  const incidents = rows.incidents.filter((i) => inPeriod(i.detectedAt));
  const ids = new Set(incidents.map((i) => i.id));
  const offers = rows.offers
    .filter((o) => ids.has(o.incidentId))
    .map((o) => (o.wonBackAt && o.wonBackAt.getTime() > t ? { ...o, wonBackAt: null } : o));
  return { incidents, offers };
}

/** The records the dashboard reads, built from the rows by the app's own mapping. */
export function toRecords(rows: ShopRows): { incidents: IncidentRecord[]; offers: OfferRecord[] } {
  return { incidents: toIncidentRecords(rows.incidents, rows.offers), offers: toOfferRecords(rows.offers) };
}

export interface ShopResult {
  truth: Truth;
  report: RecoveryReport;
  /** Issued offers in the report (for the offer-effect column). */
  issuedOffers: number;
}

export function runShop(world: World, seed: number): ShopResult {
  const shop = simulateShop(world, seed);
  const rows = rowsAsOf(rowsOf(shop), shop.now, shop.period);
  const { incidents, offers } = toRecords(rows);
  const report = recoveryReport({ incidents, offers, timeZone: TIME_ZONE, asOf: shop.now });
  const issuedOffers = offers.filter((o) => o.issuedAt !== null && ISSUED_STATUSES.includes(o.status)).length;
  return { truth: truthOf(shop), report, issuedOffers };
}

/** World 1 with a year of history, looked at every day: did the cumulative lift ever look significant? */
export const DAILY_LOOK_DAYS = 365;

export function everSignificantWithDailyLooks(world: World, seed: number): { looks: number; significant: boolean } {
  const historyFrom = new Date("2024-01-01T00:00:00Z");
  const end = new Date(historyFrom.getTime() + DAILY_LOOK_DAYS * MS_PER_DAY);
  const shop = simulateShop(world, seed, {
    now: new Date(end.getTime() + 2 * WINDOW_DAYS * MS_PER_DAY),
    period: { from: historyFrom, to: end },
    historyFrom,
  });
  const all = rowsOf(shop);
  let looks = 0;
  for (let day = 1; day <= DAILY_LOOK_DAYS; day++) {
    const asOf = new Date(historyFrom.getTime() + day * MS_PER_DAY);
    const { incidents } = toRecords(rowsAsOf(all, asOf, { from: historyFrom, to: asOf }));
    const lift = recoveryComparison(incidents).lift;
    if (lift.insufficientData) continue;
    looks++;
    if (lift.interval.low > 0 || lift.interval.high < 0) return { looks, significant: true };
  }
  return { looks, significant: false };
}
