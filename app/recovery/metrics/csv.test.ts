import { expect, test } from "vitest";
import { csvCell, csvRow } from "./csv";
import { offerExportCells, OFFER_EXPORT_COLUMNS, type OfferExportRecord } from "./offer-export";

test.each([
  ["plain", "plain"],
  ["a,b", '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ["two\nlines", '"two\nlines"'],
  ["cr\r\nlf", '"cr\r\nlf"'],
  [" padded", '" padded"'],
  ["", ""],
  ["#1001", "#1001"],
])("text %j is written as %j", (value, expected) => {
  expect(csvCell(value)).toBe(expected);
});

test.each([
  ["=SUM(A1:A9)", "'=SUM(A1:A9)"],
  ["+1", "'+1"],
  ["-2+3", "'-2+3"],
  ["@cmd", "'@cmd"],
  ["\tTAB", "'\tTAB"],
  ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ["=1,2", `"'=1,2"`],
])("a text cell that a spreadsheet would run as a formula (%j) is defused", (value, expected) => {
  expect(csvCell(value)).toBe(expected);
});

test("numbers, booleans and missing values", () => {
  expect(csvCell(-5)).toBe("-5");
  expect(csvCell(12.5)).toBe("12.5");
  expect(csvCell(Number.NaN)).toBe("");
  expect(csvCell(true)).toBe("true");
  expect(csvCell(null)).toBe("");
  expect(csvCell(undefined)).toBe("");
});

test("a row ends with CRLF and keeps empty cells", () => {
  expect(csvRow(["a", null, 3, "x,y"])).toBe('a,,3,"x,y"\r\n');
});

test("an offer row: one cell per column, money as decimals, the time-to-offer bucket in the shop's zone", () => {
  const record: OfferExportRecord = {
    offerId: "o1",
    incidentId: "i1",
    incidentType: "LATE_FULFILLMENT",
    severity: "moderate",
    orderName: "#1001",
    occurredAt: new Date("2026-11-02T03:00:00Z"), // Nov 1, 22:00 in New York
    detectedAt: new Date("2026-11-02T04:00:00Z"),
    decidedAt: new Date("2026-11-02T04:00:01Z"),
    issuedAt: new Date("2026-11-02T14:00:00Z"), // Nov 2 in New York: next day
    kind: "DISCOUNT_FIXED",
    approval: "AUTO",
    faceValueMinor: 1_250,
    currency: "USD",
    status: "REDEEMED",
    redeemedAt: new Date("2026-11-10T00:00:00Z"),
    discountUsedMinor: 1_250,
    wonBackAt: new Date("2026-11-10T00:00:00Z"),
    wonBackMinor: 8_000,
  };
  const cells = offerExportCells(record, "America/New_York");
  expect(cells).toHaveLength(OFFER_EXPORT_COLUMNS.length);
  const row = Object.fromEntries(OFFER_EXPORT_COLUMNS.map((c, i) => [c, cells[i]]));
  expect(row).toMatchObject({
    face_value: "12.50",
    revenue_won_back: "80.00",
    redeemed: true,
    won_back: true,
    time_to_offer: "NEXT_DAY",
    issued_at: "2026-11-02T14:00:00.000Z",
  });
  expect(
    offerExportCells({ ...record, issuedAt: null, wonBackAt: null, wonBackMinor: null }, "UTC")[
      OFFER_EXPORT_COLUMNS.indexOf("time_to_offer")
    ],
  ).toBeNull();
});
