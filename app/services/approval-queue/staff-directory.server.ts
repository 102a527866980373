/**
 * Who works in the shop as far as the app knows, by name: the members who opened the app (from
 * their sessions) and those named in the authority settings; and who can approve an offer that
 * the signed-in member cannot.
 */
import { knownStaffSessions } from "../../models/approval-queue.server";
import type { ShopContext } from "../../models/shop-settings.server";
import { memberAuthority, whoCanApprove, type ApprovableOffer, type StaffMember } from "../../recovery";

/** Who works in the shop as far as the app knows: the members who opened it, and those named in the authority settings. */
export interface StaffDirectory {
  members: StaffMember[];
  names: Map<string, string>;
}

export async function staffDirectory(ctx: ShopContext): Promise<StaffDirectory> {
  const sessions = await knownStaffSessions(ctx.shop);
  const names = new Map<string, string>();
  const members = new Map<string, StaffMember>();
  for (const s of sessions) {
    const name = [s.firstName, s.lastName].filter(Boolean).join(" ");
    names.set(s.userId, name || `Staff member ${s.userId}`);
    members.set(s.userId, memberAuthority(s.userId, ctx.recovery.authority, s.accountOwner));
  }
  for (const id of Object.keys(ctx.recovery.authority.members)) {
    if (!members.has(id)) members.set(id, memberAuthority(id, ctx.recovery.authority));
    if (!names.has(id)) names.set(id, `Staff member ${id}`);
  }
  return { members: [...members.values()], names };
}

export function approverNames(
  directory: StaffDirectory,
  target: ApprovableOffer,
  ctx: ShopContext,
  except: string,
): string[] {
  const named = whoCanApprove(target, directory.members, ctx.recovery.authority)
    .filter((m) => m.id !== except)
    .map((m) => directory.names.get(m.id) ?? `Staff member ${m.id}`);
  // The account owner can always approve (OWNER); name them generically when they never opened the app.
  const ownerKnown = directory.members.some((m) => m.level === "OWNER" && m.id !== except);
  return ownerKnown || named.length > 0 ? named : ["the account owner"];
}

export function listText(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}
