/**
 * Incidents and their timeline. At most one OPEN incident per (shop, order,
 * type) is enforced by the unique (shop, orderGid, type, openSlot): opening
 * is an INSERT ... ON CONFLICT DO NOTHING, and the loser of a race (or a
 * replayed signal) locks the open row and raises it only when the new
 * severity is higher (reconcileIncident). Never check-then-insert.
 */
import type { IncidentState, IncidentType, OfferStatus, Prisma } from "@prisma/client";
import type { Tx } from "../db.server";
import {
  DRAWN_DECISIONS,
  MS_PER_DAY,
  reconcileIncident,
  type IncidentSignal,
  type StandingAssignment,
  type Reconciliation,
  type Severity,
  type SeverityAssessment,
} from "../recovery";

export interface IncidentInput {
  shop: string;
  orderName: string;
  signal: IncidentSignal;
  assessment: SeverityAssessment;
  detectedAt: Date;
}

export type OpenOrRaise =
  | { kind: "OPENED"; incidentId: string; severity: Severity }
  | { kind: "RAISED"; incidentId: string; from: Severity; to: Severity }
  | { kind: "UNCHANGED"; incidentId: string; severity: Severity };

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

/** When this customer's incidents on other orders occurred, since `since` (for the repeat-customer boost). */
export async function otherIncidentDates(
  tx: Tx,
  shop: string,
  customerGid: string | null,
  orderGid: string,
  since: Date,
): Promise<Date[]> {
  if (!customerGid) return [];
  const rows = await tx.incident.findMany({
    where: { shop, customerGid, orderGid: { not: orderGid }, occurredAt: { gte: since } },
    select: { occurredAt: true },
  });
  return rows.map((r) => r.occurredAt);
}

export async function openOrRaiseIncident(tx: Tx, input: IncidentInput): Promise<OpenOrRaise> {
  const { shop, signal, assessment, detectedAt } = input;
  const evidence = json({ ...signal.evidence, severity: { base: assessment.base, boosts: assessment.boosts } });
  const reopened = await reopenIfWorse(tx, input, evidence);
  if (reopened) return reopened;
  const [created] = await tx.incident.createManyAndReturn({
    data: [
      {
        shop,
        orderGid: signal.orderId,
        orderName: input.orderName,
        customerGid: signal.customerId,
        type: signal.type,
        severity: assessment.severity,
        measure: json(signal.measure),
        evidence,
        rootCause: json(signal.rootCause),
        occurredAt: signal.occurredAt,
        detectedAt,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (created) {
    await tx.incidentEvent.create({
      data: {
        shop,
        incidentId: created.id,
        kind: "SIGNAL",
        at: detectedAt,
        data: json({
          type: signal.type,
          severity: assessment.severity,
          base: assessment.base,
          boosts: assessment.boosts,
          measure: signal.measure,
          occurredAt: signal.occurredAt,
        }),
      },
    });
    return { kind: "OPENED", incidentId: created.id, severity: assessment.severity };
  }

  // Already open: lock it so concurrent detections of the same order serialise here.
  const [open] = await tx.$queryRaw<Array<{ id: string; severity: Severity }>>`
    SELECT id::text, severity::text AS severity FROM "Incident"
    WHERE shop = ${shop} AND "orderGid" = ${signal.orderId} AND type = ${signal.type}::"IncidentType" AND "openSlot" = 'open'
    FOR UPDATE`;
  if (!open) throw new Error(`incident for ${signal.orderId} ${signal.type} neither inserted nor found open`);
  const change: Reconciliation = reconcileIncident({ severity: open.severity }, assessment.severity);
  if (change.kind !== "RAISE") return { kind: "UNCHANGED", incidentId: open.id, severity: open.severity };
  await tx.incident.update({
    where: { id: open.id },
    data: { severity: change.to, measure: json(signal.measure), evidence },
  });
  return recordRaise(tx, input, open.id, change, "SEVERITY_RAISED");
}

/** The event that says why an incident's severity went up, and the outcome that reports it. */
async function recordRaise(
  tx: Tx,
  input: IncidentInput,
  incidentId: string,
  change: Extract<Reconciliation, { kind: "RAISE" }>,
  kind: "SEVERITY_RAISED" | "REOPENED",
): Promise<OpenOrRaise> {
  const { shop, signal, assessment, detectedAt } = input;
  await tx.incidentEvent.create({
    data: {
      shop,
      incidentId,
      kind,
      at: detectedAt,
      data: json({
        from: change.from,
        to: change.to,
        base: assessment.base,
        boosts: assessment.boosts,
        measure: signal.measure,
      }),
    },
  });
  return { kind: "RAISED", incidentId, from: change.from, to: change.to };
}

/**
 * Detection is state-based, so the signal of a closed incident (a refund, a carrier delay that
 * has since been delivered) is seen again on every later read of the order. It belongs to the
 * closed incident: nothing new opens, unless the signal is now worse, which reopens and raises it
 * (decision 0099 §2: a worse signal raises severity instead of opening a second incident).
 */
async function reopenIfWorse(
  tx: Tx,
  input: IncidentInput,
  evidence: Prisma.InputJsonValue,
): Promise<OpenOrRaise | null> {
  const { shop, signal, assessment } = input;
  const [closed] = await tx.$queryRaw<Array<{ id: string; severity: Severity }>>`
    SELECT id::text, severity::text AS severity FROM "Incident"
    WHERE shop = ${shop} AND "orderGid" = ${signal.orderId} AND type = ${signal.type}::"IncidentType" AND state = 'CLOSED'
      AND NOT EXISTS (
        SELECT 1 FROM "Incident" AS open
        WHERE open.shop = ${shop} AND open."orderGid" = ${signal.orderId} AND open.type = ${signal.type}::"IncidentType" AND open."openSlot" = 'open'
      )
    ORDER BY "detectedAt" DESC
    LIMIT 1
    FOR UPDATE`;
  if (!closed) return null;
  const change: Reconciliation = reconcileIncident({ severity: closed.severity }, assessment.severity);
  if (change.kind !== "RAISE") return { kind: "UNCHANGED", incidentId: closed.id, severity: closed.severity };
  await tx.incident.update({
    where: { id: closed.id },
    data: {
      state: "OPEN",
      openSlot: "open",
      closedAt: null,
      failureEndedAt: null,
      severity: change.to,
      measure: json(signal.measure),
      evidence,
    },
  });
  return recordRaise(tx, input, closed.id, change, "REOPENED");
}

// --- Reading incidents for the merchant's pages (app/services/incidents-view.server.ts) ---

export interface IncidentPageFilter {
  types: IncidentType[];
  severities: Severity[];
  states: IncidentState[];
  /** "with": at least one offer that is not the control group's; "without": none; "holdout": the control group. */
  offer: "with" | "without" | "holdout" | null;
  offerStatuses: OfferStatus[];
  /** Any of: these order names, this order, these customers (an email or name search resolved by Shopify). */
  search: { orderNames: string[]; orderGid: string | null; customerGids: string[] } | null;
  /** A root cause (decision 0118): incidents whose rootCause lists `key` under `field`. */
  cause?: { field: "productIds" | "carriers" | "locations"; key: string } | null;
}

export type IncidentPageSort =
  "detected-desc" | "detected-asc" | "severity-desc" | "severity-asc" | "order-asc" | "order-desc";

const PAGE_ORDER: Record<IncidentPageSort, Prisma.IncidentOrderByWithRelationInput[]> = {
  "detected-desc": [{ detectedAt: "desc" }, { id: "desc" }],
  "detected-asc": [{ detectedAt: "asc" }, { id: "asc" }],
  // PostgreSQL orders an enum by its declaration order: minor < moderate < major < critical.
  "severity-desc": [{ severity: "desc" }, { detectedAt: "desc" }, { id: "desc" }],
  "severity-asc": [{ severity: "asc" }, { detectedAt: "desc" }, { id: "desc" }],
  "order-asc": [{ orderName: "asc" }, { id: "asc" }],
  "order-desc": [{ orderName: "desc" }, { id: "desc" }],
};

function incidentPageWhere(shop: string, filter: IncidentPageFilter): Prisma.IncidentWhereInput {
  const and: Prisma.IncidentWhereInput[] = [{ shop }];
  if (filter.types.length > 0) and.push({ type: { in: filter.types } });
  if (filter.severities.length > 0) and.push({ severity: { in: filter.severities } });
  if (filter.states.length > 0) and.push({ state: { in: filter.states } });
  if (filter.offer === "holdout") and.push({ holdout: true });
  if (filter.offer === "with") and.push({ offers: { some: { status: { not: "HOLDOUT" } } } });
  if (filter.offer === "without") and.push({ offers: { none: { status: { not: "HOLDOUT" } } } });
  if (filter.offerStatuses.length > 0) and.push({ offers: { some: { status: { in: filter.offerStatuses } } } });
  const search = filter.search;
  if (search) {
    const any: Prisma.IncidentWhereInput[] = [];
    if (search.orderNames.length > 0) any.push({ orderName: { in: search.orderNames } });
    if (search.orderGid) any.push({ orderGid: search.orderGid });
    if (search.customerGids.length > 0) any.push({ customerGid: { in: search.customerGids } });
    // Nothing to look for (a name no customer has): no incident, not every incident.
    and.push(any.length > 0 ? { OR: any } : { id: { in: [] } });
  }
  if (filter.cause) and.push({ rootCause: { path: [filter.cause.field], array_contains: [filter.cause.key] } });
  return { AND: and };
}

/**
 * One page of the shop's incidents, keyset-paginated on the sort's columns plus id (stable under
 * inserts, no OFFSET): `after` gives the page following that row, `before` the one preceding it.
 * Each row carries its latest offer's status.
 */
export async function incidentPage(
  tx: Tx,
  shop: string,
  filter: IncidentPageFilter,
  sort: IncidentPageSort,
  page: { size: number; after?: string | null; before?: string | null },
) {
  const requested = page.after ?? page.before ?? null;
  // Prisma places a cursor by that row's own sort values, read by id alone: another shop's id would
  // position this shop's page by the other shop's row. Only this shop's rows are cursors; any other
  // id (another shop's, deleted, made up) gives the first page.
  const cursorId =
    requested && (await tx.incident.findFirst({ where: { id: requested, shop }, select: { id: true } }))
      ? requested
      : null;
  const backwards = cursorId !== null && !page.after && Boolean(page.before);
  const rows = await tx.incident.findMany({
    where: incidentPageWhere(shop, filter),
    orderBy: PAGE_ORDER[sort],
    ...(cursorId ? { cursor: { id: cursorId }, skip: 1 } : {}),
    // One more than a page tells whether there is another page that way.
    take: backwards ? -(page.size + 1) : page.size + 1,
    select: {
      id: true,
      type: true,
      severity: true,
      state: true,
      orderName: true,
      orderGid: true,
      customerGid: true,
      occurredAt: true,
      detectedAt: true,
      decision: true,
      holdout: true,
      summary: true,
      measure: true,
      returnedAt: true,
      // Every offer (an incident has one or two): the latest for the Make-good column, all for its standing.
      offers: {
        where: { shop },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, status: true, kind: true, faceValueMinor: true, currency: true, wonBackAt: true },
      },
    },
  });
  const more = rows.length > page.size;
  const items = backwards ? rows.slice(more ? 1 : 0) : rows.slice(0, page.size);
  return {
    items,
    hasNext: backwards ? true : more,
    hasPrevious: backwards ? more : Boolean(cursorId),
  };
}

/** Whether the shop has any incident at all (the index's empty state differs from "no match"). */
export async function shopHasIncidents(tx: Tx, shop: string): Promise<boolean> {
  return (await tx.incident.findFirst({ where: { shop }, select: { id: true } })) !== null;
}

/** One incident of the shop with its timeline and its offers' audit trails; null for another shop's or an unknown id. */
export async function incidentWithHistory(tx: Tx, shop: string, incidentId: string) {
  return tx.incident.findFirst({
    where: { id: incidentId, shop },
    include: {
      events: { where: { shop }, orderBy: [{ at: "asc" }, { createdAt: "asc" }] },
      offers: {
        where: { shop },
        orderBy: { createdAt: "asc" },
        include: { transitions: { where: { shop }, orderBy: { at: "asc" } } },
      },
    },
  });
}

/** The open incident of a type for an order, if any. */
export async function openIncidentFor(tx: Tx, shop: string, orderGid: string, type: IncidentType) {
  return tx.incident.findFirst({
    where: { shop, orderGid, type, openSlot: "open" },
    select: { id: true, orderName: true, severity: true },
  });
}

/** An order Amends has recorded, by its name ("#1001"). */
export async function recordedOrderByName(tx: Tx, shop: string, name: string) {
  return tx.orderRecord.findFirst({ where: { shop, name }, select: { orderGid: true, name: true } });
}

/** Names of staff members from their online sessions (Shopify user ids), for "approved by ...". */
export async function staffNamesOf(tx: Tx, shop: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((id) => /^\d+$/.test(id)))].map((id) => BigInt(id));
  if (ids.length === 0) return new Map();
  const sessions = await tx.session.findMany({
    where: { shop, userId: { in: ids } },
    select: { userId: true, firstName: true, lastName: true },
  });
  const names = new Map<string, string>();
  for (const s of sessions) {
    const name = [s.firstName, s.lastName].filter(Boolean).join(" ");
    if (s.userId !== null && name) names.set(String(s.userId), name);
  }
  return names;
}

/**
 * The customer's assignment still in force for an incident detected at `at` (decision 0111): their
 * latest other incident that went through the holdout draw within the attribution window before it
 * (index "Incident"(shop, "customerGid", "detectedAt")). Read under the customer's decision lock.
 */
export async function standingAssignmentFor(
  tx: Tx,
  shop: string,
  customerGid: string,
  incidentId: string,
  at: Date,
  windowDays: number,
): Promise<StandingAssignment | null> {
  const earlier = await tx.incident.findFirst({
    where: {
      shop,
      customerGid,
      id: { not: incidentId },
      decision: { in: [...DRAWN_DECISIONS] },
      detectedAt: { gte: new Date(at.getTime() - windowDays * MS_PER_DAY), lte: at },
    },
    orderBy: [{ detectedAt: "desc" }, { id: "desc" }],
    select: { id: true, holdout: true, detectedAt: true },
  });
  return earlier ? { incidentId: earlier.id, holdout: earlier.holdout, detectedAt: earlier.detectedAt } : null;
}
