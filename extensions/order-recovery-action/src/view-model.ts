/**
 * The order action's logic, free of Preact and of the `shopify` global so vitest can run it: what
 * to show, how to format it, which requests to send, and whether a value is within the member's
 * authority. The backend re-checks everything (authority, exclusions, the grid); this only keeps
 * the form honest.
 */

import type { Authority, MakeGoodResult, Suggestion } from "../../../app/services/make-good.server";
import {
  humanize,
  INCIDENT_TYPE_LABELS,
  labelOf,
  MANUAL_CATEGORIES,
  OFFER_STATUS_LABELS,
  orderIdFromGid,
  SEVERITIES,
  type ManualCategory,
  type RecoveryStatus,
  type Severity,
  type Tone,
} from "../../shared/recovery-api";

export { humanize, orderIdFromGid, recoveryUrl } from "../../shared/recovery-api";
export { MANUAL_CATEGORY_LABELS, SEVERITY_LABELS } from "../../shared/recovery-api";
export type { IncidentStatus, OfferStatus, RecoveryStatus, Tone } from "../../shared/recovery-api";

// What the backend answers (app/services/make-good.server.ts), read as its own types: type-only,
// so nothing of the app's server code reaches the bundle.
export type { Authority, Suggestion };
export type CreateResult = MakeGoodResult;

export const CATEGORIES = MANUAL_CATEGORIES;
export type Category = ManualCategory;
export { SEVERITIES, type Severity };

export function suggestBody(category: Category, severity: Severity): string {
  return JSON.stringify({ intent: "suggest", category, severity });
}

export function createBody(input: {
  category: Category;
  severity: Severity;
  note: string;
  value: number | null;
  mode: "ISSUE" | "REQUEST_APPROVAL";
}): string {
  return JSON.stringify({
    intent: "create",
    category: input.category,
    severity: input.severity,
    note: input.note.trim(),
    mode: input.mode,
    ...(input.value === null ? {} : { value: input.value }),
  });
}

const OFFER_TONES: Record<string, Tone> = {
  PENDING_APPROVAL: "caution",
  APPROVED: "info",
  ISSUING: "info",
  ISSUED: "success",
  REDEEMED: "success",
  FAILED: "critical",
  REJECTED: "neutral",
  EXPIRED: "neutral",
  UNUSED: "neutral",
  HOLDOUT: "neutral",
  SUPERSEDED: "neutral",
};

/** Banners have no caution or neutral tone. */
export function bannerTone(tone: Tone): "info" | "success" | "warning" | "critical" {
  return tone === "caution" ? "warning" : tone === "neutral" ? "info" : tone;
}

export function offerTone(status: string): Tone {
  return OFFER_TONES[status] ?? "neutral";
}

export interface StatusLine {
  incidentId: string;
  title: string;
  badge: { text: string; tone: Tone };
  detail: string;
}

/** One line per incident, newest first: what went wrong and where its make-good stands. */
export function statusLines(status: RecoveryStatus): StatusLine[] {
  return status.incidents.map((incident) => {
    const offer = incident.offers[0];
    const title = `${labelOf(INCIDENT_TYPE_LABELS, incident.type)} · ${incident.severity}${incident.state === "OPEN" ? "" : " · closed"}`;
    if (!offer)
      return {
        incidentId: incident.id,
        title,
        badge: { text: "Deciding", tone: "info" },
        detail: incident.summary ?? "No make-good decided yet",
      };
    const code = offer.code ? ` · code ${offer.code}` : "";
    return {
      incidentId: incident.id,
      title,
      badge: { text: labelOf(OFFER_STATUS_LABELS, offer.status), tone: offerTone(offer.status) },
      detail: `${offer.summary}${code}`,
    };
  });
}

/** Decimal places of a currency's minor unit (JPY 0, USD 2, KWD 3). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

export interface ValueField {
  /** What the field shows and takes: percent, or the amount in major units. */
  unit: "PERCENT" | "MONEY";
  initial: number;
  min: number;
  /** The most this member may give at once (their authority), in the field's unit; null = no limit. */
  maxWithinAuthority: number | null;
  /** Hard limit (100 for percent). */
  max: number | null;
}

/**
 * The editable value of a suggested offer: money kinds and percent codes that need an approval.
 * An AUTO offer goes out at the grid's value (editing it would need an approval route of its own).
 */
export function valueField(suggestion: Suggestion): ValueField | null {
  if (suggestion.kind !== "OFFER" || suggestion.offer.approval === "AUTO") return null;
  const { offer, authority, currency } = suggestion;
  if (offer.unit === "PERCENT") {
    // The face value scales with the percent (the basket is fixed), so the limit scales the same way.
    const perPercent = offer.value > 0 ? offer.faceValueMinor / offer.value : 0;
    const within =
      authority.limitMinor === null || perPercent === 0
        ? null
        : Math.min(100, Math.floor(authority.limitMinor / perPercent));
    return { unit: "PERCENT", initial: offer.value, min: 1, max: 100, maxWithinAuthority: within };
  }
  if (offer.unit === "MONEY") {
    return {
      unit: "MONEY",
      initial: toMajor(offer.value, currency),
      min: toMajor(1, currency),
      max: null,
      maxWithinAuthority: authority.limitMinor === null ? null : toMajor(authority.limitMinor, currency),
    };
  }
  return null;
}

export type ValueCheck = { ok: true; value: number | null; withinAuthority: boolean } | { ok: false; error: string };

/**
 * The entered value as the backend takes it (percent, or minor units), or why it cannot be sent.
 * Above the member's authority it is still valid: it goes for approval instead of out at once.
 */
export function checkValue(field: ValueField | null, entered: string, currency: string): ValueCheck {
  if (!field) return { ok: true, value: null, withinAuthority: true };
  const text = entered.trim();
  if (text === "")
    return {
      ok: true,
      value: null,
      withinAuthority: field.maxWithinAuthority === null || field.initial <= field.maxWithinAuthority,
    };
  const number = Number(text);
  if (!Number.isFinite(number)) return { ok: false, error: "Enter a number" };
  if (number < field.min) return { ok: false, error: `Enter at least ${field.min}` };
  if (field.max !== null && number > field.max) return { ok: false, error: `Enter at most ${field.max}` };
  const withinAuthority = field.maxWithinAuthority === null || number <= field.maxWithinAuthority;
  if (number === field.initial) return { ok: true, value: null, withinAuthority };
  return { ok: true, value: field.unit === "PERCENT" ? number : toMinor(number, currency), withinAuthority };
}

/**
 * "Issue now" only when the grid auto-approves or the member may approve this value themselves
 * (the rule of canApprove: MANAGER-routed offers need a manager, and the value must be within the
 * member's limit); otherwise the incident opens and the offer waits for someone with more authority.
 */
export function submitMode(
  suggestion: Suggestion,
  check: ValueCheck,
): { mode: "ISSUE" | "REQUEST_APPROVAL"; label: string } {
  if (suggestion.kind !== "OFFER" || !check.ok) return { mode: "REQUEST_APPROVAL", label: "Open incident" };
  const canIssue =
    check.value === null
      ? suggestion.canIssueNow
      : check.withinAuthority && !(suggestion.offer.approval === "MANAGER" && suggestion.authority.level === "STAFF");
  return canIssue ? { mode: "ISSUE", label: "Issue now" } : { mode: "REQUEST_APPROVAL", label: "Send for approval" };
}

export function resultMessage(result: CreateResult): { tone: Tone; text: string } {
  switch (result.kind) {
    case "EXCLUDED":
      return { tone: "warning", text: `No incident opened: the order is excluded (${humanize(result.reason)}).` };
    case "NO_OFFER":
      return { tone: "info", text: `Incident opened. ${result.summary ?? "No make-good for it."}` };
    case "OFFER":
      if (result.outcome === "ISSUING")
        return { tone: "success", text: `Make-good approved and being issued: ${result.offer.summary}` };
      if (result.outcome === "PENDING_APPROVAL")
        return { tone: "caution", text: `Waiting for approval: ${result.message}` };
      return { tone: "info", text: `This order already has an open incident: ${result.message}` };
  }
}

/** The backend's JSON error ({error}) or a generic line, for a failed request. */
export async function errorText(response: { status: number; json(): Promise<unknown> }): Promise<string> {
  if (response.status === 401) return "Your session expired: reload the page.";
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string") return body.error;
  } catch {
    // not JSON
  }
  return `Amends could not answer (HTTP ${response.status}). Try again.`;
}

/** What should-render reads (Direct API access, the app's own scopes): is this a test order? */
export const ORDER_TEST_QUERY = `query AmendsOrderIsTest($id: ID!) { order(id: $id) { id test } }`;

/**
 * Show "Offer a make-good" for real orders only: Amends never opens incidents for test orders
 * (decision 0099 §2), so the action would only lead to a refusal. When the order cannot be read (a
 * network hiccup) it shows: the backend applies the same exclusions anyway.
 */
export function shouldDisplay(
  selectedId: string | undefined,
  order: { test?: boolean | null } | null | undefined,
  readFailed: boolean,
): boolean {
  if (!orderIdFromGid(selectedId)) return false;
  if (readFailed) return true;
  return order?.test !== true;
}
