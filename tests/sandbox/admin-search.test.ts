/** Unit checks of the pieces under orders(query:) and connections: search syntax, shop-zone dates, cursors. */
import { describe, expect, test } from "vitest";
import { connection } from "../../sandbox/admin/resolvers/connection";
import { matchesDate, parseSearch, searchFilter, zonedMidnight } from "../../sandbox/admin/resolvers/search";

describe("search syntax", () => {
  test("spaces AND, OR binds looser, NOT and '-' negate, parentheses group, quotes keep spaces", () => {
    expect(parseSearch(`a:1 b:>=2 OR -c:'x y' NOT (d:3 OR e:<4)`)).toEqual({
      kind: "or",
      children: [
        {
          kind: "and",
          children: [
            { kind: "term", field: "a", op: ":", value: "1", raw: "a:1" },
            { kind: "term", field: "b", op: ">=", value: "2", raw: "b:>=2" },
          ],
        },
        {
          kind: "and",
          children: [
            { kind: "not", child: { kind: "term", field: "c", op: ":", value: "x y", raw: "c:'x y'", quoted: true } },
            {
              kind: "not",
              child: {
                kind: "or",
                children: [
                  { kind: "term", field: "d", op: ":", value: "3", raw: "d:3" },
                  { kind: "term", field: "e", op: "<", value: "4", raw: "e:<4" },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  test("unsupported fields match everything and are reported once", () => {
    const reported: string[] = [];
    const filter = searchFilter<number>(
      "n:2 colour:red colour:blue",
      (n, term) => (term.field === "n" ? n === Number(term.value) : undefined),
      (f) => reported.push(f),
    );
    expect([1, 2, 3].filter(filter)).toEqual([2]);
    expect(reported).toEqual(["colour"]);
  });

  test("a bare date is a whole day in the shop's time zone", () => {
    expect(new Date(zonedMidnight("2026-11-02", "America/New_York")).toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect(new Date(zonedMidnight("2026-07-01", "America/New_York")).toISOString()).toBe("2026-07-01T04:00:00.000Z");
    const lateEvening = new Date("2026-11-03T03:00:00Z"); // 22:00 on the 2nd in New York
    expect(matchesDate(lateEvening, ":", "2026-11-02", "America/New_York")).toBe(true);
    expect(matchesDate(lateEvening, ">", "2026-11-02", "America/New_York")).toBe(false);
    expect(matchesDate(lateEvening, "<", "2026-11-03", "America/New_York")).toBe(true);
    expect(matchesDate(lateEvening, ">", "not a date", "America/New_York")).toBeUndefined();
  });
});

describe("connections", () => {
  const items = [1, 2, 3, 4, 5].map((id) => ({ id }));
  const page = (args: Record<string, unknown>) => connection({ items, args, key: (i) => ({ id: i.id, value: i.id }) });

  test("first/after and last/before page by keyset", () => {
    const first = page({ first: 2 });
    expect(first.nodes.map((n) => n.id)).toEqual([1, 2]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = page({ first: 2, after: first.pageInfo.endCursor });
    expect(next.nodes.map((n) => n.id)).toEqual([3, 4]);
    expect(next.pageInfo.hasPreviousPage).toBe(true);
    const last = page({ last: 2, before: next.pageInfo.endCursor });
    expect(last.nodes.map((n) => n.id)).toEqual([2, 3]);
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  test("a cursor still works after its item is gone", () => {
    const first = page({ first: 2 });
    const shorter = connection({
      items: items.filter((i) => i.id !== 2),
      args: { first: 2, after: first.pageInfo.endCursor },
      key: (i) => ({ id: i.id, value: i.id }),
    });
    expect(shorter.nodes.map((n) => n.id)).toEqual([3, 4]);
  });
});
