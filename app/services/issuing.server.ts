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
 *    follow-up jobs enqueued, in one transaction guarded by status = ISSUING.
 *
 * userErrors (and other terminal answers) make the offer FAILED with the message, visible and
 * retryable with retryIssue(). Anything transient releases the claim and rethrows for the job's backoff.
 */
import type { Incident, Offer } from "@prisma/client";
import { clock } from "../clock.server";
import { prisma, type Tx } from "../db.server";
import { enqueue } from "../jobs/enqueue.server";
import { isTerminal } from "../jobs/errors";
import { moveToIssued, releaseBudget, reserveBudget } from "../models/budget.server";
import {
  addIncidentEvent,
  heldReservation,
  lockOffer,
  recordTransition,
  shopOfferContext,
  type ShopOfferContext,
} from "../models/offers.server";
import { budgetMonthOf } from "../models/budget.server";
import { formatMoney, fromMinorUnits, gridCellSchema, localDate } from "../recovery";
import { AdminClient } from "../shopify/admin-client.server";
import { AdminApiError, UserErrorsError } from "../shopify/admin-errors";
import { draftOrderComplete } from "../shopify/operations/draft-order-complete";
import { draftOrderCreate } from "../shopify/operations/draft-order-create";
import { draftOrder } from "../shopify/operations/draft-order";
import { draftOrdersByTag } from "../shopify/operations/draft-orders-by-tag";
import { giftCardCreate } from "../shopify/operations/gift-card-create";
import { giftCardSendNotificationToCustomer } from "../shopify/operations/gift-card-send-notification";
import { giftCardsForReconcile } from "../shopify/operations/gift-cards-for-reconcile";
import { orderForRecovery } from "../shopify/operations/order-for-recovery";
import { storeCreditAccountCredit } from "../shopify/operations/store-credit-account-credit";
import { findCredits, storeCreditAccountTransactions } from "../shopify/operations/store-credit-account-transactions";
import { toMailingAddressInput } from "../shopify/scalars";
import { closeSettledIncidents } from "./incident-closing.server";
import { issueGroupedCode } from "./issuing/discount-groups.server";

/** How long an ISSUING claim protects an attempt before another may take over (a crashed worker). */
export const ISSUE_LEASE_MS = 5 * 60_000;

export async function adminClientFor(shop: string): Promise<AdminClient> {
  // Loaded on use: the task list (and so this module) is imported by tooling that runs without the app's env.
  const { unauthenticated } = await import("../shopify.server");
  const { admin } = await unauthenticated.admin(shop);
  return new AdminClient({ transport: admin, shop });
}

/** Something the offer itself makes impossible (a guest for store credit...): FAILED, not retried. */
export class IssueRefusedError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "IssueRefusedError";
  }
}

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
  | { outcome: "FAILED"; offerId: string; error: string }
  | { outcome: "SKIPPED"; offerId: string; status: string };

interface Effect {
  shopifyGid: string;
  code: string | null;
  giftOrderGid: string | null;
  adopted: boolean;
  notified: boolean;
}

type OfferWithIncident = Offer & { incident: Incident };

async function claim(shop: string, offerId: string): Promise<{ offer: OfferWithIncident } | { skipped: string }> {
  return prisma.$transaction(async (tx) => {
    const offer = await lockOffer(tx, shop, offerId);
    if (!offer) return { skipped: "NOT_FOUND" };
    const now = clock().now();
    const stale = offer.status === "ISSUING" && now.getTime() - offer.updatedAt.getTime() >= ISSUE_LEASE_MS;
    if (offer.status === "ISSUING" && !stale) throw new IssueInProgressError(offerId);
    if (offer.status !== "APPROVED" && !stale) return { skipped: offer.status };
    const claimed = await tx.offer.update({
      where: { id: offerId },
      data: { status: "ISSUING", attempts: { increment: 1 }, updatedAt: now },
      include: { incident: true },
    });
    await recordTransition(tx, {
      shop,
      offerId,
      from: offer.status,
      to: "ISSUING",
      actor: "system",
      at: now,
      note: stale ? "took over a stale claim" : `attempt ${claimed.attempts}`,
    });
    return { offer: claimed };
  });
}

export async function issueOffer(shop: string, offerId: string, hooks: IssueHooks = {}): Promise<IssueResult> {
  const claimed = await claim(shop, offerId);
  if ("skipped" in claimed) return { outcome: "SKIPPED", offerId, status: claimed.skipped };
  const offer = claimed.offer;
  try {
    const ctx = await shopOfferContext(shop);
    const admin = await adminClientFor(shop);
    const effect = await issueWithShopify(admin, offer, ctx);
    await hooks.afterShopify?.(offer);
    await recordIssued(offer, effect, ctx);
    return { outcome: "ISSUED", offerId, shopifyGid: effect.shopifyGid, adopted: effect.adopted };
  } catch (error) {
    const message = describeError(error);
    if (isTerminal(error)) {
      await settleClaim(offer, "FAILED", message);
      return { outcome: "FAILED", offerId, error: message };
    }
    // Release the claim so the job's retry can claim at once; it reconciles before creating anything.
    await settleClaim(offer, "APPROVED", message).catch(() => undefined);
    throw error;
  }
}

function describeError(error: unknown): string {
  if (error instanceof UserErrorsError) return error.message;
  if (error instanceof AdminApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

async function settleClaim(offer: Offer, to: "FAILED" | "APPROVED", message: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const now = clock().now();
    const moved = await tx.offer.updateMany({
      where: { id: offer.id, status: "ISSUING" },
      data: { status: to, lastError: message.slice(0, 2000), updatedAt: now },
    });
    if (moved.count === 0) return;
    // A refusal (terminal) created nothing in Shopify: the money it held goes back to the month's budget.
    // A retry reserves it again (retryIssue).
    const held = to === "FAILED" ? await heldReservation(tx, offer.id) : null;
    if (held) await releaseBudget(tx, offer.shop, held.month, held.minor);
    await recordTransition(tx, {
      shop: offer.shop,
      offerId: offer.id,
      from: "ISSUING",
      to,
      actor: "system",
      at: now,
      note: to === "FAILED" ? "failed; retry from the offer page" : "attempt failed; the job retries",
      data: { error: message.slice(0, 500) },
      ...(held ? { budget: { month: held.month, committedDelta: -held.minor } } : {}),
    });
    if (to === "FAILED") {
      await addIncidentEvent(tx, {
        shop: offer.shop,
        incidentId: offer.incidentId,
        kind: "OFFER_FAILED",
        at: now,
        data: { offerId: offer.id, error: message.slice(0, 500) },
      });
    }
  });
}

async function recordIssued(offer: Offer, effect: Effect, ctx: ShopOfferContext): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const now = clock().now();
    const moved = await tx.offer.updateMany({
      where: { id: offer.id, status: "ISSUING" },
      data: {
        status: "ISSUED",
        issuedAt: now,
        shopifyGid: effect.shopifyGid,
        code: effect.code,
        giftOrderGid: effect.giftOrderGid,
        notifiedAt: effect.notified ? now : null,
        followUpAt: new Date(now.getTime() + ctx.offers.followUpAfterHours * 3_600_000),
        lastError: null,
        updatedAt: now,
      },
    });
    if (moved.count === 0) throw new Error(`offer ${offer.id} left ISSUING while it was being issued`);
    const held = await heldReservation(tx, offer.id);
    const month = held?.month ?? budgetMonthOf(now, ctx.timeZone);
    await moveToIssued(tx, offer.shop, month, held?.minor ?? 0, offer.faceValueMinor);
    await recordTransition(tx, {
      shop: offer.shop,
      offerId: offer.id,
      from: "ISSUING",
      to: "ISSUED",
      actor: "system",
      at: now,
      note: effect.adopted ? "adopted what an earlier attempt created" : "created in Shopify",
      data: { shopifyGid: effect.shopifyGid, giftOrderGid: effect.giftOrderGid },
      budget: { month, committedDelta: -(held?.minor ?? 0), issuedDelta: offer.faceValueMinor },
    });
    await addIncidentEvent(tx, {
      shop: offer.shop,
      incidentId: offer.incidentId,
      kind: "OFFER_ISSUED",
      at: now,
      data: { offerId: offer.id, shopifyGid: effect.shopifyGid, adopted: effect.adopted },
    });
    await scheduleAfterIssue(tx, offer, now, ctx);
    await closeSettledIncidents(offer.shop, now, { incidentId: offer.incidentId }, tx);
  });
}

async function scheduleAfterIssue(tx: Tx, offer: Offer, now: Date, ctx: ShopOfferContext): Promise<void> {
  await enqueue(
    tx,
    "notify-offer",
    { v: 1, shop: offer.shop, offerId: offer.id },
    { jobKey: `notify-offer:${offer.id}` },
  );
  if (offer.expiresAt) {
    await enqueue(
      tx,
      "offer-expiry",
      { v: 1, shop: offer.shop, offerId: offer.id },
      { runAt: offer.expiresAt, jobKey: `offer-expiry:${offer.id}` },
    );
  }
  await enqueue(
    tx,
    "follow-up",
    { v: 1, shop: offer.shop, offerId: offer.id },
    { runAt: new Date(now.getTime() + ctx.offers.followUpAfterHours * 3_600_000), jobKey: `follow-up:${offer.id}` },
  );
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
  const ctx = await shopOfferContext(shop);
  return prisma.$transaction(async (tx) => {
    const now = clock().now();
    const offer = await lockOffer(tx, shop, offerId);
    if (!offer || offer.status !== "FAILED") return false;
    const month = budgetMonthOf(now, ctx.timeZone);
    const held = await heldReservation(tx, offerId);
    const needed = offer.faceValueMinor - (held?.minor ?? 0);
    if (needed > 0 && !(await reserveBudget(tx, shop, month, needed, ctx.recovery.decision.monthlyBudgetMinor))) {
      throw new RetryRefusedError(
        `Retrying would go over this month's make-good budget (${formatMoney(needed, ctx.currency)} more is needed). Raise the budget in Settings, or wait for next month.`,
      );
    }
    await tx.offer.update({ where: { id: offerId }, data: { status: "APPROVED", updatedAt: now } });
    await recordTransition(tx, {
      shop,
      offerId,
      from: "FAILED",
      to: "APPROVED",
      actor,
      at: now,
      note: "retry issue",
      ...(needed > 0 ? { budget: { month, committedDelta: needed } } : {}),
    });
    await enqueue(tx, "issue-offer", { v: 1, shop, offerId }, { jobKey: `issue-offer:${offerId}` });
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Per kind: reconcile, create, reconcile after an ambiguous answer.

function customerOf(offer: Offer): string {
  if (!offer.customerGid)
    throw new IssueRefusedError(`${offer.kind} needs a customer account (guest checkout)`, "NEEDS_CUSTOMER");
  return offer.customerGid;
}

function mayExist(error: unknown): boolean {
  if (error instanceof AdminApiError) return error.code === "AMBIGUOUS" || error.mayHaveApplied;
  return error instanceof UserErrorsError && error.userErrors.some((e) => e.code === "TAKEN");
}

/**
 * Look for what an earlier attempt made (only when there was one: a first claim never reached
 * Shopify before), else create; on an answer that says it may exist, look again and adopt.
 */
async function createOrAdopt(
  earlierAttempt: boolean,
  lookup: () => Promise<Effect | null>,
  create: () => Promise<Effect>,
): Promise<Effect> {
  const existing = earlierAttempt ? await lookup() : null;
  if (existing) return existing;
  try {
    return await create();
  } catch (error) {
    if (!mayExist(error)) throw error;
    const found = await lookup();
    if (found) return found;
    throw error;
  }
}

async function issueWithShopify(admin: AdminClient, offer: OfferWithIncident, ctx: ShopOfferContext): Promise<Effect> {
  const cell = gridCellSchema.parse(offer.cell);
  const none = { giftOrderGid: null, notified: false };
  const earlier = offer.attempts > 1;
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
    case "DISCOUNT_FIXED": {
      const made = await issueGroupedCode(admin, offer, cell, customerOf(offer), ctx.timeZone);
      return { shopifyGid: made.discountGid, code: made.code, adopted: made.adopted, ...none };
    }
    case "STORE_CREDIT": {
      const customerId = customerOf(offer);
      const amount = fromMinorUnits(offer.faceValueMinor, offer.currency);
      const expiresAt = creditExpiry(offer);
      const since = offer.decidedAt ?? offer.createdAt;
      const lookup = async (): Promise<Effect | null> => {
        const data = await admin.run(storeCreditAccountTransactions, { customerId, currencyCode: offer.currency });
        const found = findCredits(data, { amount, since, expiresAt });
        return found[0]
          ? {
              shopifyGid: found[0].id,
              code: null,
              adopted: true,
              giftOrderGid: null,
              notified: ctx.offers.notifyStoreCredit,
            }
          : null;
      };
      return createOrAdopt(earlier, lookup, async () => {
        const { storeCreditAccountCredit: made } = await admin.run(storeCreditAccountCredit, {
          id: customerId,
          amount,
          currencyCode: offer.currency,
          expiresAt,
          notify: ctx.offers.notifyStoreCredit,
        });
        return {
          shopifyGid: made.storeCreditAccountTransaction.id,
          code: null,
          adopted: false,
          giftOrderGid: null,
          notified: ctx.offers.notifyStoreCredit,
        };
      });
    }
    case "GIFT_CARD": {
      const customerId = customerOf(offer);
      const since = new Date((offer.decidedAt ?? offer.createdAt).getTime() - 60_000);
      const lookup = async (): Promise<Effect | null> => {
        const { giftCards } = await admin.run(giftCardsForReconcile, { customerId, since });
        const card = giftCards.nodes.find(
          (c) => c.note === offer.id && offer.issueKey.toLowerCase().endsWith(c.lastCharacters.toLowerCase()),
        );
        return card ? { shopifyGid: card.id, code: offer.issueKey, adopted: true, ...none } : null;
      };
      const effect = await createOrAdopt(earlier, lookup, async () => {
        const { giftCardCreate: made } = await admin.run(giftCardCreate, {
          customerId,
          amount: fromMinorUnits(offer.faceValueMinor, offer.currency),
          currencyCode: offer.currency,
          expiresOn: offer.expiresAt ? localDate(offer.expiresAt, ctx.timeZone) : null,
          note: offer.id,
          code: offer.issueKey,
        });
        return { shopifyGid: made.giftCard.id, code: offer.issueKey, adopted: false, ...none };
      });
      if (!ctx.offers.notifyGiftCard || offer.notifiedAt) return effect;
      try {
        await admin.run(giftCardSendNotificationToCustomer, { id: effect.shopifyGid });
      } catch (error) {
        // The notification cannot be looked up: an ambiguous send counts as sent (at most once).
        if (!(error instanceof AdminApiError && error.code === "AMBIGUOUS")) throw error;
      }
      return { ...effect, notified: true };
    }
    case "GIFT_PRODUCT": {
      const customerId = customerOf(offer);
      const findDraft = async () =>
        (await admin.run(draftOrdersByTag, { tag: offer.issueKey })).draftOrders.nodes[0] ?? null;
      let draft = earlier ? await findDraft() : null;
      let adopted = draft !== null;
      if (!draft) {
        const { order } = await admin.run(orderForRecovery, { id: offer.incident.orderGid });
        try {
          const { draftOrderCreate: made } = await admin.run(draftOrderCreate, {
            customerId,
            lines: [{ variantId: cell.value.variantId, quantity: cell.value.quantity }],
            shippingAddress: order?.shippingAddress ? toMailingAddressInput(order.shippingAddress) : null,
            currencyCode: offer.currency,
            tags: [offer.issueKey],
            note: `Amends make-good for ${offer.incident.orderName}`,
          });
          draft = {
            id: made.draftOrder.id,
            name: made.draftOrder.name,
            status: made.draftOrder.status,
            tags: made.draftOrder.tags,
            order: null,
          };
        } catch (error) {
          if (!mayExist(error)) throw error;
          draft = await findDraft();
          if (!draft) throw error;
          adopted = true;
        }
      }
      if (draft.status === "COMPLETED" && draft.order)
        return { shopifyGid: draft.id, code: null, giftOrderGid: draft.order.id, adopted, notified: false };
      try {
        const { draftOrderComplete: done } = await admin.run(draftOrderComplete, { id: draft.id });
        return { shopifyGid: draft.id, code: null, giftOrderGid: done.draftOrder.order.id, adopted, notified: false };
      } catch (error) {
        if (!mayExist(error) && !(error instanceof UserErrorsError)) throw error;
        // Completing twice is refused; an ambiguous completion is read back.
        const { draftOrder: read } = await admin.run(draftOrder, { id: draft.id });
        if (read?.status === "COMPLETED" && read.order)
          return { shopifyGid: draft.id, code: null, giftOrderGid: read.order.id, adopted: true, notified: false };
        throw error;
      }
    }
    case "NONE":
      throw new IssueRefusedError("an apology-only offer has nothing to issue", "NOTHING_TO_ISSUE");
  }
}

/**
 * The credit's expiry: the offer's, to the second, pushed later by 0-3599 s derived from the offer
 * id, so two credits of the same amount and day for one customer stay distinguishable when
 * reconciling (the API has no origin marker). The customer gets slightly more time, never less.
 */
export function creditExpiry(offer: Pick<Offer, "id" | "expiresAt">): Date | null {
  if (!offer.expiresAt) return null;
  const spread = Number.parseInt(offer.id.replaceAll("-", "").slice(0, 6), 16) % 3600;
  return new Date(Math.floor(offer.expiresAt.getTime() / 1000) * 1000 + spread * 1000);
}
