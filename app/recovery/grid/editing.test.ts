import fc from "fast-check";
import { expect, test } from "vitest";
import { APPROVALS, SEVERITIES, TIERS } from "../vocabulary";
import { DEFAULT_GRID } from "./default-grid";
import { blankCellDraft, describeCellDraft, draftFromGrid, gridDraftSchema, type CellDraft } from "./editing";
import { gridCellSchema, type GridCell } from "./schema";

const USD = "USD";
const base = (): CellDraft => ({
  kind: "DISCOUNT_PERCENT",
  value: "20",
  expiryDays: "60",
  approval: "AUTO",
  messageTemplateKey: "standard",
  variantId: "",
  quantity: "1",
});

function draftWith(cell: Partial<CellDraft>) {
  const draft = draftFromGrid(DEFAULT_GRID, USD);
  draft.cells.major.VIP = { ...base(), ...cell };
  return draft;
}

test("the default grid survives the round trip through the editor unchanged", () => {
  const parsed = gridDraftSchema(USD).parse(draftFromGrid(DEFAULT_GRID, USD));
  expect(parsed).toEqual(DEFAULT_GRID);
});

test.each([
  ["percent over 100", { value: "150" }, "cells.major.VIP.value", /at most 100/],
  ["percent not a number", { value: "lots" }, "cells.major.VIP.value", /number/],
  ["expiry 0", { expiryDays: "0" }, "cells.major.VIP.expiryDays", /at least 1 day/],
  ["expiry empty on a code", { expiryDays: "" }, "cells.major.VIP.expiryDays", /whole number of days/],
  ["money with too many decimals", { kind: "STORE_CREDIT", value: "10.005" }, "cells.major.VIP.value", /amount in USD/],
  ["money zero", { kind: "DISCOUNT_FIXED", value: "0" }, "cells.major.VIP.value", /more than zero/],
  [
    "gift product without a variant",
    { kind: "GIFT_PRODUCT", value: "", expiryDays: "" },
    "cells.major.VIP.value.variantId",
    /choose the product variant/,
  ],
  [
    "gift quantity 0",
    { kind: "GIFT_PRODUCT", variantId: "gid://shopify/ProductVariant/5", quantity: "0", expiryDays: "" },
    "cells.major.VIP.value.quantity",
    /./,
  ],
  [
    "template key with spaces",
    { messageTemplateKey: "Warm Voice" },
    "cells.major.VIP.messageTemplateKey",
    /lower-case/,
  ],
] as const)("%s is refused at the cell's field", (_name, cell, path, message) => {
  const result = gridDraftSchema(USD).safeParse(draftWith(cell));
  expect(result.success).toBe(false);
  const issue = result.error?.issues.find((i) => i.path.join(".") === path);
  expect(issue?.message).toMatch(message);
});

test.each([
  [
    { kind: "DISCOUNT_FIXED", value: "12.50" },
    { kind: "DISCOUNT_FIXED", value: 1250, expiryDays: 60 },
  ],
  [
    { kind: "GIFT_CARD", value: "25", expiryDays: "" },
    { kind: "GIFT_CARD", value: 2500, expiryDays: null },
  ],
  [
    { kind: "GIFT_PRODUCT", variantId: "gid://shopify/ProductVariant/9", quantity: "2", expiryDays: "" },
    { kind: "GIFT_PRODUCT", value: { variantId: "gid://shopify/ProductVariant/9", quantity: 2 }, expiryDays: null },
  ],
  [
    { kind: "NONE", value: "", expiryDays: "" },
    { kind: "NONE", value: null, expiryDays: null },
  ],
] as const)("a valid %o is stored in minor units", (cell, expected) => {
  const grid = gridDraftSchema(USD).parse(draftWith(cell));
  expect(grid.cells.major.VIP).toMatchObject(expected);
});

test("JPY amounts have no minor digits", () => {
  const grid = gridDraftSchema("JPY").parse({ ...draftWith({ kind: "STORE_CREDIT", value: "500" }) });
  expect(grid.cells.major.VIP).toMatchObject({ value: 500 });
});

const storedCell: fc.Arbitrary<GridCell> = fc
  .oneof(
    fc.record({
      kind: fc.constant("DISCOUNT_PERCENT" as const),
      value: fc.integer({ min: 1, max: 10_000 }).map((bp) => bp / 100),
      expiryDays: fc.integer({ min: 1, max: 3650 }),
      approval: fc.constantFrom(...APPROVALS),
      messageTemplateKey: fc.constantFrom("standard", "personal"),
    }),
    fc.record({
      kind: fc.constantFrom("DISCOUNT_FIXED" as const, "STORE_CREDIT" as const),
      value: fc.integer({ min: 1, max: 100_000_000 }),
      expiryDays: fc.integer({ min: 1, max: 3650 }),
      approval: fc.constantFrom(...APPROVALS),
      messageTemplateKey: fc.constant("standard"),
    }),
    fc.record({
      kind: fc.constant("GIFT_CARD" as const),
      value: fc.integer({ min: 1, max: 100_000_000 }),
      expiryDays: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: null }),
      approval: fc.constantFrom(...APPROVALS),
      messageTemplateKey: fc.constant("standard"),
    }),
    fc.record({
      kind: fc.constant("GIFT_PRODUCT" as const),
      value: fc.record({
        variantId: fc.integer({ min: 1 }).map((n) => `gid://shopify/ProductVariant/${n}`),
        quantity: fc.integer({ min: 1, max: 10 }),
      }),
      expiryDays: fc.constant(null),
      approval: fc.constantFrom(...APPROVALS),
      messageTemplateKey: fc.constant("standard"),
    }),
  )
  .map((cell) => gridCellSchema.parse(cell));

test("any valid stored cell reads back identically after editing (no rounding of money or percent)", () => {
  fc.assert(
    fc.property(
      storedCell,
      fc.constantFrom(...SEVERITIES),
      fc.constantFrom(...TIERS),
      fc.constantFrom("USD", "JPY", "KWD"),
      (cell, severity, tier, currency) => {
        const grid = {
          ...DEFAULT_GRID,
          cells: { ...DEFAULT_GRID.cells, [severity]: { ...DEFAULT_GRID.cells[severity], [tier]: cell } },
        };
        expect(gridDraftSchema(currency).parse(draftFromGrid(grid, currency))).toEqual(grid);
      },
    ),
  );
});

test.each([
  [base(), "20% code, 60 days, auto"],
  [
    { ...base(), kind: "STORE_CREDIT", value: "12.5", approval: "STAFF" },
    "$12.50 store credit, 60 days, staff approves",
  ],
  [
    { ...base(), kind: "GIFT_CARD", value: "25", expiryDays: "", approval: "MANAGER" },
    "$25 gift card, no expiry, manager approves",
  ],
  [
    { ...base(), kind: "GIFT_PRODUCT", variantId: "gid://shopify/ProductVariant/9", quantity: "2" },
    "free 2 × Mug - Blue, auto",
  ],
  [{ ...base(), kind: "NONE" }, "apology only"],
] as Array<[CellDraft, string]>)("describeCellDraft(%o) reads %s", (cell, words) => {
  expect(describeCellDraft(cell, USD, "Mug - Blue")).toBe(words);
});

test("changing kind keeps approval and template, and drops expiry where it cannot apply", () => {
  const from = { ...base(), approval: "MANAGER" as const, messageTemplateKey: "personal", expiryDays: "90" };
  expect(blankCellDraft("STORE_CREDIT", from)).toMatchObject({
    kind: "STORE_CREDIT",
    value: "10.00",
    expiryDays: "90",
    approval: "MANAGER",
    messageTemplateKey: "personal",
  });
  expect(blankCellDraft("GIFT_PRODUCT", from)).toMatchObject({ expiryDays: "", variantId: "" });
});
