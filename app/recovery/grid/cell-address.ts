/** Where a cell of the grid editor sits, how the server names its fields, and its title. */
import { INCIDENT_TYPES, SEVERITIES, TIERS } from "../vocabulary";
import type { IncidentType, Severity, Tier } from "../vocabulary";
import { INCIDENT_TYPE_LABELS, SEVERITY_LABELS, TIER_LABELS } from "../words";
import { LIFECYCLE_STAGE_LABELS, LIFECYCLE_STAGES, type LifecycleStage } from "../lifecycle/lifecycle";

/**
 * Where a cell sits: the base grid, one incident type's overrides, or one lifecycle stage's cells
 * (decision 0115). Stage and type names never collide, so a scope is one of them by its name.
 */
export type GridScope = "BASE" | IncidentType | LifecycleStage;

export function isStageScope(scope: GridScope): scope is LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(scope);
}

/** Who a scope's cells are for: "late fulfillment incidents", "customers on their first order". */
export const STAGE_AUDIENCE: Record<LifecycleStage, string> = {
  FIRST_ORDER: "customers on their first order",
  RETURNING: "returning customers",
  LAPSED: "lapsed customers",
  FREQUENT: "frequent buyers",
};
export function scopeAudience(scope: Exclude<GridScope, "BASE">): string {
  return isStageScope(scope) ? STAGE_AUDIENCE[scope] : `${INCIDENT_TYPE_LABELS[scope].toLowerCase()} incidents`;
}

export interface CellAddress {
  scope: GridScope;
  severity: Severity;
  tier: Tier;
}

/** The field-error path prefix of a cell, as the server names it ("cells.major.VIP"). */
export function cellPath({ scope, severity, tier }: CellAddress): string {
  if (scope === "BASE") return `cells.${severity}.${tier}`;
  return isStageScope(scope) ? `stageOverrides.${scope}.${severity}.${tier}` : `overrides.${scope}.${severity}.${tier}`;
}

export function cellTitle({ scope, severity, tier }: CellAddress): string {
  const where = `${SEVERITY_LABELS[severity]} × ${TIER_LABELS[tier]}`;
  if (scope === "BASE") return where;
  return `${where} · ${isStageScope(scope) ? LIFECYCLE_STAGE_LABELS[scope] : INCIDENT_TYPE_LABELS[scope]}`;
}

/** The first problem of each cell, keyed by the cell's path ("cells.major.VIP"); form-level messages are left out. */
export function errorsByCell(fieldErrors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const parts = path.split(".");
    const key =
      parts[0] === "cells" && parts.length >= 3
        ? parts.slice(0, 3).join(".")
        : (parts[0] === "overrides" || parts[0] === "stageOverrides") && parts.length >= 4
          ? parts.slice(0, 4).join(".")
          : null;
    if (key) out[key] ??= message;
  }
  return out;
}

/** The cell a path prefix names (the inverse of cellPath); null for anything else. */
export function addressOf(key: string): CellAddress | null {
  const parts = key.split(".");
  const severity = SEVERITIES.find((s) => s === parts[parts[0] === "cells" ? 1 : 2]);
  const tier = TIERS.find((t) => t === parts[parts[0] === "cells" ? 2 : 3]);
  if (!severity || !tier) return null;
  if (parts[0] === "cells" && parts.length === 3) return { scope: "BASE", severity, tier };
  const scope = INCIDENT_TYPES.find((t) => t === parts[1]);
  if (parts[0] === "overrides" && parts.length === 4 && scope) return { scope, severity, tier };
  const stage = LIFECYCLE_STAGES.find((t) => t === parts[1]);
  if (parts[0] === "stageOverrides" && parts.length === 4 && stage) return { scope: stage, severity, tier };
  return null;
}

/**
 * Where something runs in the grid, from its cells' titles: every cell when there are a few, else the
 * first three and how many more ("18 cells: Minor × New; Minor × Regular; Minor × Loyal and 15 more").
 */
export function cellsInWords(cells: readonly string[]): string {
  const SHOWN = 3;
  if (cells.length <= SHOWN + 1) return cells.join("; ");
  return `${cells.length} cells: ${cells.slice(0, SHOWN).join("; ")} and ${cells.length - SHOWN} more`;
}
