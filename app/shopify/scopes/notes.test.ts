import { expect, test } from "vitest";
import { canonicalNote, isSatisfied, missingScopes, parseNote, withImpliedScopes } from "./notes";

test.each([
  ["`read_orders` access scope.", [["read_orders"]]],
  ["Apps must have `write_discounts` access scope.", [["write_discounts"]]],
  ["Requires `write_customers` access_scope.", [["write_customers"]]],
  [
    "`write_draft_orders` access scope or `write_quick_sale` access scope. Also: The user must have access to manage draft orders.",
    [["write_draft_orders"], ["write_quick_sale"]],
  ],
  [
    "`read_orders` access scope, `read_marketplace_orders` access scope or `read_quick_sale` access scope.",
    [["read_orders"], ["read_marketplace_orders"], ["read_quick_sale"]],
  ],
  [
    "Any of `write_content`, `write_online_store_pages` access scopes.",
    [["write_content"], ["write_online_store_pages"]],
  ],
  [
    "`write_products` access scope as well as any of `write_own_subscription_contracts`, `write_purchase_options` access scopes. Also: The user must have `manage_orders_information` permissions.",
    [
      ["write_own_subscription_contracts", "write_products"],
      ["write_products", "write_purchase_options"],
    ],
  ],
  [
    "`write_orders` access scope. Also: Requires `write_payment_terms` scope.",
    [["write_orders", "write_payment_terms"]],
  ],
  [
    "`write_pixels` access scope. Also: The app must have the read_customer_events and write_server_pixels access scopes.",
    [["read_customer_events", "write_pixels", "write_server_pixels"]],
  ],
  ["Access allowed for apps with `app_attributions` scope using offline tokens only.", [["app_attributions"]]],
] as const)("reads %j", (note, anyOf) => {
  expect(parseNote(note)).toEqual({ kind: "SCOPES", anyOf });
});

test("the markets note differs for queries and mutations", () => {
  const note = "`read_markets` for queries and both `read_markets` as well as `write_markets` for mutations.";
  expect(parseNote(note, "query")).toEqual({ kind: "SCOPES", anyOf: [["read_markets"]] });
  expect(parseNote(note, "mutation")).toEqual({ kind: "SCOPES", anyOf: [["read_markets", "write_markets"]] });
});

test("notes about staff permissions are not scopes; bare scope names in prose are flagged", () => {
  expect(parseNote("The user must have markets API access.")).toEqual({ kind: "NOT_SCOPES" });
  expect(parseNote("The user needs write_themes and an exemption from Shopify to modify themes.")).toEqual({
    kind: "UNRECOGNISED",
  });
});

test("a write scope implies its read scope, not the other way round", () => {
  const granted = withImpliedScopes(["write_gift_cards"]);
  expect(isSatisfied({ anyOf: [["read_gift_cards"]] }, granted)).toBe(true);
  expect(isSatisfied({ anyOf: [["write_customers"]] }, withImpliedScopes(["read_customers"]))).toBe(false);
  expect(missingScopes({ anyOf: [["write_customers"]] }, withImpliedScopes(["read_customers"]))).toEqual([
    "write_customers",
  ]);
});

test("an input field's note is quoted as Shopify's errors quote a scope", () => {
  expect(canonicalNote([["write_customers"]])).toBe("`write_customers` access scope.");
  expect(canonicalNote([["a"], ["b"]])).toBe("`a` access scope or `b` access scope.");
});
