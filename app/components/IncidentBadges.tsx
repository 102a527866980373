/** Badges and dates shared by the incident pages. */
import { Badge } from "@shopify/polaris";
import type { OfferStatus, Severity } from "../recovery/vocabulary";
import { labelOf, OFFER_STATUS_LABELS, SEVERITY_LABELS } from "../recovery/words";

type Tone = "info" | "success" | "warning" | "critical" | "attention" | "new" | undefined;

const SEVERITY_TONES: Record<Severity, Tone> = {
  minor: "info",
  moderate: "attention",
  major: "warning",
  critical: "critical",
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={SEVERITY_TONES[severity as Severity]}>{labelOf(SEVERITY_LABELS, severity)}</Badge>;
}

const OFFER_TONES: Partial<Record<OfferStatus, Tone>> = {
  PENDING_APPROVAL: "attention",
  APPROVED: "info",
  ISSUING: "info",
  ISSUED: "success",
  REDEEMED: "success",
  FAILED: "critical",
  EXPIRED: "warning",
};

export function OfferStatusBadge({ status }: { status: string }) {
  return <Badge tone={OFFER_TONES[status as OfferStatus]}>{labelOf(OFFER_STATUS_LABELS, status)}</Badge>;
}

/** A moment in the shop's time zone, the same on the server and in the browser. */
export function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}
