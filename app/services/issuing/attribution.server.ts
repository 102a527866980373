/**
 * Attribution of a new order to earlier offers and holdouts (decision 0106): read the order from
 * Shopify by id (codes used, gift cards and store credit paid with, tags, source), ask the pure
 * attributeOrder(), and record WON_BACK on offers and holdouts
 * and REDEEMED (a lifecycle move) on the offers the order used.
 */
import type { Offer } from "@prisma/client";
import type { z } from "zod";
import { clock } from "../../clock.server";
import { prisma, type Tx } from "../../db.server";
import { addIncidentEvent, lockOffer, offerOfGiftOrder } from "../../models/offers.server";
import { shopContext } from "../../models/shop-settings.server";
import { enqueue } from "../../queue/enqueue.server";
import {
  attributeOrder,
  DRAWN_DECISIONS,
  isAmendsGiftOrder,
  MS_PER_DAY,
  toMinorUnits,
  type AttributableOffer,
  type AttributionOrder,
} from "../../recovery";
import { backgroundAdmin } from "../../shopify/admin.server";
import { orderForAttribution, type attributionOrder } from "../../shopify/operations/order-for-attribution";
import { transitionOffer } from "../offers/transition.server";

type OrderNode = z.output<typeof attributionOrder>;

/** For the orders/create handler (the lead wires it): attribute the new order to earlier offers. */
export async function enqueueAttribution(tx: Tx, shop: string, orderGid: string): Promise<void> {
  await enqueue(tx, "attribute-order", { v: 1, shop, orderGid }, { jobKey: `attribute-order:${shop}:${orderGid}` });
}

function attributable(offer: Offer): AttributableOffer | null {
  if (!offer.customerGid || !offer.issuedAt || offer.kind === "NONE") return null;
  return {
    offerId: offer.id,
    incidentId: offer.incidentId,
    customerId: offer.customerGid,
    kind: offer.kind,
    issuedAt: offer.issuedAt,
    faceValueMinor: offer.faceValueMinor,
    expiresAt: offer.expiresAt,
    code: offer.code,
    giftCardId: offer.kind === "GIFT_CARD" ? offer.shopifyGid : null,
    giftOrderId: offer.giftOrderGid,
    alreadyRedeemed: offer.redeemedAt !== null,
  };
}

export interface AttributionSummary {
  wonBack: number;
  redeemed: number;
  skipped?: string;
}

/**
 * Attribute one new order: read the customer's orders since the earliest candidate from Shopify
 * (codes used, tags, source) and mark WON_BACK / REDEEMED on the offers (and won-back holdouts
 * as incident events). Idempotent: only the first order sets wonBackAt / redeemedAt.
 */
/** Store credit and gift cards the order was paid with, from its successful sale transactions. */
function paidWith(node: OrderNode): Pick<AttributionOrder, "giftCards" | "storeCreditUsedMinor"> {
  const sales = node.transactions.filter((t) => t.kind === "SALE" && t.status === "SUCCESS");
  const minor = (t: (typeof sales)[number]) =>
    toMinorUnits(t.amountSet.shopMoney.amount, t.amountSet.shopMoney.currencyCode);
  const giftCards = sales
    .filter((t) => t.gateway === "gift_card")
    .map((t) => ({ id: giftCardIdOf(t.receiptJson), amountMinor: minor(t) }))
    .filter((g): g is { id: string; amountMinor: number } => g.id !== null)
    .map((g) => ({ giftCardId: `gid://shopify/GiftCard/${g.id}`, amountMinor: g.amountMinor }));
  const storeCreditUsedMinor = sales
    .filter((t) => t.gateway === "shopify_store_credit")
    .reduce((sum, t) => sum + minor(t), 0);
  return { giftCards, storeCreditUsedMinor };
}

function giftCardIdOf(receiptJson: string | null): string | null {
  if (!receiptJson) return null;
  try {
    const receipt = JSON.parse(receiptJson) as { gift_card_id?: unknown };
    return typeof receipt.gift_card_id === "number" || typeof receipt.gift_card_id === "string"
      ? String(receipt.gift_card_id)
      : null;
  } catch {
    return null;
  }
}

/**
 * The discount each code took off the order. With one code (the usual case for a make-good) it is
 * the order's whole discount; when codes were combined the order total cannot be split without
 * per-line allocations, so each code is recorded as 0 rather than guessed.
 */
function discountsUsed(node: OrderNode): AttributionOrder["discountCodes"] {
  const total = toMinorUnits(node.totalDiscountsSet.shopMoney.amount, node.totalDiscountsSet.shopMoney.currencyCode);
  return node.discountCodes.map((code) => ({ code, amountMinor: node.discountCodes.length === 1 ? total : 0 }));
}

export async function attributeNewOrder(shop: string, orderGid: string): Promise<AttributionSummary> {
  const record = await prisma.orderRecord.findUnique({ where: { uniqueShopOrder: { shop, orderGid } } });
  const customerGid = record?.customerGid ?? null;
  if (!customerGid) return { wonBack: 0, redeemed: 0, skipped: "GUEST_OR_UNKNOWN_ORDER" };
  // Amends's own gift is not the customer buying again: by its tag, or by the offer that made it,
  // whichever of its offers that is (decision 0112).
  if (
    isAmendsGiftOrder({ tags: record?.tags ?? [] }) ||
    (await offerOfGiftOrder(prisma, shop, orderGid, customerGid)) !== null
  )
    return { wonBack: 0, redeemed: 0, skipped: "AMENDS_GIFT_ORDER" };
  const ctx = await shopContext(shop);
  const windowDays = ctx.recovery.attribution.windowDays;
  const [offers, incidents] = await Promise.all([
    prisma.offer.findMany({
      where: { shop, customerGid, status: { in: ["ISSUED", "REDEEMED", "UNUSED", "HOLDOUT"] } },
      include: { incident: true },
    }),
    // Every incident of the customer that went through the holdout draw and whose window could
    // still hold a new order (index "Incident"(shop, "customerGid", "detectedAt")).
    prisma.incident.findMany({
      where: {
        shop,
        customerGid,
        decision: { in: [...DRAWN_DECISIONS] },
        detectedAt: { gte: new Date((record?.createdAt ?? clock().now()).getTime() - windowDays * MS_PER_DAY) },
      },
      select: { id: true, detectedAt: true },
    }),
  ]);
  if (offers.length === 0 && incidents.length === 0) return { wonBack: 0, redeemed: 0, skipped: "NO_CANDIDATES" };
  const admin = await backgroundAdmin(shop);
  // By id, not by searching the customer's orders: the webhook usually beats Shopify's search index.
  const { order: node } = await admin.run(orderForAttribution, { id: orderGid });
  if (!node) return { wonBack: 0, redeemed: 0, skipped: "ORDER_NOT_FOUND" };
  const order: AttributionOrder = {
    id: node.id,
    customerId: customerGid,
    createdAt: node.createdAt,
    totalMinor: toMinorUnits(
      node.currentTotalPriceSet.shopMoney.amount,
      node.currentTotalPriceSet.shopMoney.currencyCode,
    ),
    tags: node.tags,
    sourceName: node.sourceName,
    discountCodes: discountsUsed(node),
    ...paidWith(node),
  };
  const result = attributeOrder(
    order,
    {
      offers: offers.map(attributable).filter((o): o is AttributableOffer => o !== null),
      holdouts: offers
        .filter((o) => o.status === "HOLDOUT" && o.customerGid)
        .map((o) => ({ incidentId: o.incidentId, customerId: customerGid, detectedAt: o.incident.detectedAt })),
      incidents: incidents.map((i) => ({ incidentId: i.id, customerId: customerGid, detectedAt: i.detectedAt })),
    },
    ctx.recovery.attribution,
  );
  if (result.kind !== "ATTRIBUTED") return { wonBack: 0, redeemed: 0, skipped: result.reason };
  const now = clock().now();
  let wonBack = 0;
  let redeemed = 0;
  await prisma.$transaction(async (tx) => {
    // The experiment's outcome: the earliest counted order in the window, whatever order the
    // orders are attributed in (a retried or late job never moves it later).
    if (result.returned.length > 0)
      await tx.incident.updateMany({
        where: {
          shop,
          id: { in: result.returned },
          OR: [{ returnedAt: null }, { returnedAt: { gt: order.createdAt } }],
        },
        data: { returnedAt: order.createdAt, returnedOrderGid: order.id, returnedMinor: order.totalMinor },
      });
    for (const won of result.wonBack) {
      // A treated customer's offer, or the holdout record of a held-out customer's incident.
      const holdout =
        won.kind === "OFFER" ? null : offers.find((o) => o.incidentId === won.incidentId && o.status === "HOLDOUT");
      const target =
        won.kind === "OFFER"
          ? { id: won.offerId, data: { offerId: won.offerId } }
          : holdout && { id: holdout.id, data: { holdout: true } };
      if (!target) continue;
      const moved = await tx.offer.updateMany({
        where: { id: target.id, wonBackAt: null },
        data: { wonBackAt: order.createdAt, wonBackOrderGid: order.id, wonBackMinor: order.totalMinor },
      });
      if (moved.count === 0) continue;
      wonBack += 1;
      await addIncidentEvent(tx, {
        shop,
        incidentId: won.incidentId,
        kind: "WON_BACK",
        at: now,
        data: { ...target.data, orderGid: order.id, totalMinor: order.totalMinor },
      });
    }
    for (const r of result.redeemed) {
      const offer = await lockOffer(tx, shop, r.offerId);
      if (!offer || offer.redeemedAt || (offer.status !== "ISSUED" && offer.status !== "UNUSED")) continue;
      await transitionOffer(tx, ctx, offer, "REDEEMED", {
        actor: "system",
        at: now,
        note: `used on ${order.id} (${r.via.toLowerCase()})`,
        changes: {
          redeemedAt: order.createdAt,
          redeemedOrderGid: order.id,
          discountUsedMinor: r.amountUsedMinor || null,
        },
        event: { kind: "OFFER_REDEEMED", data: { orderGid: order.id, via: r.via } },
      });
      redeemed += 1;
    }
  });
  return { wonBack, redeemed };
}
