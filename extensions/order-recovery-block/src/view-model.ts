/**
 * The order block's logic, free of Preact and the `shopify` global: a one-line summary of the
 * order's recovery, a line per incident with its make-good's state, and links into the app.
 */

import {
  INCIDENT_TYPE_LABELS,
  labelOf,
  OFFER_STATUS_LABELS,
  type OfferStatus,
  type RecoveryStatus,
  type Tone,
} from "../../shared/recovery-api";

export { orderIdFromGid, recoveryUrl } from "../../shared/recovery-api";
export type { IncidentStatus, OfferStatus, RecoveryStatus, Tone } from "../../shared/recovery-api";

/** The incident's page in the embedded app (app/routes/app.incidents.$id/route.tsx). */
export function incidentHref(incidentId: string): string {
  return `app:app/incidents/${encodeURIComponent(incidentId)}`;
}

/** Where a make-good stands, for a badge: the words staff use and a tone that says if action is needed. */
export function offerBadge(offer: OfferStatus | undefined): { text: string; tone: Tone } {
  if (!offer) return { text: "Deciding", tone: "info" };
  switch (offer.status) {
    case "PENDING_APPROVAL":
      return { text: OFFER_STATUS_LABELS.PENDING_APPROVAL, tone: "caution" };
    // Approved is a moment before issuing: staff see one state.
    case "APPROVED":
    case "ISSUING":
      return { text: OFFER_STATUS_LABELS.ISSUING, tone: "info" };
    case "ISSUED":
    case "REDEEMED":
      return { text: labelOf(OFFER_STATUS_LABELS, offer.status), tone: "success" };
    case "FAILED":
      return { text: OFFER_STATUS_LABELS.FAILED, tone: "critical" };
    default:
      return { text: labelOf(OFFER_STATUS_LABELS, offer.status), tone: "neutral" };
  }
}

export interface BlockLine {
  incidentId: string;
  href: string;
  title: string;
  detail: string;
  badge: { text: string; tone: Tone };
}

export interface BlockView {
  /** Shown when the block is collapsed and as its first line. */
  summary: string;
  lines: BlockLine[];
}

export function blockView(status: RecoveryStatus): BlockView {
  const open = status.incidents.filter((i) => i.state === "OPEN").length;
  const waiting = status.incidents.filter((i) => i.offers[0]?.status === "PENDING_APPROVAL").length;
  const issued = status.incidents.filter((i) => ["ISSUED", "REDEEMED"].includes(i.offers[0]?.status ?? "")).length;
  const parts: string[] = [];
  if (status.incidents.length === 0) parts.push("No service failures recorded");
  else {
    parts.push(open === 0 ? "No open incidents" : `${open} open incident${open === 1 ? "" : "s"}`);
    if (waiting) parts.push(`${waiting} awaiting approval`);
    if (issued) parts.push(`${issued} make-good${issued === 1 ? "" : "s"} issued`);
  }
  return {
    summary: parts.join(" · "),
    lines: status.incidents.map((incident) => {
      const offer = incident.offers[0];
      const code = offer?.code ? ` · code ${offer.code}` : "";
      return {
        incidentId: incident.id,
        href: incidentHref(incident.id),
        title: `${labelOf(INCIDENT_TYPE_LABELS, incident.type)} (${incident.severity})${incident.state === "OPEN" ? "" : ", closed"}`,
        detail: offer ? `${offer.summary}${code}` : (incident.summary ?? "Make-good being decided"),
        badge: offerBadge(offer),
      };
    }),
  };
}
