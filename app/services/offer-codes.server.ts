/**
 * Revealing a make-good's full code (decision 0019). Every page and export shows the last four
 * characters only; a member with authority (MANAGER or OWNER) may reveal one code, e.g. to read
 * it to the customer on the phone, and each reveal leaves an audit entry (offer.code.reveal).
 */
import { z } from "zod";
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { recordAudit } from "../models/audit.server";
import { shopContext } from "../models/shop-settings.server";
import { groupCode, memberAuthority, type AuthorityLevel } from "../recovery";
import type { StaffIdentity } from "./approvals.server";

export const CODE_REVEAL_ACTION = "offer.code.reveal";

const REVEALING_LEVELS: readonly AuthorityLevel[] = ["MANAGER", "OWNER"];

export function mayRevealCodes(level: AuthorityLevel): boolean {
  return REVEALING_LEVELS.includes(level);
}

/** The member's authority level in the shop, and whether it may reveal codes. */
export async function codeRevealAuthority(
  shop: string,
  staff: StaffIdentity,
): Promise<{ level: AuthorityLevel; canReveal: boolean }> {
  const ctx = await shopContext(shop);
  const { level } = memberAuthority(staff.userId, ctx.recovery.authority, staff.accountOwner ?? false);
  return { level, canReveal: mayRevealCodes(level) };
}

export type RevealResult =
  { ok: true; code: string; grouped: string } | { ok: false; status: 403 | 404; message: string };

/**
 * The offer's full code for a member with authority, audited in the same transaction; refused
 * (403) below MANAGER, and 404 for an offer of another incident or shop, or one without a code.
 */
export async function revealOfferCode(
  shop: string,
  incidentId: string,
  offerId: string,
  staff: StaffIdentity & { name?: string },
): Promise<RevealResult> {
  const { level, canReveal } = await codeRevealAuthority(shop, staff);
  if (!canReveal) return { ok: false, status: 403, message: "Only a manager or the store owner can reveal a code." };
  if (!z.uuid().safeParse(incidentId).success)
    return { ok: false, status: 404, message: "This make-good has no code." };
  return prisma.$transaction(async (tx) => {
    const offer = await tx.offer.findFirst({
      where: { id: offerId, shop, incidentId, code: { not: null } },
      select: { id: true, code: true },
    });
    if (!offer?.code) return { ok: false as const, status: 404 as const, message: "This make-good has no code." };
    await recordAudit(tx, {
      shop,
      actor: { userId: staff.userId, name: staff.name ?? null, level },
      action: CODE_REVEAL_ACTION,
      subject: offer.id,
      at: clock().now(),
    });
    return { ok: true as const, code: offer.code, grouped: groupCode(offer.code) };
  });
}
