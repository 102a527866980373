/**
 * Experiments with arms on the dashboard (decision 0119): each experiment's readout, where in the
 * grid it runs and what its arms give, and the merchant's decision to make one arm the cell's only
 * make-good, saved through the grid's normal save path (a new, audited grid version).
 */
import { prisma } from "../../db.server";
import { currentGrid, GridVersionConflict, saveGrid } from "../../models/grid.server";
import {
  armName,
  cellExperiment,
  describeCell,
  type ArmAssignmentRecord,
  type ArmRatingRecord,
  type ArmsCsat,
  type ArmsExperiment,
  type ArmsReadout,
  type Grid,
  type GridCell,
  type GridVersion,
} from "../../recovery";
import { authorLabel, editor, NOT_ALLOWED_MESSAGE, type GridAuthor } from "../grid-editor.server";
import { addressOf, cellTitle } from "../../recovery/grid/cell-address";

/** The ratings of the shop's incidents that ran in an experiment (CSAT per arm, decisions 0117 and 0119). */
export async function loadArmRatings(shop: string): Promise<ArmRatingRecord[]> {
  return prisma.rating.findMany({
    where: { shop, incident: { shop, armAssignment: { isNot: null } } },
    select: { incidentId: true, score: true },
  });
}

/** Every arm assignment of the shop (one row per decided incident of an experiment cell). */
export async function loadArmAssignments(shop: string): Promise<ArmAssignmentRecord[]> {
  return prisma.armAssignment.findMany({
    where: { shop },
    select: {
      incidentId: true,
      experimentKey: true,
      arm: true,
      label: true,
      arms: true,
      timing: true,
      timingOnly: true,
    },
  });
}

export interface ExperimentCell {
  path: string[];
  /** In the grid editor's words: "Major × VIP", "Major × VIP · Late to ship" or "Major × VIP · Lapsed". */
  where: string;
  cell: GridCell;
}

/** The grid cells that run the experiment `key` now (cells with identical arms share one). */
export function experimentCells(grid: Grid, key: string): ExperimentCell[] {
  const found: ExperimentCell[] = [];
  const visit = (path: string[], cell: GridCell | undefined) => {
    if (!cell || cellExperiment(cell)?.key !== key) return;
    const address = addressOf(path.join("."));
    found.push({ path, where: address ? cellTitle(address) : path.join("."), cell });
  };
  for (const [severity, row] of Object.entries(grid.cells))
    for (const [tier, cell] of Object.entries(row)) visit(["cells", severity, tier], cell);
  for (const [type, rows] of Object.entries(grid.overrides))
    for (const [severity, row] of Object.entries(rows ?? {}))
      for (const [tier, cell] of Object.entries(row ?? {})) visit(["overrides", type, severity, tier], cell);
  // A lifecycle stage's cells (decision 0115) run experiments too: found and adopted like the others.
  for (const [stage, rows] of Object.entries(grid.stageOverrides))
    for (const [severity, row] of Object.entries(rows ?? {}))
      for (const [tier, cell] of Object.entries(row ?? {})) visit(["stageOverrides", stage, severity, tier], cell);
  return found;
}

export interface ArmsCard {
  experimentKey: string;
  /** Where it runs in the current grid; empty once its arms were changed or removed (the experiment ended). */
  cells: string[];
  arms: Array<{ index: number; name: string; gives: string | null }>;
  latest: ArmsReadout | null;
  readouts: number;
  sentence: string;
  /** Satisfaction per arm, held-out customers' apart. */
  csat: ArmsCsat;
  /** Shown when the latest readout has a clear winner and the experiment still runs: the merchant decides. */
  proposal: { arm: number; text: string } | null;
}

export function armsCards(experiments: readonly ArmsExperiment[], grid: GridVersion, currency: string): ArmsCard[] {
  return experiments.map((e) => {
    const cells = experimentCells(grid.grid, e.experimentKey);
    const running = cells[0] ? cellExperiment(cells[0].cell) : null;
    const latest = e.readouts[e.readouts.length - 1] ?? null;
    const arms = Array.from({ length: e.armCount }, (_, index) => {
      const arm = running?.arms[index];
      return {
        index,
        name: armName({ letter: arm?.letter ?? String.fromCharCode(65 + index), label: e.labels[index] ?? null }),
        gives: arm
          ? `${describeCell(arm.offer, currency)}${arm.timing === "NEXT_MORNING" ? ", issued the next morning" : ""}`
          : null,
      };
    });
    const winner = latest?.winner ?? null;
    const proposal =
      winner !== null && running
        ? {
            arm: winner,
            text: `Make ${arms[winner]?.name.replace(/^Arm/, "arm")} this cell's only make-good`,
          }
        : null;
    return {
      experimentKey: e.experimentKey,
      cells: cells.map((c) => c.where),
      arms,
      latest,
      readouts: e.readouts.length,
      sentence: e.sentence,
      csat: e.csat,
      proposal,
    };
  });
}

export type AdoptResult = { ok: true; message: string } | { ok: false; message: string };

/** The grid with every cell running the experiment replaced by arm `arm`'s make-good (no arms). */
export function gridWithArm(grid: Grid, key: string, arm: number): Grid | null {
  const cells = experimentCells(grid, key);
  if (cells.length === 0) return null;
  const next = structuredClone(grid) as Grid;
  for (const { path, cell } of cells) {
    const chosen = cellExperiment(cell)?.arms[arm];
    if (!chosen) return null;
    let row: Record<string, unknown> = next as unknown as Record<string, unknown>;
    for (const key of path.slice(0, -1)) row = row[key] as Record<string, unknown>;
    row[path[path.length - 1]!] = chosen.offer;
  }
  return next;
}

/**
 * The merchant makes one arm the cell's only make-good: a new grid version (audited, from the
 * version the experiment runs in), by a member who may edit the grid.
 */
export async function adoptArm(shop: string, staff: GridAuthor, key: string, arm: number): Promise<AdoptResult> {
  const actor = await editor(shop, staff);
  if (!actor) return { ok: false, message: NOT_ALLOWED_MESSAGE };
  const current = await currentGrid(shop);
  const next = gridWithArm(current.grid, key, arm);
  if (!next)
    return { ok: false, message: "This experiment no longer runs in the grid: its arms were changed or removed." };
  try {
    const saved = await saveGrid(shop, next, authorLabel(staff), { base: current, actor });
    const name = experimentCells(current.grid, key)
      .map((c) => cellExperiment(c.cell)?.arms[arm])
      .find(Boolean);
    return {
      ok: true,
      message: `${name ? armName(name) : "The arm"} is now the only make-good of its cell (grid v${saved.version}).`,
    };
  } catch (error) {
    if (error instanceof GridVersionConflict)
      return { ok: false, message: "The grid was saved by someone else meanwhile; reload and try again." };
    throw error;
  }
}
