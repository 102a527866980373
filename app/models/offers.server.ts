/**
 * Offers, their audit trail and the shop settings the offer lifecycle reads.
 * Every status change goes through transitionOffer (app/services/offers/transition.server.ts),
 * which leaves an OfferTransition here (who, when, from, to, what changed); budget movements are
 * recorded in the transition's data, which makes the trail the ledger of what an offer holds.
 */
import { Prisma, type Offer, type OfferStatus } from "@prisma/client";
import { z } from "zod";
import { emailSettingsSchema } from "../recovery/settings";
import { prisma, type Tx } from "../db.server";
import {
  COMPENSATING_OFFER_STATUSES,
  CUSTOMER_HISTORY_OFFER_STATUSES,
  DEFAULT_RECOVERY_SETTINGS,
  recoverySettingsSchema,
  type RecoverySettings,
} from "../recovery";
import { messageOverridesSchema, NO_MESSAGE_OVERRIDES, type MessageOverrides } from "../recovery/messages/overrides";
import { SHOP_DEFAULTS } from "./shop-settings.server";

/**
 * Offer lifecycle settings, kept next to the recovery settings in Shop.settings
 * under `offers` (recoverySettingsSchema has no section for them yet). Defaults:
 * escalate a pending offer to MANAGER after 4 h, expire it after 48 h; follow up
 * 48 h after issue (decision 0099 §8: 48-72 h); let Shopify email store credit and gift cards.
 */
export const offerSettingsSchema = z.object({
  escalateAfterHours: z
    .number()
    .min(0.25)
    .max(24 * 14)
    .default(4),
  expireAfterHours: z
    .number()
    .min(1)
    .max(24 * 30)
    .default(48),
  followUpAfterHours: z
    .number()
    .min(1)
    .max(24 * 14)
    .default(48),
  notifyStoreCredit: z.boolean().default(true),
  notifyGiftCard: z.boolean().default(true),
  /** Optional SMTP channel for the apology (in addition to the Flow trigger); its password is kept sealed. */
  email: emailSettingsSchema.nullable().default(null),
});
export type OfferSettings = z.output<typeof offerSettingsSchema>;

export interface ShopOfferContext {
  shop: string;
  timeZone: string;
  currency: string;
  installed: boolean;
  recovery: RecoverySettings;
  offers: OfferSettings;
  /** The shop's own wording for customer messages (the settings page); render with catalogWithOverrides. */
  messages: MessageOverrides;
}

/** The shop's settings with defaults for every missing key; an invalid document falls back to defaults. */
export async function shopOfferContext(shop: string, db: Tx = prisma): Promise<ShopOfferContext> {
  const row = await db.shop.findUnique({ where: { shop } });
  const raw = (row?.settings ?? {}) as Record<string, unknown>;
  const recovery = recoverySettingsSchema.safeParse(raw);
  const offers = offerSettingsSchema.safeParse(raw.offers ?? {});
  const messages = messageOverridesSchema.safeParse(raw.messages ?? {});
  return {
    shop,
    timeZone: row?.timezone ?? SHOP_DEFAULTS.timeZone,
    currency: row?.currency ?? SHOP_DEFAULTS.currency,
    installed: row ? row.installState === "INSTALLED" : false,
    recovery: recovery.success ? recovery.data : DEFAULT_RECOVERY_SETTINGS,
    offers: offers.success ? offers.data : offerSettingsSchema.parse({}),
    messages: messages.success ? messages.data : NO_MESSAGE_OVERRIDES,
  };
}

/** The discount code / gift card code / draft order tag: 8-20 of [a-z0-9] so it suits all three. */
export function issueKeyFor(offerId: string): string {
  return `amends${offerId.replaceAll("-", "").slice(0, 12)}`;
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

/** The budget reservation the offer holds now (sum of its recorded committed deltas), per month. */
export async function heldReservation(tx: Tx, offerId: string): Promise<{ month: string; minor: number } | null> {
  const rows = await tx.$queryRaw<Array<{ month: string; held: bigint | number | null }>>`
    SELECT data->'budget'->>'month' AS month, SUM((data->'budget'->>'committedDelta')::int) AS held
    FROM "OfferTransition"
    WHERE "offerId" = ${offerId}::uuid AND data IS NOT NULL AND jsonb_typeof(data) = 'object' AND data ? 'budget'
    GROUP BY 1`;
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
