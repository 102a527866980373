import { expect, test } from "vitest";
import { addressOf, cellPath, cellsInWords, cellTitle, errorsByCell, type CellAddress } from "./cell-address";

test("errorsByCell keeps the first problem of each cell, by the cell's path, and drops form-level ones", () => {
  expect(
    errorsByCell({
      "cells.major.VIP.value": "percent must be at most 100",
      "cells.major.VIP.expiryDays": "expiry must be at least 1 day",
      "cells.minor.NEW.value.variantId": "choose the product variant to send",
      "overrides.REFUND.minor.NEW.expiryDays": "expiry must be at least 1 day",
      form: "Nothing changed",
      "cells.major": "too short to be a cell",
    }),
  ).toEqual({
    "cells.major.VIP": "percent must be at most 100",
    "cells.minor.NEW": "choose the product variant to send",
    "overrides.REFUND.minor.NEW": "expiry must be at least 1 day",
  });
});

test.each<[CellAddress]>([
  [{ scope: "BASE", severity: "major", tier: "VIP" }],
  [{ scope: "DELIVERY_DELAY", severity: "critical", tier: "NEW" }],
  [{ scope: "LAPSED", severity: "major", tier: "REGULAR" }],
])("addressOf(cellPath(%o)) gives the address back", (address) => {
  expect(addressOf(cellPath(address))).toEqual(address);
});

test.each([
  "form",
  "cells.huge.VIP",
  "cells.major.GOLD",
  "overrides.NOPE.minor.NEW",
  "overrides.REFUND.minor",
  "cells.major.VIP.value",
  "stageOverrides.LOYAL.major.NEW",
  "overrides.FIRST_ORDER.major.NEW",
])("addressOf(%s) is null", (key) => {
  expect(addressOf(key)).toBeNull();
});

test("a lifecycle stage's cells are named and titled as the stage's (decision 0115)", () => {
  expect(cellPath({ scope: "FIRST_ORDER", severity: "minor", tier: "NEW" })).toBe(
    "stageOverrides.FIRST_ORDER.minor.NEW",
  );
  expect(cellTitle({ scope: "FREQUENT", severity: "minor", tier: "VIP" })).toBe("Minor × VIP · Frequent buyer");
  expect(errorsByCell({ "stageOverrides.LAPSED.major.NEW.value": "percent must be at most 100" })).toEqual({
    "stageOverrides.LAPSED.major.NEW": "percent must be at most 100",
  });
});

test.each([
  [["Major × VIP"], "Major × VIP"],
  [["A", "B", "C", "D"], "A; B; C; D"],
  [["A", "B", "C", "D", "E"], "5 cells: A; B; C and 2 more"],
  [Array.from({ length: 18 }, (_, i) => `C${i}`), "18 cells: C0; C1; C2 and 15 more"],
])("cellsInWords(%j) = %s", (cells, words) => {
  expect(cellsInWords(cells)).toBe(words);
});
