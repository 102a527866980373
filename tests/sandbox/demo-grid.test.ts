/**
 * The demo shop's grid (scripts/demo-history.ts, issue 16 part 8): one experiment pooled over every
 * cell outside the major row, stage cells included; the customer's preferred kind in the major row;
 * a grid saveGrid accepts (schema and template keys).
 */
import { expect, test } from "vitest";
import {
  cellExperiment,
  INSTALL_GRID,
  LIFECYCLE_STAGES,
  resolveCell,
  SEVERITIES,
  templateKeyIssues,
  TIERS,
  type GridCell,
} from "../../app/recovery";
import { DEMO_ARMS, DEMO_PREFERRED, demoGrid } from "../../scripts/demo-history";

test("one experiment outside the major row, the preferred kind in it, the install grid otherwise", async () => {
  const grid = await demoGrid();
  expect(templateKeyIssues(grid)).toEqual([]);
  const keys = new Set<string>();
  const cells: Array<{ severity: string; cell: GridCell }> = [];
  for (const severity of SEVERITIES) {
    for (const tier of TIERS) {
      cells.push({ severity, cell: grid.cells[severity][tier] });
      for (const stage of LIFECYCLE_STAGES) {
        const cell = grid.stageOverrides[stage]?.[severity]?.[tier];
        if (cell) cells.push({ severity, cell });
      }
    }
  }
  for (const { severity, cell } of cells) {
    const experiment = cellExperiment(cell);
    if (severity === "major") {
      expect(experiment).toBeNull();
      continue;
    }
    expect(experiment).not.toBeNull();
    keys.add(experiment!.key);
    expect(cell.arms?.map((a) => a.offer)).toEqual(DEMO_ARMS.map((a) => a.offer));
  }
  expect(keys.size).toBe(1);

  expect(grid.cells.major.NEW).toMatchObject({
    kind: INSTALL_GRID.cells.major.NEW.kind,
    preferredKind: { STORE_CREDIT: DEMO_PREFERRED.creditMinor },
  });
  expect(grid.cells.major.LOYAL).toMatchObject({
    kind: "STORE_CREDIT",
    preferredKind: { DISCOUNT_CODE: DEMO_PREFERRED.codePercent },
  });
  expect(grid.cells.major.VIP).toEqual(INSTALL_GRID.cells.major.VIP);
  // The lifecycle playbooks stay: a first order's major cell is still the welcome-back code.
  expect(resolveCell(grid, "DELIVERY_FAILURE", "major", "NEW", "FIRST_ORDER").cell).toEqual(
    INSTALL_GRID.stageOverrides.FIRST_ORDER?.major?.NEW,
  );
  // A small refund's apology (a per-type override) still wins over the experiment.
  expect(resolveCell(grid, "REFUND", "minor", "NEW", "RETURNING").cell.kind).toBe("NONE");
});
