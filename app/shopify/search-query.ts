/**
 * Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax), built, never
 * concatenated: every `query:` argument an operation sends comes from here.
 *
 * Why: "Date values must be a string surrounded by quotes", and a `name` (an unquoted value) may
 * not hold the special characters `:` `\` `(` `)`, whitespace or quotes. An unquoted
 * `created_at:>=2026-01-01T10:00:00Z` is cut at the time's first colon: Shopify keeps the date,
 * drops the time and reads the date in the shop's time zone, so the filter silently widens to the
 * start of that day. A term it cannot parse at all is ignored, which widens the result to
 * everything. So:
 * - dates and date-times are always quoted, sent in UTC to the second;
 * - any other value is sent bare only when it is a plain word (letters, digits, `_`) that is not a
 *   connective, and single-quoted otherwise, with `\` and `'` escaped by a backslash;
 * - compound parts are parenthesised, so AND/OR/NOT never change meaning by position.
 */

export type Comparator = ":" | ":<" | ":>" | ":<=" | ":>=";

/** A built query; `text` is what goes into the operation's `query` variable. */
export interface SearchQuery {
  readonly text: string;
  /** Made of several terms (needs parentheses inside another AND/OR/NOT). */
  readonly compound: boolean;
}

const FIELD = /^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const BARE = /^[A-Za-z0-9_]+$/;
const CONNECTIVES = new Set(["AND", "OR", "NOT"]);

/** A value as Shopify's grammar takes it: a bare name when that is safe, else a single-quoted string. */
export function searchValue(value: string | number): string {
  const text = String(value);
  if (BARE.test(text) && !CONNECTIVES.has(text)) return text;
  return quoted(text);
}

function quoted(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** An instant as a search value: quoted, UTC, whole seconds ('2026-01-01T10:00:00Z'). */
export function searchDateTime(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new Error("searchDateTime: invalid date");
  return quoted(at.toISOString().replace(/\.\d{3}Z$/, "Z"));
}

function fieldName(field: string): string {
  if (!FIELD.test(field)) throw new Error(`not a search field name: ${JSON.stringify(field)}`);
  return field;
}

/** `field:value` (or `field:>=value`, ...), the value quoted when it needs to be. */
export function term(field: string, value: string | number, comparator: Comparator = ":"): SearchQuery {
  return { text: `${fieldName(field)}${comparator}${searchValue(value)}`, compound: false };
}

/** `field:>='2026-01-01T10:00:00Z'`: a date-time bound, always quoted. */
export function dateTerm(field: string, comparator: Comparator, at: Date): SearchQuery {
  return { text: `${fieldName(field)}${comparator}${searchDateTime(at)}`, compound: false };
}

/**
 * What someone typed into a search box, as free-text words only: anything but letters and digits
 * is dropped, so typed quotes, colons or connectives cannot change the query's meaning. Null when
 * nothing is left.
 */
export function freeText(typed: string): SearchQuery | null {
  const words = typed
    .replace(/[^\p{L}\p{N} ]/gu, " ")
    .split(/\s+/)
    .filter((w) => w !== "" && !CONNECTIVES.has(w));
  if (words.length === 0) return null;
  return { text: words.map(searchValue).join(" "), compound: words.length > 1 };
}

function join(connective: "AND" | "OR", parts: SearchQuery[]): SearchQuery {
  if (parts.length === 0) throw new Error(`${connective} of nothing`);
  if (parts.length === 1) return parts[0]!;
  return { text: parts.map(group).join(` ${connective} `), compound: true };
}

const group = (part: SearchQuery) => (part.compound ? `(${part.text})` : part.text);

export const and = (...parts: SearchQuery[]): SearchQuery => join("AND", parts);
export const or = (...parts: SearchQuery[]): SearchQuery => join("OR", parts);
export const not = (part: SearchQuery): SearchQuery => ({ text: `NOT ${group(part)}`, compound: false });

/** Records created at or after an instant. */
export const createdSince = (since: Date): SearchQuery => dateTerm("created_at", ":>=", since);

/** The numeric id Shopify's search syntax wants (customer_id:123), from a GID. */
export function numericId(value: string): string {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)$/.exec(value);
  if (!match) throw new Error(`not a GID: ${value}`);
  return match[1]!;
}

/** A customer's records created since an instant. */
export const customerCreatedSince = (customerId: string, since: Date): SearchQuery =>
  and(term("customer_id", numericId(customerId)), createdSince(since));

/**
 * Search results lag writes: Shopify's search index follows a create within seconds as a rule, and
 * documents no bound. An empty search about something that may have been created is believed only
 * once this long has passed since it may have been created. Generous on purpose: waiting delays
 * one make-good or one attribution; believing too early issues a make-good twice or loses a win-back.
 */
export const SEARCH_INDEX_ALLOWANCE_MS = 10 * 60_000;

/** A search found nothing too soon to believe it (SEARCH_INDEX_ALLOWANCE_MS): retryable, look again later. */
export class SearchNotCaughtUpError extends Error {
  readonly code = "SEARCH_NOT_CAUGHT_UP";
  readonly retryable = true;
  constructor(
    what: string,
    readonly believableAt: Date,
  ) {
    super(`${what}: Shopify's search may not show it before ${believableAt.toISOString()}`);
    this.name = "SearchNotCaughtUpError";
  }
}
