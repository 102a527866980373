/** The queue's rows and the due follow-ups in words, with what the signed-in member may do with each. */
import { prisma } from "../../db.server";
import { countFailedOffers, dueFollowUps, failedOffers, type PendingOffer } from "../../models/approval-queue.server";
import type { ShopContext } from "../../models/shop-settings.server";
import {
  canApprove,
  describeCell,
  endOfLocalDay,
  formatMoney,
  fromMinorUnits,
  gridCellSchema,
  localDate,
  redactPersonalData,
  type ApprovableOffer,
  type StaffMember,
  type Tier,
} from "../../recovery";
import { INCIDENT_TYPE_LABELS, OFFER_KIND_LABELS, labelOf } from "../../recovery/words";
import { issueFailureInWords } from "./failure-words";
import { approverNames, listText, type StaffDirectory } from "./staff-directory.server";

const FOLLOW_UPS_SHOWN = 50;
/** Failed make-goods shown on the approvals page; the card says how many more there are. */
export const FAILED_SHOWN = 25;

export type RowAuthority =
  { canApprove: true; text: string; limit: string | null } | { canApprove: false; text: string; approvers: string[] };

export interface EditableValue {
  unit: "PERCENT" | "MONEY";
  /** The current value as typed in the field: "20" (percent) or "40.00" (money). */
  current: string;
  currency: string;
}

export interface QueueRow {
  offerId: string;
  incidentId: string;
  incidentType: string;
  typeLabel: string;
  severity: string;
  orderName: string;
  occurredAt: string;
  detectedAt: string;
  sameDayDeadline: string;
  customer: CustomerLink | null;
  tier: Tier | null;
  makeGood: string;
  faceValue: string;
  approval: string;
  explanation: string[];
  editable: EditableValue | null;
  authority: RowAuthority;
}

export interface FollowUpRow {
  id: string;
  incidentId: string;
  orderName: string;
  typeLabel: string;
  dueSince: string;
  customer: CustomerLink | null;
  makeGood: string | null;
}

export interface FailedMakeGoodRow {
  offerId: string;
  incidentId: string;
  orderName: string;
  typeLabel: string;
  customer: CustomerLink | null;
  /** "Gift card", "Free gift product"... */
  kindLabel: string;
  /** The make-good in words ("$25 gift card, 60 days"). */
  makeGood: string;
  value: string;
  /** Why it failed, in words staff can act on. */
  error: string;
  failedAt: string;
}

export interface FailedMakeGoods {
  rows: FailedMakeGoodRow[];
  /** All failed make-goods of the shop waiting for a retry, shown or not. */
  total: number;
}

function authorityFor(
  offer: ApprovableOffer,
  currency: string,
  member: StaffMember,
  ctx: ShopContext,
  directory: StaffDirectory,
): RowAuthority {
  const verdict = canApprove(member, offer, ctx.recovery.authority);
  const limitMinor = ctx.recovery.authority.limits[member.level];
  if (verdict.ok) {
    const limit = limitMinor === null ? null : formatMoney(limitMinor, currency);
    return {
      canApprove: true,
      limit,
      text: limit === null ? "You can approve, at any value" : `You can approve, and edit it up to ${limit}`,
    };
  }
  const approvers = approverNames(directory, offer, ctx, member.id);
  return {
    canApprove: false,
    approvers,
    text:
      verdict.reason === "NEEDS_MANAGER"
        ? `Needs a manager: ${listText(approvers)}`
        : `Above your limit: ${listText(approvers)} can approve`,
  };
}

/** The customer in the Shopify admin, labelled by id; the page names them live (customer-identity.server.ts). */
export interface CustomerLink {
  label: string;
  adminUrl: string;
  gid: string;
}

export function customerLink(shop: string, customerGid: string | null): CustomerLink | null {
  const id = customerGid?.split("/").pop();
  if (!customerGid || !id) return null;
  const store = shop.replace(/\.myshopify\.com$/, "");
  return {
    label: `Customer #${id}`,
    adminUrl: `https://admin.shopify.com/store/${store}/customers/${id}`,
    gid: customerGid,
  };
}

export function editableValue(offer: Pick<PendingOffer, "cell" | "currency">): EditableValue | null {
  const cell = gridCellSchema.safeParse(offer.cell);
  if (!cell.success) return null;
  switch (cell.data.kind) {
    case "DISCOUNT_PERCENT":
      return { unit: "PERCENT", current: String(cell.data.value), currency: offer.currency };
    case "DISCOUNT_FIXED":
    case "STORE_CREDIT":
    case "GIFT_CARD":
      return { unit: "MONEY", current: fromMinorUnits(cell.data.value, offer.currency), currency: offer.currency };
    default:
      return null;
  }
}

/** The make-good in words ("20% discount code, 60 days"); the kind when the stored cell no longer parses. */
export function makeGoodText(offer: { cell: unknown; currency: string; kind: string }): string {
  const cell = gridCellSchema.safeParse(offer.cell);
  return cell.success ? describeCell(cell.data, offer.currency) : offer.kind.toLowerCase().replaceAll("_", " ");
}

export function toRow(offer: PendingOffer, ctx: ShopContext, member: StaffMember, directory: StaffDirectory): QueueRow {
  const occurred = offer.incident.occurredAt;
  return {
    offerId: offer.id,
    incidentId: offer.incidentId,
    incidentType: offer.incident.type,
    typeLabel: INCIDENT_TYPE_LABELS[offer.incident.type],
    severity: offer.incident.severity,
    orderName: offer.incident.orderName,
    occurredAt: occurred.toISOString(),
    detectedAt: offer.incident.detectedAt.toISOString(),
    sameDayDeadline: endOfLocalDay(localDate(occurred, ctx.timeZone), ctx.timeZone).toISOString(),
    customer: customerLink(ctx.shop, offer.customerGid ?? offer.incident.customerGid),
    tier: offer.tier,
    makeGood: makeGoodText(offer),
    faceValue: formatMoney(offer.faceValueMinor, offer.currency),
    approval: offer.approval,
    explanation: offer.explanation,
    editable: editableValue(offer),
    authority: authorityFor(offer, offer.currency, member, ctx, directory),
  };
}

export async function followUpRows(ctx: ShopContext): Promise<FollowUpRow[]> {
  const due = await dueFollowUps(ctx.shop, FOLLOW_UPS_SHOWN);
  const offerIds = due.map((d) => d.offerId).filter((id): id is string => id !== null);
  const offers =
    offerIds.length > 0
      ? await prisma.offer.findMany({
          where: { shop: ctx.shop, id: { in: offerIds } },
          select: { id: true, summary: true, cell: true, currency: true, kind: true },
        })
      : [];
  const words = new Map(offers.map((o) => [o.id, makeGoodText(o)]));
  return due.map((d) => ({
    id: d.id,
    incidentId: d.incidentId,
    orderName: d.orderName,
    typeLabel: INCIDENT_TYPE_LABELS[d.incidentType],
    dueSince: d.at.toISOString(),
    customer: customerLink(ctx.shop, d.customerGid),
    makeGood: d.offerId ? (words.get(d.offerId) ?? null) : null,
  }));
}

/** Make-goods that failed to issue, newest first: staff retry them from their incident page. */
export async function failedMakeGoods(ctx: ShopContext, limit = FAILED_SHOWN): Promise<FailedMakeGoods> {
  const [failed, total] = await Promise.all([failedOffers(ctx.shop, limit), countFailedOffers(ctx.shop)]);
  return {
    total,
    rows: failed.map((offer) => ({
      offerId: offer.id,
      incidentId: offer.incidentId,
      orderName: offer.orderName,
      typeLabel: INCIDENT_TYPE_LABELS[offer.incidentType],
      customer: customerLink(ctx.shop, offer.customerGid),
      kindLabel: labelOf(OFFER_KIND_LABELS, offer.kind),
      makeGood: makeGoodText(offer),
      value: formatMoney(offer.faceValueMinor, offer.currency),
      // Redacted when written (decision 0019); again here for errors stored before that.
      error: issueFailureInWords(offer.lastError === null ? null : redactPersonalData(offer.lastError)),
      failedAt: offer.failedAt.toISOString(),
    })),
  };
}
