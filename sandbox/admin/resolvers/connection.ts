/**
 * Relay connections with Shopify's keyset cursors: the cursor is base64 of
 * `{"last_id":…,"last_value":…}`, and "after" means strictly after that key in
 * the sort order, so an item deleted since the cursor was issued does not
 * break paging.
 */
import { GraphQLError } from "graphql";
import type { Args } from "./util";

export interface CursorKey {
  id: number;
  value: string | number;
}

export interface ConnectionOptions<T> {
  /** Items already sorted in the requested order (reverse already applied). */
  items: T[];
  args: Args;
  key: (item: T) => CursorKey;
  /** Whether the sort order is descending, so cursors compare the right way. */
  descending?: boolean;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 250;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify({ last_id: key.id, last_value: key.value })).toString("base64");
}

function decodeCursor(cursor: unknown): CursorKey {
  try {
    const parsed = JSON.parse(Buffer.from(String(cursor), "base64").toString("utf8")) as {
      last_id?: unknown;
      last_value?: unknown;
    };
    if (
      typeof parsed.last_id === "number" &&
      (typeof parsed.last_value === "string" || typeof parsed.last_value === "number")
    ) {
      return { id: parsed.last_id, value: parsed.last_value };
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor: ${String(cursor)}`, { extensions: { code: "BAD_REQUEST" } });
}

function compare(a: CursorKey, b: CursorKey): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.id - b.id;
}

export function connection<T>({ items, args, key, descending = false }: ConnectionOptions<T>): Connection<T> {
  const first = typeof args.first === "number" ? args.first : undefined;
  const last = typeof args.last === "number" ? args.last : undefined;
  // graphql-ruby's connection error, which Shopify returns for an unsized connection.
  if (first === undefined && last === undefined)
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  if (first !== undefined && last !== undefined)
    throw new GraphQLError("providing both first and last is not supported", { extensions: { code: "BAD_REQUEST" } });
  const size = first ?? last ?? 0;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The page size must be between 0 and ${MAX_PAGE_SIZE}`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const direction = descending ? -1 : 1;
  let window = items;
  if (args.after !== undefined && args.after !== null) {
    const after = decodeCursor(args.after);
    window = window.filter((item) => direction * compare(key(item), after) > 0);
  }
  if (args.before !== undefined && args.before !== null) {
    const before = decodeCursor(args.before);
    window = window.filter((item) => direction * compare(key(item), before) < 0);
  }
  const page = first !== undefined ? window.slice(0, first) : window.slice(Math.max(0, window.length - size));
  const start = window.indexOf(page[0] as T);
  const edges = page.map((node) => ({ cursor: encodeCursor(key(node)), node }));
  const hasNextPage = first !== undefined ? window.length > page.length : false;
  const hasPreviousPage = last !== undefined ? start > 0 : false;
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: first !== undefined ? hasNextPage : args.before !== undefined && args.before !== null,
      hasPreviousPage: last !== undefined ? hasPreviousPage : args.after !== undefined && args.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * A root connection sorted by one value (ties broken by id), reversed on
 * `reverse`, with cursors keyed on that value: what `orders`, `products`,
 * `giftCards` and `draftOrders` share once their search has filtered.
 */
export function sortedConnection<T>(
  items: T[],
  args: Args,
  id: (item: T) => number,
  value: (item: T) => string | number,
): Connection<T> {
  const sorted = [...items].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return x < y ? -1 : x > y ? 1 : id(a) - id(b);
  });
  const descending = args.reverse === true;
  if (descending) sorted.reverse();
  return connection({ items: sorted, args, key: (item) => ({ id: id(item), value: value(item) }), descending });
}

/** Nested connections (line items, fulfillment orders…) are ordered by id. */
export function byId<T>(items: T[], args: Args, id: (item: T) => string): Connection<T> {
  const sorted = [...items].sort((a, b) => Number(id(a)) - Number(id(b)));
  if (args.reverse === true) sorted.reverse();
  return connection({
    items: sorted,
    args,
    key: (item) => ({ id: Number(id(item)), value: Number(id(item)) }),
    descending: args.reverse === true,
  });
}
