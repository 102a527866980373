/** Where an experiment runs in the grid, and the grid with one arm made the cell's only make-good (decision 0119). */
import { expect, test } from "vitest";
import { cellExperiment, DEFAULT_GRID, gridCellSchema, gridSchema, type GridCellInput } from "../../recovery";
import { experimentCells, gridWithArm } from "./arms-report.server";

const CODE: GridCellInput = { kind: "DISCOUNT_PERCENT", value: 15, expiryDays: 30, approval: "AUTO" };
const CREDIT: GridCellInput = { kind: "STORE_CREDIT", value: 1_000, expiryDays: 60, approval: "AUTO" };
const EXPERIMENT: GridCellInput = { ...CODE, arms: [{ offer: CODE }, { label: "$10 credit", offer: CREDIT }] };

test("an experiment in a base cell, an incident type's override and a lifecycle stage's cell is found in each, and adopted in each", () => {
  const grid = gridSchema.parse({
    ...DEFAULT_GRID,
    cells: { ...DEFAULT_GRID.cells, major: { ...DEFAULT_GRID.cells.major, VIP: EXPERIMENT } },
    overrides: { DELIVERY_FAILURE: { critical: { NEW: EXPERIMENT } } },
    stageOverrides: { ...DEFAULT_GRID.stageOverrides, LAPSED: { minor: { REGULAR: EXPERIMENT } } },
  });
  const key = cellExperiment(gridCellSchema.parse(EXPERIMENT))!.key;
  expect(experimentCells(grid, key).map((c) => c.where)).toEqual([
    "Major × VIP",
    "Critical × New · Delivery failed",
    "Minor × Regular · Lapsed",
  ]);
  const adopted = gridWithArm(grid, key, 1)!;
  const credit = gridCellSchema.parse(CREDIT);
  expect(adopted.cells.major.VIP).toEqual(credit);
  expect(adopted.overrides.DELIVERY_FAILURE?.critical?.NEW).toEqual(credit);
  expect(adopted.stageOverrides.LAPSED?.minor?.REGULAR).toEqual(credit);
  expect(experimentCells(adopted, key)).toEqual([]);
});
