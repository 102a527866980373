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
import { closeSettledIncidents } from "./incident-closing.server";
import { addIncidentEvent, lockOffer, newIssueKey } from "../models/offers.server";
import { shopContext, type ShopContext } from "../models/shop-settings.server";
import { decide, type Approval, type Decision, type GridVersion } from "../recovery";
import { completeDecisionInput, prepareDecision } from "./decision-input.server";
import { recordArmAssignment } from "./experiments/arm-assignment.server";
import { lookUpClaimed, recordIssued, settleClaim } from "./issuing.server";
import type { OfferWithIncident } from "./issuing/make-goods.server";
import { BudgetRefusedError, createOffer, transitionOffer } from "./offers/transition.server";

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
      const input = await completeDecisionInput(tx, prepared, now);
      const decision = decide(input);
      const { ctx, grid, tier } = prepared;
      return writeDecision(tx, { shop, incident, decision, ctx, now, grid, tier: tier.tier });
    },
    // Many decisions may queue for the same budget row; give them time rather than fail.
    { maxWait: 30_000, timeout: 30_000 },
  );
}

interface WriteContext {
  shop: string;
  incident: Incident;
  decision: Decision;
  ctx: ShopContext;
  now: Date;
  grid: GridVersion;
  tier: CustomerTier;
}

async function writeDecision(tx: Tx, w: WriteContext): Promise<DecideResult> {
  const { shop, incident, decision, ctx, now } = w;
  const explanation = [...decision.explanation];
  let summary = decision.summary;
  // The same steps as data (decision 0123): the incident page's checklist reads it from the DECIDED event.
  let why = decision.why;
  let offerId: string | null = null;
  let reserved = false;

  if (decision.kind === "OFFER") {
    const id = randomUUID();
    offerId = id;
    const cell = {
      ...decision.cell,
      source: decision.cellSource,
      approvalSources: decision.approvalSources,
      // The grid's own kind when this cell is its fallback (decide/availability.ts).
      ...(decision.fallbackFrom ? { fallbackFrom: decision.fallbackFrom } : {}),
      // The cell's own kind when this is the equivalent of the customer's preferred kind (decision 0114).
      ...(decision.preferredFrom ? { preferredFrom: decision.preferredFrom } : {}),
      // A timing arm's make-good waits for the shop's next morning (decision 0119): the issue job runs then.
      ...(decision.issueAfter ? { issueAfter: decision.issueAfter.toISOString() } : {}),
    } as Prisma.InputJsonValue;
    const issueKey = newIssueKey(decision.cell.kind);
    const data = (approval: Approval, status: "APPROVED" | "PENDING_APPROVAL") => ({
      id,
      shop,
      incidentId: incident.id,
      customerGid: incident.customerGid,
      kind: decision.cell.kind,
      cell,
      gridVersion: decision.gridVersion,
      faceValueMinor: decision.faceValueMinor,
      currency: ctx.currency,
      tier: w.tier,
      approval,
      explanation,
      summary,
      expiresAt: decision.expiresAt,
      issueKey,
      decidedBy: status === "APPROVED" ? "system" : null,
      decidedAt: status === "APPROVED" ? now : null,
      createdAt: now,
    });
    const status = decision.approval === "AUTO" ? "APPROVED" : "PENDING_APPROVAL";
    const move = { actor: "system", at: now, overBudget: "REFUSE" as const };
    // Offers the budget guardrail already routed wait for a manager without holding budget.
    const budgetRouted = decision.approvalSources.includes("BUDGET");
    try {
      await createOffer(tx, ctx, data(decision.approval, status), status, {
        ...move,
        reserve: !budgetRouted,
        note: status === "APPROVED" ? "auto-approved" : `needs ${decision.approval} approval`,
      });
      reserved = !budgetRouted;
    } catch (error) {
      if (!(error instanceof BudgetRefusedError)) throw error;
      explanation.push(
        "5. Budget (at reservation): concurrent decisions used the rest of this month's budget: needs MANAGER",
      );
      summary = `${summary}; over the monthly budget at reservation: needs MANAGER approval`;
      why = {
        ...why,
        budget: why.budget ? { ...why.budget, within: false, atReservation: true } : null,
        approval: {
          route: "MANAGER",
          sources: [...(why.approval?.sources ?? []).filter((s) => s !== "BUDGET"), "BUDGET"],
        },
      };
      await createOffer(tx, ctx, { ...data("MANAGER", "PENDING_APPROVAL"), explanation, summary }, "PENDING_APPROVAL", {
        ...move,
        reserve: false,
        note: "needs MANAGER approval",
      });
    }
  } else if (decision.kind === "HOLDOUT") {
    // Recorded as an offer in HOLDOUT so metrics count the control group next to the treated.
    const id = randomUUID();
    offerId = id;
    await createOffer(
      tx,
      ctx,
      {
        id,
        shop,
        incidentId: incident.id,
        customerGid: incident.customerGid,
        kind: "NONE",
        cell: { holdoutDraw: decision.holdoutDraw, holdoutShare: decision.holdoutShare } as Prisma.InputJsonValue,
        gridVersion: decision.gridVersion,
        faceValueMinor: 0,
        currency: ctx.currency,
        approval: "AUTO",
        explanation,
        summary,
        issueKey: newIssueKey("NONE"),
        decidedBy: "system",
        decidedAt: now,
        createdAt: now,
      },
      "HOLDOUT",
      { actor: "system", at: now, note: "control group" },
    );
  }

  await tx.incident.update({
    where: { id: incident.id },
    data: { decision: decision.kind, holdout: decision.kind === "HOLDOUT", tier: w.tier, explanation, summary },
  });
  await recordArmAssignment(tx, shop, incident.id, decision);
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
      why,
    },
  });
  // Nothing to issue (holdout, no offer) and a one-off failure: the incident is done.
  await closeSettledIncidents(shop, now, { incidentId: incident.id }, tx);
  return { outcome: "DECIDED", decision: { ...decision, explanation, summary, why }, offerId, reserved };
}

/**
 * A worse signal arrived after the decision but before the make-good went out (SUPERSEDED): the
 * waiting offer is superseded, its budget released, and the incident decided again at its new
 * severity. An offer already issuing or issued stands. One an earlier issue attempt may have
 * created in Shopify (attempts > 0: an ambiguous or lost answer sent it back to APPROVED) is
 * claimed and looked up first: found, it is recorded ISSUED and stands; absent, it is superseded;
 * a gift's unfinished draft order, or a failed lookup, leaves it to its issue job.
 */
export async function supersedeAndRedecide(
  shop: string,
  incidentId: string,
): Promise<DecideResult | { outcome: "NOT_SUPERSEDED" }> {
  const ctx = await shopContext(shop);
  const first = await prisma.$transaction((tx) => supersedeWaiting(tx, ctx, incidentId, null));
  if (first.kind === "NONE") return { outcome: "NOT_SUPERSEDED" };
  if (first.kind === "CLAIMED") {
    const claimed = first.offer;
    const lookup = await lookUpClaimed(claimed, ctx).catch((error: unknown) => ({ kind: "FAILED" as const, error }));
    if (lookup.kind === "FOUND") {
      await recordIssued(claimed, lookup.made, ctx);
      return { outcome: "NOT_SUPERSEDED" };
    }
    if (lookup.kind !== "ABSENT") {
      const why = lookup.kind === "UNFINISHED" ? "the gift's draft order exists" : String(lookup.error);
      // This claim only looked: it must not restart the wait for Shopify's search (make-goods.server.ts).
      await settleClaim(claimed, ctx, "APPROVED", `not superseded: ${why}`, { lookupOnly: true });
      return { outcome: "NOT_SUPERSEDED" };
    }
    const second = await prisma.$transaction((tx) => supersedeWaiting(tx, ctx, incidentId, claimed.id));
    if (second.kind !== "SUPERSEDED") return { outcome: "NOT_SUPERSEDED" };
  }
  return decideIncident(shop, incidentId);
}

type SupersedeStep = { kind: "NONE" } | { kind: "SUPERSEDED" } | { kind: "CLAIMED"; offer: OfferWithIncident };

/**
 * Under the incident's row lock: supersede its waiting offer, or claim it for a lookup when it may
 * exist in Shopify. `lookedUp` names the claimed offer Shopify was just asked about (and had nothing).
 */
async function supersedeWaiting(
  tx: Tx,
  ctx: ShopContext,
  incidentId: string,
  lookedUp: string | null,
): Promise<SupersedeStep> {
  const shop = ctx.shop;
  const locked = await tx.$queryRaw<Array<{ decision: string | null; severity: string }>>`
    SELECT decision, severity::text FROM "Incident" WHERE id = ${incidentId}::uuid AND shop = ${shop} FOR UPDATE`;
  const incident = locked[0];
  // Not decided yet: the pending decision will see the new severity.
  if (!incident?.decision) return { kind: "NONE" };
  const waiting = await tx.offer.findFirst({
    where: lookedUp
      ? { shop, incidentId, id: lookedUp, status: "ISSUING" }
      : { shop, incidentId, status: { in: ["PENDING_APPROVAL", "APPROVED"] } },
    orderBy: { createdAt: "desc" },
  });
  const offer = waiting && (await lockOffer(tx, shop, waiting.id));
  if (!offer || offer.status !== waiting.status) return { kind: "NONE" };
  const now = clock().now();
  if (offer.attempts > 0 && !lookedUp) {
    const claimed = await transitionOffer(tx, ctx, offer, "ISSUING", {
      actor: "system",
      at: now,
      note: "a worse signal arrived: looking the make-good up in Shopify before superseding it",
      changes: { attempts: { increment: 1 } },
    });
    const full = await tx.incident.findUniqueOrThrow({ where: { id: incidentId } });
    return { kind: "CLAIMED", offer: { ...claimed, incident: full } };
  }
  await transitionOffer(tx, ctx, offer, "SUPERSEDED", {
    actor: "system",
    at: now,
    note: `a worse signal raised the incident to ${incident.severity} before the offer was issued`,
    absentInShopify: lookedUp !== null,
    event: { kind: "OFFER_SUPERSEDED", data: { severity: incident.severity } },
  });
  await tx.incident.update({ where: { id: incidentId }, data: { decision: null } });
  return { kind: "SUPERSEDED" };
}
