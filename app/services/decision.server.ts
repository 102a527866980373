/**
 * Deciding an incident: read the world (incident, settings, customer value,
 * grid version, guardrail state: decision-input.server.ts, the half that
 * concurrent decisions change read under their lock), call the pure decide(), and write the
 * outcome in one transaction under the incident's row lock, so deciding twice
 * (a duplicate job, two workers) creates nothing new.
 *
 * The monthly budget is enforced twice: decide() reads the month's figures for
 * the explanation, and the reservation is one conditional UPDATE on BudgetMonth
 * that cannot overspend under concurrency. When the UPDATE refuses (another
 * decision took the rest meanwhile), the offer waits for a MANAGER.
 */
import { randomUUID } from "node:crypto";
import type { CustomerTier, Incident, Prisma } from "@prisma/client";
import { clock } from "../clock.server";
import { prisma, type Tx } from "../db.server";
import { enqueue } from "../jobs/enqueue.server";
import { releaseBudget, reserveBudget } from "../models/budget.server";
import { closeSettledIncidents } from "./incident-closing.server";
import {
  addIncidentEvent,
  heldReservation,
  issueKeyFor,
  recordTransition,
  type ShopOfferContext,
} from "../models/offers.server";
import { decide, type Decision, type GridVersion } from "../recovery";
import { completeDecisionInput, prepareDecision } from "./decision-input.server";

export type DecideResult =
  | { outcome: "NOT_FOUND" }
  | { outcome: "ALREADY_DECIDED"; decision: string }
  | { outcome: "DECIDED"; decision: Decision; offerId: string | null; reserved: boolean };

export async function decideIncident(shop: string, incidentId: string): Promise<DecideResult> {
  const incident = await prisma.incident.findFirst({ where: { id: incidentId, shop } });
  if (!incident) return { outcome: "NOT_FOUND" };
  if (incident.decision) return { outcome: "ALREADY_DECIDED", decision: incident.decision };

  // Shopify reads happen before the transaction, so no row lock is held across the network.
  const prepared = await prepareDecision(shop, incident);

  return prisma.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<Array<{ decision: string | null }>>`
        SELECT decision FROM "Incident" WHERE id = ${incidentId}::uuid AND shop = ${shop} FOR UPDATE`;
      if (locked.length === 0) return { outcome: "NOT_FOUND" } as const;
      if (locked[0]!.decision) return { outcome: "ALREADY_DECIDED", decision: locked[0]!.decision } as const;
      const now = clock().now();
      const { input, month } = await completeDecisionInput(tx, prepared, now);
      const decision = decide(input);
      const { ctx, grid, tier } = prepared;
      return writeDecision(tx, { shop, incident, decision, ctx, month, now, grid, tier: tier.tier });
    },
    // Many decisions may queue for the same budget row; give them time rather than fail.
    { maxWait: 30_000, timeout: 30_000 },
  );
}

interface WriteContext {
  shop: string;
  incident: Incident;
  decision: Decision;
  ctx: ShopOfferContext;
  month: string;
  now: Date;
  grid: GridVersion;
  tier: CustomerTier;
}

async function writeDecision(tx: Tx, w: WriteContext): Promise<DecideResult> {
  const { shop, incident, decision, ctx, month, now } = w;
  const explanation = [...decision.explanation];
  let summary = decision.summary;
  let offerId: string | null = null;
  let reserved = false;

  if (decision.kind === "OFFER") {
    offerId = randomUUID();
    let approval = decision.approval;
    // Offers the budget guardrail already routed wait for a manager without holding budget.
    if (!decision.approvalSources.includes("BUDGET")) {
      reserved = await reserveBudget(
        tx,
        shop,
        month,
        decision.faceValueMinor,
        ctx.recovery.decision.monthlyBudgetMinor,
      );
      if (!reserved) {
        approval = "MANAGER";
        explanation.push(
          "5. Budget (at reservation): concurrent decisions used the rest of this month's budget: needs MANAGER",
        );
        summary = `${summary}; over the monthly budget at reservation: needs MANAGER approval`;
      }
    }
    const status = approval === "AUTO" ? "APPROVED" : "PENDING_APPROVAL";
    await tx.offer.create({
      data: {
        id: offerId,
        shop,
        incidentId: incident.id,
        customerGid: incident.customerGid,
        kind: decision.cell.kind,
        cell: {
          ...decision.cell,
          source: decision.cellSource,
          approvalSources: decision.approvalSources,
        } as Prisma.InputJsonValue,
        gridVersion: decision.gridVersion,
        faceValueMinor: decision.faceValueMinor,
        currency: ctx.currency,
        tier: w.tier,
        status,
        approval,
        explanation,
        summary,
        expiresAt: decision.expiresAt,
        issueKey: issueKeyFor(offerId),
        decidedBy: status === "APPROVED" ? "system" : null,
        decidedAt: status === "APPROVED" ? now : null,
        createdAt: now,
      },
    });
    await recordTransition(tx, {
      shop,
      offerId,
      from: null,
      to: status,
      actor: "system",
      at: now,
      note: status === "APPROVED" ? "auto-approved" : `needs ${approval} approval`,
      ...(reserved ? { budget: { month, committedDelta: decision.faceValueMinor } } : {}),
    });
    if (status === "APPROVED") {
      await enqueue(tx, "issue-offer", { v: 1, shop, offerId }, { jobKey: `issue-offer:${offerId}` });
    } else {
      const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
      if (approval !== "MANAGER") {
        await enqueue(
          tx,
          "approval-timeout",
          { v: 1, shop, offerId, stage: "ESCALATE" },
          { runAt: hours(ctx.offers.escalateAfterHours), jobKey: `approval-escalate:${offerId}` },
        );
      }
      await enqueue(
        tx,
        "approval-timeout",
        { v: 1, shop, offerId, stage: "EXPIRE" },
        { runAt: hours(ctx.offers.expireAfterHours), jobKey: `approval-expire:${offerId}` },
      );
    }
  } else if (decision.kind === "HOLDOUT") {
    // Recorded as an offer in HOLDOUT so metrics count the control group next to the treated.
    offerId = randomUUID();
    await tx.offer.create({
      data: {
        id: offerId,
        shop,
        incidentId: incident.id,
        customerGid: incident.customerGid,
        kind: "NONE",
        cell: { holdoutDraw: decision.holdoutDraw, holdoutShare: decision.holdoutShare } as Prisma.InputJsonValue,
        gridVersion: decision.gridVersion,
        faceValueMinor: 0,
        currency: ctx.currency,
        status: "HOLDOUT",
        approval: "AUTO",
        explanation,
        summary,
        issueKey: issueKeyFor(offerId),
        decidedBy: "system",
        decidedAt: now,
        createdAt: now,
      },
    });
    await recordTransition(tx, {
      shop,
      offerId,
      from: null,
      to: "HOLDOUT",
      actor: "system",
      at: now,
      note: "control group",
    });
  }

  await tx.incident.update({
    where: { id: incident.id },
    data: { decision: decision.kind, holdout: decision.kind === "HOLDOUT", tier: w.tier, explanation, summary },
  });
  await addIncidentEvent(tx, {
    shop,
    incidentId: incident.id,
    kind: "DECIDED",
    at: now,
    data: {
      decision: decision.kind,
      offerId,
      summary,
      gridVersion: "gridVersion" in decision ? decision.gridVersion : w.grid.version,
      reserved,
    },
  });
  // Nothing to issue (holdout, no offer) and a one-off failure: the incident is done.
  await closeSettledIncidents(shop, now, { incidentId: incident.id }, tx);
  return { outcome: "DECIDED", decision: { ...decision, explanation, summary }, offerId, reserved };
}

/**
 * A worse signal arrived after the decision but before the make-good went out (DOMAIN.md:
 * SUPERSEDED): the waiting offer is superseded, its budget released, and the incident decided
 * again at its new severity. An offer already issuing or issued stands, and so does one an earlier
 * issue attempt may have created; the issue job skips an offer it can no longer claim, so a race
 * with it resolves cleanly.
 */
export async function supersedeAndRedecide(
  shop: string,
  incidentId: string,
): Promise<DecideResult | { outcome: "NOT_SUPERSEDED" }> {
  const superseded = await prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ decision: string | null; severity: string }>>`
      SELECT decision, severity::text FROM "Incident" WHERE id = ${incidentId}::uuid AND shop = ${shop} FOR UPDATE`;
    const incident = locked[0];
    // Not decided yet: the pending decision will see the new severity.
    if (!incident?.decision) return false;
    const offer = await tx.offer.findFirst({
      where: { shop, incidentId, status: { in: ["PENDING_APPROVAL", "APPROVED"] } },
      orderBy: { createdAt: "desc" },
    });
    if (!offer) return false;
    // An approved offer that already went to Shopify once (attempts > 0: an ambiguous or lost answer
    // sent it back to APPROVED) may exist there. It stands like an issuing one: its issue job looks it
    // up first and adopts or creates it, so the customer gets one make-good, counted in the budget.
    if (offer.attempts > 0) return false;
    const now = clock().now();
    const changed = await tx.offer.updateMany({
      where: { id: offer.id, status: offer.status },
      data: { status: "SUPERSEDED", updatedAt: now },
    });
    if (changed.count === 0) return false;
    const held = await heldReservation(tx, offer.id);
    if (held) await releaseBudget(tx, shop, held.month, held.minor);
    const note = `a worse signal raised the incident to ${incident.severity} before the offer was issued`;
    await recordTransition(tx, {
      shop,
      offerId: offer.id,
      from: offer.status,
      to: "SUPERSEDED",
      actor: "system",
      at: now,
      note,
      ...(held ? { budget: { month: held.month, committedDelta: -held.minor } } : {}),
    });
    await addIncidentEvent(tx, {
      shop,
      incidentId,
      kind: "OFFER_SUPERSEDED",
      actor: "system",
      at: now,
      data: { offerId: offer.id, severity: incident.severity },
    });
    await tx.incident.update({ where: { id: incidentId }, data: { decision: null } });
    return true;
  });
  if (!superseded) return { outcome: "NOT_SUPERSEDED" };
  return decideIncident(shop, incidentId);
}
