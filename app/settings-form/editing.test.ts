import { expect, test } from "vitest";
import { addListItem, insertAt, isoDate, listItems, removeListItem } from "./editing";

test.each([
  ["", []],
  ["2026-12-25, 2027-01-01", ["2026-12-25", "2027-01-01"]],
  [" vip ,,wholesale\nstaff ", ["vip", "wholesale", "staff"]],
])("the list %j holds %j", (text, items) => {
  expect(listItems(text)).toEqual(items);
});

test.each([
  ["", "2026-12-25", true, "2026-12-25"],
  ["2027-01-01", "2026-12-25", true, "2026-12-25, 2027-01-01"],
  ["2026-12-25", "2026-12-25", true, "2026-12-25"],
  ["vip", "wholesale", false, "vip, wholesale"],
  ["wholesale, vip", "Staff", false, "wholesale, vip, Staff"],
  // Already there in another case, empty, or a comma that would split it into two: unchanged.
  ["VIP", "vip", false, "VIP"],
  ["vip", "  ", false, "vip"],
  ["vip", "a,b", false, "vip"],
  // A hand-typed list comes back tidy.
  ["vip,,  staff", " b2b ", false, "vip, staff, b2b"],
])("adding to %j the item %j (sorted: %s) gives %j", (text, item, sort, expected) => {
  expect(addListItem(text, item, { sort })).toBe(expected);
});

test.each([
  ["2026-12-25, 2027-01-01", "2026-12-25", "2027-01-01"],
  ["vip", "vip", ""],
  ["vip, staff", "other", "vip, staff"],
])("removing from %j the item %j gives %j", (text, item, expected) => {
  expect(removeListItem(text, item)).toBe(expected);
});

test.each([
  [new Date(2026, 11, 25), "2026-12-25"],
  [new Date(2027, 0, 1, 23, 59), "2027-01-01"],
  [new Date(2028, 1, 29), "2028-02-29"],
])("the picked day %s is %s", (date, expected) => {
  expect(isoDate(date)).toBe(expected);
});

test.each([
  ["Hello !", 6, 6, "{{name}}", "Hello {{name}}!", 14],
  ["", null, null, "{{offer}}", "{{offer}}", 9],
  ["Dear you,", 5, 8, "{{name}}", "Dear {{name}},", 13],
  // Reversed and out-of-range selections are read in order and clamped.
  ["abc", 3, 1, "X", "aX", 2],
  ["abc", -4, 99, "X", "X", 1],
  ["abc", null, null, "X", "abcX", 4],
])(
  "inserting into %j at [%s, %s) the variable %j gives %j, cursor at %i",
  (text, start, end, insertion, out, caret) => {
    expect(insertAt(text, { start, end }, insertion)).toEqual({ text: out, caret });
  },
);
