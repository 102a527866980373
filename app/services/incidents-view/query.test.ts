import { expect, test } from "vitest";
import {
  listQueryParams,
  parseIncidentListQuery,
  parseIncidentSearch,
  parseOrderReference,
  SAVED_VIEWS,
  savedViewOf,
} from "./query";

const ID = "0b5d3c1e-8f2a-4c1b-9d3e-2a1b3c4d5e6f";

test.each([
  [
    "",
    {
      types: [],
      severities: [],
      states: [],
      offer: null,
      offerStatuses: [],
      sort: "detected-desc",
      q: "",
      after: null,
      before: null,
    },
  ],
  ["type=REFUND&type=MANUAL&severity=major", { types: ["REFUND", "MANUAL"], severities: ["major"] }],
  ["type=REFUND,DELIVERY_DELAY", { types: ["REFUND", "DELIVERY_DELAY"] }],
  ["type=NOPE&severity=awful&state=OPEN&offer=maybe", { types: [], severities: [], states: ["OPEN"], offer: null }],
  ["offer=holdout&offerStatus=ISSUED&offerStatus=FAILED", { offer: "holdout", offerStatuses: ["ISSUED", "FAILED"] }],
  ["sort=severity-desc", { sort: "severity-desc" }],
  ["sort=price", { sort: "detected-desc" }],
  [`q=%20%231001%20&after=${ID}`, { q: "#1001", after: ID, before: null }],
  [`after=not-a-uuid&before=${ID}`, { after: null, before: ID }],
  [`after=${ID}&before=${ID}`, { after: ID, before: null }],
])("parseIncidentListQuery(%j)", (search, expected) => {
  expect(parseIncidentListQuery(new URLSearchParams(search))).toMatchObject(expected);
});

test("listQueryParams leaves the defaults out and round-trips", () => {
  const query = parseIncidentListQuery(
    new URLSearchParams("type=REFUND&severity=major&sort=order-asc&q=1001&offer=with"),
  );
  expect(listQueryParams(query).toString()).toBe("type=REFUND&severity=major&offer=with&sort=order-asc&q=1001");
  expect(listQueryParams({ sort: "detected-desc" }).toString()).toBe("");
});

test.each([
  ["", null],
  ["   ", null],
  ["#1001", { orderNames: ["#1001", "1001"], orderGid: null, customerGid: null }],
  ["1001", { orderNames: ["#1001", "1001"], orderGid: null, customerGid: "gid://shopify/Customer/1001" }],
  ["# 1001", { orderNames: ["#1001", "1001"], orderGid: null, customerGid: null }],
  ["gid://shopify/Customer/77", { orderNames: [], orderGid: null, customerGid: "gid://shopify/Customer/77" }],
  ["gid://shopify/Order/5", { orderNames: [], orderGid: "gid://shopify/Order/5", customerGid: null }],
  ["EU-1001", { orderNames: ["EU-1001"], orderGid: null, customerGid: null }],
  [
    "ada.lovelace@example.com",
    {
      orderNames: [],
      orderGid: null,
      customerGid: null,
      customerLookup: { kind: "EMAIL", email: "ada.lovelace@example.com" },
    },
  ],
  [
    "Ada  Lovelace",
    {
      orderNames: ["Ada  Lovelace"],
      orderGid: null,
      customerGid: null,
      customerLookup: { kind: "NAME", words: ["Ada", "Lovelace"] },
    },
  ],
  [
    "Zoë O'Brien-Ng",
    {
      orderNames: ["Zoë O'Brien-Ng"],
      orderGid: null,
      customerGid: null,
      customerLookup: { kind: "NAME", words: ["Zoë", "O'Brien-Ng"] },
    },
  ],
  // Digits or too many words: an order name as typed, no customer search.
  ["ada 2", { orderNames: ["ada 2"], orderGid: null, customerGid: null }],
  ["a b c d e f", { orderNames: ["a b c d e f"], orderGid: null, customerGid: null }],
])("parseIncidentSearch(%j)", (q, expected) => {
  expect(parseIncidentSearch(q)).toEqual(expected === null ? null : { customerLookup: null, ...expected });
});

test.each([
  ["", null],
  ["#1001", { kind: "NAME", name: "#1001", orElseGid: null }],
  ["1001", { kind: "NAME", name: "#1001", orElseGid: "gid://shopify/Order/1001" }],
  ["gid://shopify/Order/450789469", { kind: "GID", gid: "gid://shopify/Order/450789469" }],
  ["https://admin.shopify.com/store/x/orders/450789469", { kind: "GID", gid: "gid://shopify/Order/450789469" }],
  ["EU-1001", { kind: "NAME", name: "EU-1001", orElseGid: null }],
  ["the blue one", null],
])("parseOrderReference(%j)", (input, expected) => {
  expect(parseOrderReference(input)).toEqual(expected);
});

test.each<[string, string | null]>([
  ["", "all"],
  ["q=ada%40example.com&sort=order-asc", "all"],
  ["state=OPEN", "open"],
  ["offerStatus=PENDING_APPROVAL", "waiting"],
  ["offerStatus=FAILED&after=0b5d3c1e-8f2a-4c1b-9d3e-2a1b3c4d5e6f", "failed"],
  ["offer=holdout", "held-out"],
  ["state=CLOSED", "closed"],
  // Any other combination is no saved view.
  ["state=CLOSED&severity=major", null],
  ["state=OPEN&state=CLOSED", null],
  ["cause=carrier%3AUPS", null],
])("savedViewOf(%j)", (params, view) => {
  expect(savedViewOf(parseIncidentListQuery(new URLSearchParams(params)))).toBe(view);
});

test("each saved view's filters read back as that view", () => {
  for (const view of SAVED_VIEWS) {
    const params = new URLSearchParams();
    for (const [key, values] of Object.entries(view.filters)) for (const value of values) params.append(key, value);
    expect(savedViewOf(parseIncidentListQuery(params))).toBe(view.id);
  }
});
