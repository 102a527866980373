/**
 * Incidents and their timeline. At most one OPEN incident per (shop, order,
 * type) is enforced by the unique (shop, orderGid, type, openSlot): opening
 * is an INSERT ... ON CONFLICT DO NOTHING, and the loser of a race (or a
 * replayed signal) locks the open row and raises it only when the new
 * severity is higher (reconcileIncident). Never check-then-insert.
 */
import type { Prisma } from "@prisma/client";
import type { Tx } from "../db.server";
import { reconcileIncident, type IncidentSignal, type Reconciliation, type Severity, type SeverityAssessment } from "../recovery";

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
export async function otherIncidentDates(tx: Tx, shop: string, customerGid: string | null, orderGid: string, since: Date): Promise<Date[]> {
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
    data: [{
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
    }],
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
        data: json({ type: signal.type, severity: assessment.severity, base: assessment.base, boosts: assessment.boosts, measure: signal.measure, occurredAt: signal.occurredAt }),
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
  await tx.incidentEvent.create({
    data: {
      shop,
      incidentId: open.id,
      kind: "SEVERITY_RAISED",
      at: detectedAt,
      data: json({ from: change.from, to: change.to, base: assessment.base, boosts: assessment.boosts, measure: signal.measure }),
    },
  });
  return { kind: "RAISED", incidentId: open.id, from: change.from, to: change.to };
}

/**
 * Detection is state-based, so the signal of a closed incident (a refund, a carrier delay that
 * has since been delivered) is seen again on every later read of the order. It belongs to the
 * closed incident: nothing new opens, unless the signal is now worse, which reopens and raises it
 * (DOMAIN.md: a worse signal raises severity instead of opening a second incident).
 */
async function reopenIfWorse(tx: Tx, input: IncidentInput, evidence: Prisma.InputJsonValue): Promise<OpenOrRaise | null> {
  const { shop, signal, assessment, detectedAt } = input;
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
    data: { state: "OPEN", openSlot: "open", closedAt: null, failureEndedAt: null, severity: change.to, measure: json(signal.measure), evidence },
  });
  await tx.incidentEvent.create({
    data: { shop, incidentId: closed.id, kind: "REOPENED", at: detectedAt, data: json({ from: change.from, to: change.to, base: assessment.base, boosts: assessment.boosts, measure: signal.measure }) },
  });
  return { kind: "RAISED", incidentId: closed.id, from: change.from, to: change.to };
}

export async function incidentsForOrder(tx: Tx, shop: string, orderGid: string) {
  return tx.incident.findMany({ where: { shop, orderGid }, orderBy: { createdAt: "asc" } });
}
