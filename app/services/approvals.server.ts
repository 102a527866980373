/**
 * Staff decisions on pending offers: approve (optionally with an edited value),
 * reject, bulk approve, and the approval timers (escalate, then expire).
 *
 * Every decision locks the offer row and acts only on PENDING_APPROVAL, so two
 * staff pressing Approve together approve (and enqueue the issue) once; the
 * other gets NOT_PENDING. Authority comes from the shop's settings
 * (memberAuthority / canApprove); the staff id is the online session's user id.
 */
import type { Offer, Prisma } from "@prisma/client";
import { clock } from "../clock.server";
import { prisma, type Tx } from "../db.server";
import { lockOffer } from "../models/offers.server";
import { shopContext, type ShopContext } from "../models/shop-settings.server";
import { BudgetRefusedError, transitionOffer } from "./offers/transition.server";
import { canApprove, formatMoney, gridCellSchema, memberAuthority, whoCanApprove, type StaffMember } from "../recovery";

/** The person acting, from the online session (session.userId, session.accountOwner). */
export interface StaffIdentity {
  userId: string;
  accountOwner?: boolean;
}

export type ApprovalErrorCode =
  "NOT_FOUND" | "NOT_PENDING" | "NEEDS_MANAGER" | "ABOVE_AUTHORITY_LIMIT" | "VALUE_NOT_EDITABLE" | "INVALID_VALUE";

/** A refusal the page shows as a toast; `approvers` names who can approve instead. */
export class ApprovalError extends Error {
  constructor(
    readonly code: ApprovalErrorCode,
    message: string,
    readonly approvers: StaffMember[] = [],
  ) {
    super(message);
    this.name = "ApprovalError";
  }
}

export interface ApproveOptions {
  /** A new value in the cell's unit: minor units for money kinds, percent for DISCOUNT_PERCENT. */
  value?: number;
  note?: string;
}

function knownMembers(ctx: ShopContext): StaffMember[] {
  return Object.entries(ctx.recovery.authority.members).map(([id, level]) => ({ id, level }));
}

function approversText(approvers: StaffMember[]): string {
  const named = approvers.map((m) => `${m.id} (${m.level})`);
  return [...named, "the account owner"].join(", ");
}

/** The offer's face value and cell after an edit of its value. */
function edited(offer: Offer, value: number): { faceValueMinor: number; cell: Prisma.InputJsonValue } {
  const cell = gridCellSchema.parse(offer.cell);
  const extra = typeof offer.cell === "object" && offer.cell !== null ? (offer.cell as Record<string, unknown>) : {};
  switch (cell.kind) {
    case "DISCOUNT_FIXED":
    case "STORE_CREDIT":
    case "GIFT_CARD":
      if (!Number.isInteger(value) || value < 1)
        throw new ApprovalError("INVALID_VALUE", "the value must be a whole amount in minor units above zero");
      return { faceValueMinor: value, cell: { ...extra, ...cell, value } as Prisma.InputJsonValue };
    case "DISCOUNT_PERCENT": {
      if (!(value > 0 && value <= 100))
        throw new ApprovalError("INVALID_VALUE", "the percent must be above 0 and at most 100");
      // Face value is percent x basket; the basket is what the decision valued, so scale it.
      const faceValueMinor = Math.round((offer.faceValueMinor * value) / cell.value);
      return { faceValueMinor, cell: { ...extra, ...cell, value } as Prisma.InputJsonValue };
    }
    default:
      throw new ApprovalError("VALUE_NOT_EDITABLE", `a ${cell.kind} offer's value cannot be edited`);
  }
}

/** The offer, locked, when it waits for approval; an ApprovalError otherwise. */
async function lockPending(tx: Tx, shop: string, offerId: string): Promise<Offer> {
  const offer = await lockOffer(tx, shop, offerId);
  if (!offer) throw new ApprovalError("NOT_FOUND", "no such offer");
  if (offer.status !== "PENDING_APPROVAL")
    throw new ApprovalError(
      "NOT_PENDING",
      `the offer is ${offer.status.toLowerCase().replaceAll("_", " ")}, not waiting for approval`,
    );
  return offer;
}

export async function approveOffer(
  shop: string,
  offerId: string,
  staff: StaffIdentity,
  options: ApproveOptions = {},
): Promise<Offer> {
  const ctx = await shopContext(shop);
  return prisma.$transaction(async (tx) => {
    const offer = await lockPending(tx, shop, offerId);
    const change = options.value === undefined ? null : edited(offer, options.value);
    const faceValueMinor = change?.faceValueMinor ?? offer.faceValueMinor;

    const member = memberAuthority(staff.userId, ctx.recovery.authority, staff.accountOwner ?? false);
    const target = { approval: offer.approval, faceValueMinor };
    const verdict = canApprove(member, target, ctx.recovery.authority);
    if (!verdict.ok) {
      const approvers = whoCanApprove(target, knownMembers(ctx), ctx.recovery.authority);
      const why =
        verdict.reason === "NEEDS_MANAGER"
          ? "this offer needs MANAGER approval"
          : `${formatMoney(faceValueMinor, offer.currency)} is above your approval limit of ${formatMoney(verdict.limitMinor, offer.currency)}`;
      throw new ApprovalError(verdict.reason, `${why}; who can approve: ${approversText(approvers)}`, approvers);
    }

    const now = clock().now();
    const explanation = [...offer.explanation];
    if (change)
      explanation.push(
        `Approved with an edited value by ${staff.userId}: ${formatMoney(offer.faceValueMinor, offer.currency)} -> ${formatMoney(faceValueMinor, offer.currency)}`,
      );
    const approve = (overBudget: "REFUSE" | "COMMIT", lines: string[]) =>
      transitionOffer(tx, ctx, offer, "APPROVED", {
        actor: staff.userId,
        at: now,
        overBudget,
        ...(options.note ? { note: options.note } : {}),
        data: {
          level: member.level,
          ...(change ? { faceValueFrom: offer.faceValueMinor, faceValueTo: faceValueMinor } : {}),
        },
        changes: {
          decidedBy: staff.userId,
          decidedAt: now,
          explanation: [...explanation, ...lines],
          ...(change ? { faceValueMinor, cell: change.cell } : {}),
        },
        event: { kind: "OFFER_APPROVED", data: { faceValueMinor } },
      });
    // The reservation follows the approved value. More than reserved must fit the budget; when it
    // does not, a MANAGER (or owner) approving commits it anyway (their call, noted), anyone else is refused.
    try {
      return await approve("REFUSE", []);
    } catch (error) {
      if (!(error instanceof BudgetRefusedError)) throw error;
      if (member.level === "STAFF") {
        const approvers = whoCanApprove(
          { approval: "MANAGER", faceValueMinor },
          knownMembers(ctx),
          ctx.recovery.authority,
        );
        throw new ApprovalError(
          "NEEDS_MANAGER",
          `this would go over the monthly budget and needs MANAGER approval; who can approve: ${approversText(approvers)}`,
          approvers,
        );
      }
      return approve("COMMIT", [`Budget: approved over the monthly budget by ${member.id} (${member.level})`]);
    }
  });
}

export async function rejectOffer(shop: string, offerId: string, staff: StaffIdentity, reason: string): Promise<Offer> {
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new ApprovalError("INVALID_VALUE", "give a reason for rejecting");
  const ctx = await shopContext(shop);
  return prisma.$transaction(async (tx) => {
    const offer = await lockPending(tx, shop, offerId);
    const now = clock().now();
    return transitionOffer(tx, ctx, offer, "REJECTED", {
      actor: staff.userId,
      at: now,
      note: trimmed.slice(0, 1000),
      changes: { decidedBy: staff.userId, decidedAt: now, lastError: null },
      event: { kind: "OFFER_REJECTED", data: { reason: trimmed.slice(0, 1000) } },
    });
  });
}

export type BulkApprovalResult =
  { offerId: string; ok: true } | { offerId: string; ok: false; code: ApprovalErrorCode | "ERROR"; message: string };

/** Each offer on its own: one refusal does not stop the others. */
export async function bulkApprove(
  shop: string,
  offerIds: readonly string[],
  staff: StaffIdentity,
): Promise<BulkApprovalResult[]> {
  const results: BulkApprovalResult[] = [];
  for (const offerId of new Set(offerIds)) {
    try {
      await approveOffer(shop, offerId, staff);
      results.push({ offerId, ok: true });
    } catch (error) {
      if (error instanceof ApprovalError)
        results.push({ offerId, ok: false, code: error.code, message: error.message });
      else throw error;
    }
  }
  return results;
}

/** The approval-timeout job: ESCALATE routes a still-pending offer to MANAGER; EXPIRE ends it and frees its budget. */
export async function approvalTimeout(
  shop: string,
  offerId: string,
  stage: "ESCALATE" | "EXPIRE",
): Promise<"ESCALATED" | "EXPIRED" | "NOTHING_TO_DO"> {
  const ctx = await shopContext(shop);
  return prisma.$transaction(async (tx) => {
    const offer = await lockOffer(tx, shop, offerId);
    if (!offer || offer.status !== "PENDING_APPROVAL") return "NOTHING_TO_DO";
    const now = clock().now();
    if (stage === "ESCALATE") {
      if (offer.approval === "MANAGER") return "NOTHING_TO_DO";
      const line = `Escalated to MANAGER: not decided within ${ctx.offers.escalateAfterHours} h`;
      await transitionOffer(tx, ctx, offer, "PENDING_APPROVAL", {
        actor: "system",
        at: now,
        note: line,
        data: { approvalFrom: offer.approval, approvalTo: "MANAGER" },
        changes: { approval: "MANAGER", explanation: [...offer.explanation, line] },
        event: { kind: "OFFER_ESCALATED", data: { approvalFrom: offer.approval } },
      });
      return "ESCALATED";
    }
    await transitionOffer(tx, ctx, offer, "EXPIRED", {
      actor: "system",
      at: now,
      note: `not decided within ${ctx.offers.expireAfterHours} h`,
      event: { kind: "OFFER_EXPIRED", data: {} },
    });
    return "EXPIRED";
  });
}
