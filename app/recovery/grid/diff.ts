/**
 * What changed between two grid versions, cell by cell, for the version history
 * ("3 cells changed: major × VIP 20% → 25% code; ..."). Overrides are compared
 * as overrides (added, removed, changed), not as the cells they resolve to, so
 * the history says what the merchant did rather than every consequence of it.
 */
import { INCIDENT_TYPES, SEVERITIES, TIERS, type IncidentType, type Severity, type Tier } from "../vocabulary";
import { INCIDENT_TYPE_LABELS } from "../words";
import { LIFECYCLE_STAGE_LABELS, LIFECYCLE_STAGES, type LifecycleStage } from "../lifecycle/lifecycle";
import { describeCell, describePreferredOption } from "./cells";
import { ARM_LETTERS } from "../experiments/arms-field";
import { gridCellSchema, type Grid, type GridCell } from "./schema";

export type GridChange =
  | {
      scope: "BASE" | IncidentType;
      severity: Severity;
      tier: Tier;
      change: "CHANGED" | "ADDED" | "REMOVED";
      before: GridCell | null;
      after: GridCell | null;
    }
  | {
      /** A lifecycle stage's cell (decision 0115). */
      scope: "STAGE";
      stage: LifecycleStage;
      severity: Severity;
      tier: Tier;
      change: "CHANGED" | "ADDED" | "REMOVED";
      before: GridCell | null;
      after: GridCell | null;
    }
  | { scope: "BASKET_CAP"; before: number; after: number };

// Key order in stored JSON is not meaningful; compare canonical forms.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    // An absent optional field and one set to undefined are the same cell.
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * An arm's offer is stored as written; with the cell schema's defaults applied ("standard" template),
 * the same make-good compares equal however it was written (the editor writes every field).
 */
function withArmDefaults(cell: GridCell | null): GridCell | null {
  if (!cell?.arms) return cell;
  return {
    ...cell,
    arms: cell.arms.map((arm) => {
      const parsed = gridCellSchema.safeParse(arm.offer);
      // At once is the default timing: written or not, the same arm.
      const timing = arm.timing === "NOW" ? undefined : arm.timing;
      return parsed.success ? { ...arm, timing, offer: parsed.data } : { ...arm, timing };
    }),
  };
}

export function sameCell(a: GridCell | null | undefined, b: GridCell | null | undefined): boolean {
  return canonical(withArmDefaults(a ?? null)) === canonical(withArmDefaults(b ?? null));
}

/** "experiment A (20% code, 60-day expiry, auto) vs B “Credit” ($10 store credit, ...)": a cell's arms in the history. */
function describeArms(cell: GridCell, currency: string): string {
  const arms = (cell.arms ?? []).map((arm, i) => {
    const parsed = gridCellSchema.safeParse(arm.offer);
    const words = parsed.success
      ? `${describeCell(parsed.data, currency)}, ${parsed.data.approval.toLowerCase()}${arm.timing === "NEXT_MORNING" ? ", next morning" : ""}`
      : "an unreadable make-good";
    return `${ARM_LETTERS[i] ?? i + 1}${arm.label ? ` “${arm.label}”` : ""} (${words})`;
  });
  return `experiment ${arms.join(" vs ")}`;
}

/** Changes from `before` to `after`, in a stable order: base grid first, then overrides by type, then the basket cap. */
export function diffGrids(before: Grid, after: Grid): GridChange[] {
  const changes: GridChange[] = [];
  for (const severity of SEVERITIES) {
    for (const tier of TIERS) {
      const a = before.cells[severity][tier];
      const b = after.cells[severity][tier];
      if (!sameCell(a, b))
        changes.push({
          scope: "BASE",
          severity,
          tier,
          change: "CHANGED",
          before: a,
          after: b,
        });
    }
  }
  for (const type of INCIDENT_TYPES) {
    for (const severity of SEVERITIES) {
      for (const tier of TIERS) {
        const a = before.overrides[type]?.[severity]?.[tier] ?? null;
        const b = after.overrides[type]?.[severity]?.[tier] ?? null;
        if (sameCell(a, b)) continue;
        changes.push({
          scope: type,
          severity,
          tier,
          change: a === null ? "ADDED" : b === null ? "REMOVED" : "CHANGED",
          before: a,
          after: b,
        });
      }
    }
  }
  for (const stage of LIFECYCLE_STAGES) {
    for (const severity of SEVERITIES) {
      for (const tier of TIERS) {
        const a = before.stageOverrides[stage]?.[severity]?.[tier] ?? null;
        const b = after.stageOverrides[stage]?.[severity]?.[tier] ?? null;
        if (sameCell(a, b)) continue;
        changes.push({
          scope: "STAGE",
          stage,
          severity,
          tier,
          change: a === null ? "ADDED" : b === null ? "REMOVED" : "CHANGED",
          before: a,
          after: b,
        });
      }
    }
  }
  if (before.percentBasketCapMinor !== after.percentBasketCapMinor) {
    changes.push({
      scope: "BASKET_CAP",
      before: before.percentBasketCapMinor,
      after: after.percentBasketCapMinor,
    });
  }
  return changes;
}

export function describeChange(change: GridChange, currency: string): string {
  if (change.scope === "BASKET_CAP") return `percent basket cap ${change.before} → ${change.after} (minor units)`;
  const where = `${change.severity} × ${change.tier}`;
  const text = (cell: GridCell | null) =>
    cell
      ? cell.arms
        ? describeArms(cell, currency)
        : `${describeCell(cell, currency)}, ${cell.approval.toLowerCase()}${
            cell.kind !== "NONE" && cell.preferredKind
              ? `, ${describePreferredOption(cell.preferredKind, currency)}`
              : ""
          }`
      : "";
  if (change.scope === "BASE") return `${where}: ${text(change.before)} → ${text(change.after)}`;
  const type =
    change.scope === "STAGE"
      ? `${LIFECYCLE_STAGE_LABELS[change.stage].toLowerCase()} stage`
      : INCIDENT_TYPE_LABELS[change.scope].toLowerCase();
  if (change.change === "ADDED") return `${type} override ${where}: ${text(change.after)}`;
  if (change.change === "REMOVED") return `${type} override ${where} removed`;
  return `${type} override ${where}: ${text(change.before)} → ${text(change.after)}`;
}

/** One line for the history list; the first `limit` changes in full, then a count. */
export function summarizeChanges(changes: readonly GridChange[], currency: string, limit = 3): string {
  if (changes.length === 0) return "No changes";
  const shown = changes.slice(0, limit).map((c) => describeChange(c, currency));
  const more = changes.length - shown.length;
  const head = changes.length === 1 ? "1 change" : `${changes.length} changes`;
  return `${head}: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}
