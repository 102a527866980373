/**
 * The demo shop's grid (scripts/demo-history.ts, issue 16 part 8): one experiment pooled over every
 * minor and moderate cell, stage cells included; the customer's preferred kind in every major and
 * critical cell; a grid saveGrid accepts (schema and template keys).
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

test("one experiment in the minor and moderate rows, the preferred kind in the major and critical rows", async () => {
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
    if (severity === "major" || severity === "critical") {
      expect(experiment).toBeNull();
      continue;
    }
    expect(experiment).not.toBeNull();
    keys.add(experiment!.key);
    expect(cell.arms?.map((a) => a.offer)).toEqual(DEMO_ARMS.map((a) => a.offer));
  }
  expect(keys.size).toBe(1);

  for (const severity of ["major", "critical"] as const) {
    for (const tier of TIERS) {
      const own = DEMO_PREFERRED[severity][tier];
      const base = INSTALL_GRID.cells[severity][tier];
      expect(grid.cells[severity][tier]).toEqual({
        ...base,
        kind: "DISCOUNT_PERCENT",
        value: own.codePercent,
        preferredKind: { STORE_CREDIT: own.creditMinor },
      });
    }
    // A frequent buyer's perk cell gives way to the preferred kind in these rows.
    expect(grid.stageOverrides.FREQUENT?.[severity]).toBeUndefined();
  }
  // The loyal customers' credit becomes the code worth it, or that credit for a customer who spends credit.
  expect(INSTALL_GRID.cells.major.LOYAL).toMatchObject({
    kind: "STORE_CREDIT",
    value: DEMO_PREFERRED.major.LOYAL.creditMinor,
  });
  // The lifecycle playbooks stay: a first order's major cell is still the welcome-back code.
  expect(resolveCell(grid, "DELIVERY_FAILURE", "major", "NEW", "FIRST_ORDER").cell).toEqual(
    INSTALL_GRID.stageOverrides.FIRST_ORDER?.major?.NEW,
  );
  expect(grid.stageOverrides.FREQUENT?.minor?.LOYAL?.arms).toHaveLength(2);
  // A small refund's apology (a per-type override) still wins over the experiment.
  expect(resolveCell(grid, "REFUND", "minor", "NEW", "RETURNING").cell.kind).toBe("NONE");
});
