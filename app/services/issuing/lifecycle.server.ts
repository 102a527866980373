/**
 * After issue: the customer notification (Flow trigger "recovery-offer-issued"), the follow-up
 * (Flow trigger "recovery-follow-up-due", skipped when the customer bought again), expiry
 * (ISSUED -> UNUSED) and attribution of new orders (WON_BACK / REDEEMED).
 *
 * Flow triggers cannot be looked up afterwards, so they are sent at most once: a marker event is
 * committed first, and removed again only when Shopify definitely did not take the trigger.
 */
import type { Offer, Prisma } from "@prisma/client";
import type { z } from "zod";
import { clock } from "../../clock.server";
import { prisma, type Tx } from "../../db.server";
import { enqueue } from "../../queue/enqueue.server";
import { addIncidentEvent, lockOffer, shopOfferContext } from "../../models/offers.server";
import { transitionOffer } from "../offers/transition.server";
import { catalogWithOverrides } from "../../recovery/messages/overrides";
import {
  attributeOrder,
  formatMoney,
  fromMinorUnits,
  ISSUED_STATUSES,
  gridCellSchema,
  renderMessage,
  toMinorUnits,
  type AttributableOffer,
  type AttributionOrder,
  type GridCell,
} from "../../recovery";
import { AdminApiError } from "../../shopify/admin-errors";
import { customerOrdersSince, type customerOrdersSinceData } from "../../shopify/operations/customer-orders-since";
import { customerValue } from "../../shopify/operations/customer-value";
import { sendEmail, type EmailMessage, type EmailSettings } from "../notifications/email.server";
import { flowTriggerReceive } from "../../shopify/operations/flow-trigger-receive";
import { backgroundAdmin } from "../../shopify/admin.server";
import { flowTriggerInUse } from "../../models/flow-triggers.server";
import {
  FOLLOW_UP_TRIGGER,
  numericId,
  OFFER_ISSUED_TRIGGER,
  triggerPayload,
  type TriggerHandle,
  type TriggerValues,
} from "../../shopify/flow/triggers";

type OrderNode = z.output<typeof customerOrdersSinceData>["orders"]["nodes"][number];

export { FOLLOW_UP_TRIGGER, OFFER_ISSUED_TRIGGER };

/** What a once-only marker is about: an offer (of its incident), or the incident itself. */
export interface MarkerSubject {
  incidentId: string;
  offerId?: string;
}

const ofOffer = (offer: Offer): MarkerSubject => ({ incidentId: offer.incidentId, offerId: offer.id });

/** Claim a once-only marker event for the offer (or the incident); null when it was already claimed. */
async function claimMarker(
  shop: string,
  subject: MarkerSubject,
  kind: string,
  data: Record<string, unknown>,
): Promise<string | null> {
  return prisma.$transaction(async (tx) => {
    if (subject.offerId) await lockOffer(tx, shop, subject.offerId);
    else
      await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${subject.incidentId}::uuid AND shop = ${shop} FOR UPDATE`;
    const existing = await tx.incidentEvent.findFirst({
      where: {
        shop,
        incidentId: subject.incidentId,
        kind,
        ...(subject.offerId ? { data: { path: ["offerId"], equals: subject.offerId } } : {}),
      },
    });
    if (existing) return null;
    const event = await tx.incidentEvent.create({
      data: {
        shop,
        incidentId: subject.incidentId,
        kind,
        at: clock().now(),
        data: { ...(subject.offerId ? { offerId: subject.offerId } : {}), ...data } as Prisma.InputJsonValue,
      },
    });
    return event.id;
  });
}

/**
 * Fire a Flow trigger at most once per subject and marker kind. The payload is built through the
 * trigger's declaration (app/shopify/flow/triggers.ts), so it has exactly the fields the extension
 * declares. True when it went out now (or may have: AMBIGUOUS keeps the marker), false when an
 * earlier attempt already sent it.
 */
export async function sendTriggerOnce<H extends TriggerHandle>(
  shop: string,
  subject: MarkerSubject,
  kind: string,
  handle: H,
  values: TriggerValues<H>,
): Promise<boolean> {
  const payload = triggerPayload(handle, values);
  const marker = await claimMarker(shop, subject, kind, { handle });
  if (!marker) return false;
  try {
    const admin = await backgroundAdmin(shop);
    await admin.run(flowTriggerReceive, { handle, payload });
    return true;
  } catch (error) {
    // AMBIGUOUS: it may have gone out; at most once means keep the marker.
    if (error instanceof AdminApiError && error.code === "AMBIGUOUS") return true;
    await prisma.incidentEvent.delete({ where: { id: marker } }).catch(() => undefined);
    throw error;
  }
}

/** The apology by the shop's own mail server, at most once per offer (the address is not stored). */
async function emailOnce(shop: string, offer: Offer, settings: EmailSettings, message: EmailMessage): Promise<boolean> {
  const marker = await claimMarker(shop, ofOffer(offer), "OFFER_EMAILED", { channel: "smtp" });
  if (!marker) return false;
  try {
    await sendEmail(shop, settings, message);
    return true;
  } catch (error) {
    // Not sent: free the marker so the retried job tries again.
    await prisma.incidentEvent.delete({ where: { id: marker } }).catch(() => undefined);
    throw error;
  }
}

export interface NotifyOutcome {
  /** The "Recovery offer issued" trigger went to the shop's Flow (now or by an earlier attempt). */
  flow: "SENT" | "ALREADY_SENT" | "NOT_IN_USE";
  email: "SENT" | "ALREADY_SENT" | "OFF" | "NO_ADDRESS";
}

/**
 * The customer's apology with the make-good: the "Recovery offer issued" Flow trigger (the
 * merchant's own email/SMS tools send it), only when a workflow uses it, and the optional SMTP
 * mail. Flow goes first, so a mail server that refuses cannot hold it back; each channel sends at
 * most once, so the job's retry sends only what did not go out. Nothing to send, nothing read.
 */
export async function notifyIssued(shop: string, offerId: string): Promise<NotifyOutcome & { skipped?: string }> {
  const offer = await prisma.offer.findFirst({
    where: { id: offerId, shop, status: { in: [...ISSUED_STATUSES] } },
    include: { incident: true },
  });
  if (!offer || !offer.customerGid)
    return { flow: "NOT_IN_USE", email: "OFF", skipped: offer ? "guest" : "not issued" };
  const ctx = await shopOfferContext(shop);
  const flowInUse = await flowTriggerInUse(shop, OFFER_ISSUED_TRIGGER);
  const email = ctx.offers.email?.enabled ? ctx.offers.email : null;
  if (!flowInUse && !email) return { flow: "NOT_IN_USE", email: "OFF" };

  const admin = await backgroundAdmin(shop);
  const { customer } = await admin.run(customerValue, { id: offer.customerGid });
  const cell = gridCellSchema.parse(offer.cell);
  const message = renderMessage(
    {
      locale: customer?.locale ?? null,
      templateKey: cell.messageTemplateKey,
      incidentType: offer.incident.type,
      firstName: customer?.firstName ?? null,
      orderName: offer.incident.orderName,
      offer: { cell, code: offer.code, expiresAt: offer.expiresAt },
      shop: { currency: ctx.currency, timeZone: ctx.timeZone },
    },
    catalogWithOverrides(ctx.messages),
  );
  const flow = !flowInUse
    ? "NOT_IN_USE"
    : (await sendTriggerOnce(shop, ofOffer(offer), "OFFER_NOTIFIED", OFFER_ISSUED_TRIGGER, {
          order_id: numericId(offer.incident.orderGid),
          customer_id: numericId(offer.customerGid),
          "Offer ID": offer.id,
          "Offer kind": offer.kind,
          "Offer value": Number(fromMinorUnits(offer.faceValueMinor, offer.currency)),
          Currency: offer.currency,
          Code: offer.code ?? "",
          Amount: amountText(cell, offer.faceValueMinor, offer.currency),
          "Expires at": offer.expiresAt?.toISOString() ?? "",
          "Incident type": offer.incident.type,
          Severity: offer.incident.severity,
          Subject: message.subject,
          Message: message.body,
          Locale: message.locale,
        }))
      ? "SENT"
      : "ALREADY_SENT";
  const address = customer?.defaultEmailAddress?.emailAddress;
  if (!email) return { flow, email: "OFF" };
  if (!address) return { flow, email: "NO_ADDRESS" };
  const mailed = await emailOnce(shop, offer, email, { to: address, subject: message.subject, text: message.body });
  return { flow, email: mailed ? "SENT" : "ALREADY_SENT" };
}

/** What the customer gets, as the "Amount" field shows it. */
function amountText(cell: GridCell, faceValueMinor: number, currency: string): string {
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
      return `${cell.value}%`;
    case "GIFT_PRODUCT":
      return `free gift (${formatMoney(faceValueMinor, currency)})`;
    case "NONE":
      return "";
    default:
      return formatMoney(cell.value, currency);
  }
}

export type FollowUpOutcome = "SENT" | "DUE_FOR_STAFF" | "SKIPPED_BOUGHT_AGAIN" | "ALREADY_SENT" | "NOT_APPLICABLE";

/**
 * The follow-up 48-72 h after issue, unless the customer already bought again: the "Recovery
 * follow-up due" Flow trigger where a workflow uses it, else a FOLLOW_UP_DUE event for the staff queue.
 */
export async function followUp(shop: string, offerId: string): Promise<FollowUpOutcome> {
  const offer = await prisma.offer.findFirst({ where: { id: offerId, shop }, include: { incident: true } });
  if (!offer?.issuedAt || !offer.customerGid || !ISSUED_STATUSES.includes(offer.status)) return "NOT_APPLICABLE";
  const boughtAgain = offer.wonBackAt !== null || (await boughtSince(shop, offer));
  if (boughtAgain) {
    const marker = await claimMarker(shop, ofOffer(offer), "FOLLOW_UP_SKIPPED", { reason: "customer bought again" });
    return marker ? "SKIPPED_BOUGHT_AGAIN" : "ALREADY_SENT";
  }
  if (!(await flowTriggerInUse(shop, FOLLOW_UP_TRIGGER))) {
    return (await claimMarker(shop, ofOffer(offer), "FOLLOW_UP_DUE", {
      reason: "no Flow workflow uses the follow-up trigger",
    }))
      ? "DUE_FOR_STAFF"
      : "ALREADY_SENT";
  }
  const sent = await sendTriggerOnce(shop, ofOffer(offer), "FOLLOW_UP_SENT", FOLLOW_UP_TRIGGER, {
    order_id: numericId(offer.incident.orderGid),
    customer_id: numericId(offer.customerGid),
    "Offer ID": offer.id,
    "Offer kind": offer.kind,
    Code: offer.code ?? "",
    "Incident type": offer.incident.type,
    "Issued at": offer.issuedAt.toISOString(),
  });
  return sent ? "SENT" : "ALREADY_SENT";
}

async function boughtSince(shop: string, offer: Offer): Promise<boolean> {
  const orders = await prisma.orderRecord.count({
    where: {
      shop,
      customerGid: offer.customerGid,
      createdAt: { gt: offer.issuedAt ?? offer.createdAt },
      orderGid: { not: offer.giftOrderGid ?? "" },
      test: false,
    },
  });
  return orders > 0;
}

/** ISSUED -> UNUSED once the expiry passed without a redemption. */
export async function expireOffer(shop: string, offerId: string): Promise<"UNUSED" | "NOTHING_TO_DO" | "NOT_YET"> {
  const ctx = await shopOfferContext(shop);
  return prisma.$transaction(async (tx) => {
    const offer = await lockOffer(tx, shop, offerId);
    if (!offer || offer.status !== "ISSUED" || !offer.expiresAt) return "NOTHING_TO_DO";
    const now = clock().now();
    if (offer.expiresAt.getTime() > now.getTime()) return "NOT_YET";
    await transitionOffer(tx, ctx, offer, "UNUSED", {
      actor: "system",
      at: now,
      note: "expired unused",
      event: { kind: "OFFER_UNUSED", data: {} },
    });
    return "UNUSED";
  });
}

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
  const ctx = await shopOfferContext(shop);
  const offers = await prisma.offer.findMany({
    where: { shop, customerGid, status: { in: ["ISSUED", "REDEEMED", "UNUSED", "HOLDOUT"] } },
    include: { incident: true },
  });
  if (offers.length === 0) return { wonBack: 0, redeemed: 0, skipped: "NO_CANDIDATES" };
  const since = new Date(Math.min(...offers.map((o) => (o.issuedAt ?? o.incident.detectedAt).getTime())));
  const admin = await backgroundAdmin(shop);
  let node = null;
  for (let after: string | null = null, page = 0; page < 20 && !node; page++) {
    const { orders }: { orders: { nodes: OrderNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await admin.run(customerOrdersSince, { customerId: customerGid, since, after });
    node = orders.nodes.find((o) => o.id === orderGid) ?? null;
    if (!orders.pageInfo.hasNextPage) break;
    after = orders.pageInfo.endCursor;
  }
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
    },
    ctx.recovery.attribution,
  );
  if (result.kind !== "ATTRIBUTED") return { wonBack: 0, redeemed: 0, skipped: result.reason };
  const now = clock().now();
  let wonBack = 0;
  let redeemed = 0;
  await prisma.$transaction(async (tx) => {
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
