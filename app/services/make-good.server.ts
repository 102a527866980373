/**
 * The order page's "Offer a make-good" (extensions/order-recovery-action) and recovery status
 * (extensions/order-recovery-block), behind app/routes/api.orders.$orderId.recovery.tsx.
 *
 * - status: the order's incidents and offers, this shop's only.
 * - suggest: what the grid would offer for a MANUAL incident of the chosen category and severity on
 *   this order, through the real decide() with today's guardrail state, writing nothing. The
 *   holdout draw is left out (holdoutShare 0): the real decision may still place the incident in
 *   the control group, and the answer says so. A customer already held out for an earlier
 *   incident's window stays held out (decision 0111): the answer is "no offer" and says why.
 * - create: openManualIncident (exclusions apply; a second report raises the open incident), the
 *   decision inline (the decide-incident job it enqueued then finds it decided), then the staff
 *   member's choice: "issue now" approves the pending offer as them, with their edited value,
 *   through approveOffer, which checks their authority; above it the offer stays pending for
 *   someone with more and the answer names who. "Send for approval" leaves it pending.
 */
import type { Offer } from "@prisma/client";
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { customerValueFor } from "../models/customer-value.server";
import { addIncidentEvent, offerOfGiftOrder } from "../models/offers.server";
import { shopContext } from "../models/shop-settings.server";
import {
  canApprove,
  decide,
  formatMoney,
  gridCellSchema,
  manualSignal,
  maskCode,
  memberAuthority,
  type Approval,
  type ManualCategory,
  type Severity,
} from "../recovery";
import { orderFactsFromAdmin } from "../shopify/mappers/order-facts";
import { orderForRecovery } from "../shopify/operations/order-for-recovery";
import { ApprovalError, approveOffer, type StaffIdentity } from "./approvals.server";
import { completeDecisionInput, liveDecisionOrder, prepareDecision, type IncidentDraft } from "./decision-input.server";
import { decideIncident } from "./decision.server";
import { backgroundAdmin } from "../shopify/admin.server";
import { openManualIncident } from "./detection.server";
import type { IncidentStatus, OfferStatus, RecoveryStatus } from "../../extensions/shared/recovery-api";

/** decide() needs an id for its reproducible holdout draw; the preview never draws (holdoutShare 0). */
const PREVIEW_INCIDENT_ID = "00000000-0000-4000-8000-000000000000";

export class MakeGoodError extends Error {
  constructor(
    readonly code: "ORDER_NOT_FOUND",
    message: string,
  ) {
    super(message);
    this.name = "MakeGoodError";
  }
}

// --- status ---

// The answers are what the order page extensions read: one contract, declared beside them.
export type OfferStatusView = OfferStatus;
export type IncidentStatusView = IncidentStatus;
export type OrderRecoveryStatus = RecoveryStatus;

export async function orderRecoveryStatus(shop: string, orderGid: string): Promise<OrderRecoveryStatus> {
  const ctx = await shopContext(shop);
  const incidents = await prisma.incident.findMany({
    where: { shop, orderGid },
    orderBy: { detectedAt: "desc" },
    take: 20,
    include: { offers: { orderBy: { createdAt: "desc" } } },
  });
  return {
    orderGid,
    currency: ctx.currency,
    incidents: incidents.map((i) => ({
      id: i.id,
      type: i.type,
      severity: i.severity,
      state: i.state,
      detectedAt: i.detectedAt.toISOString(),
      summary: i.summary,
      offers: i.offers.map(offerView),
    })),
  };
}

function offerView(o: Offer): OfferStatusView {
  return {
    id: o.id,
    kind: o.kind,
    status: o.status,
    approval: o.approval,
    faceValue: formatMoney(o.faceValueMinor, o.currency),
    // The order page's block is seen by every staff member: the last four characters only (decision 0019).
    code: maskCode(o.code),
    expiresAt: o.expiresAt?.toISOString() ?? null,
    summary: o.summary,
  };
}

// --- suggest ---

export interface MakeGoodChoice {
  category: ManualCategory;
  severity: Severity;
}

export interface Authority {
  level: string;
  /** Largest face value the member may approve (minor units); null = no limit. */
  limitMinor: number | null;
}

export type Suggestion =
  | { kind: "EXCLUDED"; reason: string }
  | {
      kind: "OFFER";
      offer: {
        kind: string;
        value: number;
        unit: "PERCENT" | "MONEY" | "GIFT" | "NONE";
        faceValueMinor: number;
        approval: Approval;
        expiryDays: number | null;
      };
      currency: string;
      summary: string;
      explanation: string[];
      authority: Authority;
      /** The member may issue it at once (AUTO, or within their authority). */
      canIssueNow: boolean;
      note: string;
    }
  | {
      kind: "NO_OFFER" | "INELIGIBLE";
      reason: string;
      summary: string;
      explanation: string[];
      currency: string;
      authority: Authority;
    };

export async function suggestMakeGood(
  shop: string,
  orderGid: string,
  choice: MakeGoodChoice,
  staff: StaffIdentity,
): Promise<Suggestion> {
  const ctx = await shopContext(shop);
  const admin = await backgroundAdmin(shop);
  const { order } = await admin.run(orderForRecovery, { id: orderGid });
  if (!order) throw new MakeGoodError("ORDER_NOT_FOUND", "order not found (deleted, or older than the app can read)");
  const now = clock().now();
  // Amends's own gift order is excluded as openManualIncident excludes it (decision 0112).
  const madeByAmends = (await offerOfGiftOrder(prisma, shop, orderGid, order.customer?.id ?? null)) !== null;
  let facts = orderFactsFromAdmin(order, { madeByAmends });
  const value = await customerValueFor(shop, facts.customerId, { admin });
  facts = orderFactsFromAdmin(order, { customerTags: value?.tags ?? [], madeByAmends });
  const detection = manualSignal(
    facts,
    { category: choice.category, severity: choice.severity, occurredAt: now, note: "", reportedBy: staff.userId },
    ctx.recovery.detection,
  );
  if (detection.kind === "EXCLUDED") return { kind: "EXCLUDED", reason: detection.reason };

  const draft: IncidentDraft = {
    id: PREVIEW_INCIDENT_ID,
    type: "MANUAL",
    measure: { kind: "STAFF_CHOSEN", severity: choice.severity, category: choice.category },
    severity: choice.severity,
    occurredAt: now,
    detectedAt: now,
    orderGid,
    orderName: facts.name,
    customerGid: facts.customerId,
    evidence: null,
  };
  const prepared = await prepareDecision(shop, draft, { order: liveDecisionOrder(facts), admin, readOnlyGrid: true });
  // The same lock as a decision: the suggestion sees a concurrent decision's make-good, not half of it.
  const input = await prisma.$transaction((tx) => completeDecisionInput(tx, prepared, now), {
    maxWait: 30_000,
    timeout: 30_000,
  });
  const decision = decide({ ...input, settings: { ...input.settings, holdoutShare: 0 } });
  const member = memberAuthority(staff.userId, ctx.recovery.authority, staff.accountOwner ?? false);
  const authority = { level: member.level, limitMinor: ctx.recovery.authority.limits[member.level] };
  if (decision.kind === "OFFER") {
    const cell = decision.cell;
    const unit =
      cell.kind === "DISCOUNT_PERCENT"
        ? "PERCENT"
        : cell.kind === "GIFT_PRODUCT" || cell.kind === "REPLACEMENT"
          ? "GIFT"
          : cell.kind === "NONE"
            ? "NONE"
            : "MONEY";
    return {
      kind: "OFFER",
      offer: {
        kind: cell.kind,
        value: typeof cell.value === "number" ? cell.value : 0,
        unit,
        faceValueMinor: decision.faceValueMinor,
        approval: decision.approval,
        expiryDays: cell.expiryDays ?? null,
      },
      currency: ctx.currency,
      summary: decision.summary,
      explanation: decision.explanation,
      authority,
      canIssueNow: canApprove(
        member,
        { approval: decision.approval, faceValueMinor: decision.faceValueMinor },
        ctx.recovery.authority,
      ).ok,
      note: "Preview without the holdout draw: the real decision may place the incident in the control group.",
    };
  }
  // Only a customer's standing assignment holds out with a zero share: they are in the control
  // group for an earlier incident's window (decision 0111), and the real decision will keep them there.
  if (decision.kind === "HOLDOUT")
    return {
      kind: "NO_OFFER",
      reason: "CUSTOMER_HELD_OUT",
      summary: `${decision.summary}: the customer is in the holdout group for an earlier incident, so the measurement stays fair`,
      explanation: decision.explanation,
      currency: ctx.currency,
      authority,
    };
  return {
    kind: decision.kind,
    reason: decision.reason,
    summary: decision.summary,
    explanation: decision.explanation,
    currency: ctx.currency,
    authority,
  };
}

// --- create ---

export interface MakeGoodRequest extends MakeGoodChoice {
  note: string;
  /** The value to approve with, in the cell's unit (minor units, or percent); omitted = the grid's. */
  value?: number;
  mode: "ISSUE" | "REQUEST_APPROVAL";
}

export type MakeGoodResult =
  | { kind: "EXCLUDED"; reason: string }
  | { kind: "NO_OFFER"; incidentId: string; decision: string; summary: string | null }
  | {
      kind: "OFFER";
      incidentId: string;
      offer: OfferStatusView;
      outcome: "ISSUING" | "PENDING_APPROVAL" | "ALREADY_DECIDED";
      message: string;
    };

export async function createMakeGood(
  shop: string,
  orderGid: string,
  request: MakeGoodRequest,
  staff: StaffIdentity,
): Promise<MakeGoodResult> {
  const opened = await openManualIncident(shop, orderGid, {
    category: request.category,
    severity: request.severity,
    note: request.note,
    reportedBy: staff.userId,
  });
  if (opened.kind === "EXCLUDED") return opened;
  const incidentId = opened.incidentId;
  const decided = await decideIncident(shop, incidentId);
  const offer = await prisma.offer.findFirst({
    where: { shop, incidentId, status: { notIn: ["SUPERSEDED", "HOLDOUT"] } },
    orderBy: { createdAt: "desc" },
  });
  if (!offer) {
    const incident = await prisma.incident.findFirstOrThrow({ where: { shop, id: incidentId } });
    return { kind: "NO_OFFER", incidentId, decision: incident.decision ?? "PENDING", summary: incident.summary };
  }
  const alreadyDecided = decided.outcome === "ALREADY_DECIDED";
  if (offer.status === "APPROVED" || offer.status === "ISSUING" || offer.status === "ISSUED") {
    const edited = request.value !== undefined && request.value !== gridCellSchema.parse(offer.cell).value;
    return {
      kind: "OFFER",
      incidentId,
      offer: offerView(offer),
      outcome: alreadyDecided ? "ALREADY_DECIDED" : "ISSUING",
      message: `${offer.summary}${edited ? " (auto-approved by the grid: issued at the grid's value)" : ""}`,
    };
  }
  if (offer.status !== "PENDING_APPROVAL") {
    return {
      kind: "OFFER",
      incidentId,
      offer: offerView(offer),
      outcome: "ALREADY_DECIDED",
      message: `the make-good is ${offer.status.toLowerCase().replaceAll("_", " ")}`,
    };
  }
  if (request.mode === "REQUEST_APPROVAL") {
    if (request.value !== undefined) {
      await prisma.$transaction((tx) =>
        addIncidentEvent(tx, {
          shop,
          incidentId,
          kind: "MAKE_GOOD_PROPOSED",
          actor: staff.userId,
          at: clock().now(),
          data: { offerId: offer.id, proposedValue: request.value },
        }),
      );
    }
    return {
      kind: "OFFER",
      incidentId,
      offer: offerView(offer),
      outcome: "PENDING_APPROVAL",
      message: `waiting for ${offer.approval} approval`,
    };
  }
  try {
    const approved = await approveOffer(shop, offer.id, staff, {
      ...(request.value !== undefined ? { value: request.value } : {}),
      note: "issued from the order page",
    });
    return {
      kind: "OFFER",
      incidentId,
      offer: offerView(approved),
      outcome: "ISSUING",
      message: "approved: issuing now",
    };
  } catch (error) {
    if (!(error instanceof ApprovalError)) throw error;
    if (error.code === "INVALID_VALUE" || error.code === "VALUE_NOT_EDITABLE") throw error;
    const current = await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } });
    return {
      kind: "OFFER",
      incidentId,
      offer: offerView(current),
      outcome: "PENDING_APPROVAL",
      message: error.message,
    };
  }
}
