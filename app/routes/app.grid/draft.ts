/** The grid editor's draft, changed one cell at a time: a base cell, or an incident type's override. */
import type { CellDraft, GridDraft } from "../../recovery/grid/editing";
import type { Severity, Tier } from "../../recovery/vocabulary";
import type { CellAddress, GridScope } from "../../components/grid/cell-address";

export const sameDraft = (a: GridDraft, b: GridDraft) => JSON.stringify(a) === JSON.stringify(b);

/** The cell a scope shows at a position: its override when it has one, else the base cell. */
export function cellAt(
  draft: GridDraft,
  scope: GridScope,
  severity: Severity,
  tier: Tier,
): { cell: CellDraft; overridden: boolean } {
  const override = scope === "BASE" ? undefined : draft.overrides[scope]?.[severity]?.[tier];
  return override ? { cell: override, overridden: true } : { cell: draft.cells[severity][tier], overridden: false };
}

/**
 * The draft with the cell at `address` replaced; null removes an override (the cell inherits the
 * base grid again), and empty override rows and types are dropped so a removal leaves no trace.
 */
export function withCell(draft: GridDraft, address: CellAddress, cell: CellDraft | null): GridDraft {
  if (address.scope === "BASE") {
    if (!cell) return draft;
    return {
      ...draft,
      cells: { ...draft.cells, [address.severity]: { ...draft.cells[address.severity], [address.tier]: cell } },
    };
  }
  const rows = { ...(draft.overrides[address.scope] ?? {}) };
  const row = { ...(rows[address.severity] ?? {}) };
  if (cell) row[address.tier] = cell;
  else delete row[address.tier];
  if (Object.keys(row).length > 0) rows[address.severity] = row;
  else delete rows[address.severity];
  const overrides = { ...draft.overrides };
  if (Object.keys(rows).length > 0) overrides[address.scope] = rows;
  else delete overrides[address.scope];
  return { ...draft, overrides };
}

/** How many cells an incident type overrides. */
export function overrideCount(draft: GridDraft, scope: GridScope): number {
  if (scope === "BASE") return 0;
  return Object.values(draft.overrides[scope] ?? {}).reduce((n, row) => n + Object.keys(row ?? {}).length, 0);
}
