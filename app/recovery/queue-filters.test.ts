import { expect, test } from "vitest";
import { filtersFromSearchParams, hasFilters, NO_FILTERS, pageLinks, searchParamsWithFilters } from "./queue-filters";

test("filters come from repeated search params; unknown values are dropped, repeats folded", () => {
  const params = new URLSearchParams(
    "type=REFUND&type=NOPE&type=REFUND&severity=major&tier=VIP&tier=GOLD&age=SAME_DAY",
  );
  expect(filtersFromSearchParams(params)).toEqual({
    type: ["REFUND"],
    severity: ["major"],
    tier: ["VIP"],
    age: "SAME_DAY",
  });
  expect(filtersFromSearchParams(new URLSearchParams("age=SOON"))).toEqual(NO_FILTERS);
});

test("writing filters keeps other params, drops the page cursor and round-trips", () => {
  const filters = {
    type: ["MANUAL" as const, "REFUND" as const],
    severity: [],
    tier: ["NEW" as const],
    age: "OLDER" as const,
  };
  const next = searchParamsWithFilters(new URLSearchParams("cursor=abc&keep=1&type=LATE_FULFILLMENT"), filters);
  expect(next.toString()).toBe("keep=1&type=MANUAL&type=REFUND&tier=NEW&age=OLDER");
  expect(filtersFromSearchParams(next)).toEqual(filters);
  expect(hasFilters(filters)).toBe(true);
  expect(hasFilters(NO_FILTERS)).toBe(false);
});

test("page links: Next carries the way back; Previous returns to the page before, not to the start", () => {
  const filters = { ...NO_FILTERS, tier: ["VIP" as const] };
  const first = pageLinks(new URLSearchParams("tier=VIP"), filters, "c1");
  expect(first.previous).toBeNull();
  expect(first.next?.toString()).toBe("tier=VIP&back=&cursor=c1");

  const second = pageLinks(first.next!, filters, "c2");
  expect(second.next?.toString()).toBe("tier=VIP&back=&back=c1&cursor=c2");
  expect(second.previous?.toString()).toBe("tier=VIP");

  const third = pageLinks(second.next!, filters, null);
  expect(third.next).toBeNull();
  expect(third.previous?.toString()).toBe("tier=VIP&back=&cursor=c1");
  // Changing a filter starts again at page one.
  expect(searchParamsWithFilters(second.next!, NO_FILTERS).toString()).toBe("");
});
