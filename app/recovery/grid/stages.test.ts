/** Lifecycle stage cells in the grid (decision 0115): precedence, and grids saved before stages. */
import fc from "fast-check";
import { expect, test } from "vitest";
import { LIFECYCLE_STAGES } from "../lifecycle";
import { INCIDENT_TYPES, SEVERITIES, TIERS } from "../vocabulary";
import { resolveCell } from "./cells";
import { DEFAULT_GRID, INSTALL_GRID } from "./default-grid";
import { diffGrids, describeChange } from "./diff";
import { draftFromGrid, gridDraftSchema } from "./editing";
import { gridSchema, templateKeyIssues, type GridCellInput } from "./schema";

const code = (value: number, messageTemplateKey = "standard"): GridCellInput => ({
  kind: "DISCOUNT_PERCENT",
  value,
  expiryDays: 30,
  approval: "AUTO",
  messageTemplateKey,
});

/** A grid as stored before stages existed: DEFAULT_GRID's JSON without the new key. */
function gridSavedBeforeStages() {
  const stored = JSON.parse(JSON.stringify(INSTALL_GRID)) as Record<string, unknown>;
  delete stored.stageOverrides;
  return gridSchema.parse(stored);
}

test("a grid saved before stages reads with no stage cells and decides every stage with its base or type cell", () => {
  const old = gridSavedBeforeStages();
  expect(old.stageOverrides).toEqual({});
  for (const type of INCIDENT_TYPES)
    for (const severity of SEVERITIES)
      for (const tier of TIERS) {
        const before = resolveCell(old, type, severity, tier);
        for (const stage of [null, ...LIFECYCLE_STAGES])
          expect(resolveCell(old, type, severity, tier, stage)).toEqual(before);
      }
});

test("precedence: the incident type's override, then the stage's cell, then the base cell", () => {
  const grid = gridSchema.parse({
    ...DEFAULT_GRID,
    overrides: { REFUND: { minor: { NEW: code(1) } } },
    stageOverrides: { FIRST_ORDER: { minor: { NEW: code(2), REGULAR: code(3) } } },
  });
  // Type override beats the stage.
  expect(resolveCell(grid, "REFUND", "minor", "NEW", "FIRST_ORDER")).toMatchObject({
    source: "OVERRIDE",
    cell: { value: 1 },
  });
  // No type override here: the stage's cell.
  expect(resolveCell(grid, "REFUND", "minor", "REGULAR", "FIRST_ORDER")).toMatchObject({
    source: "STAGE",
    cell: { value: 3 },
  });
  expect(resolveCell(grid, "LATE_FULFILLMENT", "minor", "NEW", "FIRST_ORDER")).toMatchObject({
    source: "STAGE",
    cell: { value: 2 },
  });
  // Another stage, another severity, or no stage: the base cell.
  for (const [severity, stage] of [
    ["minor", "RETURNING"],
    ["moderate", "FIRST_ORDER"],
    ["minor", null],
  ] as const)
    expect(resolveCell(grid, "LATE_FULFILLMENT", severity, "NEW", stage)).toEqual({
      source: "GRID",
      cell: grid.cells[severity].NEW,
    });
});

test("property: a stage cell is used exactly where the stage has one and no type override exists", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...INCIDENT_TYPES),
      fc.constantFrom(...SEVERITIES),
      fc.constantFrom(...TIERS),
      fc.constantFrom(null, ...LIFECYCLE_STAGES),
      (type, severity, tier, stage) => {
        const { source, cell } = resolveCell(INSTALL_GRID, type, severity, tier, stage);
        const override = INSTALL_GRID.overrides[type]?.[severity]?.[tier];
        const staged = stage ? INSTALL_GRID.stageOverrides[stage]?.[severity]?.[tier] : undefined;
        if (override) return source === "OVERRIDE" && cell === override;
        if (staged) return source === "STAGE" && cell === staged;
        return source === "GRID" && cell === INSTALL_GRID.cells[severity][tier];
      },
    ),
  );
});

test("new defaults: a welcome-back code for a first order, an exclusive store-credit perk for a frequent buyer", () => {
  const first = resolveCell(INSTALL_GRID, "LATE_FULFILLMENT", "moderate", "NEW", "FIRST_ORDER");
  expect(first).toMatchObject({
    source: "STAGE",
    cell: { kind: "DISCOUNT_PERCENT", value: 15, messageTemplateKey: "welcome_back" },
  });
  // The base code's value, expiry and approval, with the welcome-back message.
  for (const severity of SEVERITIES)
    for (const tier of ["NEW", "REGULAR"] as const) {
      const staged = INSTALL_GRID.stageOverrides.FIRST_ORDER?.[severity]?.[tier];
      const base = INSTALL_GRID.cells[severity][tier];
      expect(
        staged?.kind === "DISCOUNT_PERCENT" &&
          base.kind === "DISCOUNT_PERCENT" &&
          staged.value === base.value &&
          staged.expiryDays === base.expiryDays,
      ).toBe(true);
    }
  const frequent = resolveCell(INSTALL_GRID, "DELIVERY_DELAY", "minor", "LOYAL", "FREQUENT");
  expect(frequent).toMatchObject({
    source: "STAGE",
    cell: { kind: "STORE_CREDIT", value: 800, messageTemplateKey: "loyal_perk" },
  });
  // The returning and lapsed stages follow the base grid; the default names only templates that exist;
  // the base grid (what grids saved before stages were built from) has no stage cells.
  expect(DEFAULT_GRID.stageOverrides).toEqual({});
  expect({ ...INSTALL_GRID, stageOverrides: {} }).toEqual(DEFAULT_GRID);
  expect(INSTALL_GRID.stageOverrides.RETURNING).toBeUndefined();
  expect(INSTALL_GRID.stageOverrides.LAPSED).toBeUndefined();
  expect(templateKeyIssues(INSTALL_GRID)).toEqual([]);
});

test("a template that does not exist in a stage cell is refused at its path", () => {
  const grid = gridSchema.parse({ ...INSTALL_GRID, stageOverrides: { LAPSED: { major: { VIP: code(30, "nope") } } } });
  expect(templateKeyIssues(grid).map((i) => i.path.join("."))).toEqual([
    "stageOverrides.LAPSED.major.VIP.messageTemplateKey",
  ]);
});

test("the editor round trip keeps stage cells, and the history names them", () => {
  const back = gridDraftSchema("USD").parse(draftFromGrid(INSTALL_GRID, "USD"));
  expect(back).toEqual(INSTALL_GRID);
  const changes = diffGrids(gridSavedBeforeStages(), INSTALL_GRID);
  expect(changes.every((c) => c.scope === "STAGE" && c.change === "ADDED")).toBe(true);
  expect(changes).toHaveLength(16);
  expect(describeChange(changes[0]!, "USD")).toBe(
    "first order stage override minor × NEW: 10% code, 30-day expiry, auto",
  );
});
