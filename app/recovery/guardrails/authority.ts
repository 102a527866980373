/**
 * Staff authority: who may approve which offer. Each member has a level; each
 * level caps the face value it may approve. MANAGER-routed offers need a
 * MANAGER or OWNER. The account owner is always OWNER so some person can
 * approve anything the grid can produce: the OWNER level has no limit
 * (decision 0126). A limit stored for it before is dropped when read.
 */
import { z } from "zod";
import type { MinorUnits } from "../money";
import type { Approval } from "../vocabulary";

export const AUTHORITY_LEVELS = ["STAFF", "MANAGER", "OWNER"] as const;
export type AuthorityLevel = (typeof AUTHORITY_LEVELS)[number];
/** The levels with an approval limit to set: the owner may approve any amount. */
export const LIMITED_LEVELS = ["STAFF", "MANAGER"] as const;
export type LimitedLevel = (typeof LIMITED_LEVELS)[number];

const limit = (value: number | null) => z.int().min(0).nullable().default(value);

export const authoritySettingsSchema = z.object({
  /** Largest face value (minor units) each level may approve; null = no limit. OWNER: always none. */
  limits: z
    .object({ STAFF: limit(5_000), MANAGER: limit(25_000) })
    .refine((l) => cap(l.STAFF) <= cap(l.MANAGER), {
      message: "a higher level must be allowed at least as much as a lower one",
    })
    .transform((l) => ({ ...l, OWNER: null }))
    .prefault({}),
  /** Level of staff members not listed below. */
  defaultLevel: z.enum(AUTHORITY_LEVELS).default("STAFF"),
  /** Staff member id -> level. */
  members: z.record(z.string().min(1), z.enum(AUTHORITY_LEVELS)).default({}),
});
export type AuthoritySettings = z.output<typeof authoritySettingsSchema>;
export type AuthoritySettingsInput = z.input<typeof authoritySettingsSchema>;

export const DEFAULT_AUTHORITY_SETTINGS: AuthoritySettings = authoritySettingsSchema.parse({});

function cap(limitMinor: number | null): number {
  return limitMinor ?? Number.POSITIVE_INFINITY;
}

export interface StaffMember {
  id: string;
  level: AuthorityLevel;
}

export function memberAuthority(staffId: string, settings: AuthoritySettings, isAccountOwner = false): StaffMember {
  if (isAccountOwner) return { id: staffId, level: "OWNER" };
  return { id: staffId, level: settings.members[staffId] ?? settings.defaultLevel };
}

export interface ApprovableOffer {
  approval: Approval;
  faceValueMinor: MinorUnits;
}

export type ApprovalVerdict =
  | { ok: true }
  | { ok: false; reason: "NEEDS_MANAGER" }
  | { ok: false; reason: "ABOVE_AUTHORITY_LIMIT"; limitMinor: MinorUnits };

export function canApprove(
  member: StaffMember,
  offer: ApprovableOffer,
  settings: AuthoritySettings = DEFAULT_AUTHORITY_SETTINGS,
): ApprovalVerdict {
  if (offer.approval === "AUTO") return { ok: true };
  if (offer.approval === "MANAGER" && member.level === "STAFF") return { ok: false, reason: "NEEDS_MANAGER" };
  const limitMinor = settings.limits[member.level];
  if (limitMinor !== null && offer.faceValueMinor > limitMinor)
    return { ok: false, reason: "ABOVE_AUTHORITY_LIMIT", limitMinor };
  return { ok: true };
}

/** The members who may approve the offer, to notify them; empty means nobody can yet. */
export function whoCanApprove(
  offer: ApprovableOffer,
  members: readonly StaffMember[],
  settings: AuthoritySettings = DEFAULT_AUTHORITY_SETTINGS,
): StaffMember[] {
  return members.filter((member) => canApprove(member, offer, settings).ok);
}
