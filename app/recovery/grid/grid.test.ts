import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import { classifyTier, tierSettingsSchema } from "../tiers";
import { SEVERITIES, TIERS, approvalRank, type Approval } from "../vocabulary";
import { describeCell, faceValue, giftVariantIds, mayReplace, resolveCell } from "./cells";
import { DEFAULT_GRID } from "./default-grid";
import { gridCellSchema, gridSchema, nextGridVersion, parseGrid, type GridCell } from "./schema";

const percent = (value: number): GridCell => ({
  kind: "DISCOUNT_PERCENT",
  value,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
});
const gift: GridCell = {
  kind: "GIFT_PRODUCT",
  value: { variantId: "gid://shopify/ProductVariant/42", quantity: 2 },
  expiryDays: null,
  approval: "STAFF",
  messageTemplateKey: "standard",
};
const context = { orderSubtotalMinor: 20_000, percentBasketCapMinor: 30_000 };

test("the default grid is valid and complete", () => {
  expect(gridSchema.safeParse(DEFAULT_GRID).success).toBe(true);
  for (const severity of SEVERITIES) for (const tier of TIERS) expect(DEFAULT_GRID.cells[severity][tier]).toBeDefined();
});

const code = (value: number, expiryDays: number, approval: Approval, messageTemplateKey: string) => ({
  kind: "DISCOUNT_PERCENT",
  value,
  expiryDays,
  approval,
  messageTemplateKey,
});
const credit = (value: number, expiryDays: number, approval: Approval) => ({
  kind: "STORE_CREDIT",
  value,
  expiryDays,
  approval,
  messageTemplateKey: "personal",
});

// Severity x tier, NEW / REGULAR / LOYAL / VIP: store credit for loyal and VIP customers at major
// and critical (decision 0104), percent codes everywhere else, the same approvals as the code grid had.
test.each([
  ["minor", "NEW", code(10, 30, "AUTO", "standard")],
  ["minor", "REGULAR", code(10, 30, "AUTO", "standard")],
  ["minor", "LOYAL", code(10, 45, "AUTO", "personal")],
  ["minor", "VIP", code(15, 60, "AUTO", "personal")],
  ["moderate", "NEW", code(15, 45, "AUTO", "standard")],
  ["moderate", "REGULAR", code(15, 45, "AUTO", "standard")],
  ["moderate", "LOYAL", code(15, 60, "AUTO", "personal")],
  ["moderate", "VIP", code(20, 60, "AUTO", "personal")],
  ["major", "NEW", code(20, 60, "AUTO", "standard")],
  ["major", "REGULAR", code(20, 60, "AUTO", "standard")],
  ["major", "LOYAL", credit(2_000, 60, "AUTO")],
  ["major", "VIP", credit(2_500, 90, "STAFF")],
  ["critical", "NEW", code(25, 60, "STAFF", "standard")],
  ["critical", "REGULAR", code(25, 90, "STAFF", "standard")],
  ["critical", "LOYAL", credit(2_500, 90, "STAFF")],
  ["critical", "VIP", credit(3_000, 90, "MANAGER")],
] as const)("the default grid's %s x %s cell", (severity, tier, cell) => {
  expect(DEFAULT_GRID.cells[severity][tier]).toEqual(cell);
});

test("the table above covers every default cell", () => {
  expect(Object.keys(DEFAULT_GRID.cells)).toEqual([...SEVERITIES]);
  for (const severity of SEVERITIES) expect(Object.keys(DEFAULT_GRID.cells[severity])).toEqual([...TIERS]);
});

test("store credit in the default grid sits only in columns a guest cannot reach", () => {
  const rows = [DEFAULT_GRID.cells, ...Object.values(DEFAULT_GRID.overrides)].flatMap((r) => Object.values(r ?? {}));
  const creditTiers = new Set(
    rows.flatMap((row) =>
      Object.entries(row ?? {}).flatMap(([tier, cell]) => (cell?.kind === "STORE_CREDIT" ? [tier] : [])),
    ),
  );
  expect([...creditTiers].sort()).toEqual(["LOYAL", "VIP"]);
  // However low a shop sets the thresholds, a guest checkout is NEW.
  const lowest = tierSettingsSchema.parse({
    newMaxEarlierOrders: 0,
    loyal: { minOrders: 1, minSpendMinor: 0 },
    vip: { minOrders: 1, minSpendMinor: 0 },
  });
  expect(classifyTier(null, lowest)).toMatchObject({ tier: "NEW", guest: true });
});

test("the default grid never gets more lenient as severity or customer value grows", () => {
  // Codes and credit compared by what they give on a typical 80.00 order.
  const value = (cell: GridCell) => faceValue(cell, { orderSubtotalMinor: 8_000, percentBasketCapMinor: 30_000 });
  SEVERITIES.forEach((severity, s) =>
    TIERS.forEach((tier, t) => {
      const cell = DEFAULT_GRID.cells[severity][tier];
      const worse = SEVERITIES[s + 1];
      const richer = TIERS[t + 1];
      if (worse) expect(value(DEFAULT_GRID.cells[worse][tier])).toBeGreaterThanOrEqual(value(cell));
      if (richer) expect(value(DEFAULT_GRID.cells[severity][richer])).toBeGreaterThanOrEqual(value(cell));
      if (worse)
        expect(approvalRank(DEFAULT_GRID.cells[worse][tier].approval)).toBeGreaterThanOrEqual(
          approvalRank(cell.approval),
        );
    }),
  );
  expect(DEFAULT_GRID.cells.minor.NEW.approval).toBe("AUTO");
  expect(DEFAULT_GRID.cells.critical.VIP.approval).toBe("MANAGER");
});

test("validation errors point at the field of the cell, for the form", () => {
  const bad = structuredClone(DEFAULT_GRID) as unknown as {
    cells: Record<string, Record<string, Record<string, unknown>>>;
  };
  const percentCell = bad.cells.major?.NEW;
  if (percentCell) percentCell.value = 140;
  const creditCell = bad.cells.major?.VIP;
  if (creditCell) creditCell.value = 12.5;
  const result = parseGrid(bad);
  expect(result).toEqual({
    ok: false,
    errors: [
      { path: ["cells", "major", "NEW", "value"], message: "percent must be at most 100" },
      { path: ["cells", "major", "VIP", "value"], message: "amount must be a whole number of minor units (cents)" },
    ],
  });
});

test.each([
  [{ kind: "DISCOUNT_FIXED", value: 12.5, expiryDays: 30, approval: "AUTO" }, ["value"]],
  [{ kind: "STORE_CREDIT", value: 1_000, expiryDays: null, approval: "AUTO" }, ["expiryDays"]],
  [{ kind: "GIFT_PRODUCT", value: { variantId: "42", quantity: 1 }, approval: "STAFF" }, ["value", "variantId"]],
  [{ kind: "DISCOUNT_PERCENT", value: 10, expiryDays: 30, approval: "BOSS" }, ["approval"]],
  [{ kind: "VOUCHER", value: 10 }, ["kind"]],
  [{ kind: "DISCOUNT_PERCENT", value: 10.005, expiryDays: 30, approval: "AUTO" }, ["value"]],
])("a bad cell %o is reported at %o", (cell, fieldPath) => {
  const grid = { ...structuredClone(DEFAULT_GRID), overrides: { REFUND: { minor: { NEW: cell } } } };
  const result = parseGrid(grid);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.errors[0]?.path).toEqual(["overrides", "REFUND", "minor", "NEW", ...fieldPath]);
});

test("unknown rows, columns and incident types are refused", () => {
  const typo = { ...structuredClone(DEFAULT_GRID), overrides: { LATE: {} } };
  expect(parseGrid(typo).ok).toBe(false);
  const missingRow = { ...structuredClone(DEFAULT_GRID), cells: { ...DEFAULT_GRID.cells, critical: undefined } };
  expect(parseGrid(missingRow)).toMatchObject({ ok: false, errors: [{ path: ["cells", "critical"] }] });
});

test("an override wins for its incident type only", () => {
  expect(resolveCell(DEFAULT_GRID, "REFUND", "minor", "VIP")).toMatchObject({
    source: "OVERRIDE",
    cell: { kind: "NONE" },
  });
  expect(resolveCell(DEFAULT_GRID, "REFUND", "moderate", "VIP")).toMatchObject({
    source: "GRID",
    cell: { kind: "DISCOUNT_PERCENT" },
  });
  expect(resolveCell(DEFAULT_GRID, "LATE_FULFILLMENT", "minor", "VIP")).toMatchObject({ source: "GRID" });
});

test.each([
  [percent(20), context, 4_000],
  [percent(20), { ...context, orderSubtotalMinor: 90_000 }, 6_000], // basket capped at 300.00
  [percent(12.5), { ...context, orderSubtotalMinor: 999 }, 125],
  [
    { kind: "DISCOUNT_FIXED", value: 1_500, expiryDays: 30, approval: "AUTO", messageTemplateKey: "standard" },
    context,
    1_500,
  ],
  [
    { kind: "GIFT_CARD", value: 5_000, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" },
    context,
    5_000,
  ],
  [gift, { ...context, variantPrices: { "gid://shopify/ProductVariant/42": 1_800 } }, 3_600],
  [{ kind: "NONE", value: null, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" }, context, 0],
] as const)("face value of %o is %i", (cell, ctx, expected) => {
  expect(faceValue(cell as GridCell, ctx)).toBe(expected);
});

test("a gift product needs its price at decision time", () => {
  expect(() => faceValue(gift, context)).toThrow(RecoveryError);
  expect(giftVariantIds({ ...DEFAULT_GRID, overrides: { MANUAL: { critical: { VIP: gift } } } })).toEqual([
    "gid://shopify/ProductVariant/42",
  ]);
});

test.each([
  [percent(20), "20% code, 60-day expiry"],
  [
    { kind: "STORE_CREDIT", value: 2_500, expiryDays: 90, approval: "AUTO", messageTemplateKey: "standard" },
    "$25 store credit, 90-day expiry",
  ],
  [
    { kind: "GIFT_CARD", value: 5_000, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" },
    "$50 gift card, no expiry",
  ],
  [gift, "free gift product (2 x 42)"],
] as const)("%o reads as %s", (cell, text) => {
  expect(describeCell(cell as GridCell, "USD")).toBe(text);
});

test("every save is a new version", () => {
  const now = new Date("2026-03-01T00:00:00Z");
  const v1 = nextGridVersion(null, DEFAULT_GRID, "owner", now);
  expect(v1).toMatchObject({ version: 1, createdBy: "owner" });
  expect(nextGridVersion(v1, DEFAULT_GRID, "manager", now).version).toBe(2);
});

// A cell needs the incident's affected lines when it, or one of its experiment's arms, replaces
// (decisions 0116, 0119): an arm's replacement once threw "no affected lines" at decide.
const REPLACE = {
  kind: "REPLACEMENT",
  value: { shippingTitle: "Express", shippingCostMinor: 1_500 },
  approval: "AUTO",
} as const;
const CODE = { kind: "DISCOUNT_PERCENT", value: 10, expiryDays: 30, approval: "AUTO" } as const;
test.each([
  ["a code", { ...CODE, approval: "AUTO" }, false],
  ["a replacement", { ...REPLACE, approval: "AUTO" }, true],
  ["a code with a replacement arm", { ...CODE, approval: "AUTO", arms: [{ offer: CODE }, { offer: REPLACE }] }, true],
  [
    "a code with two code arms",
    { ...CODE, approval: "AUTO", arms: [{ offer: CODE }, { offer: { ...CODE, value: 20 } }] },
    false,
  ],
])("mayReplace: %s -> %s", (_, input, expected) => {
  expect(mayReplace(gridCellSchema.parse(input))).toBe(expected);
});
