import { expect, test } from "vitest";
import { DEFAULT_GRID } from "./default-grid";
import { diffGrids, summarizeChanges } from "./diff";
import type { Grid, GridCell } from "./schema";

const credit: GridCell = {
  kind: "STORE_CREDIT",
  value: 1500,
  expiryDays: 30,
  approval: "STAFF",
  messageTemplateKey: "standard",
};
const withCell = (grid: Grid, cell: GridCell): Grid => ({
  ...grid,
  cells: { ...grid.cells, major: { ...grid.cells.major, VIP: cell } },
});
const withoutRefundOverride = (grid: Grid): Grid => ({ ...grid, overrides: {} });
const withDelayOverride = (grid: Grid): Grid => ({
  ...grid,
  overrides: { ...grid.overrides, DELIVERY_DELAY: { minor: { NEW: credit } } },
});

test.each([
  ["identical grids", DEFAULT_GRID, DEFAULT_GRID, [], "No changes"],
  [
    "a base cell",
    DEFAULT_GRID,
    withCell(DEFAULT_GRID, credit),
    [{ scope: "BASE", severity: "major", tier: "VIP", change: "CHANGED" }],
    "1 change: major × VIP: $25 store credit, 90-day expiry, staff → $15 store credit, 30-day expiry, staff",
  ],
  [
    "an override added",
    DEFAULT_GRID,
    withDelayOverride(DEFAULT_GRID),
    [{ scope: "DELIVERY_DELAY", severity: "minor", tier: "NEW", change: "ADDED" }],
    "1 change: delivery delayed override minor × NEW: $15 store credit, 30-day expiry, staff",
  ],
  [
    "overrides removed",
    DEFAULT_GRID,
    withoutRefundOverride(DEFAULT_GRID),
    [{ scope: "REFUND", change: "REMOVED" }, { scope: "REFUND" }, { scope: "REFUND" }, { scope: "REFUND" }],
    "4 changes: refund override minor × NEW removed; refund override minor × REGULAR removed; refund override minor × LOYAL removed; and 1 more",
  ],
  [
    "the basket cap",
    DEFAULT_GRID,
    { ...DEFAULT_GRID, percentBasketCapMinor: 50_000 },
    [{ scope: "BASKET_CAP", before: 30_000, after: 50_000 }],
    "1 change: percent basket cap 30000 → 50000 (minor units)",
  ],
] as const)("diff of %s", (_name, before, after, changes, summary) => {
  const diff = diffGrids(before, after);
  expect(diff).toHaveLength(changes.length);
  changes.forEach((c, i) => expect(diff[i]).toMatchObject(c));
  expect(summarizeChanges(diff, "USD")).toBe(summary);
});

test("key order in stored JSON is not a change", () => {
  const shuffled = withCell(DEFAULT_GRID, {
    messageTemplateKey: "personal",
    approval: "STAFF",
    expiryDays: 90,
    value: 2_500,
    kind: "STORE_CREDIT",
  } as GridCell);
  expect(diffGrids(DEFAULT_GRID, shuffled)).toEqual([]);
});

test("diffing back restores: diff(a, b) and diff(b, a) name the same cells", () => {
  const b = withDelayOverride(withCell(DEFAULT_GRID, credit));
  const forward = diffGrids(DEFAULT_GRID, b).map((c) =>
    "severity" in c ? `${c.scope}.${c.severity}.${c.tier}` : c.scope,
  );
  const back = diffGrids(b, DEFAULT_GRID).map((c) =>
    "severity" in c ? `${c.scope}.${c.severity}.${c.tier}` : c.scope,
  );
  expect(back).toEqual(forward);
});
