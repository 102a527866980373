/**
 * The one writer of Offer.status. Every status change (and every new offer) goes through
 * createOffer() or transitionOffer(), which ask the pure lifecycle (app/recovery/offers) whether
 * the move is allowed and then, in the caller's transaction:
 * 1. move the month's budget as the move's rule says (reserve, release, consume);
 * 2. write the status, guarded by the status the caller read under the offer's row lock;
 * 3. write the trail (OfferTransition, with the budget move: the trail is the offer's ledger) and
 *    the incident event the caller names;
 * 4. enqueue the work that follows (issue, approval timers, notify / expiry / follow-up);
 * 5. close the incident when the offer is settled.
 * A lint rule (eslint.config.js) keeps every other module from writing Offer.status.
 */
import type { Offer, Prisma } from "@prisma/client";
import type { Tx } from "../../db.server";
import { enqueue } from "../../queue/enqueue.server";
import {
  budgetMonthOf,
  commitOverBudget,
  moveToIssued,
  releaseBudget,
  reserveBudget,
} from "../../models/budget.server";
import { addIncidentEvent, heldReservation, recordTransition, type BudgetMove } from "../../models/offers.server";
import { type ShopContext } from "../../models/shop-settings.server";
import {
  formatMoney,
  OFFER_MOVES,
  planTransition,
  type FollowUpWork,
  type MoveFacts,
  type OfferStatus,
} from "../../recovery";
import { closeSettledIncidents } from "../incident-closing.server";

/** A move the lifecycle does not allow (a bug, or a race the caller should have locked against). */
export class OfferTransitionError extends Error {
  readonly code = "ILLEGAL_TRANSITION";
  constructor(
    readonly offerId: string,
    reason: string,
  ) {
    super(`offer ${offerId}: ${reason}`);
    this.name = "OfferTransitionError";
  }
}

/** The offer left the status the caller read: it did not lock the row, or read it before the lock. */
export class StaleOfferError extends Error {
  readonly code = "STALE_OFFER";
  constructor(offerId: string, expected: OfferStatus) {
    super(`offer ${offerId} is no longer ${expected}`);
    this.name = "StaleOfferError";
  }
}

/** The move needs more of the month's budget than is left, and the mover may not commit over it. */
export class BudgetRefusedError extends Error {
  readonly code = "OVER_BUDGET";
  constructor(
    readonly neededMinor: number,
    currency: string,
  ) {
    super(`${formatMoney(neededMinor, currency)} more than this month's make-good budget has left`);
    this.name = "BudgetRefusedError";
  }
}

/** Fields written together with a status; the status itself only through the move. */
export type OfferChanges = Omit<Prisma.OfferUncheckedUpdateManyInput, "id" | "shop" | "status" | "updatedAt">;

export interface MoveInput {
  actor: string;
  at: Date;
  note?: string;
  /** Extra facts for the trail. */
  data?: Record<string, unknown>;
  changes?: OfferChanges;
  /** The incident event that tells this move on the incident's timeline. */
  event?: { kind: string; data: Record<string, unknown>; actor?: string };
  /** An ISSUING claim older than its lease is being taken over. */
  staleClaim?: boolean;
  /** Shopify was asked and has no make-good for this offer. */
  absentInShopify?: boolean;
  /** A reservation that does not fit: REFUSE (BudgetRefusedError, nothing written) or COMMIT (a manager's call). */
  overBudget?: "REFUSE" | "COMMIT";
}

export type NewOffer = Omit<Prisma.OfferUncheckedCreateInput, "status" | "updatedAt">;

type NewStatus = "APPROVED" | "PENDING_APPROVAL" | "HOLDOUT";

/** Create an offer in its first status (a new pending offer reserves its value when `reserve`). */
export async function createOffer(
  tx: Tx,
  ctx: ShopContext,
  data: NewOffer & { id: string },
  status: NewStatus,
  input: MoveInput & { reserve?: boolean },
): Promise<Offer> {
  const facts: MoveFacts = { faceValueMinor: data.faceValueMinor, heldMinor: 0, attempts: 0, reserve: input.reserve };
  const plan = planTransition(null, status, facts);
  if (!plan.ok) throw new OfferTransitionError(data.id, plan.reason);
  const budget = await moveBudget(tx, ctx, null, data.currency, plan.budget, input);
  const offer = await tx.offer.create({ data: { ...data, status, updatedAt: input.at } });
  await afterMove(tx, ctx, offer, null, plan, budget, input);
  return offer;
}

/**
 * Move an offer the caller locked (lockOffer) and read in this transaction to `to`. Throws
 * OfferTransitionError for a move the lifecycle refuses and BudgetRefusedError for a reservation
 * that does not fit (before anything is written).
 */
export async function transitionOffer(
  tx: Tx,
  ctx: ShopContext,
  offer: Offer,
  to: OfferStatus,
  input: MoveInput,
): Promise<Offer> {
  // Only a move that touches the budget needs what the offer holds (one query less on the issue path).
  const rule = OFFER_MOVES.get(offer.status)?.get(to)?.budget;
  const held = rule && rule !== "KEEP" ? await heldReservation(tx, offer.shop, offer.id) : null;
  const edited = input.changes?.faceValueMinor;
  const faceValueMinor = typeof edited === "number" ? edited : offer.faceValueMinor;
  const plan = planTransition(offer.status, to, {
    faceValueMinor,
    faceValueBeforeMinor: offer.faceValueMinor,
    heldMinor: held?.minor ?? 0,
    attempts: offer.attempts,
    staleClaim: input.staleClaim,
    absentInShopify: input.absentInShopify,
  });
  if (!plan.ok) throw new OfferTransitionError(offer.id, plan.reason);
  const budget = await moveBudget(tx, ctx, held?.month ?? null, offer.currency, plan.budget, input);
  const moved = await tx.offer.updateMany({
    where: { id: offer.id, shop: offer.shop, status: offer.status },
    data: { ...input.changes, status: to, updatedAt: input.at },
  });
  if (moved.count === 0) throw new StaleOfferError(offer.id, offer.status);
  const updated = await tx.offer.findUniqueOrThrow({ where: { id: offer.id } });
  await afterMove(tx, ctx, updated, offer.status, plan, budget, input);
  return updated;
}

type Plan = Extract<ReturnType<typeof planTransition>, { ok: true }>;

async function moveBudget(
  tx: Tx,
  ctx: ShopContext,
  heldMonth: string | null,
  currency: string,
  step: Plan["budget"],
  input: MoveInput,
): Promise<BudgetMove | null> {
  const month = heldMonth ?? budgetMonthOf(input.at, ctx.timeZone);
  switch (step.kind) {
    case "NONE":
      return null;
    case "RESERVE": {
      const fits = await reserveBudget(tx, ctx.shop, month, step.minor, ctx.recovery.decision.monthlyBudgetMinor);
      if (!fits) {
        if (input.overBudget !== "COMMIT") throw new BudgetRefusedError(step.minor, currency);
        await commitOverBudget(tx, ctx.shop, month, step.minor);
      }
      return { month, committedDelta: step.minor };
    }
    case "RELEASE":
      await releaseBudget(tx, ctx.shop, month, step.minor);
      return { month, committedDelta: -step.minor };
    case "CONSUME":
      await moveToIssued(tx, ctx.shop, month, step.reservedMinor, step.issuedMinor);
      return { month, committedDelta: -step.reservedMinor, issuedDelta: step.issuedMinor };
  }
}

async function afterMove(
  tx: Tx,
  ctx: ShopContext,
  offer: Offer,
  from: OfferStatus | null,
  plan: Plan,
  budget: BudgetMove | null,
  input: MoveInput,
): Promise<void> {
  await recordTransition(tx, {
    shop: offer.shop,
    offerId: offer.id,
    from,
    to: offer.status,
    actor: input.actor,
    at: input.at,
    ...(input.note ? { note: input.note } : {}),
    ...(input.data ? { data: input.data } : {}),
    ...(budget ? { budget } : {}),
  });
  if (input.event) {
    await addIncidentEvent(tx, {
      shop: offer.shop,
      incidentId: offer.incidentId,
      kind: input.event.kind,
      actor: input.event.actor ?? input.actor,
      at: input.at,
      data: { offerId: offer.id, ...input.event.data },
    });
  }
  for (const work of plan.followUps) await enqueueFollowUp(tx, ctx, offer, work, input.at);
  if (plan.settles) await closeSettledIncidents(offer.shop, input.at, { incidentId: offer.incidentId }, tx);
}

/**
 * The instant before which the offer's make-good is not issued: a timing arm's next morning
 * (decision 0119), kept in the offer's cell record; null for every other offer.
 */
export function issueAfterOf(offer: Pick<Offer, "cell">): Date | null {
  const cell = offer.cell;
  if (typeof cell !== "object" || cell === null || Array.isArray(cell)) return null;
  const value = (cell as Record<string, unknown>)["issueAfter"];
  if (typeof value !== "string") return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

async function enqueueFollowUp(tx: Tx, ctx: ShopContext, offer: Offer, work: FollowUpWork, at: Date) {
  const ref = { v: 1 as const, shop: offer.shop, offerId: offer.id };
  const hoursLater = (h: number) => new Date(at.getTime() + h * 3_600_000);
  switch (work) {
    case "ISSUE": {
      // A timing arm waits for its next morning; once that has passed (a late approval) it goes at once.
      const issueAfter = issueAfterOf(offer);
      await enqueue(tx, "issue-offer", ref, {
        jobKey: `issue-offer:${offer.id}`,
        ...(issueAfter && issueAfter > at ? { runAt: issueAfter } : {}),
      });
      return;
    }
    case "APPROVAL_TIMERS":
      if (offer.approval !== "MANAGER") {
        await enqueue(
          tx,
          "approval-timeout",
          { ...ref, stage: "ESCALATE" },
          { runAt: hoursLater(ctx.offers.escalateAfterHours), jobKey: `approval-escalate:${offer.id}` },
        );
      }
      await enqueue(
        tx,
        "approval-timeout",
        { ...ref, stage: "EXPIRE" },
        { runAt: hoursLater(ctx.offers.expireAfterHours), jobKey: `approval-expire:${offer.id}` },
      );
      return;
    case "AFTER_ISSUE":
      await enqueue(tx, "notify-offer", ref, { jobKey: `notify-offer:${offer.id}` });
      if (offer.expiresAt)
        await enqueue(tx, "offer-expiry", ref, { runAt: offer.expiresAt, jobKey: `offer-expiry:${offer.id}` });
      await enqueue(tx, "follow-up", ref, {
        runAt: hoursLater(ctx.offers.followUpAfterHours),
        jobKey: `follow-up:${offer.id}`,
      });
      return;
  }
}
