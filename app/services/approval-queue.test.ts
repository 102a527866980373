/** The approval queue's pure pieces: page cursors, edited values, age windows. */
import { expect, test } from "vitest";
import { ageWindow, decodeCursor, encodeCursor, parseEditedValue } from "./approval-queue.server";

test("a cursor round-trips; a mangled one starts from the first page", () => {
  const at = new Date("2026-11-02T10:00:00Z");
  const id = "0b7c0a4e-5d0c-4a3b-9a6e-2f1d3c4b5a69";
  expect(decodeCursor(encodeCursor(at, id))).toEqual({ occurredAt: at, offerId: id });
  expect(decodeCursor("garbage")).toBeNull();
  expect(decodeCursor(Buffer.from("2026-11-02T10:00:00Z|1; DROP").toString("base64url"))).toBeNull();
  expect(decodeCursor(null)).toBeNull();
});

test.each([
  [{ unit: "MONEY", current: "40.00", currency: "USD" }, "12.50", { ok: true, value: 1_250 }],
  [{ unit: "MONEY", current: "40.00", currency: "USD" }, " 60 ", { ok: true, value: 6_000 }],
  [
    { unit: "MONEY", current: "40.00", currency: "USD" },
    "1.234",
    { ok: false, message: "Use at most the decimals USD has" },
  ],
  [{ unit: "MONEY", current: "4000", currency: "JPY" }, "1500", { ok: true, value: 1_500 }],
  [{ unit: "PERCENT", current: "20", currency: "USD" }, "12.5", { ok: true, value: 12.5 }],
  [
    { unit: "PERCENT", current: "20", currency: "USD" },
    "101",
    { ok: false, message: "A discount can be at most 100%" },
  ],
  [
    { unit: "PERCENT", current: "20", currency: "USD" },
    "0",
    { ok: false, message: "Enter a value above zero, like 25 or 12.50" },
  ],
  [
    { unit: "PERCENT", current: "20", currency: "USD" },
    "ten",
    { ok: false, message: "Enter a value above zero, like 25 or 12.50" },
  ],
] as const)("an edited value %o typed as %s", (editable, input, expected) => {
  expect(parseEditedValue(editable, input)).toEqual(expected);
});

test("age windows are counted in the shop's day", () => {
  const now = new Date("2026-11-02T15:00:00Z"); // 10:00 in New York
  expect(ageWindow("UNDER_4H", now, "America/New_York")).toEqual({
    occurredFrom: new Date("2026-11-02T11:00:00Z"),
    occurredBefore: null,
  });
  expect(ageWindow("SAME_DAY", now, "America/New_York")).toEqual({
    occurredFrom: new Date("2026-11-02T05:00:00Z"),
    occurredBefore: null,
  });
  expect(ageWindow("OLDER", now, "Asia/Tokyo")).toEqual({
    occurredFrom: null,
    occurredBefore: new Date("2026-11-02T15:00:00Z"),
  });
  expect(ageWindow(null, now, "UTC")).toEqual({ occurredFrom: null, occurredBefore: null });
});
