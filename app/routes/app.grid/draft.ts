/**
 * The grid editor's draft, changed one cell at a time: a base cell, an incident type's override, or
 * a lifecycle stage's cell (decision 0115).
 */
import type { CellDraft, GridDraft } from "../../recovery/grid/editing";
import type { Severity, Tier } from "../../recovery/vocabulary";
import { isStageScope, type CellAddress, type GridScope } from "../../recovery/grid/cell-address";

type Layer = Partial<Record<Severity, Partial<Record<Tier, CellDraft>>>>;

/** The sparse cells of a scope other than the base grid. */
function layerOf(draft: GridDraft, scope: Exclude<GridScope, "BASE">): Layer | undefined {
  return isStageScope(scope) ? draft.stageOverrides?.[scope] : draft.overrides[scope];
}

function withLayer(draft: GridDraft, scope: Exclude<GridScope, "BASE">, rows: Layer): GridDraft {
  if (isStageScope(scope)) {
    const stageOverrides = { ...(draft.stageOverrides ?? {}) };
    if (Object.keys(rows).length > 0) stageOverrides[scope] = rows;
    else delete stageOverrides[scope];
    return { ...draft, stageOverrides };
  }
  const overrides = { ...draft.overrides };
  if (Object.keys(rows).length > 0) overrides[scope] = rows;
  else delete overrides[scope];
  return { ...draft, overrides };
}

export const sameDraft = (a: GridDraft, b: GridDraft) => JSON.stringify(a) === JSON.stringify(b);

/** The cell a scope shows at a position: its override when it has one, else the base cell. */
export function cellAt(
  draft: GridDraft,
  scope: GridScope,
  severity: Severity,
  tier: Tier,
): { cell: CellDraft; overridden: boolean } {
  const override = scope === "BASE" ? undefined : layerOf(draft, scope)?.[severity]?.[tier];
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
  const rows = { ...(layerOf(draft, address.scope) ?? {}) };
  const row = { ...(rows[address.severity] ?? {}) };
  if (cell) row[address.tier] = cell;
  else delete row[address.tier];
  if (Object.keys(row).length > 0) rows[address.severity] = row;
  else delete rows[address.severity];
  return withLayer(draft, address.scope, rows);
}

/** The draft without any of a scope's own cells: every cell of it follows the base grid again. */
export function withScopeReset(draft: GridDraft, scope: GridScope): GridDraft {
  return scope === "BASE" ? draft : withLayer(draft, scope, {});
}

/** How many cells an incident type or a lifecycle stage sets itself. */
export function overrideCount(draft: GridDraft, scope: GridScope): number {
  if (scope === "BASE") return 0;
  return Object.values(layerOf(draft, scope) ?? {}).reduce((n, row) => n + Object.keys(row ?? {}).length, 0);
}
