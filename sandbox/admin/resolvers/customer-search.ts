/**
 * `customers(first, after, query, sortKey, reverse)`: Shopify's search syntax over the shop's
 * customers, as strict as Shopify about protected customer data. A term that searches a protected
 * field (`email`, `first_name`, `last_name`, `phone`, or free text, which reads names and emails)
 * is refused when the app is not approved for that field on the shop
 * (`../../protected-data.ts`): the whole connection is null with Shopify's "not approved" error,
 * never a quietly empty or unfiltered answer. The scope (read_customers) is checked like any
 * other field. `email` is tokenized as Shopify documents it: a quoted address is a phrase (its
 * words in a row), a bare one needs each word; `email:*` is "has an email".
 */
import type { GraphQLResolveInfo } from "graphql";
import type { Customer } from "../../store";
import { accessOf, allows, notApproved, type ProtectedField } from "../../protected-data";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import { sortedConnection } from "./connection";
import {
  compareWith,
  connectionSearch,
  inSearchIndex,
  matchesDate,
  parseSearch,
  textMatches,
  type SearchNode,
  type TermMatcher,
} from "./search";
import type { Args } from "./util";

/** The protected fields a search term reads; free text reads names and emails. */
const TERM_NEEDS: Record<string, ProtectedField[]> = {
  email: ["email"],
  first_name: ["name"],
  last_name: ["name"],
  phone: ["phone"],
};
const FREE_TEXT_NEEDS: ProtectedField[] = ["name", "email"];

function neededFields(node: SearchNode): ProtectedField[] {
  switch (node.kind) {
    case "term":
      return node.field === null ? FREE_TEXT_NEEDS : (TERM_NEEDS[node.field] ?? []);
    case "not":
      return neededFields(node.child);
    default:
      return node.children.flatMap(neededFields);
  }
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** Shopify's tokenized email: a quoted value is a phrase (its words in a row), a bare one needs each word. */
function emailMatches(email: string, value: string, quoted: boolean): boolean {
  if (value === "*") return email !== "";
  const have = words(email);
  const want = words(value);
  if (want.length === 0) return false;
  if (!quoted) return want.every((w) => have.includes(w));
  return have.some((_, start) => want.every((w, i) => have[start + i] === w));
}

function customerMatcher(ctx: AdminContext): TermMatcher<Customer> {
  const zone = ctx.shop.ianaTimezone;
  return (customer, { field, op, value, quoted }) => {
    switch (field) {
      case null: {
        const have = [customer.firstName, customer.lastName, customer.email].flatMap(words);
        const want = words(value.replace(/\*/g, ""));
        return want.length > 0 && want.every((w) => have.some((h) => h.startsWith(w)));
      }
      case "id":
        return /^\d+$/.test(value) ? compareWith(op, Number(customer.id), Number(value)) : undefined;
      case "email":
        return emailMatches(customer.email, value, quoted === true);
      case "first_name":
        return textMatches(customer.firstName, value);
      case "last_name":
        return textMatches(customer.lastName, value);
      case "tag":
        return customer.tags.some((tag) => textMatches(tag, value));
      case "tag_not":
        return !customer.tags.some((tag) => textMatches(tag, value));
      case "customer_date":
        return matchesDate(customer.createdAt, op, value, zone);
      case "updated_at":
        return matchesDate(customer.updatedAt, op, value, zone);
      case "orders_count":
        return /^\d+$/.test(value) ? compareWith(op, customer.numberOfOrders, Number(value)) : undefined;
      case "phone":
        // The store holds no customer phone numbers.
        return false;
      default:
        return undefined;
    }
  };
}

const SORT_VALUES: Record<string, (customer: Customer) => number> = {
  ID: (c) => Number(c.id),
  RELEVANCE: (c) => Number(c.id),
  CREATED_AT: (c) => c.createdAt.getTime(),
  UPDATED_AT: (c) => c.updatedAt.getTime(),
};

export function customersConnection(ctx: AdminContext, args: Args, info: GraphQLResolveInfo) {
  if (args.savedSearchId !== undefined && args.savedSearchId !== null) throw notModelled("customers(savedSearchId:)");
  const sortKey = typeof args.sortKey === "string" ? args.sortKey : "ID";
  const sortValue = SORT_VALUES[sortKey];
  if (!sortValue) throw notModelled(`customers(sortKey: ${sortKey})`);
  const query = typeof args.query === "string" ? args.query : "";
  const access = accessOf(ctx.shop);
  if (query.trim() && neededFields(parseSearch(query)).some((field) => !allows(access, field))) throw notApproved();
  const filter = connectionSearch(ctx, info, args.query, customerMatcher(ctx));
  const items = [...ctx.shop.customers.values()].filter((c) => inSearchIndex(ctx, c.createdAt) && filter(c));
  return sortedConnection(items, args, (c) => Number(c.id), sortValue);
}
