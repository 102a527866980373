/**
 * At most one open incident per (order, type): a new signal either opens one,
 * raises the open one, or changes nothing. Severity never goes down; a
 * recovered parcel does not un-happen the delay.
 */
import { severityRank, type Severity } from "../vocabulary";

export type Reconciliation =
  | { kind: "OPEN"; severity: Severity }
  | { kind: "RAISE"; from: Severity; to: Severity }
  | { kind: "UNCHANGED"; severity: Severity };

export function reconcileIncident(open: { severity: Severity } | null, next: Severity): Reconciliation {
  if (!open) return { kind: "OPEN", severity: next };
  if (severityRank(next) > severityRank(open.severity)) return { kind: "RAISE", from: open.severity, to: next };
  return { kind: "UNCHANGED", severity: open.severity };
}
