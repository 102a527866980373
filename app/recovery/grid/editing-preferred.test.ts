/** The "customer's preferred kind" option in the grid editor's draft (decision 0114). */
import { expect, test } from "vitest";
import { DEFAULT_GRID } from "./default-grid";
import {
  blankCellDraft,
  cellDraftSchema,
  describeCellDraft,
  draftFromCell,
  draftFromGrid,
  gridDraftSchema,
  type CellDraft,
} from "./editing";
import { gridCellSchema } from "./schema";

const USD = "USD";
const code = (preferredKind?: CellDraft["preferredKind"]): CellDraft => ({
  kind: "DISCOUNT_PERCENT",
  value: "15",
  expiryDays: "60",
  approval: "AUTO",
  messageTemplateKey: "standard",
  variantId: "",
  quantity: "1",
  ...(preferredKind ? { preferredKind } : {}),
});

function draftWith(cell: CellDraft) {
  const draft = draftFromGrid(DEFAULT_GRID, USD);
  draft.cells.major.VIP = cell;
  return draft;
}

test("the option's equivalents are typed in the merchant's units and stored in minor units and percent", () => {
  const grid = gridDraftSchema(USD).parse(
    draftWith(code({ DISCOUNT_CODE: "", STORE_CREDIT: "10.00", GIFT_CARD: "12.50" })),
  );
  expect(grid.cells.major.VIP).toEqual({
    kind: "DISCOUNT_PERCENT",
    value: 15,
    expiryDays: 60,
    approval: "AUTO",
    messageTemplateKey: "standard",
    preferredKind: { STORE_CREDIT: 1_000, GIFT_CARD: 1_250 },
  });
  // And back: the draft shows what the merchant typed.
  expect(draftFromCell(grid.cells.major.VIP, USD).preferredKind).toEqual({
    DISCOUNT_CODE: "",
    STORE_CREDIT: "10.00",
    GIFT_CARD: "12.50",
  });
});

test("a cell without the option converts without one: grids saved before it keep today's behaviour", () => {
  const grid = gridDraftSchema(USD).parse(draftWith(code()));
  expect(grid.cells.major.VIP.kind !== "NONE" && grid.cells.major.VIP.preferredKind).toBeFalsy();
  expect(draftFromCell(grid.cells.major.VIP, USD)).not.toHaveProperty("preferredKind");
  expect(gridDraftSchema(USD).parse(draftFromGrid(DEFAULT_GRID, USD))).toEqual(DEFAULT_GRID);
});

test.each([
  [
    "an amount with too many decimals",
    { DISCOUNT_CODE: "", STORE_CREDIT: "10.005", GIFT_CARD: "" },
    "preferredKind.STORE_CREDIT",
    /amount in USD/,
  ],
  [
    "a zero gift card",
    { DISCOUNT_CODE: "", STORE_CREDIT: "", GIFT_CARD: "0" },
    "preferredKind.GIFT_CARD",
    /more than zero/,
  ],
  [
    "the cell's own kind",
    { DISCOUNT_CODE: "20", STORE_CREDIT: "10", GIFT_CARD: "" },
    "preferredKind.DISCOUNT_CODE",
    /already gives a discount code/,
  ],
  ["nothing set", { DISCOUNT_CODE: "", STORE_CREDIT: "", GIFT_CARD: "" }, "preferredKind", /at least one other kind/],
] as const)("%s is refused beside its field", (_name, option, path, message) => {
  const parsed = cellDraftSchema(USD).safeParse(code(option));
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues.find((i) => i.path.join(".") === path)?.message).toMatch(message);
  const whole = gridDraftSchema(USD).safeParse(draftWith(code(option)));
  expect(whole.error?.issues.map((i) => i.path.join("."))).toContain(`cells.major.VIP.${path}`);
});

test("a store credit cell's code equivalent is a percent", () => {
  const cell = cellDraftSchema(USD).parse({
    ...code({ DISCOUNT_CODE: "12.5", STORE_CREDIT: "", GIFT_CARD: "" }),
    kind: "STORE_CREDIT",
    value: "10.00",
  });
  expect(cell).toMatchObject({ kind: "STORE_CREDIT", value: 1_000, preferredKind: { DISCOUNT_CODE: 12.5 } });
});

test("changing the cell's kind keeps the equivalents as typed; an apology only drops them", () => {
  const option = { DISCOUNT_CODE: "", STORE_CREDIT: "10.00", GIFT_CARD: "" };
  expect(blankCellDraft("GIFT_CARD", code(option)).preferredKind).toEqual(option);
  expect(blankCellDraft("NONE", code(option))).not.toHaveProperty("preferredKind");
  // A NONE draft that still carries an option (an old page) converts to an apology only.
  expect(
    gridCellSchema.parse(cellDraftSchema(USD).parse({ ...code(option), kind: "NONE", value: "", expiryDays: "" })),
  ).toEqual({
    kind: "NONE",
    value: null,
    expiryDays: null,
    approval: "AUTO",
    messageTemplateKey: "standard",
  });
});

test("the grid table reads the option with the cell", () => {
  expect(describeCellDraft(code({ DISCOUNT_CODE: "", STORE_CREDIT: "10.00", GIFT_CARD: "10" }), USD)).toBe(
    "15% code, 60 days, auto; or their preferred kind: $10 store credit, $10 gift card",
  );
  expect(describeCellDraft(code(), USD)).toBe("15% code, 60 days, auto");
});
