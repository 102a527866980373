/**
 * The merchant's incident pages: the index (filters, sort, search, keyset pages), one incident
 * with its offers and a single merged timeline, and opening an incident by hand. Every read is
 * scoped by shop; another shop's incident id is simply not found.
 */
import { z } from "zod";
import { prisma } from "../db.server";
import { TerminalJobError } from "../queue/errors";
import {
  incidentPage,
  incidentWithHistory,
  openIncidentFor,
  recordedOrderByName,
  shopHasIncidents,
  staffNamesOf,
} from "../models/incidents.server";
import { shopContext } from "../models/shop-settings.server";
import { clock } from "../clock.server";
import {
  decisionChecklist,
  describeCell,
  gridCellSchema,
  legacyExplanation,
  parseDecisionWhy,
  isLocalDate,
  localDate,
  MANUAL_CATEGORIES,
  maskCode,
  MS_PER_DAY,
  redactPersonalData,
  startOfLocalDay,
  type DecisionChecklist,
  type Severity,
} from "../recovery";
import type { AdminClient } from "../shopify/admin-client.server";
import { ordersByName } from "../shopify/operations/orders-by-name";
import { openManualIncident } from "./detection.server";
import {
  PAGE_SIZE,
  parseIncidentListQuery,
  parseIncidentSearch,
  parseOrderReference,
  type IncidentListQuery,
} from "./incidents-view/query";
import { buildTimeline, describeMeasure, numericId, type TimelineSource } from "./incidents-view/timeline";
import { causeLabel, ROOT_CAUSE_FIELDS } from "../recovery/digest";
import { causeNames } from "./cause-names.server";
import { editableValue } from "./approval-queue/rows.server";
import { incidentStanding, STANDING_BADGES, type StandingTone } from "../recovery/incidents/standing";
import {
  customerIdentities,
  searchCustomers,
  type CustomerIdentity,
  type CustomerReadRefusal,
  type CustomerSearchOutcome,
} from "./customer-identity.server";

export interface IncidentRow {
  id: string;
  type: string;
  severity: string;
  state: string;
  orderName: string;
  customerId: string | null;
  /** The customer's name and email, read live from Shopify (never stored); null: show the id. */
  customer: CustomerIdentity | null;
  detectedAt: string;
  occurredAt: string;
  holdout: boolean;
  what: string | null;
  offer: { status: string; kind: string } | null;
  /** Where it stands, as its page's title badge says (incidentStanding). */
  standing: { label: string; tone: StandingTone };
}

export interface IncidentIndex {
  query: IncidentListQuery;
  rows: IncidentRow[];
  page: { hasNext: boolean; hasPrevious: boolean; nextCursor: string | null; previousCursor: string | null };
  /** False when the shop has no incident at all (then the page explains what an incident is). */
  anyIncidents: boolean;
  timeZone: string;
  /** The root cause filter's name for its chip ("Teapot", "UPS", "Location 45"), or null without one. */
  causeLabel: string | null;
  /** An email or name search: what Shopify's customer search answered (null: no such search). */
  customerSearch: {
    kind: "EMAIL" | "NAME";
    outcome: CustomerSearchOutcome["status"];
    reason: CustomerReadRefusal | null;
    more: boolean;
  } | null;
  /** Why customer names are missing from the rows, when they are. */
  namesMissing: CustomerReadRefusal | "FAILED" | null;
}

export async function incidentIndex(
  shop: string,
  params: URLSearchParams,
  options: { admin?: AdminClient } = {},
): Promise<IncidentIndex> {
  const query = parseIncidentListQuery(params);
  const cause = query.cause;
  const search = parseIncidentSearch(query.q);
  // An email or a name: Shopify's customer search, now, with the member's client (never stored).
  const lookup = search?.customerLookup ? await searchCustomers(shop, options.admin, search.customerLookup) : null;
  const found = lookup?.status === "FOUND" ? lookup.customerGids : [];
  const [context, page, anyIncidents, names] = await Promise.all([
    shopContext(shop),
    incidentPage(
      prisma,
      shop,
      {
        types: query.types,
        severities: query.severities,
        states: query.states,
        offer: query.offer,
        offerStatuses: query.offerStatuses,
        search: search
          ? {
              orderNames: search.orderNames,
              orderGid: search.orderGid,
              customerGids: [...(search.customerGid ? [search.customerGid] : []), ...found],
            }
          : null,
        cause: cause ? { field: ROOT_CAUSE_FIELDS[cause.dimension], key: cause.key } : null,
      },
      query.sort,
      { size: PAGE_SIZE, after: query.after, before: query.before },
    ),
    shopHasIncidents(prisma, shop),
    cause && cause.dimension !== "carrier" ? causeNames(shop, [cause.key], options.admin) : {},
  ]);
  const currency = context.currency;
  const identities = await customerIdentities(
    shop,
    options.admin,
    page.items.map((i) => i.customerGid),
  );
  const rows = page.items.map<IncidentRow>((i) => ({
    id: i.id,
    type: i.type,
    severity: i.severity,
    state: i.state,
    orderName: i.orderName,
    customerId: i.customerGid ? numericId(i.customerGid) : null,
    customer: i.customerGid ? (identities.byGid[i.customerGid] ?? null) : null,
    detectedAt: i.detectedAt.toISOString(),
    occurredAt: i.occurredAt.toISOString(),
    holdout: i.holdout,
    what: describeMeasure(i.measure, currency),
    offer: i.offers[0] ? { status: i.offers[0].status, kind: i.offers[0].kind } : null,
    standing:
      STANDING_BADGES[
        incidentStanding({
          state: i.state,
          decision: i.decision,
          customerCameBack: i.returnedAt !== null || i.offers.some((o) => o.wonBackAt !== null),
          offers: i.offers,
        })
      ],
  }));
  return {
    query,
    rows,
    page: {
      hasNext: page.hasNext && rows.length > 0,
      hasPrevious: page.hasPrevious && rows.length > 0,
      nextCursor: rows.at(-1)?.id ?? null,
      previousCursor: rows[0]?.id ?? null,
    },
    anyIncidents,
    timeZone: context.timeZone,
    causeLabel: cause ? causeLabel(cause.dimension, cause.key, names) : null,
    customerSearch:
      search?.customerLookup && lookup
        ? {
            kind: search.customerLookup.kind,
            outcome: lookup.status,
            reason: lookup.status === "REFUSED" ? lookup.reason : null,
            more: lookup.status === "FOUND" && lookup.more,
          }
        : null,
    namesMissing: identities.missing,
  };
}

const incidentId = z.uuid();

export type IncidentDetail = NonNullable<Awaited<ReturnType<typeof incidentDetail>>>;

/** One incident for the detail page, or null (unknown id, malformed id, another shop's incident). */
export async function incidentDetail(shop: string, id: string) {
  if (!incidentId.safeParse(id).success) return null;
  const incident = await incidentWithHistory(prisma, shop, id);
  if (!incident) return null;
  const context = await shopContext(shop);
  const currency = context.currency;
  const evidence =
    incident.evidence && typeof incident.evidence === "object" && !Array.isArray(incident.evidence)
      ? (incident.evidence as Record<string, unknown>)
      : {};
  const reportedBy = typeof evidence.reportedBy === "string" ? evidence.reportedBy : null;
  const actors = [
    reportedBy ?? "",
    ...incident.events.map((e) => e.actor),
    ...incident.offers.flatMap((o) => [o.decidedBy ?? "", ...o.transitions.map((t) => t.actor)]),
  ];
  const names = await staffNamesOf(prisma, shop, actors);

  // The apology (OFFER_NOTIFIED / OFFER_EMAILED, once each per offer): only then is there a message to resend.
  const messaged = new Set(
    incident.events
      .filter((e) => e.kind === "OFFER_NOTIFIED" || e.kind === "OFFER_EMAILED")
      .map((e) => (e.data && typeof e.data === "object" ? (e.data as Record<string, unknown>).offerId : null)),
  );
  const offers = incident.offers.map((offer) => {
    const cell = gridCellSchema.safeParse(offer.cell);
    return {
      id: offer.id,
      status: offer.status,
      kind: offer.kind,
      label:
        offer.status === "HOLDOUT"
          ? "no make-good (control group)"
          : cell.success
            ? describeCell(cell.data, offer.currency)
            : offer.kind.toLowerCase().replace(/_/g, " "),
      faceValueMinor: offer.faceValueMinor,
      currency: offer.currency,
      approval: offer.approval,
      // Only the last four characters: the full code is for a member with authority who reveals it
      // (offer-codes.server.ts), and each reveal is audited (decision 0019).
      code: maskCode(offer.code),
      expiresAt: offer.expiresAt?.toISOString() ?? null,
      issuedAt: offer.issuedAt?.toISOString() ?? null,
      redeemedAt: offer.redeemedAt?.toISOString() ?? null,
      // Redacted when written (decision 0019); again here for errors stored before that.
      lastError: offer.status === "FAILED" && offer.lastError ? redactPersonalData(offer.lastError) : null,
      giftOrderId: offer.giftOrderGid ? numericId(offer.giftOrderGid) : null,
      redeemedOrderId: offer.redeemedOrderGid ? numericId(offer.redeemedOrderGid) : null,
      wonBackOrderId: offer.wonBackOrderGid ? numericId(offer.wonBackOrderGid) : null,
      decidedBy:
        offer.decidedBy && offer.decidedBy !== "system"
          ? (names.get(offer.decidedBy) ?? `staff member ${offer.decidedBy}`)
          : null,
      gridVersion: offer.gridVersion,
      /** The customer was sent this make-good's message (so "Resend message" has something to send). */
      messageSent: messaged.has(offer.id),
      /** A waiting offer's value a person may change before approving (the approvals page's edit). */
      editable: offer.status === "PENDING_APPROVAL" ? editableValue(offer) : null,
    };
  });
  const offerById = new Map(offers.map((o) => [o.id, o]));

  const events: TimelineSource[] = incident.events.map((e) => ({
    source: "event",
    id: e.id,
    kind: e.kind,
    actor: e.actor,
    at: e.at,
    data: e.data,
  }));
  const transitions: TimelineSource[] = incident.offers.flatMap((o) =>
    o.transitions.map<TimelineSource>((t) => ({
      source: "transition",
      id: t.id,
      kind: "TRANSITION",
      actor: t.actor,
      at: t.at,
      data: t.data,
      offerId: o.id,
      fromStatus: t.fromStatus,
      toStatus: t.toStatus,
      note: t.note,
    })),
  );
  const timeline = buildTimeline(events, transitions, {
    currency,
    reportedBy,
    staffName: (userId) => names.get(userId) ?? null,
    offer: (offerId) => {
      const offer = offerById.get(offerId);
      return offer ? { label: offer.label, code: offer.code } : undefined;
    },
  });

  return {
    shop,
    currency,
    timeZone: context.timeZone,
    why: decisionWhyOf(incident),
    incident: {
      id: incident.id,
      type: incident.type,
      severity: incident.severity,
      state: incident.state,
      orderName: incident.orderName,
      orderId: numericId(incident.orderGid),
      customerId: incident.customerGid ? numericId(incident.customerGid) : null,
      occurredAt: incident.occurredAt.toISOString(),
      detectedAt: incident.detectedAt.toISOString(),
      closedAt: incident.closedAt?.toISOString() ?? null,
      what: describeMeasure(incident.measure, currency),
      note: typeof evidence.note === "string" ? evidence.note : null,
      decision: incident.decision,
      holdout: incident.holdout,
      /** A repurchase was attributed: the experiment's window (returnedAt) or a make-good's win-back. */
      customerCameBack: incident.returnedAt !== null || incident.offers.some((o) => o.wonBackAt !== null),
    },
    offers,
    timeline,
  };
}

/**
 * "Why Amends decided this" (decision 0123): the checklist of the latest decision's stored record
 * (its DECIDED event); a decision stored before records existed shows its lines, reworded; none
 * while the incident waits for its decision.
 */
export type DecisionWhyView =
  { kind: "CHECKLIST"; checklist: DecisionChecklist } | { kind: "LINES"; lines: string[] } | null;

function decisionWhyOf(incident: {
  decision: string | null;
  explanation: string[];
  events: ReadonlyArray<{ kind: string; at: Date; data: unknown }>;
}): DecisionWhyView {
  if (!incident.decision) return null;
  const decided = incident.events
    .filter((e) => e.kind === "DECIDED")
    .reduce<{ at: Date; data: unknown } | null>((last, e) => (!last || e.at >= last.at ? e : last), null);
  const data = decided?.data;
  const why =
    data && typeof data === "object" && !Array.isArray(data) ? parseDecisionWhy((data as { why?: unknown }).why) : null;
  if (why && why.kind === incident.decision) return { kind: "CHECKLIST", checklist: decisionChecklist(why) };
  return incident.explanation.length > 0 ? { kind: "LINES", lines: legacyExplanation(incident.explanation) } : null;
}

// --- Opening an incident by hand ---

export const manualIncidentForm = z.object({
  order: z
    .string({ error: "Enter the order's name, for example #1001" })
    .trim()
    .min(1, "Enter the order's name, for example #1001")
    .refine((value) => parseOrderReference(value) !== null, "Enter an order name like #1001, or the order's id"),
  category: z.enum(MANUAL_CATEGORIES, { error: "Choose what went wrong" }),
  severity: z.enum(["minor", "moderate", "major", "critical"], { error: "Choose how bad it was" }),
  note: z
    .string({ error: "Say what the customer told you" })
    .trim()
    .min(1, "Say what the customer told you")
    .max(1000, "Keep the note under 1,000 characters"),
  /** The day the customer was let down (shop time); empty means today. */
  happenedOn: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine(
      (value) => value === undefined || isLocalDate(value),
      "Enter a date like 2026-11-20, or leave it empty for today",
    ),
});
export type ManualIncidentForm = z.output<typeof manualIncidentForm>;

export type OpenByHandOutcome =
  | { kind: "OPENED"; incidentId: string }
  | { kind: "ALREADY_OPEN"; incidentId: string; orderName: string }
  | { kind: "FIELD_ERRORS"; fieldErrors: Record<string, string> };

const EXCLUSION_WORDING: Record<string, string> = {
  TEST_ORDER: "This is a test order: Amends opens no incidents for test orders.",
  AMENDS_GIFT_ORDER:
    "This is a free gift Amends sent as a make-good: report a problem with it on the customer's original order.",
  EXCLUDED_ORDER_TAG: "This order carries a tag your settings exclude from Amends.",
  EXCLUDED_CUSTOMER_TAG: "This order's customer carries a tag your settings exclude from Amends.",
};

/** How far back a hand-opened incident may date: the attribution and metrics look back this far anyway. */
const MANUAL_LOOKBACK_DAYS = 90;

/**
 * When the failure happened: now for today (or no date), else the start of that day in the shop's
 * time zone. Not in the future, not more than 90 days back.
 */
async function occurredAtOf(shop: string, happenedOn: string | undefined): Promise<Date | Error> {
  const now = clock().now();
  if (!happenedOn) return now;
  const timeZone = (await shopContext(shop)).timeZone;
  const today = localDate(now, timeZone);
  if (happenedOn > today) return new Error("That date is in the future");
  if (happenedOn === today) return now;
  const start = startOfLocalDay(happenedOn, timeZone);
  if (now.getTime() - start.getTime() > MANUAL_LOOKBACK_DAYS * MS_PER_DAY)
    return new Error(`Choose a day in the last ${MANUAL_LOOKBACK_DAYS} days`);
  return start;
}

/** Find the order: Amends' own records by name first, then Shopify's search by name, then a bare number as an id. */
async function resolveOrder(shop: string, input: string, admin: AdminClient): Promise<{ orderGid: string } | null> {
  const reference = parseOrderReference(input);
  if (!reference) return null;
  if (reference.kind === "GID") return { orderGid: reference.gid };
  const recorded = await recordedOrderByName(prisma, shop, reference.name);
  if (recorded) return { orderGid: recorded.orderGid };
  const { orders } = await admin.run(ordersByName, { name: reference.name });
  const match = orders.nodes.find((o) => o.name.toLowerCase() === reference.name.toLowerCase());
  if (match) return { orderGid: match.id };
  return reference.orElseGid ? { orderGid: reference.orElseGid } : null;
}

/**
 * A staff member reports a failure the store's signals did not show (a complaint by mail, phone,
 * chat). One open staff-reported incident per order: a second report points at the first.
 */
export async function openIncidentByHand(
  shop: string,
  staff: { userId: string },
  form: ManualIncidentForm,
  admin: AdminClient,
): Promise<OpenByHandOutcome> {
  const notFound: OpenByHandOutcome = {
    kind: "FIELD_ERRORS",
    fieldErrors: { order: `No order ${form.order} in your store. Check the order's name (for example #1001).` },
  };
  const occurredAt = await occurredAtOf(shop, form.happenedOn);
  if (occurredAt instanceof Error) return { kind: "FIELD_ERRORS", fieldErrors: { happenedOn: occurredAt.message } };
  const order = await resolveOrder(shop, form.order, admin);
  if (!order) return notFound;
  const open = await openIncidentFor(prisma, shop, order.orderGid, "MANUAL");
  if (open) return { kind: "ALREADY_OPEN", incidentId: open.id, orderName: open.orderName };
  try {
    const outcome = await openManualIncident(
      shop,
      order.orderGid,
      {
        category: form.category,
        severity: form.severity as Severity,
        note: form.note,
        reportedBy: staff.userId,
        occurredAt,
      },
      { admin },
    );
    if (outcome.kind === "EXCLUDED") {
      return {
        kind: "FIELD_ERRORS",
        fieldErrors: { order: EXCLUSION_WORDING[outcome.reason] ?? "Amends does not open incidents for this order." },
      };
    }
    if (outcome.kind !== "OPENED") {
      // Someone else reported it a moment before (the database kept one open incident).
      const existing = await openIncidentFor(prisma, shop, order.orderGid, "MANUAL");
      return { kind: "ALREADY_OPEN", incidentId: outcome.incidentId, orderName: existing?.orderName ?? form.order };
    }
    return { kind: "OPENED", incidentId: outcome.incidentId };
  } catch (error) {
    if (error instanceof TerminalJobError && error.code === "ORDER_NOT_FOUND") return notFound;
    throw error;
  }
}
