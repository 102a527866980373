/**
 * One CSV row per offer (HOLDOUT markers included: they carry the control group's outcomes) for
 * the merchant's own analysis. No customer personal data: no names, emails, addresses or customer
 * ids; the order name ("#1001") is the store's own reference.
 */
import { fromMinorUnits, type MinorUnits } from "../money";
import { dayBucket } from "../time";
import type { CsvValue } from "./csv";

export interface OfferExportRecord {
  offerId: string;
  incidentId: string;
  incidentType: string;
  severity: string;
  orderName: string;
  occurredAt: Date;
  detectedAt: Date;
  /** When the decision produced the offer. */
  decidedAt: Date;
  issuedAt: Date | null;
  kind: string;
  approval: string;
  faceValueMinor: MinorUnits;
  currency: string;
  status: string;
  redeemedAt: Date | null;
  discountUsedMinor: MinorUnits | null;
  wonBackAt: Date | null;
  wonBackMinor: MinorUnits | null;
}

export const OFFER_EXPORT_COLUMNS = [
  "offer_id",
  "incident_id",
  "incident_type",
  "severity",
  "order_name",
  "occurred_at",
  "detected_at",
  "decided_at",
  "issued_at",
  "kind",
  "approval",
  "currency",
  "face_value",
  "status",
  "redeemed",
  "redeemed_at",
  "discount_used",
  "won_back",
  "won_back_at",
  "revenue_won_back",
  "time_to_offer",
] as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const money = (minor: MinorUnits | null, currency: string) => (minor === null ? null : fromMinorUnits(minor, currency));

/** Cells in OFFER_EXPORT_COLUMNS order; money as decimals of the shop currency, times in UTC (ISO 8601). */
export function offerExportCells(r: OfferExportRecord, timeZone: string): CsvValue[] {
  return [
    r.offerId,
    r.incidentId,
    r.incidentType,
    r.severity,
    r.orderName,
    iso(r.occurredAt),
    iso(r.detectedAt),
    iso(r.decidedAt),
    iso(r.issuedAt),
    r.kind,
    r.approval,
    r.currency,
    money(r.faceValueMinor, r.currency),
    r.status,
    r.redeemedAt !== null,
    iso(r.redeemedAt),
    money(r.discountUsedMinor, r.currency),
    r.wonBackAt !== null,
    iso(r.wonBackAt),
    money(r.wonBackMinor, r.currency),
    r.issuedAt ? dayBucket(r.occurredAt, r.issuedAt, timeZone) : null,
  ];
}
