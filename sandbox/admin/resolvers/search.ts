/**
 * Shopify's search syntax, as used by the `query` of `orders`, `products`,
 * `giftCards` and `draftOrders`: terms separated by spaces are ANDed; `OR`,
 * `AND`, `NOT`, a leading `-` and parentheses group; `field:value`,
 * `field:>value`, `:>=`, `:<`, `:<=`; values may be quoted with ' or ". A
 * term naming a field the resource does not support is ignored and reported,
 * as Shopify does in `extensions.search`.
 */
import type { GraphQLResolveInfo } from "graphql";
import { zonedMidnight } from "../../timezone";
import type { AdminContext } from "../context";

export { zonedMidnight };

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

export type SearchNode =
  | { kind: "and" | "or"; children: SearchNode[] }
  | { kind: "not"; child: SearchNode }
  | { kind: "term"; field: string | null; op: Comparator; value: string; raw: string };

type Token = { kind: "word"; text: string } | { kind: "lparen" | "rparen" };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "lparen" : "rparen" });
      i++;
    } else {
      let text = "";
      while (i < query.length && !/\s/.test(query[i]!) && query[i] !== ")" && !(query[i] === "(" && text === "")) {
        const ch = query[i]!;
        if (ch === "'" || ch === '"') {
          const end = query.indexOf(ch, i + 1);
          const stop = end === -1 ? query.length : end;
          text += query.slice(i, stop + 1);
          i = stop + 1;
        } else {
          text += ch;
          i++;
        }
      }
      tokens.push({ kind: "word", text });
    }
  }
  return tokens;
}

function unquote(value: string): string {
  const q = value[0];
  return (q === "'" || q === '"') && value.endsWith(q) && value.length >= 2 ? value.slice(1, -1) : value;
}

function term(text: string): SearchNode {
  const negated = text.startsWith("-") && text.length > 1;
  const body = negated ? text.slice(1) : text;
  const match = /^([A-Za-z_][\w.]*):(>=|<=|>|<)?(.*)$/s.exec(body);
  const node: SearchNode = match
    ? {
        kind: "term",
        field: match[1]!.toLowerCase(),
        op: (match[2] as Comparator | undefined) ?? ":",
        value: unquote(match[3] ?? ""),
        raw: body,
      }
    : { kind: "term", field: null, op: ":", value: unquote(body), raw: body };
  return negated ? { kind: "not", child: node } : node;
}

export function parseSearch(query: string): SearchNode {
  const tokens = tokenize(query);
  let pos = 0;

  const parseOr = (): SearchNode => {
    const children = [parseAnd()];
    while (tokens[pos]?.kind === "word" && (tokens[pos] as { text: string }).text === "OR") {
      pos++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0]! : { kind: "or", children };
  };

  const parseAnd = (): SearchNode => {
    const children: SearchNode[] = [];
    for (;;) {
      const token = tokens[pos];
      if (!token || token.kind === "rparen") break;
      if (token.kind === "word" && token.text === "OR") break;
      if (token.kind === "word" && token.text === "AND") {
        pos++;
        continue;
      }
      children.push(parseUnary());
    }
    return children.length === 1 ? children[0]! : { kind: "and", children };
  };

  const parseUnary = (): SearchNode => {
    const token = tokens[pos]!;
    if (token.kind === "word" && token.text === "NOT") {
      pos++;
      return { kind: "not", child: parseUnary() };
    }
    if (token.kind === "lparen") {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.kind === "rparen") pos++;
      return inner;
    }
    pos++;
    return term((token as { text: string }).text);
  };

  let node: SearchNode = tokens.length ? parseOr() : { kind: "and", children: [] };
  // A stray closing parenthesis is skipped and the rest still applies, as a forgiving search box would.
  while (pos < tokens.length) {
    pos++;
    if (pos < tokens.length) node = { kind: "and", children: [node, parseOr()] };
  }
  return node;
}

export type TermMatcher<T> = (item: T, term: Extract<SearchNode, { kind: "term" }>) => boolean | undefined;

/**
 * Filter with a per-resource term matcher. A matcher answering undefined
 * means "field not supported": the term is ignored (matches everything) and
 * reported once.
 */
export function searchFilter<T>(
  query: string | null | undefined,
  matcher: TermMatcher<T>,
  onUnsupported: (field: string) => void,
): (item: T) => boolean {
  if (!query || !query.trim()) return () => true;
  const tree = parseSearch(query);
  const reported = new Set<string>();
  const evaluate = (node: SearchNode, item: T): boolean => {
    switch (node.kind) {
      case "and":
        return node.children.every((child) => evaluate(child, item));
      case "or":
        return node.children.some((child) => evaluate(child, item));
      case "not":
        return !evaluate(node.child, item);
      case "term": {
        const result = matcher(item, node);
        if (result !== undefined) return result;
        const field = node.field ?? node.raw;
        if (!reported.has(field)) {
          reported.add(field);
          onUnsupported(field);
        }
        return true;
      }
    }
  };
  return (item) => evaluate(tree, item);
}

/** searchFilter for a root connection's `query`, reporting ignored terms in `extensions.search` under the field's path. */
export function connectionSearch<T>(
  ctx: AdminContext,
  info: GraphQLResolveInfo,
  query: unknown,
  matcher: TermMatcher<T>,
): (item: T) => boolean {
  const text = typeof query === "string" ? query : null;
  return searchFilter(text, matcher, (field) =>
    ctx.searchWarnings.push({
      path: pathOf(info),
      query: text ?? "",
      warnings: [{ field, message: "Invalid search field for this query." }],
    }),
  );
}

function pathOf(info: GraphQLResolveInfo): Array<string | number> {
  const path: Array<string | number> = [];
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

export function compareWith(op: Comparator, left: number, right: number): boolean {
  switch (op) {
    case ":":
      return left === right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
  }
}

/** Glob-ish text match as Shopify does for `title:foo*`: case-insensitive, `*` as a wildcard, otherwise equality. */
export function textMatches(actual: string | null | undefined, pattern: string): boolean {
  if (actual === null || actual === undefined) return false;
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`).test(actual.toLowerCase());
}

/**
 * A date bound from a search value: a full timestamp as is, a bare date as
 * midnight in the shop's time zone (Shopify reads dates in the shop's zone).
 * For `:` on a bare date the whole day matches.
 */
export function dateRange(value: string, timeZone: string): { start: number; end: number } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = zonedMidnight(value, timeZone);
    const nextDay = new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return { start, end: zonedMidnight(nextDay, timeZone) };
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return { start: at, end: at + 1 };
}

export function matchesDate(actual: Date | null, op: Comparator, value: string, timeZone: string): boolean | undefined {
  const range = dateRange(value, timeZone);
  if (!range) return undefined;
  if (!actual) return false;
  const t = actual.getTime();
  switch (op) {
    case ":":
      return t >= range.start && t < range.end;
    case ">":
      return t >= range.end;
    case ">=":
      return t >= range.start;
    case "<":
      return t < range.start;
    case "<=":
      return t < range.end;
  }
}
