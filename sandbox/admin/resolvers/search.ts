/**
 * Shopify's search syntax, as used by the `query` of `orders`, `products`,
 * `giftCards` and `draftOrders`: terms separated by spaces are ANDed; `OR`,
 * `AND`, `NOT`, a leading `-` and parentheses group; `field:value`,
 * `field:>value`, `:>=`, `:<`, `:<=`; values may be quoted with ' or ", a
 * backslash escaping the quote or a backslash inside, and outside quotes a
 * backslash escapes the special characters `:` `\` `(` `)`. A term naming a
 * field the resource does not support is ignored and reported, as Shopify
 * does in `extensions.search`.
 *
 * An unquoted value ends at its first unescaped colon: a `name` cannot hold
 * one. So `created_at:>=2026-01-01T10:00:00Z` reaches the date filter as
 * `2026-01-01T10`, of which Shopify keeps the date and reads it in the shop's
 * time zone (the time is dropped: public reports of the real API, see
 * docs/decisions/0016-search-queries-and-async-shopify.md), widening the
 * filter to the start of that day. The sandbox does the same and, stricter
 * than Shopify, reports the cut term in `extensions.search`, so a query built
 * that way fails the app's tests instead of quietly matching too much.
 */
import type { GraphQLResolveInfo } from "graphql";
import { zonedMidnight } from "../../timezone";
import type { AdminContext } from "../context";

export { zonedMidnight };

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

export type SearchNode =
  | { kind: "and" | "or"; children: SearchNode[] }
  | { kind: "not"; child: SearchNode }
  | {
      kind: "term";
      field: string | null;
      op: Comparator;
      value: string;
      raw: string;
      /** The value was a quoted string. */
      quoted?: boolean;
      /** What Shopify would have made of a malformed term (reported in `extensions.search`). */
      problem?: string;
    };

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
        if (ch === "\\" && i + 1 < query.length) {
          // An escaped character stays in the word, escape and all; term() reads it.
          text += query.slice(i, i + 2);
          i += 2;
        } else if (ch === "'" || ch === '"') {
          let end = i + 1;
          while (end < query.length && query[end] !== ch) end += query[end] === "\\" ? 2 : 1;
          const stop = Math.min(end, query.length - 1);
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

/** A quoted string's content, its backslash escapes resolved; `rest` is anything after the closing quote. */
function readQuoted(value: string): { text: string; rest: string } {
  const q = value[0]!;
  let text = "";
  let i = 1;
  while (i < value.length && value[i] !== q) {
    if (value[i] === "\\" && i + 1 < value.length) i++;
    text += value[i]!;
    i++;
  }
  return { text, rest: value.slice(i + 1) };
}

/** An unquoted value up to its first unescaped colon, escapes resolved; `cut` is what the colon split off. */
function readBare(value: string): { text: string; cut: string | null } {
  let text = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\" && i + 1 < value.length) {
      text += value[++i]!;
    } else if (ch === ":") {
      return { text, cut: value.slice(i) };
    } else {
      text += ch;
    }
  }
  return { text, cut: null };
}

function readValue(raw: string): { value: string; quoted: boolean; problem?: string } {
  if ((raw[0] === "'" || raw[0] === '"') && raw.length >= 2) {
    const { text, rest } = readQuoted(raw);
    return rest
      ? { value: text, quoted: true, problem: `Text after the quoted value was ignored: ${rest}` }
      : { value: text, quoted: true };
  }
  const { text, cut } = readBare(raw);
  if (cut === null) return { value: text, quoted: false };
  // A date-time cut at its time's colon: Shopify keeps the date and drops the time (read in the shop's zone).
  const date = /^(\d{4}-\d{2}-\d{2})T/.exec(text);
  const applied = date ? date[1]! : text;
  return {
    value: applied,
    quoted: false,
    problem: `Unquoted value cut at ':' (only ${JSON.stringify(applied)} was applied); quote values holding ':', e.g. '2026-01-01T10:00:00Z'`,
  };
}

function term(text: string): SearchNode {
  const negated = text.startsWith("-") && text.length > 1;
  const body = negated ? text.slice(1) : text;
  const match = /^([A-Za-z_][\w.]*):(>=|<=|>|<)?(.*)$/s.exec(body);
  const read = readValue(match ? (match[3] ?? "") : body);
  const node: SearchNode = {
    kind: "term",
    field: match ? match[1]!.toLowerCase() : null,
    op: match ? ((match[2] as Comparator | undefined) ?? ":") : ":",
    value: read.value,
    raw: body,
    ...(read.quoted ? { quoted: true } : {}),
    ...(read.problem ? { problem: read.problem } : {}),
  };
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

function termsOf(node: SearchNode): Array<Extract<SearchNode, { kind: "term" }>> {
  switch (node.kind) {
    case "term":
      return [node];
    case "not":
      return termsOf(node.child);
    default:
      return node.children.flatMap(termsOf);
  }
}

export const UNSUPPORTED_FIELD = "Invalid search field for this query.";

export type TermMatcher<T> = (item: T, term: Extract<SearchNode, { kind: "term" }>) => boolean | undefined;

/**
 * Filter with a per-resource term matcher. A matcher answering undefined
 * means "field not supported": the term is ignored (matches everything) and
 * reported once.
 */
export function searchFilter<T>(
  query: string | null | undefined,
  matcher: TermMatcher<T>,
  onUnsupported: (field: string, message: string) => void,
): (item: T) => boolean {
  if (!query || !query.trim()) return () => true;
  const tree = parseSearch(query);
  const reported = new Set<string>();
  // A malformed term is reported whether or not any item is looked at.
  for (const node of termsOf(tree)) {
    const field = node.field ?? node.raw;
    if (node.problem && !reported.has(field)) {
      reported.add(field);
      onUnsupported(field, node.problem);
    }
  }
  const evaluate = (node: SearchNode, item: T): boolean => {
    switch (node.kind) {
      // Every term is looked at (no short cut), so an unsupported field is reported whatever comes before it.
      case "and":
        return node.children.map((child) => evaluate(child, item)).every(Boolean);
      case "or":
        return node.children.map((child) => evaluate(child, item)).some(Boolean);
      case "not":
        return !evaluate(node.child, item);
      case "term": {
        const field = node.field ?? node.raw;
        const report = (message: string) => {
          if (reported.has(field)) return;
          reported.add(field);
          onUnsupported(field, message);
        };
        const result = matcher(item, node);
        if (result !== undefined) return result;
        report(UNSUPPORTED_FIELD);
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
  return searchFilter(text, matcher, (field, message) =>
    ctx.searchWarnings.push({ path: pathOf(info), query: text ?? "", warnings: [{ field, message }] }),
  );
}

function pathOf(info: GraphQLResolveInfo): Array<string | number> {
  const path: Array<string | number> = [];
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

/**
 * Search results come from an index that lags writes (`timing.searchIndexLagMs`
 * on the sandbox clock): a record created less than that ago is not found by
 * a search yet, though a lookup by id finds it. Later changes to a record are
 * not modelled as stale index entries.
 */
export function inSearchIndex(ctx: AdminContext, createdAt: Date): boolean {
  return createdAt.getTime() + ctx.timing.searchIndexLagMs <= ctx.now.getTime();
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
