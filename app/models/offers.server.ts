/**
 * Offers and their audit trail.
 * Every status change goes through transitionOffer (app/services/offers/transition.server.ts),
 * which leaves an OfferTransition here (who, when, from, to, what changed); budget movements are
 * recorded in the transition's data, which makes the trail the ledger of what an offer holds.
 */
import { randomInt } from "node:crypto";
import { Prisma, type Offer, type OfferKind, type OfferStatus } from "@prisma/client";
import type { Tx } from "../db.server";
import {
  codeFromDraws,
  codeLengthFor,
  COMPENSATING_OFFER_STATUSES,
  CUSTOMER_HISTORY_OFFER_STATUSES,
  PREFERENCE_WINDOW,
  type RedemptionHistory,
} from "../recovery";

const REDEEMABLE_KINDS = [
  "DISCOUNT_PERCENT",
  "DISCOUNT_FIXED",
  "STORE_CREDIT",
  "GIFT_CARD",
] as const satisfies readonly OfferKind[];

/**
 * A fresh issue key: the discount code / gift card code / draft order tag, drawn with crypto
 * randomness (decision 0019) and stored on the offer before any call to Shopify, so a retried or
 * raced attempt uses the same one. Unique per shop (Offer.uniqueIssueKey).
 */
export function newIssueKey(kind: OfferKind): string {
  return codeFromDraws(codeLengthFor(kind), (n) => randomInt(n));
}

/** Lock the offer row for the rest of the transaction. */
export async function lockOffer(tx: Tx, shop: string, offerId: string): Promise<Offer | null> {
  const rows = await tx.$queryRaw<
    Array<{ id: string }>
  >`SELECT id FROM "Offer" WHERE id = ${offerId}::uuid AND shop = ${shop} FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.offer.findUnique({ where: { id: offerId } });
}

export interface BudgetMove {
  month: string;
  /** Change of the offer's reservation (committed face value). */
  committedDelta: number;
  /** Face value moved to issued. */
  issuedDelta?: number;
}

export interface TransitionInput {
  shop: string;
  offerId: string;
  from: OfferStatus | null;
  to: OfferStatus;
  actor: string;
  at: Date;
  note?: string;
  data?: Record<string, unknown>;
  budget?: BudgetMove;
}

export async function recordTransition(tx: Tx, input: TransitionInput): Promise<void> {
  const data = { ...(input.data ?? {}), ...(input.budget ? { budget: input.budget } : {}) };
  await tx.offerTransition.create({
    data: {
      shop: input.shop,
      offerId: input.offerId,
      fromStatus: input.from,
      toStatus: input.to,
      actor: input.actor,
      at: input.at,
      note: input.note ?? null,
      data: Object.keys(data).length > 0 ? (data as Prisma.InputJsonValue) : Prisma.JsonNull,
    },
  });
}

/**
 * The query behind heldReservation. It runs under the offer's row lock, so it must stay an index
 * lookup: it names the shop as well as the offer, which either OfferTransition(offerId) or
 * OfferTransition(shop, offerId, at) serves (tests/integration/held-reservation-plan.test.ts).
 */
export function heldReservationQuery(shop: string, offerId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT data->'budget'->>'month' AS month, SUM((data->'budget'->>'committedDelta')::int) AS held
    FROM "OfferTransition"
    WHERE "offerId" = ${offerId}::uuid AND shop = ${shop}
      AND data IS NOT NULL AND jsonb_typeof(data) = 'object' AND data ? 'budget'
    GROUP BY 1`;
}

/** The budget reservation the offer holds now (sum of its recorded committed deltas), per month. */
export async function heldReservation(
  tx: Tx,
  shop: string,
  offerId: string,
): Promise<{ month: string; minor: number } | null> {
  const rows = await tx.$queryRaw<Array<{ month: string; held: bigint | number | null }>>(
    heldReservationQuery(shop, offerId),
  );
  const held = rows.map((r) => ({ month: r.month, minor: Number(r.held ?? 0) })).filter((r) => r.minor > 0);
  return held[0] ?? null;
}

export async function addIncidentEvent(
  tx: Tx,
  event: { shop: string; incidentId: string; kind: string; actor?: string; at: Date; data: Record<string, unknown> },
): Promise<void> {
  await tx.incidentEvent.create({
    data: {
      shop: event.shop,
      incidentId: event.incidentId,
      kind: event.kind,
      actor: event.actor ?? "system",
      at: event.at,
      data: event.data as Prisma.InputJsonValue,
    },
  });
}

/** Offers issued or committed for the customer since `since` (the per-customer guardrail's history). */
export async function customerOfferHistory(
  tx: Tx,
  shop: string,
  customerGid: string,
  since: Date,
): Promise<Array<{ issuedAt: Date; faceValueMinor: number }>> {
  const rows = await tx.offer.findMany({
    where: {
      shop,
      customerGid,
      status: { in: [...CUSTOMER_HISTORY_OFFER_STATUSES] },
      createdAt: { gte: since },
    },
    select: { issuedAt: true, createdAt: true, faceValueMinor: true },
  });
  return rows.map((r) => ({ issuedAt: r.issuedAt ?? r.createdAt, faceValueMinor: r.faceValueMinor }));
}

/**
 * What the customer redeemed before, for the preferred-kind rule (recovery/preference, decision
 * 0114): their latest redeemed offers (index Offer(shop, customerGid, issuedAt)) and when the shop
 * last erased their data at their request. A redaction unlinks their offers (customerGid null), so
 * they are not found here; the redaction's own record (ComplianceRequest keeps the customer id it
 * was about) tells the rule to use nothing from before it.
 */
export async function customerRedemptionHistory(
  tx: Tx,
  shop: string,
  customerGid: string,
  now: Date,
): Promise<RedemptionHistory> {
  // One after the other: a transaction's queries share one connection anyway.
  const offers = await tx.offer.findMany({
    // The kinds the rule reads (preferableKindOf): a gift product or an apology is never redeemed.
    where: { shop, customerGid, kind: { in: [...REDEEMABLE_KINDS] }, redeemedAt: { not: null, lte: now } },
    orderBy: [{ redeemedAt: "desc" }, { id: "asc" }],
    take: PREFERENCE_WINDOW,
    select: { id: true, customerGid: true, kind: true, redeemedAt: true },
  });
  const redaction = await tx.complianceRequest.findFirst({
    where: { shop, kind: "CUSTOMER_REDACT", customerGid },
    orderBy: { completedAt: "desc" },
    select: { completedAt: true },
  });
  return {
    redemptions: offers.map((o) => ({
      offerId: o.id,
      customerId: o.customerGid,
      kind: o.kind,
      redeemedAt: o.redeemedAt!,
    })),
    redactedAt: redaction?.completedAt ?? null,
  };
}

/** Another incident of the order already has a make-good on its way or given (decide()'s "already compensated"). */
export async function orderAlreadyCompensated(
  tx: Tx,
  shop: string,
  orderGid: string,
  exceptIncidentId?: string,
): Promise<boolean> {
  const count = await tx.offer.count({
    where: {
      shop,
      incident: { orderGid },
      ...(exceptIncidentId ? { incidentId: { not: exceptIncidentId } } : {}),
      status: { in: [...COMPENSATING_OFFER_STATUSES] },
    },
  });
  return count > 0;
}

/**
 * Serialise decisions about one order and one customer until the transaction ends: two incidents of
 * one order (or of one customer) decided at once would each read no earlier make-good and both issue
 * one. Transaction-level advisory locks, always taken in the same order, so two deciders never wait
 * on each other crosswise. Read the order's and the customer's history after this.
 */
export async function lockDecisionTargets(
  tx: Tx,
  shop: string,
  orderGid: string,
  customerGid: string | null,
): Promise<void> {
  const keys = [`order ${shop} ${orderGid}`, ...(customerGid ? [`customer ${shop} ${customerGid}`] : [])].sort();
  for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/**
 * The offer whose free gift this order is (it records the order Amends's draft completed into), or
 * null. The robust half of "is this Amends's own gift order?": a merchant may remove the order's
 * AMENDS_GIFT_TAG, never this link (decision 0112). A gift order is always for its offer's customer,
 * which narrows the search to the (shop, customerGid, issuedAt) index.
 */
export async function offerOfGiftOrder(
  db: Tx,
  shop: string,
  orderGid: string,
  customerGid: string | null,
): Promise<{ id: string; incidentId: string } | null> {
  return db.offer.findFirst({
    where: { shop, giftOrderGid: orderGid, ...(customerGid ? { customerGid } : {}) },
    select: { id: true, incidentId: true },
  });
}
