/**
 * After issue: the customer notification (Flow trigger "recovery-offer-issued"), the follow-up
 * (Flow trigger "recovery-follow-up-due", skipped when the customer bought again) and expiry
 * (ISSUED -> UNUSED). Attribution of new orders is in ./attribution.server.ts.
 *
 * Flow triggers cannot be looked up afterwards, so they are sent at most once: a marker event is
 * committed first, and removed again only when Shopify definitely did not take the trigger.
 */
import type { Offer, Prisma } from "@prisma/client";
import { clock } from "../../clock.server";
import { prisma } from "../../db.server";
import { lockOffer } from "../../models/offers.server";
import { shopContext, type ShopContext } from "../../models/shop-settings.server";
import { transitionOffer } from "../offers/transition.server";
import { catalogWithOverrides } from "../../recovery/messages/overrides";
import {
  formatMoney,
  fromMinorUnits,
  ISSUED_STATUSES,
  gridCellSchema,
  isAmendsGiftOrder,
  renderMessage,
  type GridCell,
} from "../../recovery";
import { AdminApiError } from "../../shopify/admin-errors";
import { customerContact, type CustomerContact } from "../../shopify/operations/customer-contact";
import { recordProtectedDataAccess } from "../../models/shop.server";
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
import { followUpMessage } from "../../recovery/ratings/follow-up-message";
import { ratingLinks } from "../ratings/links.server";

/** What a once-only marker is about: an offer (of its incident), or the incident itself. */
export interface MarkerSubject {
  incidentId: string;
  offerId?: string;
  /**
   * A staff member's one request (a click on "Resend message"): the marker is then once per
   * request rather than once per offer, and names who asked.
   */
  request?: { id: string; actor: string };
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
        AND: [
          ...(subject.offerId ? [{ data: { path: ["offerId"], equals: subject.offerId } }] : []),
          ...(subject.request ? [{ data: { path: ["requestId"], equals: subject.request.id } }] : []),
        ],
      },
    });
    if (existing) return null;
    const event = await tx.incidentEvent.create({
      data: {
        shop,
        incidentId: subject.incidentId,
        kind,
        at: clock().now(),
        ...(subject.request ? { actor: subject.request.actor } : {}),
        data: {
          ...(subject.offerId ? { offerId: subject.offerId } : {}),
          ...(subject.request ? { requestId: subject.request.id } : {}),
          ...data,
        } as Prisma.InputJsonValue,
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

/**
 * A message by the shop's own mail server, at most once per subject and marker kind (the address is
 * not stored): the apology (OFFER_EMAILED) or the acknowledgement at detection (INCIDENT_ACK_EMAILED).
 */
export async function emailOnce(
  shop: string,
  subject: MarkerSubject,
  kind: string,
  settings: EmailSettings,
  message: EmailMessage,
): Promise<boolean> {
  const marker = await claimMarker(shop, subject, kind, { channel: "smtp" });
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
  /** The message's Flow trigger went to the shop's Flow (now or by an earlier attempt). */
  flow: "SENT" | "ALREADY_SENT" | "NOT_IN_USE";
  /**
   * PROTECTED_DATA_DENIED: Shopify refused the customer's name or email (the app is not approved
   * for them on this shop): SMTP stays off for the shop until a read comes back clean.
   */
  email: "SENT" | "ALREADY_SENT" | "OFF" | "NO_ADDRESS" | "PROTECTED_DATA_DENIED";
  /** The message went out with the customer's first name (false: unknown, or refused by Shopify). */
  named: boolean;
}

/**
 * The customer's apology with the make-good: the "Recovery offer issued" Flow trigger (the
 * merchant's own email/SMS tools send it), only when a workflow uses it, and the optional SMTP
 * mail. Flow goes first, so a mail server that refuses cannot hold it back; each channel sends at
 * most once, so the job's retry sends only what did not go out. Nothing to send, nothing read.
 * The name and email are read here, at send time, and never stored; where Shopify refuses them
 * (no protected-data approval) the message goes out without a name and SMTP is off for the shop.
 */
export async function notifyIssued(shop: string, offerId: string): Promise<NotifyOutcome & { skipped?: string }> {
  const offer = await issuedOfferOf(shop, offerId);
  if (!offer || !offer.customerGid)
    return { flow: "NOT_IN_USE", email: "OFF", named: false, skipped: offer ? "guest" : "not issued" };
  return messageCustomer(shop, offerMessage(offer, offer.customerGid, ofOffer(offer), ISSUED_MARKERS));
}

/** The markers of the apology itself: each channel once per offer. */
export const ISSUED_MARKERS = { flow: "OFFER_NOTIFIED", email: "OFFER_EMAILED" } as const;
/** The markers of a staff member's "Resend message": each channel once per click. */
export const RESENT_MARKERS = { flow: "OFFER_RESENT", email: "OFFER_RESENT_EMAILED" } as const;

async function issuedOfferOf(shop: string, offerId: string) {
  return prisma.offer.findFirst({
    where: { id: offerId, shop, status: { in: [...ISSUED_STATUSES] } },
    include: { incident: true },
  });
}

/** The apology with its make-good, as the first message and a resend both send it. */
function offerMessage(
  offer: NonNullable<Awaited<ReturnType<typeof issuedOfferOf>>>,
  customerGid: string,
  subject: MarkerSubject,
  markers: { flow: string; email: string },
): CustomerMessage<typeof OFFER_ISSUED_TRIGGER> {
  const cell = gridCellSchema.parse(offer.cell);
  return {
    customerGid,
    subject,
    trigger: OFFER_ISSUED_TRIGGER,
    markers,
    compose: (customer, ctx) => {
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
      return {
        message,
        values: {
          order_id: numericId(offer.incident.orderGid),
          customer_id: numericId(customerGid),
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
        },
      };
    },
  };
}

export type ResendOutcome =
  | { outcome: "SENT"; channels: NotifyOutcome }
  /** The same click again (a double submit): it went out the first time. */
  | { outcome: "ALREADY_SENT" }
  | { outcome: "NOT_ISSUED" | "GUEST" | "NEVER_SENT" }
  /** Neither channel could send now (no workflow, mail off, no address, or Shopify refused the email). */
  | { outcome: "NOT_SENT"; channels: NotifyOutcome };

/**
 * "Resend message": the same apology through the same channels (notifyIssued's), once per staff
 * request (`requestId`, one per click), each send a timeline entry naming who asked. Refused when
 * the first message never went out: there is nothing to send again, and the first send is the
 * job's, not staff's.
 */
export async function resendOfferMessage(
  shop: string,
  offerId: string,
  request: { id: string; actor: string },
): Promise<ResendOutcome> {
  const offer = await issuedOfferOf(shop, offerId);
  if (!offer) return { outcome: "NOT_ISSUED" };
  if (!offer.customerGid) return { outcome: "GUEST" };
  const sent = await prisma.incidentEvent.count({
    where: {
      shop,
      incidentId: offer.incidentId,
      kind: { in: Object.values(ISSUED_MARKERS) },
      data: { path: ["offerId"], equals: offer.id },
    },
  });
  if (sent === 0) return { outcome: "NEVER_SENT" };
  const subject: MarkerSubject = { ...ofOffer(offer), request };
  const channels = await messageCustomer(shop, offerMessage(offer, offer.customerGid, subject, RESENT_MARKERS));
  if (channels.flow === "SENT" || channels.email === "SENT") return { outcome: "SENT", channels };
  if (channels.flow === "ALREADY_SENT" || channels.email === "ALREADY_SENT") return { outcome: "ALREADY_SENT" };
  return { outcome: "NOT_SENT", channels };
}

/** One message to a customer: what `compose` makes of the customer's contact and the shop's settings. */
export interface CustomerMessage<H extends TriggerHandle> {
  customerGid: string;
  /** What the markers are recorded on (the offer, or the incident). */
  subject: MarkerSubject;
  /** The Flow trigger that carries the message. */
  trigger: H;
  /** The marker kinds that make each channel send at most once. */
  markers: { flow: string; email: string };
  compose(
    customer: CustomerContact | null,
    ctx: ShopContext,
  ): { message: { subject: string; body: string }; values: TriggerValues<H> };
}

/**
 * A customer message over both channels (the apology with its make-good, and the acknowledgement
 * of decision 0113): the Flow trigger when a workflow uses it, then the optional SMTP mail, each at
 * most once. Nothing to send, nothing read. The name and email are read here, at send time, and
 * never stored; where Shopify refuses them the message goes without a name and SMTP stays off.
 */
export async function messageCustomer<H extends TriggerHandle>(
  shop: string,
  send: CustomerMessage<H>,
): Promise<NotifyOutcome> {
  const ctx = await shopContext(shop);
  const flowInUse = await flowTriggerInUse(shop, send.trigger);
  const email = ctx.offers.email?.enabled ? ctx.offers.email : null;
  if (!flowInUse && !email) return { flow: "NOT_IN_USE", email: "OFF", named: false };

  const admin = await backgroundAdmin(shop);
  const {
    data: { customer },
    denied,
  } = await admin.runWithDenials(customerContact, { id: send.customerGid, withEmail: email !== null });
  await recordProtectedDataAccess(shop, denied.length > 0 ? clock().now() : null);
  const { message, values } = send.compose(customer ?? null, ctx);
  const flow = !flowInUse
    ? "NOT_IN_USE"
    : (await sendTriggerOnce(shop, send.subject, send.markers.flow, send.trigger, values))
      ? "SENT"
      : "ALREADY_SENT";
  const named = Boolean(customer?.firstName?.trim());
  const address = customer?.defaultEmailAddress?.emailAddress;
  if (!email) return { flow, email: "OFF", named };
  if (denied.length > 0) return { flow, email: "PROTECTED_DATA_DENIED", named };
  if (!address) return { flow, email: "NO_ADDRESS", named };
  const mailed = await emailOnce(shop, send.subject, send.markers.email, email, {
    to: address,
    subject: message.subject,
    text: message.body,
  });
  return { flow, email: mailed ? "SENT" : "ALREADY_SENT", named };
}

/** What the customer gets, as the "Amount" field shows it. */
function amountText(cell: GridCell, faceValueMinor: number, currency: string): string {
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
      return `${cell.value}%`;
    case "GIFT_PRODUCT":
      return `free gift (${formatMoney(faceValueMinor, currency)})`;
    case "REPLACEMENT":
      return `free replacement (${formatMoney(faceValueMinor, currency)})`;
    case "NONE":
      return "";
    default:
      return formatMoney(cell.value, currency);
  }
}

export type FollowUpOutcome = "SENT" | "DUE_FOR_STAFF" | "SKIPPED_BOUGHT_AGAIN" | "ALREADY_SENT" | "NOT_APPLICABLE";

/**
 * The follow-up 48-72 h after issue, unless the customer already bought again: the "Recovery
 * follow-up due" Flow trigger where a workflow uses it and the shop's own mail where it is on, both
 * with the customer's rating link (decision 0117); else a FOLLOW_UP_DUE event for the staff queue.
 */
export async function followUp(shop: string, offerId: string): Promise<FollowUpOutcome> {
  const offer = await prisma.offer.findFirst({ where: { id: offerId, shop }, include: { incident: true } });
  if (!offer?.issuedAt || !offer.customerGid || !ISSUED_STATUSES.includes(offer.status)) return "NOT_APPLICABLE";
  const boughtAgain = offer.wonBackAt !== null || (await boughtSince(shop, offer));
  if (boughtAgain) {
    const marker = await claimMarker(shop, ofOffer(offer), "FOLLOW_UP_SKIPPED", { reason: "customer bought again" });
    return marker ? "SKIPPED_BOUGHT_AGAIN" : "ALREADY_SENT";
  }
  const staffTask = async (reason: string) =>
    (await claimMarker(shop, ofOffer(offer), "FOLLOW_UP_DUE", { reason })) ? "DUE_FOR_STAFF" : "ALREADY_SENT";
  const emailOn = Boolean((await shopContext(shop)).offers.email?.enabled);
  if (!emailOn && !(await flowTriggerInUse(shop, FOLLOW_UP_TRIGGER)))
    return staffTask("no Flow workflow uses the follow-up trigger");
  // Decision 0117: the follow-up carries the customer's rating link (Flow) and five one-click links (mail).
  const links = ratingLinks(shop, offer.incidentId);
  const { issuedAt, customerGid } = offer;
  const outcome = await messageCustomer(shop, {
    customerGid,
    subject: ofOffer(offer),
    trigger: FOLLOW_UP_TRIGGER,
    markers: { flow: "FOLLOW_UP_SENT", email: "FOLLOW_UP_EMAILED" },
    compose: (customer) => ({
      message: followUpMessage({
        firstName: customer?.firstName ?? null,
        orderName: offer.incident.orderName,
        scoreLinks: links.scores,
      }),
      values: {
        order_id: numericId(offer.incident.orderGid),
        customer_id: numericId(customerGid),
        "Offer ID": offer.id,
        "Offer kind": offer.kind,
        Code: offer.code ?? "",
        "Incident type": offer.incident.type,
        "Issued at": issuedAt.toISOString(),
        "Rating link": links.page,
      },
    }),
  });
  if (outcome.flow === "SENT" || outcome.email === "SENT") return "SENT";
  if (outcome.flow === "ALREADY_SENT" || outcome.email === "ALREADY_SENT") return "ALREADY_SENT";
  // Mail only, and it could not go (no address, or Shopify refused the customer's email): staff follow up.
  return staffTask(`the follow-up mail could not be sent (${outcome.email})`);
}

/** A real purchase since the offer was issued: Amends's own gift orders (any offer's) do not count (decision 0112). */
async function boughtSince(shop: string, offer: Offer): Promise<boolean> {
  const gifts = await prisma.offer.findMany({
    where: { shop, customerGid: offer.customerGid, giftOrderGid: { not: null } },
    select: { giftOrderGid: true },
  });
  const orders = await prisma.orderRecord.findMany({
    where: {
      shop,
      customerGid: offer.customerGid,
      createdAt: { gt: offer.issuedAt ?? offer.createdAt },
      orderGid: { notIn: gifts.map((g) => g.giftOrderGid).filter((id): id is string => id !== null) },
      test: false,
    },
    select: { tags: true },
    orderBy: { createdAt: "asc" },
    // The customer's orders since the offer: a handful; gift tags are matched as Shopify compares tags.
    take: 50,
  });
  return orders.some((o) => !isAmendsGiftOrder({ tags: o.tags ?? [] }));
}

/** ISSUED -> UNUSED once the expiry passed without a redemption. */
export async function expireOffer(shop: string, offerId: string): Promise<"UNUSED" | "NOTHING_TO_DO" | "NOT_YET"> {
  const ctx = await shopContext(shop);
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
