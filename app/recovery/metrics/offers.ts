/** Consumption, breakage, time to offer, revenue, cost and ROI. */
import type { MinorUnits } from "../money";
import { DAY_BUCKETS, dayBucket, MS_PER_DAY, type DayBucket } from "../time";
import { ISSUED_STATUSES } from "../vocabulary";
import type { IncidentRecord, OfferRecord } from "./records";
import { holdoutIncidents, treatedIncidents } from "./recovery";

export const isIssued = (offer: OfferRecord) => offer.issuedAt !== null && ISSUED_STATUSES.includes(offer.status);

export interface Consumption {
  /** Issued offers a customer has to act on (codes, credit, gift cards). */
  issued: number;
  /** Of those: redeemed, or past their expiry, so their fate is known. */
  settled: number;
  redeemed: number;
  consumptionRate: number | null;
  breakageRate: number | null;
}

/**
 * Consumption = redeemed / (issued offers whose expiry passed or that were
 * redeemed). A shipped gift product has nothing to redeem and is left out. A
 * gift card without expiry counts as settled once `noExpirySettleDays` have
 * passed since issue, or it would only ever enter the rate when used.
 */
export function consumption(offers: readonly OfferRecord[], asOf: Date, noExpirySettleDays = 90): Consumption {
  const redeemable = offers.filter((o) => isIssued(o) && o.kind !== "GIFT_PRODUCT");
  const settledBy = (o: OfferRecord) => {
    const end = o.expiresAt ?? new Date((o.issuedAt?.getTime() ?? 0) + noExpirySettleDays * MS_PER_DAY);
    return o.redeemed || end.getTime() <= asOf.getTime();
  };
  const settled = redeemable.filter(settledBy);
  const redeemed = settled.filter((o) => o.redeemed).length;
  const rate = settled.length === 0 ? null : redeemed / settled.length;
  return {
    issued: redeemable.length,
    settled: settled.length,
    redeemed,
    consumptionRate: rate,
    breakageRate: rate === null ? null : 1 - rate,
  };
}

export interface TimeToOfferBucket {
  bucket: DayBucket;
  offers: number;
  wonBack: number;
  recoveryRate: number | null;
}

/** Issued offers by shop-local days from failure to offer, with the recovery rate of each bucket. */
export function timeToOffer(
  incidents: readonly IncidentRecord[],
  offers: readonly OfferRecord[],
  timeZone: string,
): TimeToOfferBucket[] {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const rows = new Map<DayBucket, { offers: number; wonBack: number }>(
    DAY_BUCKETS.map((b) => [b, { offers: 0, wonBack: 0 }]),
  );
  for (const offer of offers.filter(isIssued)) {
    const incident = byId.get(offer.incidentId);
    if (!incident || !offer.issuedAt) continue;
    const row = rows.get(dayBucket(incident.occurredAt, offer.issuedAt, timeZone));
    if (!row) continue;
    row.offers += 1;
    if (incident.wonBack) row.wonBack += 1;
  }
  return DAY_BUCKETS.map((bucket) => {
    const row = rows.get(bucket) ?? { offers: 0, wonBack: 0 };
    return { bucket, ...row, recoveryRate: row.offers === 0 ? null : row.wonBack / row.offers };
  });
}

/** Total of distinct won-back orders: one order that wins back two incidents is revenue once. */
export function revenueWonBack(incidents: readonly IncidentRecord[]): MinorUnits {
  const orders = new Map<string, MinorUnits>();
  for (const incident of incidents) {
    if (incident.wonBack && incident.wonBackOrder)
      orders.set(incident.wonBackOrder.id, incident.wonBackOrder.totalMinor);
  }
  return [...orders.values()].reduce((sum, total) => sum + total, 0);
}

export interface Cost {
  faceValueIssuedMinor: MinorUnits;
  usedMinor: MinorUnits;
  /**
   * The part of `usedMinor` already taken off the won-back orders' totals: a discount code lowers
   * the order's total (Shopify's current total is net of it), while store credit and gift cards
   * pay for an order whose total stays whole, and a shipped gift is an order of its own.
   */
  netOfRevenueMinor: MinorUnits;
}

const CODE_KINDS: ReadonlySet<OfferRecord["kind"]> = new Set(["DISCOUNT_PERCENT", "DISCOUNT_FIXED"]);

export function cost(offers: readonly OfferRecord[]): Cost {
  const issued = offers.filter(isIssued);
  const used = (list: readonly OfferRecord[]) => list.reduce((sum, o) => sum + o.discountUsedMinor, 0);
  return {
    faceValueIssuedMinor: issued.reduce((sum, o) => sum + o.faceValueMinor, 0),
    usedMinor: used(issued),
    netOfRevenueMinor: used(issued.filter((o) => CODE_KINDS.has(o.kind))),
  };
}

export interface ReturnOnInvestment {
  revenueWonBackMinor: MinorUnits;
  holdoutRevenueWonBackMinor: MinorUnits;
  /** Won-back revenue per treated incident minus per holdout incident. */
  incrementalRevenuePerIncidentMinor: number | null;
  /** That difference times the treated incidents. */
  incrementalRevenueMinor: number | null;
  cost: Cost;
  /**
   * (incremental revenue - the value used that revenue does not already net out) / value used:
   * each make-good's cost counted once. Null without a holdout, or with nothing used.
   */
  roi: number | null;
}

/**
 * ROI on revenue (Amends does not know margins): incremental revenue is what
 * treated customers brought back beyond what holdout customers did, per
 * incident, scaled to the treated incidents. Cost is the value customers
 * actually used, not the face value issued: unused codes cost nothing.
 */
export function returnOnInvestment(
  incidents: readonly IncidentRecord[],
  offers: readonly OfferRecord[],
): ReturnOnInvestment {
  const treated = treatedIncidents(incidents);
  const holdout = holdoutIncidents(incidents);
  const revenueWonBackMinor = revenueWonBack(treated);
  const holdoutRevenueWonBackMinor = revenueWonBack(holdout);
  const treatedIds = new Set(treated.map((i) => i.id));
  const spent = cost(offers.filter((o) => treatedIds.has(o.incidentId)));
  if (treated.length === 0 || holdout.length === 0) {
    return {
      revenueWonBackMinor,
      holdoutRevenueWonBackMinor,
      incrementalRevenuePerIncidentMinor: null,
      incrementalRevenueMinor: null,
      cost: spent,
      roi: null,
    };
  }
  const perIncident = revenueWonBackMinor / treated.length - holdoutRevenueWonBackMinor / holdout.length;
  const incremental = perIncident * treated.length;
  return {
    revenueWonBackMinor,
    holdoutRevenueWonBackMinor,
    incrementalRevenuePerIncidentMinor: perIncident,
    incrementalRevenueMinor: incremental,
    cost: spent,
    roi: spent.usedMinor === 0 ? null : (incremental - (spent.usedMinor - spent.netOfRevenueMinor)) / spent.usedMinor,
  };
}
