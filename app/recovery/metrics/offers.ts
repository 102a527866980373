/** Consumption, breakage, time to offer and cost. */
import type { MinorUnits } from "../money";
import { DAY_BUCKETS, dayBucketOfDays, localDayNumbers, MS_PER_DAY, type DayBucket } from "../time";
import { ISSUED_STATUSES, type Severity } from "../vocabulary";
import type { IncidentRecord, OfferRecord } from "./records";
import { wilsonInterval, type Interval } from "./statistics";

export const isIssued = (offer: OfferRecord) => offer.issuedAt !== null && ISSUED_STATUSES.includes(offer.status);

export interface Consumption {
  /** Issued offers a customer has to act on (codes, credit, gift cards). */
  issued: number;
  /** Of those: whose time to be used is over (expired, or 90 days old without an expiry), so their fate is known. */
  settled: number;
  /** Of the settled: used. */
  redeemed: number;
  /** Still open: not counted yet, used or not. */
  open: number;
  consumptionRate: number | null;
  breakageRate: number | null;
}

/**
 * Consumption = used / issued offers whose time to be used is over. An offer counts only once its
 * expiry passed, used or not: counting used offers as soon as they are used would show "100% used"
 * while the unused ones are still open. A shipped gift product or replacement has nothing to redeem
 * and is left out; a gift card without expiry settles `noExpirySettleDays` after issue.
 */
export function consumption(offers: readonly OfferRecord[], asOf: Date, noExpirySettleDays = 90): Consumption {
  const redeemable = offers.filter((o) => isIssued(o) && o.kind !== "GIFT_PRODUCT" && o.kind !== "REPLACEMENT");
  const settledBy = (o: OfferRecord) => {
    const end = o.expiresAt ?? new Date((o.issuedAt?.getTime() ?? 0) + noExpirySettleDays * MS_PER_DAY);
    return end.getTime() <= asOf.getTime();
  };
  const settled = redeemable.filter(settledBy);
  const redeemed = settled.filter((o) => o.redeemed).length;
  const rate = settled.length === 0 ? null : redeemed / settled.length;
  return {
    issued: redeemable.length,
    settled: settled.length,
    redeemed,
    open: redeemable.length - settled.length,
    consumptionRate: rate,
    breakageRate: rate === null ? null : 1 - rate,
  };
}

export type ApprovalRouteGroup = "AUTOMATIC" | "STAFF";

export interface TimeToOfferRow {
  severity: Severity;
  route: ApprovalRouteGroup;
  bucket: DayBucket;
  offers: number;
  returned: number;
  rate: number | null;
  interval: Interval | null;
}

/**
 * Issued make-goods by severity, approval route and shop-local days from failure to offer, with
 * how often their customers ordered again within the window after detection and a 95% interval.
 * Only incidents whose window has closed count. Severity and approval route are held fixed
 * because both change how soon an offer goes out and how often customers return (critical
 * incidents wait for staff and their customers come back more): comparing raw buckets would show
 * a timing effect where there is none. Still a comparison, not a cause: timing is not assigned at
 * random.
 */
export function timeToOffer(
  incidents: readonly IncidentRecord[],
  offers: readonly OfferRecord[],
  timeZone: string,
  isMature: (incident: IncidentRecord) => boolean,
): TimeToOfferRow[] {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const dayOf = localDayNumbers(timeZone);
  const rows = new Map<string, TimeToOfferRow>();
  for (const offer of offers) {
    if (!isIssued(offer) || !offer.issuedAt) continue;
    const incident = byId.get(offer.incidentId);
    if (!incident || incident.holdout || incident.customerId === null || !isMature(incident)) continue;
    const route: ApprovalRouteGroup = offer.approval === "AUTO" ? "AUTOMATIC" : "STAFF";
    const bucket = dayBucketOfDays(dayOf(offer.issuedAt) - dayOf(incident.occurredAt));
    const key = `${incident.severity}|${route}|${bucket}`;
    const row = rows.get(key) ?? {
      severity: incident.severity,
      route,
      bucket,
      offers: 0,
      returned: 0,
      rate: null,
      interval: null,
    };
    row.offers += 1;
    if (incident.wonBack) row.returned += 1;
    rows.set(key, row);
  }
  const severityOrder: Severity[] = ["critical", "major", "moderate", "minor"];
  return [...rows.values()]
    .map((r) => ({ ...r, rate: r.returned / r.offers, interval: wilsonInterval(r.returned, r.offers) }))
    .sort(
      (a, b) =>
        severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) ||
        a.route.localeCompare(b.route) ||
        DAY_BUCKETS.indexOf(a.bucket) - DAY_BUCKETS.indexOf(b.bucket),
    );
}

export interface Cost {
  faceValueIssuedMinor: MinorUnits;
  usedMinor: MinorUnits;
  /**
   * The part of `usedMinor` already taken off the returning orders' totals: a discount code lowers
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
