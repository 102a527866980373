import fc from "fast-check";
import { expect, test } from "vitest";
import { parseSearch, type SearchNode } from "../../sandbox/admin/resolvers/search";
import { draftOrdersByTag } from "./operations/draft-orders-by-tag";
import { giftCardsForReconcile } from "./operations/gift-cards-for-reconcile";
import { giftProductSearch } from "./operations/gift-products";
import { ordersByName } from "./operations/orders-by-name";
import { recentUnfulfilledOrders } from "./operations/recent-unfulfilled-orders";
import { recentShippedOrders } from "./operations/recent-shipped-orders";
import { storeCreditAccountTransactions } from "./operations/store-credit-account-transactions";
import {
  and,
  createdSince,
  customerCreatedSince,
  dateTerm,
  freeText,
  not,
  or,
  searchValue,
  term,
  type Comparator,
  type SearchQuery,
} from "./search-query";

const AT = new Date("2026-01-01T10:00:00.123Z");

test.each([
  ["a plain word stays bare", term("status", "open"), "status:open"],
  ["a number stays bare", term("customer_id", 42), "customer_id:42"],
  ["a connective as a value is quoted", term("tag", "OR"), "tag:'OR'"],
  ["a hash is quoted", term("name", "#1001"), "name:'#1001'"],
  ["spaces are quoted", term("tag", "late gift"), "tag:'late gift'"],
  ["a colon is quoted", term("tag", "a:b"), "tag:'a:b'"],
  ["a single quote is escaped", term("tag", "it's"), String.raw`tag:'it\'s'`],
  ["a backslash is escaped", term("tag", String.raw`a\b`), String.raw`tag:'a\\b'`],
  ["parentheses are quoted", term("title", "Caf(e)"), "title:'Caf(e)'"],
  [
    "a date-time is quoted, UTC, whole seconds",
    dateTerm("created_at", ":>=", AT),
    "created_at:>='2026-01-01T10:00:00Z'",
  ],
  ["createdSince", createdSince(AT), "created_at:>='2026-01-01T10:00:00Z'"],
  [
    "a customer's records since",
    customerCreatedSince("gid://shopify/Customer/7", AT),
    "customer_id:7 AND created_at:>='2026-01-01T10:00:00Z'",
  ],
  ["OR inside AND is grouped", and(term("a", 1), or(term("b", 2), term("c", 3))), "a:1 AND (b:2 OR c:3)"],
  ["NOT of a term", not(term("fulfillment_status", "fulfilled")), "NOT fulfillment_status:fulfilled"],
  ["NOT of a group", not(or(term("a", 1), term("b", 2))), "NOT (a:1 OR b:2)"],
  ["typed free text keeps words only", freeText(`mug" OR tag:x (big)`)!, "mug tag x big"],
] as Array<[string, SearchQuery, string]>)("%s", (_name, query, text) => {
  expect(query.text).toBe(text);
});

test("field names and instants are checked", () => {
  expect(() => term("created at", "x")).toThrow(/field name/);
  expect(() => term("a:b", "x")).toThrow(/field name/);
  expect(() => dateTerm("created_at", ":>", new Date(Number.NaN))).toThrow(/invalid date/);
  expect(() => customerCreatedSince("7", AT)).toThrow(/not a GID/);
  expect(freeText(` "" :: `)).toBeNull();
});

test("every operation that searches sends its dates quoted and its values through the builder", () => {
  const customerId = "gid://shopify/Customer/7";
  const vars = (op: { variables: { parse(v: unknown): unknown } }, input: unknown) =>
    op.variables.parse(input) as Record<string, unknown>;
  expect(vars(giftCardsForReconcile, { customerId, since: AT }).query).toBe(
    "customer_id:7 AND created_at:>='2026-01-01T10:00:00Z'",
  );
  expect(vars(recentUnfulfilledOrders, { since: AT }).query).toBe(
    "NOT fulfillment_status:fulfilled AND status:open AND created_at:>='2026-01-01T10:00:00Z'",
  );
  expect(vars(recentShippedOrders, { since: AT }).query).toBe(
    "(fulfillment_status:fulfilled OR fulfillment_status:partial) AND status:open AND created_at:>='2026-01-01T10:00:00Z'",
  );
  expect(vars(draftOrdersByTag, { tag: "amends-abc123" }).query).toBe("tag:'amends-abc123'");
  expect(vars(ordersByName, { name: "#1001" }).query).toBe("name:'#1001'");
  expect(vars(storeCreditAccountTransactions, { customerId, currencyCode: "USD" }).accountQuery).toBe(
    "currency_code:USD",
  );
  expect(vars(giftProductSearch, { query: "tag:x" }).query).toBe("tag x");
});

/** What the sandbox's parser (modelled on Shopify's) reads back: field, comparator, value, and no problem. */
function terms(node: SearchNode): Array<{ field: string | null; op: string; value: string; problem?: string }> {
  switch (node.kind) {
    case "term":
      return [
        { field: node.field, op: node.op, value: node.value, ...(node.problem ? { problem: node.problem } : {}) },
      ];
    case "not":
      return terms(node.child);
    default:
      return node.children.flatMap(terms);
  }
}

const field = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/);
const comparator = fc.constantFrom<Comparator>(":", ":<", ":>", ":<=", ":>=");
const value = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constantFrom("AND", "OR", "NOT", "-x", "(a)", "a:b", `it's`, `say "hi"`, String.raw`back\slash`, "#1001"),
);
const op = (c: Comparator) => (c === ":" ? ":" : c.slice(1));

test("property: any value round-trips through the sandbox's parser unchanged, in one term, with nothing cut", () => {
  fc.assert(
    fc.property(field, comparator, value, (f, c, v) => {
      const parsed = parseSearch(term(f, v, c).text);
      expect(terms(parsed)).toEqual([{ field: f, op: op(c), value: v }]);
    }),
    { numRuns: 500 },
  );
});

test("property: dates round-trip to the same second; AND/OR/NOT keep their shape", () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }),
      fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 4 }),
      (at, pairs) => {
        const query = and(createdSince(at), not(or(...pairs.map(([f, v]) => term(f, v)))));
        const parsed = parseSearch(query.text);
        const [date, ...rest] = terms(parsed);
        expect(date).toEqual({ field: "created_at", op: ">=", value: at.toISOString().replace(/\.\d{3}Z$/, "Z") });
        expect(rest).toEqual(pairs.map(([f, v]) => ({ field: f, op: ":", value: v })));
        expect(parsed).toMatchObject({ kind: "and", children: [{ kind: "term" }, { kind: "not" }] });
      },
    ),
    { numRuns: 300 },
  );
});

test("searchValue leaves nothing unquoted that the grammar treats as special", () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 12 }), (v) => {
      const out = searchValue(v);
      if (!out.startsWith("'")) expect(out).toMatch(/^[A-Za-z0-9_]+$/);
    }),
  );
});
