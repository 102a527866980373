/** The editor's draft on a lifecycle stage's scope (decision 0115): set, inherit, reset. */
import { expect, test } from "vitest";
import { INSTALL_GRID } from "../../recovery/grid";
import { draftFromGrid } from "../../recovery/grid/editing";
import { cellAt, overrideCount, withCell, withScopeReset } from "./draft";

const draft = draftFromGrid(INSTALL_GRID, "USD");

test("a stage's scope shows its own cells and the base cells it does not set", () => {
  expect(overrideCount(draft, "FIRST_ORDER")).toBe(8);
  expect(overrideCount(draft, "LAPSED")).toBe(0);
  expect(cellAt(draft, "FIRST_ORDER", "minor", "NEW")).toMatchObject({ overridden: true, cell: { value: "10" } });
  expect(cellAt(draft, "FIRST_ORDER", "minor", "VIP")).toEqual({ overridden: false, cell: draft.cells.minor.VIP });
});

test("a cell set on a stage stays on that stage; removing the last one leaves no empty stage behind", () => {
  const address = { scope: "LAPSED" as const, severity: "major" as const, tier: "NEW" as const };
  const set = withCell(draft, address, { ...draft.cells.major.NEW, value: "30" });
  expect(set.stageOverrides?.LAPSED).toEqual({ major: { NEW: { ...draft.cells.major.NEW, value: "30" } } });
  expect(set.cells).toEqual(draft.cells);
  expect(set.overrides).toEqual(draft.overrides);
  expect(withCell(set, address, null).stageOverrides).toEqual(draft.stageOverrides);
});

test("reset removes one scope's cells and nothing else", () => {
  const reset = withScopeReset(draft, "FIRST_ORDER");
  expect(reset.stageOverrides).toEqual({ FREQUENT: draft.stageOverrides?.FREQUENT });
  expect(withScopeReset(draft, "REFUND").overrides).toEqual({});
  expect(withScopeReset(draft, "REFUND").stageOverrides).toEqual(draft.stageOverrides);
  expect(withScopeReset(draft, "BASE")).toBe(draft);
});
