import { expect, test } from "vitest";
import { addressOf, cellPath, errorsByCell, type CellAddress } from "./cell-address";

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
])("addressOf(%s) is null", (key) => {
  expect(addressOf(key)).toBeNull();
});
