/** Badges and dates shared by the incident pages. */
import { Badge } from "@shopify/polaris";
import { OFFER_STATUS_LABELS } from "../services/incidents-view/timeline";

type Tone = "info" | "success" | "warning" | "critical" | "attention" | "new" | undefined;

const SEVERITY: Record<string, { label: string; tone: Tone }> = {
  minor: { label: "Minor", tone: "info" },
  moderate: { label: "Moderate", tone: "attention" },
  major: { label: "Major", tone: "warning" },
  critical: { label: "Critical", tone: "critical" },
};

export function SeverityBadge({ severity }: { severity: string }) {
  const s = SEVERITY[severity] ?? { label: severity, tone: undefined };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function StateBadge({ state }: { state: string }) {
  return state === "OPEN" ? <Badge tone="attention">Open</Badge> : <Badge>Closed</Badge>;
}

const OFFER_TONES: Record<string, Tone> = {
  PENDING_APPROVAL: "attention",
  APPROVED: "info",
  ISSUING: "info",
  ISSUED: "success",
  REDEEMED: "success",
  FAILED: "critical",
  REJECTED: undefined,
  EXPIRED: "warning",
};

export function OfferStatusBadge({ status }: { status: string }) {
  return <Badge tone={OFFER_TONES[status]}>{OFFER_STATUS_LABELS[status] ?? status}</Badge>;
}

/** A moment in the shop's time zone, the same on the server and in the browser. */
export function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}
