import { expect, test } from "vitest";
import { causeParam, parseCauseParam } from "./cause-param";

test.each([
  [{ dimension: "product", key: "gid://shopify/Product/123" }, "product:123"],
  [{ dimension: "location", key: "gid://shopify/Location/45" }, "location:45"],
  [{ dimension: "carrier", key: "Canada Post" }, "carrier:Canada Post"],
  // A carrier named by digits stays a carrier name; a key that is not a GID keeps its stored form.
  [{ dimension: "carrier", key: "123" }, "carrier:123"],
  [{ dimension: "location", key: "loc-1" }, "location:loc-1"],
] as const)("%o reads as %s and back", (cause, param) => {
  expect(causeParam(cause)).toBe(param);
  expect(parseCauseParam(param)).toEqual(cause);
});

test.each([null, "", "product", "product:", "customer:7", "type:REFUND", `carrier:${"x".repeat(201)}`])(
  "%s is no filter",
  (value) => {
    expect(parseCauseParam(value)).toBeNull();
  },
);
