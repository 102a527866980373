/**
 * Simulated shops whose true effect is known, run through the app's own pure functions: the holdout
 * assignment (guardrails/holdout.ts: per customer), attribution (attributeOrder), and the
 * dashboard's experiment readout (metrics/experiment.ts). The DB rows the app would hold are built here, then turned into metric records
 * by the app's own mapping (toIncidentRecords/toOfferRecords, app/recovery/metrics/rows.ts).
 *
 * The model, per incident: the customer's own orders follow a Poisson process whose rate decays after
 * the incident (mean life TAU_DAYS), scaled so `baseline` of customers order within 90 days. An issued
 * offer persuades a further order, with probability `offerEffect`, within 30 days of its issue.
 * Every random draw is made before assignment, so each incident's outcome can be computed both as if
 * treated and as if held out (common random numbers): that is the truth the report is scored against.
 */
import { Random } from "../../sandbox/seed/prng";
import { assignHoldout, standingAssignment, type StandingAssignment } from "../../app/recovery/guardrails/holdout";
import {
  attributeOrder,
  DEFAULT_ATTRIBUTION_SETTINGS,
  type AttributableIncident,
  type AttributableOffer,
  type AttributionOrder,
} from "../../app/recovery/attribution";
import {
  experiment,
  periodOfRange,
  readoutRounds,
  resolveDateRange,
  toIncidentRecords,
  toOfferRecords,
  type Experiment,
  type ExperimentSettings,
  type IncidentRecord,
  type MetricsIncidentRow,
  type MetricsOfferRow,
  type OfferRecord,
} from "../../app/recovery/metrics";
import { ISSUED_STATUSES, type OfferStatus } from "../../app/recovery/vocabulary";
import { MS_PER_DAY } from "../../app/recovery/time";

const MS_PER_MINUTE = 60_000;
const TIME_ZONE = "UTC";
/** How fast a customer's urge to order again fades after an incident. */
const TAU_DAYS = 45;
const WINDOW_DAYS = DEFAULT_ATTRIBUTION_SETTINGS.windowDays;
/** Rounds of the default size: a 2,000-incident world holds two readouts. */
export const READOUT_INCIDENTS = DEFAULT_ATTRIBUTION_SETTINGS.readoutIncidents;
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
    title: "4. repeat incidents (one customer, up to 4)",
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
  {
    ...base,
    name: "guests",
    title: "6. 30% guests (truth: incidents with a customer account)",
    offerEffect: EFFECT,
    guestShare: 0.3,
  },
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
  /** The incident whose code it used, and what the code took off. */
  usedCode: string | null;
  discountMinor: number;
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
        heldOut: false, // assigned below, in detection order, as the app does
        notSent,
        issueDelayMs,
        ordinaryOrders,
        persuadedAfterMs: persuaded ? lag : null,
      });
    }
  }
  incidents.sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime());
  const earlier = new Map<string, StandingAssignment[]>();
  for (const i of incidents) {
    const before = i.customer ? (earlier.get(i.customer) ?? []) : [];
    const standing = standingAssignment(before, i.detectedAt, WINDOW_DAYS);
    i.heldOut = assignHoldout(i.id, standing, world.holdoutShare).holdout;
    if (i.customer)
      earlier.set(i.customer, [...before, { incidentId: i.id, holdout: i.heldOut, detectedAt: i.detectedAt }]);
  }
  return { world, now, period, incidents };
}

const issuedAtOf = (i: SimIncident) => i.detectedAt.getTime() + i.issueDelayMs;
const customerOf = (i: SimIncident) => i.customer ?? `guest:${i.id}`;

/** A deterministic number in [0, 1) per order: whether an ordinary order uses an open code is drawn before assignment. */
const codeDraw = (orderId: string) => {
  let h = 2166136261;
  for (let k = 0; k < orderId.length; k++) h = Math.imul(h ^ orderId.charCodeAt(k), 16777619);
  return (h >>> 0) / 4294967296;
};

/**
 * Orders each customer places when `treated(i)` decides who gets an offer (every order, past or
 * future), with the code each one uses: a persuaded order uses its own offer's code, an ordinary
 * order the customer's earliest open code half the time. What each order pays is then known in
 * the world that happened and in both counterfactual ones, with the same draws.
 */
function ordersBy(incidents: readonly SimIncident[], treated: (i: SimIncident) => boolean): Map<string, SimOrder[]> {
  const byCustomer = new Map<string, SimOrder[]>();
  const offersOf = new Map<string, SimIncident[]>();
  const add = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const i of incidents) {
    const gets = treated(i) && i.notSent === null;
    if (gets && i.customer !== null) add(offersOf, i.customer, i);
    i.ordinaryOrders.forEach((at, n) => {
      const id = `gid://shopify/Order/${i.id}-${n}`;
      add(byCustomer, customerOf(i), {
        id,
        customer: i.customer,
        at,
        subtotalMinor: 4000 + Math.floor(codeDraw(`${id}:amount`) * 8000),
        persuadedBy: null,
        usedCode: null,
        discountMinor: 0,
      });
    });
    if (gets && i.persuadedAfterMs !== null) {
      add(byCustomer, customerOf(i), {
        id: `gid://shopify/Order/${i.id}-p`,
        customer: i.customer,
        at: issuedAtOf(i) + i.persuadedAfterMs,
        subtotalMinor: 6000,
        persuadedBy: i.id,
        usedCode: null,
        discountMinor: 0,
      });
    }
  }
  for (const [key, list] of byCustomer) {
    list.sort((x, y) => x.at - y.at);
    const redeemed = new Set<string>();
    const offers = offersOf.get(key) ?? [];
    for (const o of list) {
      const open = offers.filter(
        (i) => !redeemed.has(i.id) && issuedAtOf(i) < o.at && issuedAtOf(i) + OFFER_VALID_DAYS * MS_PER_DAY >= o.at,
      );
      const own = open.find((i) => i.id === o.persuadedBy);
      const used = own ?? (open[0] && codeDraw(o.id) < CODE_USE_ON_ORDINARY_ORDER ? open[0] : undefined);
      if (!used) continue;
      redeemed.add(used.id);
      o.usedCode = used.id;
      o.discountMinor = Math.round(o.subtotalMinor * DISCOUNT_SHARE);
    }
  }
  return byCustomer;
}

/** The first of the customer's orders within the window after detection (the experiment's outcome). */
const firstInWindow = (i: SimIncident, orders: readonly SimOrder[] | undefined) =>
  (orders ?? []).find(
    (o) => o.at > i.detectedAt.getTime() && o.at <= i.detectedAt.getTime() + WINDOW_DAYS * MS_PER_DAY,
  ) ?? null;

const paid = (order: SimOrder | null) => (order ? order.subtotalMinor - order.discountMinor : 0);

export interface Truth {
  /** Incidents, and those whose offer would go out if treated. */
  n: number;
  issued: number;
  /** Sum over incidents of (outcome if every incident were treated) - (outcome if every incident were held out). */
  effectSum: number;
  issuedEffectSum: number;
  /** The same for the revenue of the first order back (minor units). */
  revenueEffectSum: number;
}

export interface TruthTable {
  /** Per incident: its outcome's difference between the whole program and none. */
  effect: Map<string, { returned: number; revenueMinor: number; issued: boolean }>;
}

/**
 * The true effect of each incident: its 90-days-from-detection repurchase (and first order's
 * revenue) if the whole program ran (every incident treated) against if nobody got anything, same
 * draws otherwise. Guests are left out: their orders cannot be linked, and the readout says so.
 */
export function truthTable(shop: Shop): TruthTable {
  const all = ordersBy(shop.incidents, () => true);
  const none = ordersBy(shop.incidents, () => false);
  const effect: TruthTable["effect"] = new Map();
  for (const i of shop.incidents) {
    if (i.customer === null) continue;
    const treated = firstInWindow(i, all.get(customerOf(i)));
    const untreated = firstInWindow(i, none.get(customerOf(i)));
    effect.set(i.id, {
      returned: Number(treated !== null) - Number(untreated !== null),
      revenueMinor: paid(treated) - paid(untreated),
      issued: i.notSent === null,
    });
  }
  return { effect };
}

/** The truth over a set of incidents (a readout's round). */
export function truthOver(table: TruthTable, ids: Iterable<string>): Truth {
  const truth: Truth = { n: 0, issued: 0, effectSum: 0, issuedEffectSum: 0, revenueEffectSum: 0 };
  for (const id of ids) {
    const e = table.effect.get(id);
    if (!e) continue;
    truth.n++;
    truth.effectSum += e.returned;
    truth.revenueEffectSum += e.revenueMinor;
    if (e.issued) {
      truth.issued++;
      truth.issuedEffectSum += e.returned;
    }
  }
  return truth;
}

/** Everything that happened up to `now` for one shop, as the Offer and Incident rows would hold it. */
export interface ShopRows {
  incidents: MetricsIncidentRow[];
  offers: MetricsOfferRow[];
}

const codeOf = (incidentId: string) => `AMENDS-${incidentId.slice(0, 8).toUpperCase()}`;

export function rowsOf(shop: Shop): ShopRows {
  const now = shop.now.getTime();
  const offers = new Map<string, MetricsOfferRow>();
  const incidentRows = new Map<string, MetricsIncidentRow>();
  const attributable = new Map<string, AttributableOffer[]>();
  const drawn = new Map<string, AttributableIncident[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const i of shop.incidents) {
    const decision = i.heldOut ? "HOLDOUT" : i.notSent === "NO_OFFER" ? "NO_OFFER" : "OFFER";
    incidentRows.set(i.id, {
      id: i.id,
      type: "LATE_FULFILLMENT",
      severity: "moderate",
      customerGid: i.customer,
      occurredAt: i.occurredAt,
      detectedAt: i.detectedAt,
      decision,
      holdout: i.heldOut,
      rootCause: { productIds: [], carriers: [], locations: [] },
      returnedAt: null,
      returnedOrderGid: null,
      returnedMinor: null,
    });
    // As attributeNewOrder loads them: every drawn incident with a customer.
    if (i.customer !== null)
      push(drawn, i.customer, { incidentId: i.id, customerId: i.customer, detectedAt: i.detectedAt });
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
      approval: i.issueDelayMs > MS_PER_DAY ? "STAFF" : "AUTO",
      issuedAt,
      expiresAt: issuedAt ? new Date(issuedAt.getTime() + OFFER_VALID_DAYS * MS_PER_DAY) : null,
      faceValueMinor: decision === "HOLDOUT" ? 0 : 1000,
      redeemedAt: null,
      discountUsedMinor: null,
    };
    offers.set(i.id, row);
    if (i.customer !== null && issuedAt)
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
  }

  const orders = ordersBy(shop.incidents, (i) => !i.heldOut);
  for (const list of orders.values()) {
    for (const o of list) {
      if (o.at > now) break;
      const candidates = o.customer === null ? [] : (attributable.get(o.customer) ?? []);
      const order: AttributionOrder = {
        id: o.id,
        customerId: o.customer,
        createdAt: new Date(o.at),
        totalMinor: o.subtotalMinor - o.discountMinor,
        tags: [],
        sourceName: "web",
        discountCodes: o.usedCode ? [{ code: codeOf(o.usedCode), amountMinor: o.discountMinor }] : [],
        giftCards: [],
        storeCreditUsedMinor: 0,
      };
      const result = attributeOrder(order, {
        offers: candidates,
        holdouts: [],
        incidents: o.customer === null ? [] : (drawn.get(o.customer) ?? []),
      });
      if (result.kind !== "ATTRIBUTED") continue;
      // As attributeNewOrder records them: the earliest order within each incident's window.
      for (const id of result.returned) {
        const row = incidentRows.get(id);
        if (!row || (row.returnedAt !== null && row.returnedAt <= order.createdAt)) continue;
        row.returnedAt = order.createdAt;
        row.returnedOrderGid = order.id;
        row.returnedMinor = order.totalMinor;
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
  return { incidents: [...incidentRows.values()], offers: [...offers.values()] };
}

/** The rows as they stood at `asOf` (an order after it had not been placed yet). */
export function rowsAsOf(rows: ShopRows, asOf: Date): ShopRows {
  const t = asOf.getTime();
  const incidents = rows.incidents
    .filter((i) => i.detectedAt.getTime() <= t)
    .map((i) =>
      i.returnedAt && i.returnedAt.getTime() > t
        ? { ...i, returnedAt: null, returnedOrderGid: null, returnedMinor: null }
        : i,
    );
  const ids = new Set(incidents.map((i) => i.id));
  const offers = rows.offers.filter((o) => ids.has(o.incidentId));
  return { incidents, offers };
}

/** The records the dashboard reads, built from the rows by the app's own mapping. */
export function toRecords(rows: ShopRows): { incidents: IncidentRecord[]; offers: OfferRecord[] } {
  return { incidents: toIncidentRecords(rows.incidents), offers: toOfferRecords(rows.offers) };
}

export const experimentSettings = (world: World): ExperimentSettings => ({
  windowDays: WINDOW_DAYS,
  readoutIncidents: READOUT_INCIDENTS,
  holdoutShare: world.holdoutShare,
});

export interface RoundResult {
  truth: Truth;
  readout: Experiment["readouts"][number];
  /** Make-good value the round's assigned customers used (all codes here: already net of revenue). */
  usedMinor: number;
}

export interface ShopResult {
  /** Every readout the merchant is shown, each with the truth over its own incidents. */
  rounds: RoundResult[];
  /** What the page shows besides readouts: incidents still maturing when it was looked at. */
  maturing: number;
  /** Issued offers / treated incidents over the readouts. */
  issuedOffers: number;
  treatedIncidents: number;
}

export function runShop(world: World, seed: number, options: { revenue?: boolean } = {}): ShopResult {
  const shop = simulateShop(world, seed);
  const { incidents, offers } = toRecords(rowsAsOf(rowsOf(shop), shop.now));
  const settings = experimentSettings(world);
  const result = experiment({ incidents, offers, asOf: shop.now, settings }, options);
  const { rounds } = readoutRounds(incidents, shop.now, settings);
  const table = truthTable(shop);
  const issued = new Set(
    offers.filter((o) => o.issuedAt !== null && ISSUED_STATUSES.includes(o.status)).map((o) => o.incidentId),
  );
  let treated = 0;
  let issuedOffers = 0;
  for (const round of rounds)
    for (const i of round)
      if (!i.holdout) {
        treated++;
        if (issued.has(i.id)) issuedOffers++;
      }
  return {
    rounds: result.readouts.map((readout, k) => {
      const round = rounds[k] ?? [];
      const assigned = new Set(round.filter((i) => !i.holdout).map((i) => i.id));
      const usedMinor = offers
        .filter((o) => assigned.has(o.incidentId) && ISSUED_STATUSES.includes(o.status))
        .reduce((sum, o) => sum + o.discountUsedMinor, 0);
      return {
        readout,
        truth: truthOver(
          table,
          round.map((i) => i.id),
        ),
        usedMinor,
      };
    }),
    maturing: result.progress.maturing,
    issuedOffers,
    treatedIncidents: treated,
  };
}

/** World 1 with a year of history, looked at every day: did any readout the merchant saw look significant? */
export const DAILY_LOOK_DAYS = 365;

export function everSignificantWithDailyLooks(
  world: World,
  seed: number,
): { looks: number; readouts: number; significant: boolean } {
  const historyFrom = new Date("2024-01-01T00:00:00Z");
  const end = new Date(historyFrom.getTime() + DAILY_LOOK_DAYS * MS_PER_DAY);
  const shop = simulateShop(world, seed, {
    now: new Date(end.getTime() + 2 * WINDOW_DAYS * MS_PER_DAY),
    period: { from: historyFrom, to: end },
    historyFrom,
  });
  const all = rowsOf(shop);
  const settings = experimentSettings(world);
  let looks = 0;
  let readouts = 0;
  for (let day = 1; day <= DAILY_LOOK_DAYS; day++) {
    const asOf = new Date(historyFrom.getTime() + day * MS_PER_DAY);
    const { incidents, offers } = toRecords(rowsAsOf(all, asOf));
    const shown = experiment({ incidents, offers, asOf, settings }, { revenue: false });
    looks++;
    readouts = shown.readouts.length;
    if (shown.readouts.some((r) => r.verdict === "BETTER" || r.verdict === "WORSE"))
      return { looks, readouts, significant: true };
  }
  return { looks, readouts, significant: false };
}
