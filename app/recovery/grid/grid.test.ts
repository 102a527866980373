import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import { SEVERITIES, TIERS, approvalRank } from "../vocabulary";
import { describeCell, faceValue, giftVariantIds, resolveCell } from "./cells";
import { DEFAULT_GRID } from "./default-grid";
import { gridSchema, nextGridVersion, parseGrid, type GridCell } from "./schema";

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

test("the default grid never gets more lenient as severity or customer value grows", () => {
  const value = (cell: GridCell) => (cell.kind === "DISCOUNT_PERCENT" ? cell.value : 0);
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
  const cell = bad.cells.major?.VIP;
  if (cell) cell.value = 140;
  const result = parseGrid(bad);
  expect(result).toEqual({
    ok: false,
    errors: [{ path: ["cells", "major", "VIP", "value"], message: "percent must be at most 100" }],
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
