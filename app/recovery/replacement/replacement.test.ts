/** The free replacement (decision 0116): its affected lines per incident type, its value, its decision, its cell. */
import { expect, test } from "vitest";
import { decide } from "../decide/decide";
import type { DecisionInput } from "../decide/types";
import { DEFAULT_GRID, gridCellSchema, gridSchema, type GridCellInput, type ReplacementLine } from "../grid";
import { cellDraftSchema, draftFromCell, blankCellDraft } from "../grid/editing";
import { consumption } from "../metrics/offers";
import { toOfferRecords } from "../metrics/rows";
import { buildDecisionInput, GRID_V3 } from "../test-support/factories";
import type { IncidentType } from "../vocabulary";
import { affectedLines, replacementValue, wholeOrderEstimate, type OrderLineFacts } from "./lines";

const line = (n: number, overrides: Partial<OrderLineFacts["lines"][number]> = {}) => ({
  id: `gid://shopify/LineItem/${n}`,
  variantId: `gid://shopify/ProductVariant/${n}0`,
  title: `Item ${n}`,
  quantity: 3,
  currentQuantity: 3,
  unfulfilledQuantity: 0,
  unitPriceMinor: n * 1_000,
  ...overrides,
});

/** Three lines of 3: line 1 shipped in parcel 51 (2) and 52 (1), line 2 partly shipped, line 3 refunded once. */
const FACTS: OrderLineFacts = {
  lines: [line(1), line(2, { unfulfilledQuantity: 2 }), line(3, { currentQuantity: 2, unfulfilledQuantity: 2 })],
  fulfillments: [
    { id: "gid://shopify/Fulfillment/51", lines: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 2 }] },
    {
      id: "gid://shopify/Fulfillment/52",
      lines: [
        { lineItemId: "gid://shopify/LineItem/1", quantity: 1 },
        { lineItemId: "gid://shopify/LineItem/2", quantity: 1 },
      ],
    },
  ],
  refunds: [
    { id: "gid://shopify/Refund/71", lines: [{ lineItemId: "gid://shopify/LineItem/3", quantity: 1 }] },
    { id: "gid://shopify/Refund/72", lines: [] },
  ],
};

const quantities = (lines: ReplacementLine[]) => lines.map((l) => [l.title, l.quantity]);

test.each<[IncidentType, unknown, Array<[string, number]>]>([
  [
    "LATE_FULFILLMENT",
    {},
    [
      ["Item 2", 2],
      ["Item 3", 2],
    ],
  ],
  // Only the parcel the incident names: parcel 52, not 51.
  [
    "DELIVERY_DELAY",
    { parcels: [{ fulfillmentId: "gid://shopify/Fulfillment/52" }] },
    [
      ["Item 1", 1],
      ["Item 2", 1],
    ],
  ],
  [
    "DELIVERY_FAILURE",
    { parcels: [{ fulfillmentId: "gid://shopify/Fulfillment/51" }, { fulfillmentId: "gid://shopify/Fulfillment/52" }] },
    [
      ["Item 1", 3],
      ["Item 2", 1],
    ],
  ],
  ["REFUND", { refunds: [{ id: "gid://shopify/Refund/71" }, { id: "gid://shopify/Refund/72" }] }, [["Item 3", 1]]],
  // An amount-only refund names no line: nothing to replace.
  ["REFUND", { refunds: [{ id: "gid://shopify/Refund/72" }] }, []],
  [
    "MERCHANT_CANCELLATION",
    {},
    [
      ["Item 1", 3],
      ["Item 2", 3],
      ["Item 3", 3],
    ],
  ],
  [
    "MANUAL",
    {},
    [
      ["Item 1", 3],
      ["Item 2", 3],
      ["Item 3", 2],
    ],
  ],
  // Evidence without the ids (an incident recorded before): nothing is guessed.
  ["DELIVERY_DELAY", {}, []],
])("%s: the affected lines are the type's own, with the order's quantities", (type, evidence, expected) => {
  expect(quantities(affectedLines(type, evidence, FACTS))).toEqual(expected);
});

test("a replacement is worth its lines' price and the shipping the shop pays", () => {
  const lines = affectedLines("LATE_FULFILLMENT", {}, FACTS);
  // 2 x 20.00 + 2 x 30.00 + 15.00 shipping.
  expect(replacementValue(lines, 1_500)).toBe(11_500);
  expect(replacementValue([], 1_500)).toBe(1_500);
  expect(replacementValue(wholeOrderEstimate(8_000), 0)).toBe(8_000);
});

const REPLACE: GridCellInput = {
  kind: "REPLACEMENT",
  value: { shippingTitle: "Express", shippingCostMinor: 1_500 },
  approval: "AUTO",
};

function gridWith(cell: GridCellInput): DecisionInput["gridVersion"] {
  return {
    ...GRID_V3,
    grid: gridSchema.parse({
      ...DEFAULT_GRID,
      cells: { ...DEFAULT_GRID.cells, major: { ...DEFAULT_GRID.cells.major, VIP: cell } },
    }),
  };
}

test("the decision records the affected lines on the offer and values them with the shipping; above the ceiling it needs approval", () => {
  const lines = affectedLines("LATE_FULFILLMENT", {}, FACTS);
  const decision = decide(buildDecisionInput({ gridVersion: gridWith(REPLACE), replacementLines: lines }));
  expect(decision).toMatchObject({
    kind: "OFFER",
    cell: { kind: "REPLACEMENT", value: { shippingTitle: "Express", shippingCostMinor: 1_500, lines } },
    faceValueMinor: 11_500,
    approval: "STAFF",
    approvalSources: ["OFFER_CAP"],
    expiresAt: null,
  });
  expect(decision.explanation).toEqual(
    expect.arrayContaining([
      "Grid v3 (major x VIP): free replacement of 2 × Item 2, 2 × Item 3, Express shipping ($15 to the shop), approval AUTO; face value $115",
      "4. Offer cap: $115 is above the $50 auto-approve ceiling: needs approval",
    ]),
  );
});

test("nothing left to replace: no offer, and the explanation says why", () => {
  const decision = decide(buildDecisionInput({ gridVersion: gridWith(REPLACE), replacementLines: [] }));
  expect(decision).toMatchObject({ kind: "NO_OFFER", reason: "NOTHING_TO_REPLACE" });
  expect(decision.explanation.at(-1)).toMatch(/free replacement, but the order has no affected line left to replace/);
});

test("a replacement cell without the order's lines is not valued by guesswork", () => {
  expect(() => decide(buildDecisionInput({ gridVersion: gridWith(REPLACE) }))).toThrow(/No affected lines/);
});

test("the cell: a named shipping method and a cost of zero or more, each error at its field", () => {
  expect(gridCellSchema.parse(REPLACE)).toMatchObject({ expiryDays: null, messageTemplateKey: "standard" });
  const parsed = gridCellSchema.safeParse({ ...REPLACE, value: { shippingTitle: "  ", shippingCostMinor: -1 } });
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["value.shippingTitle", "name the shipping method, e.g. Express"],
    ["value.shippingCostMinor", "the shipping cost cannot be negative"],
  ]);
});

test("the editor: a blank replacement offers Express at 15.00, round-trips, and a bad cost is an error beside its field", () => {
  const blank = blankCellDraft("REPLACEMENT");
  expect(blank).toMatchObject({ kind: "REPLACEMENT", value: "15.00", shippingTitle: "Express", expiryDays: "" });
  const cell = cellDraftSchema("USD").parse(blank);
  expect(cell).toEqual({
    kind: "REPLACEMENT",
    value: { shippingTitle: "Express", shippingCostMinor: 1_500 },
    expiryDays: null,
    approval: "AUTO",
    messageTemplateKey: "standard",
  });
  expect(draftFromCell(cell, "USD")).toMatchObject({ value: "15.00", shippingTitle: "Express" });
  const bad = cellDraftSchema("USD").safeParse({ ...blank, value: "fifteen", shippingTitle: "" });
  expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["value.shippingCostMinor"]);
  const untitled = cellDraftSchema("USD").safeParse({ ...blank, shippingTitle: "" });
  expect(untitled.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["value.shippingTitle", "name the shipping method, e.g. Express"],
  ]);
});

test("metrics: an issued replacement costs its face value and, like a shipped gift, has nothing to redeem", () => {
  const issuedAt = new Date("2026-01-01T00:00:00Z");
  const rows = [
    {
      id: "o1",
      incidentId: "i1",
      kind: "REPLACEMENT",
      status: "ISSUED",
      approval: "AUTO",
      issuedAt,
      expiresAt: null,
      faceValueMinor: 9_500,
      redeemedAt: null,
      discountUsedMinor: null,
    },
  ];
  const records = toOfferRecords(rows);
  expect(records).toMatchObject([{ kind: "REPLACEMENT", discountUsedMinor: 9_500 }]);
  expect(consumption(records, new Date("2027-01-01T00:00:00Z"))).toMatchObject({ issued: 0, settled: 0 });
});
