/**
 * Issuing an approved offer through the Admin API, exactly once.
 *
 * 1. Claim: APPROVED -> ISSUING (attempts + 1) under the offer's row lock. An ISSUING claim older
 *    than the lease (a crashed worker) may be taken over; a fresh one makes this attempt retry later.
 * 2. Reconcile, then create: look for what an earlier attempt may have made (the discount code or
 *    gift card code is the offer's issueKey, the draft order carries it as a tag, a store credit is
 *    matched on amount + expiry to the second + time), adopt it if found, else create. After an
 *    AMBIGUOUS answer (the mutation may have applied), or a "code taken", look again.
 * 3. Record: ISSUED with what Shopify made, budget moved from committed to issued, expiry and
 *    follow-up jobs enqueued, in one transaction guarded by status = ISSUING. A code added to a
 *    group's discount is added by Shopify asynchronously: the attempt ends once Shopify accepted it
 *    (PENDING, the offer still ISSUING) and the check-code-add job records it
 *    (issuing/code-add-check.server.ts, decision 0029).
 *
 * userErrors (and other terminal answers) make the offer FAILED with the message, visible and
 * retryable with retryIssue(). Anything transient releases the claim and rethrows for the job's backoff.
 */
import type { Offer } from "@prisma/client";
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { isTerminal } from "../queue/errors";
import { lockOffer, newIssueKey } from "../models/offers.server";
import { erasedIssueKey } from "./compliance.server";
import { REDACTED_TEXT } from "./privacy/inventory";
import { isDerivedIssueKey, redactPersonalData } from "../recovery";
import { shopContext, type ShopContext } from "../models/shop-settings.server";
import { backgroundAdmin } from "../shopify/admin.server";
import { AdminApiError, UserErrorsError } from "../shopify/admin-errors";
import {
  attemptSentNothing,
  findMakeGood,
  makeGoodInShopify,
  type MadeGood,
  type MakeGoodLookup,
  type OfferWithIncident,
} from "./issuing/make-goods.server";
import { BudgetRefusedError, issueAfterOf, transitionOffer } from "./offers/transition.server";
import { enqueue } from "../queue/enqueue.server";

/** How long an ISSUING claim protects an attempt before another may take over (a crashed worker). */
export const ISSUE_LEASE_MS = 5 * 60_000;

/** Another attempt holds a fresh claim: retry later. */
export class IssueInProgressError extends Error {
  readonly code = "ISSUE_IN_PROGRESS";
  constructor(offerId: string) {
    super(`offer ${offerId} is being issued by another attempt`);
    this.name = "IssueInProgressError";
  }
}

export interface IssueHooks {
  /** Test seam: runs after Shopify made (or we adopted) the thing and before the database records it. */
  afterShopify?: (offer: Offer) => Promise<void> | void;
}

export type IssueResult =
  | { outcome: "ISSUED"; offerId: string; shopifyGid: string; adopted: boolean }
  /** Shopify accepted the code add and runs it; the check-code-add job records the offer. */
  | { outcome: "PENDING"; offerId: string; bulkCreationGid: string }
  | { outcome: "FAILED"; offerId: string; error: string }
  | { outcome: "SKIPPED"; offerId: string; status: string };

/**
 * APPROVED -> ISSUING (attempts + 1) under the offer's row lock: the claim that lets one attempt
 * talk to Shopify. `from` APPROVED only, unless the ISSUING claim is older than the lease.
 */
export async function claimOffer(
  shop: string,
  offerId: string,
  ctx: ShopContext,
  note?: string,
): Promise<{ offer: OfferWithIncident } | { skipped: string }> {
  return prisma.$transaction(async (tx) => {
    const offer = await lockOffer(tx, shop, offerId);
    if (!offer) return { skipped: "NOT_FOUND" };
    const now = clock().now();
    const stale = offer.status === "ISSUING" && now.getTime() - offer.updatedAt.getTime() >= ISSUE_LEASE_MS;
    if (offer.status === "ISSUING" && !stale) throw new IssueInProgressError(offerId);
    if (offer.status !== "APPROVED" && !stale) return { skipped: offer.status };
    // A timing arm's make-good is not issued before its next morning (decision 0119), whoever
    // asked: the issue job is queued again for then.
    const issueAfter = issueAfterOf(offer);
    if (issueAfter && now < issueAfter && !stale) {
      await enqueue(
        tx,
        "issue-offer",
        { v: 1, shop, offerId },
        { runAt: issueAfter, jobKey: `issue-offer:${offerId}` },
      );
      return { skipped: "WAITING_FOR_NEXT_MORNING" };
    }
    // A key derived from the offer id (offers decided before decision 0019) is replaced while
    // nothing can exist under it in Shopify yet: before the first attempt.
    const rekey = offer.attempts === 0 && isDerivedIssueKey(offer.issueKey, offer.id);
    const claimed = await transitionOffer(tx, ctx, offer, "ISSUING", {
      actor: "system",
      at: now,
      note: stale ? "took over a stale claim" : (note ?? `attempt ${offer.attempts + 1}`),
      changes: { attempts: { increment: 1 }, ...(rekey ? { issueKey: newIssueKey(offer.kind) } : {}) },
      staleClaim: stale,
    });
    const incident = await tx.incident.findUniqueOrThrow({ where: { id: claimed.incidentId } });
    return { offer: { ...claimed, incident } };
  });
}

export async function issueOffer(shop: string, offerId: string, hooks: IssueHooks = {}): Promise<IssueResult> {
  const ctx = await shopContext(shop);
  const claimed = await claimOffer(shop, offerId, ctx);
  if ("skipped" in claimed) return { outcome: "SKIPPED", offerId, status: claimed.skipped };
  const offer = claimed.offer;
  try {
    const admin = await backgroundAdmin(shop);
    const made = await makeGoodInShopify(admin, offer, ctx);
    if ("submitted" in made) return { outcome: "PENDING", offerId, bulkCreationGid: made.submitted.bulkCreationGid };
    await hooks.afterShopify?.(offer);
    await recordIssued(offer, made, ctx);
    return { outcome: "ISSUED", offerId, shopifyGid: made.shopifyGid, adopted: made.adopted };
  } catch (error) {
    const message = describeError(error);
    if (isTerminal(error)) {
      await settleClaim(offer, ctx, "FAILED", message, { lookupOnly: attemptSentNothing(error) });
      return { outcome: "FAILED", offerId, error: message };
    }
    // Release the claim so the job's retry can claim at once; it reconciles before creating anything.
    // An attempt stopped by a search not caught up created nothing: its end does not restart the wait.
    await settleClaim(offer, ctx, "APPROVED", message, { lookupOnly: attemptSentNothing(error) }).catch(
      () => undefined,
    );
    throw error;
  }
}

/** What Shopify holds for a claimed offer (the lookup alone: nothing is created). */
export async function lookUpClaimed(offer: OfferWithIncident, ctx: ShopContext): Promise<MakeGoodLookup> {
  return findMakeGood(await backgroundAdmin(offer.shop), offer, ctx);
}

/** The attempt's error as stored (lastError, the trail, the timeline): personal data taken out. */
export function describeError(error: unknown): string {
  if (error instanceof UserErrorsError) return redactPersonalData(error.message);
  if (error instanceof AdminApiError) return redactPersonalData(`${error.code}: ${error.message}`);
  return redactPersonalData(error instanceof Error ? error.message : String(error));
}

/**
 * End a claim without a make-good: FAILED (a refusal: nothing was made; its budget goes back, a
 * retry reserves it again) or back to APPROVED (transient: the job retries and reconciles first).
 */
export async function settleClaim(
  offer: Offer,
  ctx: ShopContext,
  to: "FAILED" | "APPROVED",
  message: string,
  /**
   * lookupOnly: the attempt sent no create to Shopify (see make-goods' SEARCH_INDEX_ALLOWANCE_MS).
   * reissueAt (to APPROVED): no issue job is running to retry, so one is enqueued for then.
   */
  options: { lookupOnly?: boolean; reissueAt?: Date } = {},
): Promise<void> {
  message = redactPersonalData(message);
  await prisma.$transaction(async (tx) => {
    const locked = await lockOffer(tx, offer.shop, offer.id);
    if (locked?.status !== "ISSUING") return;
    await transitionOffer(tx, ctx, locked, to, {
      actor: "system",
      at: clock().now(),
      note: to === "FAILED" ? "failed; retry from the offer page" : "attempt failed; the job retries",
      data: { error: message.slice(0, 500), ...(options.lookupOnly ? { lookupOnly: true } : {}) },
      changes: {
        lastError: message.slice(0, 2000),
        // A failed offer of an erased customer is never retried into Shopify: its key goes.
        ...(to === "FAILED" && erasedWhileIssuing(locked) ? { issueKey: erasedIssueKey(locked.id) } : {}),
      },
      ...(to === "FAILED" ? { event: { kind: "OFFER_FAILED", data: { error: message.slice(0, 500) } } } : {}),
    });
    if (to === "APPROVED" && options.reissueAt)
      await enqueue(
        tx,
        "issue-offer",
        { v: 1, shop: offer.shop, offerId: offer.id },
        { runAt: options.reissueAt, jobKey: `issue-offer:${offer.id}` },
      );
  });
}

/**
 * customers/redact erased the offer's customer while it was APPROVED or ISSUING (it kept its issue
 * key then, so an attempt in flight could still find what it made). Whatever that attempt ends in,
 * the offer keeps no code and no link to the customer (decision 0018): the key is rewritten as
 * redaction rewrites it on every other offer, and nothing that names the customer is recorded.
 */
function erasedWhileIssuing(offer: Offer): boolean {
  return offer.customerGid === null && offer.summary === REDACTED_TEXT;
}

/** ISSUING -> ISSUED with what Shopify made; the budget moves from committed to issued. */
export async function recordIssued(offer: Offer, made: MadeGood, ctx: ShopContext): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const now = clock().now();
    const locked = await lockOffer(tx, offer.shop, offer.id);
    if (locked?.status !== "ISSUING") throw new Error(`offer ${offer.id} left ISSUING while it was being issued`);
    // Issued in Shopify for a customer whose data Amends has since erased: recorded as issued
    // (the budget counts it), without the code, the gift's draft order or the key.
    const erased = erasedWhileIssuing(locked);
    const giftOrderGid = erased ? null : made.giftOrderGid;
    await transitionOffer(tx, ctx, locked, "ISSUED", {
      actor: "system",
      at: now,
      note: made.adopted ? "adopted what an earlier attempt created" : "created in Shopify",
      data: { shopifyGid: made.shopifyGid, giftOrderGid },
      changes: {
        issuedAt: now,
        shopifyGid: made.shopifyGid,
        code: erased ? null : made.code,
        ...(erased ? { issueKey: erasedIssueKey(locked.id) } : {}),
        giftOrderGid,
        notifiedAt: made.notified ? now : null,
        followUpAt: new Date(now.getTime() + ctx.offers.followUpAfterHours * 3_600_000),
        lastError: null,
      },
      event: { kind: "OFFER_ISSUED", data: { shopifyGid: made.shopifyGid, adopted: made.adopted } },
    });
  });
}

/** A retry the month's budget no longer has room for (a FAILED offer gave its reservation back). */
export class RetryRefusedError extends Error {
  readonly code = "OVER_BUDGET";
}

/**
 * Move a FAILED offer back to APPROVED and issue it again (the offer page's Retry), reserving its
 * value in this month's budget again; refused (RetryRefusedError) when that no longer fits.
 */
export async function retryIssue(shop: string, offerId: string, actor: string): Promise<boolean> {
  const ctx = await shopContext(shop);
  return prisma.$transaction(async (tx) => {
    const offer = await lockOffer(tx, shop, offerId);
    if (!offer || offer.status !== "FAILED") return false;
    try {
      await transitionOffer(tx, ctx, offer, "APPROVED", {
        actor,
        at: clock().now(),
        note: "retry issue",
        overBudget: "REFUSE",
      });
    } catch (error) {
      if (!(error instanceof BudgetRefusedError)) throw error;
      throw new RetryRefusedError(
        `Retrying needs ${error.message}. Raise the budget in Settings, or wait for next month.`,
      );
    }
    return true;
  });
}
