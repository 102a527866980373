/**
 * Experiments in a grid cell (issue 16 part 7, decision 0119): a cell with `arms` tries 2-4
 * make-goods side by side. Each treated customer (after the holdout draw) gets one arm, by a draw
 * that depends on the customer and the experiment alone: the same customer gets the same arm for
 * as long as the cell's arms stay the same, on any machine, after any retry. The draw hashes its
 * own namespace, so it is independent of the holdout draw (which hashes the incident id in
 * another namespace): the arms split the treated customers, the holdout stays the holdout.
 */
import { RecoveryError } from "../errors";
import { sha256, sha256Hex } from "../guardrails/sha256";
import { gridCellSchema, type GridCell } from "../grid/schema";
import { ARM_LETTERS, type ArmEntry, type ArmTiming } from "./arms-field";

const NAMESPACE = "amends/arm/v1:";
const TWO_POW_48 = 2 ** 48;

export interface Arm {
  /** 0 for arm A. */
  index: number;
  /** "A".."D". */
  letter: string;
  label: string | null;
  offer: GridCell;
  /** When its make-good is issued (absent in the cell: NOW). */
  timing: ArmTiming;
}

export interface CellExperiment {
  /** Identifies the experiment: a hash of its arms. Changing any arm starts a new experiment. */
  key: string;
  arms: Arm[];
  /** Every arm gives the same make-good and they differ only in timing ("does same-day matter?"). */
  timingOnly: boolean;
}

/** Canonical JSON: object keys sorted, so the same arms give the same key whatever order they were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The experiment a cell runs, or null for a cell without arms (today's behaviour). */
export function cellExperiment(cell: GridCell): CellExperiment | null {
  const entries: ArmEntry[] | undefined = cell.arms;
  if (!entries || entries.length === 0) return null;
  const arms = entries.map((entry, index): Arm => {
    const parsed = gridCellSchema.safeParse(entry.offer);
    if (!parsed.success)
      throw new RecoveryError("INVALID_ARGUMENT", `arm ${ARM_LETTERS[index]}: ${parsed.error.issues[0]?.message}`);
    return {
      index,
      letter: ARM_LETTERS[index] ?? String(index + 1),
      label: entry.label ?? null,
      offer: parsed.data,
      timing: entry.timing ?? "NOW",
    };
  });
  // NOW is the default: an arm written without timing and one with NOW are the same arm, and
  // experiments from before timings keep their key.
  const key = sha256Hex(
    canonical(arms.map((a) => ({ label: a.label, offer: a.offer, timing: a.timing === "NOW" ? undefined : a.timing }))),
  ).slice(0, 16);
  const offers = new Set(arms.map((a) => canonical(a.offer)));
  const timings = new Set(arms.map((a) => a.timing));
  return { key, arms, timingOnly: offers.size === 1 && timings.size > 1 };
}

/** The arm draw: a number in [0, 1) from the experiment and the unit (customer) alone. */
export function armDraw(experimentKey: string, unit: string): number {
  const digest = sha256(new TextEncoder().encode(`${NAMESPACE}${experimentKey}:${unit}`));
  let value = 0;
  for (let i = 0; i < 6; i += 1) value = value * 256 + (digest[i] ?? 0);
  return value / TWO_POW_48;
}

/**
 * The customer's arm: sticky per customer per experiment. A guest (no customer id) is drawn by
 * incident: there is no customer to keep it for.
 */
export function assignArm(experiment: CellExperiment, customerId: string | null, incidentId: string): Arm {
  const unit = customerId === null ? `incident:${incidentId}` : `customer:${customerId}`;
  const index = Math.min(
    experiment.arms.length - 1,
    Math.floor(armDraw(experiment.key, unit) * experiment.arms.length),
  );
  return experiment.arms[index]!;
}

/** "Arm B" or "Arm B (“$10 credit”)": how an arm reads in an explanation and on the page. */
export function armName(arm: Pick<Arm, "letter" | "label">): string {
  return arm.label ? `Arm ${arm.letter} (“${arm.label}”)` : `Arm ${arm.letter}`;
}

/** What a decision records of its arm (decision 0119). */
export interface ArmAssignment {
  experimentKey: string;
  /** Null for a held-out incident of an experiment cell: the experiment's control group. */
  arm: number | null;
  label: string | null;
  arms: number;
  /** The arm's timing; null for a held-out incident. */
  timing: ArmTiming | null;
  /** The experiment's arms differ only in timing. */
  timingOnly: boolean;
}
