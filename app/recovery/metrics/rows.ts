/**
 * The metrics' rows as the database returns them (app/models/metrics.server.ts selects exactly
 * these columns), and how they become the records the metrics read. Pure, so the dashboard and
 * `npm run check:lift` (simulated shops with a known truth) build records the same way.
 */
import type { IncidentRecord, OfferRecord } from "./records";
import {
  APPROVALS,
  INCIDENT_TYPES,
  OFFER_KINDS,
  OFFER_STATUSES,
  SEVERITIES,
  type Approval,
  type IncidentType,
  type OfferKind,
  type OfferStatus,
  type Severity,
} from "../vocabulary";

export interface MetricsIncidentRow {
  id: string;
  type: string;
  severity: string;
  customerGid: string | null;
  occurredAt: Date;
  detectedAt: Date;
  decision: string | null;
  holdout: boolean;
  rootCause: unknown;
  /** The first counted order within the attribution window after detection (attribution.server.ts). */
  returnedAt: Date | null;
  returnedOrderGid: string | null;
  returnedMinor: number | null;
}

export interface MetricsOfferRow {
  id: string;
  incidentId: string;
  kind: string;
  status: string;
  approval: string;
  issuedAt: Date | null;
  expiresAt: Date | null;
  faceValueMinor: number;
  redeemedAt: Date | null;
  discountUsedMinor: number | null;
}

/** Decisions that went through the holdout draw (intent to treat): the experiment's incidents. */
export const DRAWN_DECISIONS: ReadonlySet<string> = new Set(["OFFER", "HOLDOUT", "NO_OFFER"]);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function rootCauseLists(rootCause: unknown): Pick<IncidentRecord, "productIds" | "carriers" | "locations"> {
  const rc = typeof rootCause === "object" && rootCause !== null ? (rootCause as Record<string, unknown>) : {};
  return { productIds: strings(rc.productIds), carriers: strings(rc.carriers), locations: strings(rc.locations) };
}

const isIncidentType = (t: string): t is IncidentType => (INCIDENT_TYPES as readonly string[]).includes(t);
const isOfferKind = (k: string): k is Exclude<OfferKind, "NONE"> =>
  k !== "NONE" && (OFFER_KINDS as readonly string[]).includes(k);
const isOfferStatus = (s: string): s is OfferStatus => (OFFER_STATUSES as readonly string[]).includes(s);
const isSeverity = (s: string): s is Severity => (SEVERITIES as readonly string[]).includes(s);
const isApproval = (s: string): s is Approval => (APPROVALS as readonly string[]).includes(s);

export function toIncidentRecords(incidents: readonly MetricsIncidentRow[]): IncidentRecord[] {
  const records: IncidentRecord[] = [];
  for (const incident of incidents) {
    if (!isIncidentType(incident.type) || !isSeverity(incident.severity)) continue;
    const returned = incident.returnedAt !== null;
    records.push({
      id: incident.id,
      type: incident.type,
      severity: incident.severity,
      occurredAt: incident.occurredAt,
      detectedAt: incident.detectedAt,
      customerId: incident.customerGid,
      eligible: incident.decision !== null && DRAWN_DECISIONS.has(incident.decision),
      holdout: incident.holdout,
      wonBack: returned,
      wonBackOrder: returned
        ? { id: incident.returnedOrderGid ?? `incident:${incident.id}`, totalMinor: incident.returnedMinor ?? 0 }
        : null,
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
    if (!isOfferKind(kind) || !isOfferStatus(status) || !isApproval(offer.approval)) continue; // HOLDOUT markers (kind NONE) are not offers
    const redeemed = offer.redeemedAt !== null;
    // A replacement ships like a gift (decision 0116): used at face value once issued.
    const shippedGift = (kind === "GIFT_PRODUCT" || kind === "REPLACEMENT") && offer.issuedAt !== null;
    records.push({
      id: offer.id,
      incidentId: offer.incidentId,
      kind,
      status,
      approval: offer.approval,
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
