/**
 * "Did it work?": one shop's incidents and offers for a period, loaded with shop-scoped indexed
 * queries (app/models/metrics.server.ts) and summarised by the pure recoveryReport.
 */
import { clock } from "../clock.server";
import {
  loadMetricsRows,
  type MetricsIncidentRow,
  type MetricsOfferRow,
  type MetricsPeriod,
} from "../models/metrics.server";
import { recoveryReport, type IncidentRecord, type OfferRecord, type RecoveryReport } from "../recovery/metrics";
import { shopContext } from "../models/shop-settings.server";
import {
  INCIDENT_TYPES,
  OFFER_KINDS,
  OFFER_STATUSES,
  type IncidentType,
  type OfferKind,
  type OfferStatus,
} from "../recovery/vocabulary";

export type { MetricsPeriod } from "../models/metrics.server";

export interface MetricsOptions extends MetricsPeriod {
  bucket?: "day" | "week";
  minPerGroup?: number;
  /** Defaults to the app clock's now. */
  asOf?: Date;
}

export interface RecoveryMetrics extends RecoveryReport {
  shop: string;
  from: Date;
  to: Date;
  timeZone: string;
  incidentCount: number;
  offerCount: number;
}

/** Decisions that went through the holdout draw (intent to treat). */
const DRAWN_DECISIONS = new Set(["OFFER", "HOLDOUT", "NO_OFFER"]);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function rootCauseLists(rootCause: unknown): Pick<IncidentRecord, "productIds" | "carriers" | "locationIds"> {
  const rc = typeof rootCause === "object" && rootCause !== null ? (rootCause as Record<string, unknown>) : {};
  return { productIds: strings(rc.productIds), carriers: strings(rc.carriers), locationIds: strings(rc.locationIds) };
}

const isIncidentType = (t: string): t is IncidentType => (INCIDENT_TYPES as readonly string[]).includes(t);
const isOfferKind = (k: string): k is Exclude<OfferKind, "NONE"> =>
  k !== "NONE" && (OFFER_KINDS as readonly string[]).includes(k);
const isOfferStatus = (s: string): s is OfferStatus => (OFFER_STATUSES as readonly string[]).includes(s);

export function toIncidentRecords(
  incidents: readonly MetricsIncidentRow[],
  offers: readonly MetricsOfferRow[],
): IncidentRecord[] {
  // The first order that won each incident back (an offer's or the holdout marker's), in one pass:
  // filtering the offers per incident was quadratic, seconds for a year of a busy shop.
  const firstWin = new Map<string, MetricsOfferRow>();
  for (const offer of offers) {
    if (offer.wonBackAt === null) continue;
    const seen = firstWin.get(offer.incidentId);
    if (!seen || offer.wonBackAt.getTime() < (seen.wonBackAt?.getTime() ?? 0)) firstWin.set(offer.incidentId, offer);
  }
  const records: IncidentRecord[] = [];
  for (const incident of incidents) {
    if (!isIncidentType(incident.type)) continue;
    const won = firstWin.get(incident.id);
    records.push({
      id: incident.id,
      type: incident.type,
      occurredAt: incident.occurredAt,
      detectedAt: incident.detectedAt,
      eligible: incident.decision !== null && DRAWN_DECISIONS.has(incident.decision),
      holdout: incident.holdout,
      wonBack: won !== undefined,
      wonBackOrder: won ? { id: won.wonBackOrderGid ?? `offer:${won.id}`, totalMinor: won.wonBackMinor ?? 0 } : null,
      ...rootCauseLists(incident.rootCause),
    });
  }
  return records;
}

export function toOfferRecords(offers: readonly MetricsOfferRow[]): OfferRecord[] {
  const records: OfferRecord[] = [];
  for (const offer of offers) {
    const kind = offer.kind;
    const status = offer.status;
    if (!isOfferKind(kind) || !isOfferStatus(status)) continue; // HOLDOUT markers (kind NONE) are not offers
    const redeemed = offer.redeemedAt !== null;
    const shippedGift = kind === "GIFT_PRODUCT" && offer.issuedAt !== null;
    records.push({
      id: offer.id,
      incidentId: offer.incidentId,
      kind,
      status,
      issuedAt: offer.issuedAt,
      expiresAt: offer.expiresAt,
      faceValueMinor: offer.faceValueMinor,
      redeemed,
      // A shipped gift is used at face value; otherwise what attribution recorded (0 when unknown).
      discountUsedMinor: shippedGift ? offer.faceValueMinor : redeemed ? (offer.discountUsedMinor ?? 0) : 0,
    });
  }
  return records;
}

/** What the dashboard shows for one shop and the incidents detected in [from, to). */
export async function recoveryMetrics(shop: string, options: MetricsOptions): Promise<RecoveryMetrics> {
  const period: MetricsPeriod = { from: options.from, to: options.to };
  const [rows, { timeZone }] = await Promise.all([loadMetricsRows(shop, period), shopContext(shop)]);
  const incidents = toIncidentRecords(rows.incidents, rows.offers);
  const offers = toOfferRecords(rows.offers);
  const report = recoveryReport({
    incidents,
    offers,
    timeZone,
    asOf: options.asOf ?? clock().now(),
    ...(options.bucket ? { bucket: options.bucket } : {}),
    ...(options.minPerGroup !== undefined ? { minPerGroup: options.minPerGroup } : {}),
  });
  return {
    shop,
    from: period.from,
    to: period.to,
    timeZone,
    incidentCount: incidents.length,
    offerCount: offers.length,
    ...report,
  };
}
