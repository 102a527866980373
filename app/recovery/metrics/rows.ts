/**
 * The metrics' rows as the database returns them (app/models/metrics.server.ts selects exactly
 * these columns), and how they become the records the metrics read. Pure, so the dashboard and
 * `npm run check:lift` (simulated shops with a known truth) build records the same way.
 */
import type { IncidentRecord, OfferRecord } from "./records";
import {
  INCIDENT_TYPES,
  OFFER_KINDS,
  OFFER_STATUSES,
  type IncidentType,
  type OfferKind,
  type OfferStatus,
} from "../vocabulary";

export interface MetricsIncidentRow {
  id: string;
  type: string;
  occurredAt: Date;
  detectedAt: Date;
  decision: string | null;
  holdout: boolean;
  rootCause: unknown;
}

export interface MetricsOfferRow {
  id: string;
  incidentId: string;
  kind: string;
  status: string;
  issuedAt: Date | null;
  expiresAt: Date | null;
  faceValueMinor: number;
  redeemedAt: Date | null;
  discountUsedMinor: number | null;
  wonBackAt: Date | null;
  wonBackOrderGid: string | null;
  wonBackMinor: number | null;
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
