/**
 * The compensation grid editor's use cases: read the current grid with its
 * history, save a draft as a new version, restore an old version as a new one.
 * Every save names who made it ("Olivia Owner (staff 1001)"), and a save made
 * from an outdated page is refused rather than silently undoing a colleague's.
 */
import { unavailableKindNotes, type UnavailableKindNote } from "./issuing/kind-availability.server";
import { z } from "zod";
import type { FieldErrors } from "../forms";
import { parseWith } from "../forms";
import { currentGrid, gridVersion, listGridVersions, GridVersionConflict, saveGrid } from "../models/grid.server";
import { shopContext } from "../models/shop-settings.server";
import { diffGrids, summarizeChanges } from "../recovery/grid/diff";
import { draftFromGrid, gridDraftSchema, type GridDraft } from "../recovery/grid/editing";
import { approvalRules, type ApprovalRule } from "../recovery/grid/approval-rules";
import { severityDefinitions, severityRaises, tierDefinitions } from "../recovery/grid/definitions";
import type { Severity, Tier } from "../recovery/vocabulary";
import {
  AUTHORITY_LEVELS,
  memberAuthority,
  templateKeyIssues,
  type AuthorityLevel,
  type Grid,
  type GridVersion,
} from "../recovery";
import { GRID_AUTHORITY, hasAuthority } from "../recovery/guardrails/settings-authority";
import type { AuditActor } from "../models/audit.server";

export const HISTORY_LIMIT = 30;

export interface GridAuthor {
  userId: string;
  name: string;
  accountOwner?: boolean;
}

/**
 * Who may change the grid: it decides kinds, values and approval routes, so what every failure
 * costs. The level is in the settings authority table (GRID_AUTHORITY: MANAGER and above).
 */
export const GRID_EDITOR_LEVELS: readonly AuthorityLevel[] = AUTHORITY_LEVELS.filter((level) =>
  hasAuthority(level, GRID_AUTHORITY),
);

export const NOT_ALLOWED_MESSAGE =
  "Only a manager or the store owner can change the compensation grid. Ask one of them, or ask the owner to raise your level in Settings.";

async function authorLevel(shop: string, staff: GridAuthor): Promise<AuthorityLevel> {
  const { recovery } = await shopContext(shop);
  return memberAuthority(staff.userId, recovery.authority, staff.accountOwner ?? false).level;
}

export async function mayEditGrid(shop: string, staff: GridAuthor): Promise<boolean> {
  return GRID_EDITOR_LEVELS.includes(await authorLevel(shop, staff));
}

/** The audit's actor, when the member may edit the grid; null when they may not. */
export async function editor(shop: string, staff: GridAuthor): Promise<AuditActor | null> {
  const level = await authorLevel(shop, staff);
  return GRID_EDITOR_LEVELS.includes(level) ? { userId: staff.userId, name: staff.name, level } : null;
}

export function authorLabel(staff: GridAuthor): string {
  return `${staff.name} (staff ${staff.userId})`;
}

export interface HistoryEntry {
  version: number;
  createdBy: string;
  createdAt: string;
  summary: string;
  current: boolean;
}

export interface GridEditorData {
  currency: string;
  timeZone: string;
  version: number;
  draft: GridDraft;
  history: HistoryEntry[];
  /** Kinds this shop cannot be given now, and what cells of that kind give instead. */
  unavailableKinds: UnavailableKindNote[];
  /** Every rule that decides who approves, from the saved grid and the settings the decision reads (decision 0122). */
  rules: ApprovalRule[];
  /** What puts an incident in each row and a customer in each column, from the classifiers' settings. */
  definitions: { severities: Record<Severity, string>; raises: string; tiers: Record<Tier, string> };
}

/** History newest first; each entry says what it changed against the version before it. */
function historyOf(versions: GridVersion[], currency: string, current: number): HistoryEntry[] {
  return versions.map((v, i) => {
    const previous = versions[i + 1];
    const summary = previous
      ? summarizeChanges(diffGrids(previous.grid, v.grid), currency)
      : v.version === 1
        ? "First grid"
        : "Changes before this are not listed";
    return {
      version: v.version,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
      summary,
      current: v.version === current,
    };
  });
}

export async function loadGridEditor(shop: string): Promise<GridEditorData> {
  const [ctx, current] = await Promise.all([shopContext(shop), currentGrid(shop)]);
  // One more than shown, so the oldest shown entry still has its diff.
  const versions = await listGridVersions(shop, HISTORY_LIMIT + 1);
  return {
    currency: ctx.currency,
    timeZone: ctx.timeZone,
    version: current.version,
    draft: draftFromGrid(current.grid, ctx.currency),
    history: historyOf(versions, ctx.currency, current.version).slice(0, HISTORY_LIMIT),
    unavailableKinds: unavailableKindNotes(ctx, ctx.recovery.decision.unavailableKindFallback),
    rules: approvalRules({
      grid: current.grid,
      decision: ctx.recovery.decision,
      authority: ctx.recovery.authority,
      escalateAfterHours: ctx.offers.escalateAfterHours,
      expireAfterHours: ctx.offers.expireAfterHours,
      currency: ctx.currency,
    }),
    definitions: {
      severities: severityDefinitions(ctx.recovery.severity),
      raises: severityRaises(ctx.recovery.severity, ctx.currency),
      tiers: tierDefinitions(ctx.recovery.tiers, ctx.currency),
    },
  };
}

const savePayload = z.object({
  baseVersion: z.int().min(1),
  draft: z.unknown(),
});

export type SaveResult = { ok: true; version: GridVersion } | { ok: false; fieldErrors: FieldErrors };

/** Parse a draft against the shop currency: the grid, or one message per field path ("cells.major.VIP.value"). */
export async function parseDraft(
  shop: string,
  draft: unknown,
): Promise<{ ok: true; grid: Grid } | { ok: false; fieldErrors: FieldErrors }> {
  const { currency } = await shopContext(shop);
  const parsed = parseWith(gridDraftSchema(currency), draft);
  return parsed.ok ? { ok: true, grid: parsed.data } : parsed;
}

export async function saveGridDraft(shop: string, staff: GridAuthor, payload: unknown): Promise<SaveResult> {
  const actor = await editor(shop, staff);
  if (!actor) return { ok: false, fieldErrors: { form: NOT_ALLOWED_MESSAGE } };
  const envelope = parseWith(savePayload, payload);
  if (!envelope.ok)
    return {
      ok: false,
      fieldErrors: {
        form: "The grid could not be read; reload the page and try again.",
      },
    };
  const parsed = await parseDraft(shop, envelope.data.draft);
  if (!parsed.ok) return parsed;
  const current = await currentGrid(shop);
  if (current.version !== envelope.data.baseVersion) return savedMeanwhile(current);
  if (diffGrids(current.grid, parsed.grid).length === 0)
    return {
      ok: false,
      fieldErrors: { form: "Nothing changed since the current version." },
    };
  try {
    return { ok: true, version: await saveGrid(shop, parsed.grid, authorLabel(staff), { base: current, actor }) };
  } catch (error) {
    // A colleague's save from the same version landed between the check above and this one.
    if (error instanceof GridVersionConflict) return savedMeanwhile(error.current);
    throw error;
  }
}

function savedMeanwhile(current: GridVersion): SaveResult {
  return {
    ok: false,
    fieldErrors: {
      form: `Version ${current.version} was saved by ${current.createdBy} after you opened this page. Discard your changes to see it, then edit again.`,
    },
  };
}

export type RestoreResult =
  | { ok: true; version: GridVersion; restored: number }
  | { ok: false; reason: "NOT_FOUND" | "ALREADY_CURRENT" | "NOT_ALLOWED" }
  /** The old version names a message template that does not exist (saved before keys were checked). */
  | { ok: false; reason: "UNKNOWN_TEMPLATE"; message: string };

/** A new version equal to an old one: history is never rewritten, so what each offer was decided with stays readable. */
export async function restoreGridVersion(shop: string, staff: GridAuthor, version: number): Promise<RestoreResult> {
  const actor = await editor(shop, staff);
  if (!actor) return { ok: false, reason: "NOT_ALLOWED" };
  const old = await gridVersion(shop, version);
  if (!old) return { ok: false, reason: "NOT_FOUND" };
  const [unknown] = templateKeyIssues(old.grid);
  if (unknown) return { ok: false, reason: "UNKNOWN_TEMPLATE", message: unknown.message };
  const current = await currentGrid(shop);
  if (diffGrids(current.grid, old.grid).length === 0) return { ok: false, reason: "ALREADY_CURRENT" };
  return {
    ok: true,
    version: await saveGrid(shop, old.grid, `${authorLabel(staff)}, restoring v${version}`, { actor }),
    restored: version,
  };
}
