/** Where a cell of the grid editor sits, how the server names its fields, and its title. */
import { INCIDENT_TYPES, SEVERITIES, TIERS } from "../../recovery/vocabulary";
import type { IncidentType, Severity, Tier } from "../../recovery/vocabulary";
import { INCIDENT_TYPE_LABELS, SEVERITY_LABELS, TIER_LABELS } from "../../recovery/words";

/** Where a cell sits: the base grid or one incident type's overrides. */
export type GridScope = "BASE" | IncidentType;

export interface CellAddress {
  scope: GridScope;
  severity: Severity;
  tier: Tier;
}

/** The field-error path prefix of a cell, as the server names it ("cells.major.VIP"). */
export function cellPath({ scope, severity, tier }: CellAddress): string {
  return scope === "BASE" ? `cells.${severity}.${tier}` : `overrides.${scope}.${severity}.${tier}`;
}

export function cellTitle({ scope, severity, tier }: CellAddress): string {
  const where = `${SEVERITY_LABELS[severity]} × ${TIER_LABELS[tier]}`;
  return scope === "BASE" ? where : `${where} · ${INCIDENT_TYPE_LABELS[scope]}`;
}

/** The first problem of each cell, keyed by the cell's path ("cells.major.VIP"); form-level messages are left out. */
export function errorsByCell(fieldErrors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const parts = path.split(".");
    const key =
      parts[0] === "cells" && parts.length >= 3
        ? parts.slice(0, 3).join(".")
        : parts[0] === "overrides" && parts.length >= 4
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
  return null;
}
