/**
 * The offer lifecycle: every status an offer can have, the moves allowed between them, and what
 * each move does to the month's budget, which work follows it and whether it settles the offer.
 * The database side (app/services/offers/transition.server.ts) asks planTransition() before every
 * status change and carries out the plan; nothing else writes an offer's status.
 *
 *   (new) ──► PENDING_APPROVAL ──► APPROVED ──► ISSUING ──► ISSUED ──► REDEEMED
 *     │            │  │  │  ▲          │  ▲        │  │        │          ▲
 *     │            │  │  │  └ escalate │  └────────┘  │        └► UNUSED ─┘
 *     │            │  │  └► EXPIRED    │  (transient) ▼
 *     │            │  └───► REJECTED   ▼             FAILED ──► APPROVED (retry)
 *     └► HOLDOUT   └──────► SUPERSEDED ◄── (ISSUING, only after Shopify was asked and has nothing)
 *
 * The budget follows one rule per move: an APPROVED offer holds exactly its face value; ISSUED
 * turns what it holds into issued value; an offer that ends without a make-good gives back all
 * it holds. An offer that may already exist in Shopify (attempts > 0) can only end without one
 * after a lookup in Shopify found nothing: otherwise the customer could get a make-good the
 * budget no longer counts.
 */
import { OFFER_STATUSES, type OfferStatus } from "../vocabulary";

/** Someone (or a job) still has to act on an offer in these states: its incident stays open. */
export const UNSETTLED_OFFER_STATUSES = [
  "PROPOSED",
  "PENDING_APPROVAL",
  "APPROVED",
  "ISSUING",
  "FAILED",
] as const satisfies readonly OfferStatus[];

/** The order's failure is (being) made good: a second incident of the order gets no second make-good. */
export const COMPENSATING_OFFER_STATUSES = [
  "APPROVED",
  "ISSUING",
  "ISSUED",
  "REDEEMED",
  "UNUSED",
] as const satisfies readonly OfferStatus[];

/** Offers that count towards a customer's guardrails (cooldown, yearly cap): given, or on their way. */
export const CUSTOMER_HISTORY_OFFER_STATUSES = [
  "PENDING_APPROVAL",
  "APPROVED",
  "ISSUING",
  "ISSUED",
  "FAILED",
  "REDEEMED",
  "UNUSED",
] as const satisfies readonly OfferStatus[];

export function isOfferStatus(value: string): value is OfferStatus {
  return (OFFER_STATUSES as readonly string[]).includes(value);
}

export function isSettled(status: OfferStatus): boolean {
  return !(UNSETTLED_OFFER_STATUSES as readonly OfferStatus[]).includes(status);
}

/**
 * What a move does to the offer's budget reservation.
 * - HOLD_FACE: afterwards the offer holds exactly its face value (reserve the difference, or give back the surplus).
 * - HOLD_FACE_IF_ASKED: the same when the caller reserves (a new pending offer), else nothing.
 * - RELEASE: give back all it holds.
 * - CONSUME: what it holds leaves the reservation and its face value counts as issued.
 * - KEEP: nothing moves.
 */
export type BudgetRule = "HOLD_FACE" | "HOLD_FACE_IF_ASKED" | "RELEASE" | "CONSUME" | "KEEP";

/** Work that follows a move, enqueued in the same transaction. */
export type FollowUpWork = "ISSUE" | "APPROVAL_TIMERS" | "AFTER_ISSUE";

/** A guard a move needs beyond its endpoints. */
export type MoveGuard = "NONE" | "STALE_CLAIM" | "NOT_IN_SHOPIFY";

interface MoveSpec {
  budget: BudgetRule;
  followUps: readonly FollowUpWork[];
  guard: MoveGuard;
  /** Staff may change the face value with this move (an approval with an edited value). */
  editsValue?: boolean;
}

const move = (budget: BudgetRule, followUps: readonly FollowUpWork[] = [], guard: MoveGuard = "NONE"): MoveSpec => ({
  budget,
  followUps,
  guard,
});

/** `null` is an offer being created. Every move not listed here is refused. */
export const OFFER_MOVES: ReadonlyMap<OfferStatus | null, ReadonlyMap<OfferStatus, MoveSpec>> = new Map<
  OfferStatus | null,
  ReadonlyMap<OfferStatus, MoveSpec>
>([
  [
    null,
    new Map([
      ["APPROVED", move("HOLD_FACE", ["ISSUE"])],
      ["PENDING_APPROVAL", move("HOLD_FACE_IF_ASKED", ["APPROVAL_TIMERS"])],
      ["HOLDOUT", move("KEEP")],
    ]),
  ],
  [
    "PENDING_APPROVAL",
    new Map([
      // Escalation: the same status with another approval level.
      ["PENDING_APPROVAL", move("KEEP")],
      ["APPROVED", { ...move("HOLD_FACE", ["ISSUE"]), editsValue: true }],
      ["REJECTED", move("RELEASE")],
      ["EXPIRED", move("RELEASE", [], "NOT_IN_SHOPIFY")],
      ["SUPERSEDED", move("RELEASE", [], "NOT_IN_SHOPIFY")],
    ]),
  ],
  [
    "APPROVED",
    new Map([
      ["ISSUING", move("KEEP")],
      ["SUPERSEDED", move("RELEASE", [], "NOT_IN_SHOPIFY")],
    ]),
  ],
  [
    "ISSUING",
    new Map([
      // A crashed worker's claim, taken over after its lease.
      ["ISSUING", move("KEEP", [], "STALE_CLAIM")],
      ["ISSUED", move("CONSUME", ["AFTER_ISSUE"])],
      // A transient failure: the running issue job retries by itself, so nothing is enqueued.
      ["APPROVED", move("KEEP")],
      ["FAILED", move("RELEASE")],
      ["SUPERSEDED", move("RELEASE", [], "NOT_IN_SHOPIFY")],
    ]),
  ],
  ["FAILED", new Map([["APPROVED", move("HOLD_FACE", ["ISSUE"])]])],
  [
    "ISSUED",
    new Map([
      ["REDEEMED", move("KEEP")],
      ["UNUSED", move("KEEP")],
    ]),
  ],
  ["UNUSED", new Map([["REDEEMED", move("KEEP")]])],
]);

/** What is known about the offer when it moves. */
export interface MoveFacts {
  /** Face value after the move (an approval may edit it). */
  faceValueMinor: number;
  /** Face value before the move (absent for a new offer). */
  faceValueBeforeMinor?: number;
  /** What the offer holds in the month's budget before the move. */
  heldMinor: number;
  /** Issue attempts so far; after one, the make-good may exist in Shopify. */
  attempts: number;
  /** A new pending offer: reserve its value now (false: the budget guardrail routed it, it waits unreserved). */
  reserve?: boolean;
  /** The ISSUING claim is older than its lease. */
  staleClaim?: boolean;
  /** The caller asked Shopify and found no make-good for this offer. */
  absentInShopify?: boolean;
}

export type BudgetStep =
  | { kind: "NONE" }
  /** Reserve this much more; it must fit the month's budget unless the mover may commit over it. */
  | { kind: "RESERVE"; minor: number }
  | { kind: "RELEASE"; minor: number }
  | { kind: "CONSUME"; reservedMinor: number; issuedMinor: number };

export type MovePlan =
  | { ok: true; budget: BudgetStep; followUps: readonly FollowUpWork[]; settles: boolean }
  | { ok: false; reason: string };

function budgetStep(rule: BudgetRule, facts: MoveFacts): BudgetStep {
  switch (rule) {
    case "KEEP":
      return { kind: "NONE" };
    case "HOLD_FACE_IF_ASKED":
      return facts.reserve ? budgetStep("HOLD_FACE", facts) : { kind: "NONE" };
    case "HOLD_FACE": {
      const delta = facts.faceValueMinor - facts.heldMinor;
      if (delta > 0) return { kind: "RESERVE", minor: delta };
      if (delta < 0) return { kind: "RELEASE", minor: -delta };
      return { kind: "NONE" };
    }
    case "RELEASE":
      return facts.heldMinor > 0 ? { kind: "RELEASE", minor: facts.heldMinor } : { kind: "NONE" };
    case "CONSUME":
      return { kind: "CONSUME", reservedMinor: facts.heldMinor, issuedMinor: facts.faceValueMinor };
  }
}

const words = (status: OfferStatus | null) => (status ? status.toLowerCase().replaceAll("_", " ") : "new");

/** May the offer move from `from` to `to`, and what does the move do? */
export function planTransition(from: OfferStatus | null, to: OfferStatus, facts: MoveFacts): MovePlan {
  const spec = OFFER_MOVES.get(from)?.get(to);
  if (!spec) return { ok: false, reason: `an offer cannot go from ${words(from)} to ${words(to)}` };
  if (spec.guard === "STALE_CLAIM" && !facts.staleClaim)
    return { ok: false, reason: "another attempt holds a fresh claim on this offer" };
  if (spec.guard === "NOT_IN_SHOPIFY" && (from === "ISSUING" || facts.attempts > 0) && !facts.absentInShopify)
    return {
      ok: false,
      reason: `the make-good may already exist in Shopify (${facts.attempts} issue attempt(s)); look it up before it can be ${words(to)}`,
    };
  if (
    !spec.editsValue &&
    facts.faceValueBeforeMinor !== undefined &&
    facts.faceValueBeforeMinor !== facts.faceValueMinor
  )
    return { ok: false, reason: `the value cannot change when an offer goes from ${words(from)} to ${words(to)}` };
  if (!Number.isInteger(facts.faceValueMinor) || facts.faceValueMinor < 0)
    return { ok: false, reason: "the face value must be a whole, non-negative number of minor units" };
  return { ok: true, budget: budgetStep(spec.budget, facts), followUps: spec.followUps, settles: isSettled(to) };
}
