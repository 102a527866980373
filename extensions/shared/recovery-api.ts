/**
 * What the order page extensions (action and block) and the app's backend
 * (app/routes/api.orders.$orderId.recovery.tsx) say to each other, and the small helpers both
 * extensions need. Plain TypeScript: bundled into each extension.
 *
 * The domain's closed lists and their labels come from the app's pure domain core (app/recovery:
 * no framework, no I/O, no imports but types), so the order page names incidents, severities and
 * make-good states with the same words as the app; the bundle takes only those small modules.
 */
export { MANUAL_CATEGORIES, type ManualCategory } from "../../app/recovery/incidents/signals";
export { SEVERITIES, type Severity } from "../../app/recovery/vocabulary";
export {
  INCIDENT_TYPE_LABELS,
  labelOf,
  MANUAL_CATEGORY_LABELS,
  OFFER_STATUS_LABELS,
  SEVERITY_LABELS,
} from "../../app/recovery/words";

export interface OfferStatus {
  id: string;
  kind: string;
  status: string;
  approval: string;
  faceValue: string;
  code: string | null;
  expiresAt: string | null;
  summary: string;
}

export interface IncidentStatus {
  id: string;
  type: string;
  severity: string;
  state: string;
  detectedAt: string;
  summary: string | null;
  offers: OfferStatus[];
}

export interface RecoveryStatus {
  orderGid: string;
  currency: string;
  incidents: IncidentStatus[];
}

export type Tone = "info" | "success" | "caution" | "warning" | "critical" | "neutral";

/** "gid://shopify/Order/123" -> "123"; null when the admin gave something else. */
export function orderIdFromGid(gid: string | undefined): string | null {
  const match = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid ?? "");
  return match ? match[1]! : null;
}

/** The backend route; a relative URL resolves against the app's URL and carries the session token. */
export function recoveryUrl(orderId: string): string {
  return `/api/orders/${encodeURIComponent(orderId)}/recovery`;
}

/** "DAMAGED_ITEM" -> "Damaged item". */
export function humanize(value: string): string {
  const words = value.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
