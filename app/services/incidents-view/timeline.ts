/**
 * An incident's one timeline: its events (signals, severity changes, the decision, approvals,
 * issue, notifications, follow-up, repurchase) and its offers' audit trail merged in time order,
 * oldest first (it reads as the story of the incident), each entry told in plain words.
 * Pure: the service loads the rows, these functions shape and word them.
 */
import { formatMoney, type MinorUnits } from "../../recovery/money";
import {
  findLabel,
  INCIDENT_TYPE_LABELS,
  MANUAL_CATEGORY_LABELS,
  OFFER_STATUS_LABELS,
  STORE_CANCEL_REASON_LABELS,
} from "../../recovery/words";

export interface TimelineSource {
  source: "event" | "transition";
  id: string;
  kind: string;
  /** "system" or the Shopify user id of the staff member who did it. */
  actor: string;
  at: Date;
  data: unknown;
  /** Transitions only. */
  offerId?: string;
  fromStatus?: string | null;
  toStatus?: string;
  note?: string | null;
}

export interface TimelineContext {
  currency: string;
  /** The name of a staff member from their user id, when Amends knows it. */
  staffName(userId: string): string | null;
  /** What an offer was, for wording ("a 20% discount code"). */
  offer(offerId: string): { label: string; code: string | null } | undefined;
  /** Who reported a staff-opened incident (kept in its evidence; its signal event is written by the system). */
  reportedBy?: string | null;
}

export type TimelineTone = "info" | "success" | "warning" | "critical" | "attention" | undefined;

export interface TimelineEntry {
  id: string;
  at: string;
  title: string;
  detail: string | null;
  tone: TimelineTone;
  /** What happened, in a word or two, for the entry's badge ("Approved", "Message sent"); null: no badge. */
  badge: string | null;
}

/** An event's badge: a status, not the colour's name (the tone only colours it). */
const EVENT_BADGES: Record<string, string> = {
  SIGNAL: "Detected",
  SEVERITY_RAISED: "Severity raised",
  DECIDED: "Decided",
  OFFER_APPROVED: "Approved",
  OFFER_REJECTED: "Rejected",
  OFFER_ESCALATED: "Escalated",
  OFFER_EXPIRED: "Expired",
  OFFER_SUPERSEDED: "Replaced",
  OFFER_FAILED: "Failed",
  OFFER_ISSUED: "Issued",
  OFFER_NOTIFIED: "Message sent",
  INCIDENT_NOTIFIED: "Message sent",
  INCIDENT_ACK_EMAILED: "Message sent",
  OFFER_EMAILED: "Message sent",
  FOLLOW_UP_SENT: "Message sent",
  FOLLOW_UP_EMAILED: "Message sent",
  OFFER_RESENT: "Message sent",
  OFFER_RESENT_EMAILED: "Message sent",
  RATED_LOW_SENT: "Message sent",
  FOLLOW_UP_DUE: "Follow-up due",
  FOLLOW_UP_SKIPPED: "Skipped",
  OFFER_REDEEMED: "Used",
  OFFER_UNUSED: "Expired unused",
  WON_BACK: "Came back",
  FAILURE_ENDED: "Failure ended",
  CLOSED: "Closed",
  STAFF_NOTE: "Note",
  RATED: "Rated",
  LOW_RATING_FOLLOWED_UP: "Followed up",
};

/** The badge of an entry: an event's by its kind, an offer's move by where it went. */
export function timelineBadge(entry: TimelineSource): string | null {
  if (entry.source === "event") return EVENT_BADGES[entry.kind] ?? null;
  const to = entry.toStatus ?? "";
  if (!entry.fromStatus)
    return to === "PENDING_APPROVAL" ? "Waiting for approval" : to === "HOLDOUT" ? null : "Proposed";
  if (entry.fromStatus === "FAILED" && to === "APPROVED") return "Retried";
  return findLabel(OFFER_STATUS_LABELS, to) ?? null;
}

/** Which event already tells an offer's move to a status (the audit row then adds nothing). */
const EVENT_FOR_STATUS: Record<string, string> = {
  APPROVED: "OFFER_APPROVED",
  REJECTED: "OFFER_REJECTED",
  EXPIRED: "OFFER_EXPIRED",
  ISSUED: "OFFER_ISSUED",
  FAILED: "OFFER_FAILED",
  SUPERSEDED: "OFFER_SUPERSEDED",
  REDEEMED: "OFFER_REDEEMED",
  UNUSED: "OFFER_UNUSED",
};

const record = (data: unknown): Record<string, unknown> =>
  data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
const str = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/**
 * Events and offer transitions as one list, oldest first. A transition that an event already
 * tells (an APPROVED transition next to its OFFER_APPROVED event) is left out; on equal times
 * events come first (the decision before the offer it created), otherwise the input order holds.
 */
export function mergeTimeline(
  events: readonly TimelineSource[],
  transitions: readonly TimelineSource[],
): TimelineSource[] {
  const told = new Set(
    events
      .map((e) => {
        const offerId = str(record(e.data).offerId);
        return offerId ? `${e.kind}:${offerId}` : null;
      })
      .filter((key): key is string => key !== null),
  );
  const kept = transitions.filter((t) => {
    // A retry (FAILED -> APPROVED) is a person's act no event tells: OFFER_APPROVED is the approval.
    if (t.fromStatus === "FAILED") return true;
    // The decision event already says the incident went to the control group.
    const eventKind =
      !t.fromStatus && t.toStatus === "HOLDOUT" ? "DECIDED" : t.toStatus ? EVENT_FOR_STATUS[t.toStatus] : undefined;
    return !(eventKind && t.offerId && told.has(`${eventKind}:${t.offerId}`));
  });
  const all = [...events, ...kept].map((entry, index) => ({ entry, index }));
  all.sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index);
  return all.map(({ entry }) => entry);
}

const DELIVERY_FAILURE_CAUSES: Record<string, string> = {
  FAILURE: "the carrier reported a failed delivery",
  REPEATED_ATTEMPTS: "repeated delivery attempts",
  RETURNED_TO_SENDER: "the parcel was returned to sender",
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The measure severity was judged on, in words ("3 business days late"). */
export function describeMeasure(measure: unknown, currency: string): string | null {
  const m = record(measure);
  switch (m.kind) {
    case "BUSINESS_DAYS_LATE":
      return num(m.days) === null ? null : `${plural(num(m.days) ?? 0, "business day")} past its ship-by date`;
    case "DAYS_LATE":
      return num(m.days) === null ? null : `${plural(num(m.days) ?? 0, "day")} past the promised delivery`;
    case "DELIVERY_FAILED": {
      const cause = DELIVERY_FAILURE_CAUSES[String(m.cause)] ?? "the delivery failed";
      const attempts = num(m.attempts);
      return attempts && attempts > 1 ? `${cause} (${plural(attempts, "attempt")})` : cause;
    }
    case "REFUND_SHARE": {
      const refunded = num(m.refundedMinor);
      const total = num(m.orderTotalMinor);
      if (refunded === null || total === null) return null;
      const share = total > 0 ? Math.round((refunded / total) * 100) : 100;
      return `${formatMoney(refunded as MinorUnits, currency)} refunded, ${share}% of the order`;
    }
    case "CANCELLED":
      return `cancelled by the store (${findLabel(STORE_CANCEL_REASON_LABELS, m.reason)?.toLowerCase() ?? `reason: ${String(m.reason ?? "not given")}`})`;
    case "STAFF_CHOSEN":
      return findLabel(MANUAL_CATEGORY_LABELS, m.category) ?? null;
    default:
      return null;
  }
}

function who(actor: string, context: TimelineContext): string {
  if (actor === "system") return "Amends";
  return context.staffName(actor) ?? `staff member ${actor}`;
}

function offerWords(data: Record<string, unknown>, context: TimelineContext, fallback = "the make-good"): string {
  const offerId = str(data.offerId);
  return (offerId && context.offer(offerId)?.label) || fallback;
}

const DECISIONS: Record<string, string> = {
  OFFER: "Decided on a make-good",
  HOLDOUT: "Put in the control group: no make-good, so Amends can measure what make-goods change",
  NO_OFFER: "Decided on no make-good",
  INELIGIBLE: "Not eligible for a make-good",
};

/** One timeline entry in plain words: a title, an optional detail line and a tone for its badge. */
export function describeTimelineEntry(
  entry: TimelineSource,
  context: TimelineContext,
): Omit<TimelineEntry, "id" | "at" | "badge"> {
  const data = record(entry.data);
  const by = who(entry.actor, context);
  if (entry.source === "transition") return describeTransition(entry, context, by);
  switch (entry.kind) {
    case "SIGNAL": {
      const type = findLabel(INCIDENT_TYPE_LABELS, data.type) ?? "Service failure";
      const measure = describeMeasure(data.measure, context.currency);
      const severity = str(data.severity);
      const boosts =
        Array.isArray(data.boosts) && data.boosts.length > 0
          ? `, raised from ${String(data.base)} (${data.boosts.map(String).join(", ")})`
          : "";
      const reporter = data.type === "MANUAL" ? (entry.actor !== "system" ? entry.actor : context.reportedBy) : null;
      const title =
        data.type === "MANUAL"
          ? `Reported by ${reporter ? who(reporter, context) : "staff"}`
          : `Detected: ${type.toLowerCase()}`;
      const detail = [measure, severity ? `severity ${severity}${boosts}` : null].filter(Boolean).join("; ");
      return { title, detail: detail || null, tone: "warning" };
    }
    case "SEVERITY_RAISED": {
      const measure = describeMeasure(data.measure, context.currency);
      return {
        title: `Severity raised from ${String(data.from)} to ${String(data.to)}`,
        detail: measure ? `Now ${measure}` : null,
        tone: "warning",
      };
    }
    case "DECIDED": {
      const decision = str(data.decision) ?? "";
      // Why, the page's summary says once ("Why Amends decided this"): not repeated here.
      return {
        title: DECISIONS[decision] ?? "Decided",
        detail: null,
        tone: decision === "OFFER" ? "info" : undefined,
      };
    }
    case "OFFER_APPROVED": {
      const value = num(data.faceValueMinor);
      return {
        title: `Approved by ${by}`,
        detail:
          value !== null
            ? `${capitalise(offerWords(data, context))}, worth ${formatMoney(value as MinorUnits, context.currency)}`
            : capitalise(offerWords(data, context)),
        tone: "success",
      };
    }
    case "OFFER_REJECTED":
      return {
        title: `Rejected by ${by}`,
        detail: str(data.reason) ? `Reason: ${str(data.reason)}` : null,
        tone: "critical",
      };
    case "OFFER_ESCALATED":
      return {
        title: "Not decided in time: passed on to a manager",
        detail: str(data.approvalFrom)
          ? `It was waiting for ${String(data.approvalFrom).toLowerCase()} approval`
          : null,
        tone: "warning",
      };
    case "OFFER_EXPIRED":
      return {
        title: "Approval window closed without a decision",
        detail: `${capitalise(offerWords(data, context))} was not sent`,
        tone: "warning",
      };
    case "OFFER_SUPERSEDED":
      return {
        title: "Make-good replaced before it went out",
        detail: str(data.severity) ? `The incident became ${String(data.severity)}, so Amends decides again` : null,
        tone: undefined,
      };
    case "OFFER_FAILED":
      return {
        title: "Issuing in Shopify failed",
        detail: [str(data.error), "Amends tries again; staff can see it in Approvals"].filter(Boolean).join(". "),
        tone: "critical",
      };
    case "OFFER_ISSUED": {
      const offerId = str(data.offerId);
      const code = offerId ? context.offer(offerId)?.code : null;
      return {
        title: `Issued in Shopify: ${offerWords(data, context)}`,
        detail: code ? `Code ${code}` : null,
        tone: "success",
      };
    }
    case "OFFER_NOTIFIED":
      return {
        title: "Customer told through Shopify Flow",
        detail: 'The "Recovery offer issued" trigger went to the store\'s own email or SMS workflow',
        tone: "info",
      };
    case "INCIDENT_NOTIFIED":
      return {
        title: "Customer acknowledged through Shopify Flow",
        detail: 'The "Recovery incident detected" trigger carried the acknowledgement to the store\'s own workflow',
        tone: "info",
      };
    case "INCIDENT_ACK_EMAILED":
      return { title: "Acknowledgement emailed to the customer", detail: null, tone: "info" };
    case "OFFER_EMAILED":
      return { title: "Apology emailed to the customer", detail: null, tone: "info" };
    case "FOLLOW_UP_SENT":
      return { title: "Follow-up sent through Shopify Flow", detail: null, tone: "info" };
    case "FOLLOW_UP_DUE":
      return {
        title: "Follow-up due: contact the customer",
        detail: "No Flow workflow sends the follow-up, so it waits for staff",
        tone: "attention",
      };
    case "FOLLOW_UP_SKIPPED":
      return { title: "Follow-up skipped: the customer already bought again", detail: null, tone: undefined };
    case "OFFER_REDEEMED":
      return {
        title: `Customer used ${offerWords(data, context)}`,
        detail: str(data.orderGid)
          ? `On order ${numericId(String(data.orderGid))}${str(data.via) ? `, by ${viaWords(String(data.via))}` : ""}`
          : null,
        tone: "success",
      };
    case "OFFER_UNUSED":
      return { title: `${capitalise(offerWords(data, context))} expired unused`, detail: null, tone: undefined };
    case "WON_BACK": {
      const total = num(data.totalMinor);
      const amount = total !== null ? ` for ${formatMoney(total as MinorUnits, context.currency)}` : "";
      const order = str(data.orderGid) ? ` (order ${numericId(String(data.orderGid))})` : "";
      return {
        title: `Customer bought again${amount}${order}`,
        detail: data.holdout === true ? "Counted for the control group, which got no make-good" : null,
        tone: "success",
      };
    }
    case "FAILURE_ENDED":
      return {
        title: "The failure ended",
        detail: str(data.reason) ? `Reason: ${humanise(String(data.reason))}` : null,
        tone: undefined,
      };
    case "CLOSED":
      return {
        title: data.byHand === true ? `Incident closed by ${by}` : "Incident closed",
        detail: null,
        tone: undefined,
      };
    // Decision 0121: what staff did from the incident page.
    case "STAFF_NOTE":
      return { title: `Note by ${by}`, detail: str(data.text), tone: undefined };
    case "OFFER_RESENT":
      return {
        title: `Message sent again through Shopify Flow, at ${by}'s request`,
        detail: 'The "Recovery offer issued" trigger went to the store\'s own email or SMS workflow again',
        tone: "info",
      };
    case "OFFER_RESENT_EMAILED":
      return { title: `Apology emailed to the customer again, at ${by}'s request`, detail: null, tone: "info" };
    // Decision 0117: the customer's rating after the recovery and its follow-up.
    case "FOLLOW_UP_EMAILED":
      return { title: "Follow-up emailed to the customer, with the rating links", detail: null, tone: "info" };
    case "RATED":
      return {
        title: `Customer rated the recovery ${num(data.score) ?? "?"} of 5`,
        detail:
          data.low === true
            ? "A low rating: it waits in Approvals until someone follows it up"
            : data.channel === "APP_PROXY"
              ? "On the store's own site"
              : null,
        tone: data.low === true ? "attention" : "success",
      };
    case "RATED_LOW_SENT":
      return {
        title: "Low rating sent to Shopify Flow",
        detail: 'The "Recovery rated low" trigger went to the store\'s own workflow',
        tone: "info",
      };
    case "LOW_RATING_FOLLOWED_UP":
      return { title: `Low rating followed up by ${by}`, detail: null, tone: "success" };
    default:
      return { title: capitalise(humanise(entry.kind)), detail: null, tone: undefined };
  }
}

function describeTransition(
  entry: TimelineSource,
  context: TimelineContext,
  by: string,
): Omit<TimelineEntry, "id" | "at" | "badge"> {
  const offer = entry.offerId ? (context.offer(entry.offerId)?.label ?? "a make-good") : "a make-good";
  const to = entry.toStatus ?? "";
  const note = entry.note ?? null;
  if (!entry.fromStatus) {
    // The decision's own notes ("auto-approved", "needs MANAGER approval") repeat the title: only other notes show.
    const own = note !== null && /^(auto-approved|control group|needs (STAFF|MANAGER|AUTO) approval)$/.test(note);
    return describeCreated(offer, to, own ? null : note);
  }
  if (to === "ISSUING") return { title: `Issuing ${offer} in Shopify`, detail: note, tone: undefined };
  if (entry.fromStatus === "FAILED" && to === "APPROVED")
    return {
      title: entry.actor === "system" ? `Issuing ${offer} retried` : `Issuing ${offer} retried by ${by}`,
      detail: null,
      tone: "info",
    };
  if (to === "PENDING_APPROVAL")
    return { title: `${capitalise(offer)} waits for approval`, detail: note, tone: "attention" };
  const status = findLabel(OFFER_STATUS_LABELS, to) ?? humanise(to);
  return {
    title: `${capitalise(offer)}: ${status.toLowerCase()}${entry.actor === "system" ? "" : ` by ${by}`}`,
    detail: note,
    tone: undefined,
  };
}

function describeCreated(offer: string, to: string, note: string | null): Omit<TimelineEntry, "id" | "at" | "badge"> {
  if (to === "HOLDOUT") return { title: "No make-good: control group", detail: note, tone: undefined };
  if (to === "PENDING_APPROVAL")
    return { title: `Proposed ${offer}, waiting for approval`, detail: note, tone: "attention" };
  if (to === "APPROVED") return { title: `Proposed ${offer}, approved automatically`, detail: note, tone: "info" };
  return { title: `Proposed ${offer}`, detail: note, tone: "info" };
}

function viaWords(via: string): string {
  return (
    ({ CODE: "its discount code", STORE_CREDIT: "store credit", GIFT_CARD: "the gift card" } as Record<string, string>)[
      via
    ] ?? humanise(via)
  );
}

export function numericId(gidValue: string): string {
  return gidValue.split("/").pop() ?? gidValue;
}

function humanise(kind: string): string {
  return kind.toLowerCase().replace(/_/g, " ");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The merged, worded timeline. */
export function buildTimeline(
  events: readonly TimelineSource[],
  transitions: readonly TimelineSource[],
  context: TimelineContext,
): TimelineEntry[] {
  return mergeTimeline(events, transitions).map((entry) => ({
    id: `${entry.source}:${entry.id}`,
    at: entry.at.toISOString(),
    ...describeTimelineEntry(entry, context),
    badge: timelineBadge(entry),
  }));
}
