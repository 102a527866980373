/**
 * Shopify's access-scope notes, read as requirements. The Admin schema says
 * which scopes a field, a type, an argument or an input field needs in prose
 * (`requiredAccess` on fields and types; "Requires `x` access_scope." in the
 * descriptions of arguments and input fields), in a handful of phrasings:
 *
 *   "`read_orders` access scope."
 *   "Apps must have `write_discounts` access scope."
 *   "`write_draft_orders` access scope or `write_quick_sale` access scope. Also: The user must ..."
 *   "`read_orders` access scope, `read_marketplace_orders` access scope or `read_quick_sale` access scope."
 *   "Any of `write_content`, `write_online_store_pages` access scopes."
 *   "`write_products` access scope as well as any of `a`, `b` access scopes."
 *   "`read_markets` for queries and both `read_markets` as well as `write_markets` for mutations."
 *   "`x` access scope. Also: Requires `y` access scope."
 *
 * A requirement is a list of alternatives, each a set of scopes that must all
 * be granted. "Also:" clauses about staff permissions, plans or shop features
 * are not scopes (an offline token has no staff member) and are kept only as
 * text. Pure: no schema loading here (see ./schema-notes.ts).
 */

export interface ScopeRequirement {
  /** Alternatives: granted scopes satisfy the requirement when they cover every scope of one of them. */
  anyOf: string[][];
  /** Shopify's own note, as its ACCESS_DENIED errors quote it. */
  note: string;
}

export type ParsedNote =
  | { kind: "SCOPES"; anyOf: string[][] }
  /** A note about something other than scopes (staff permissions, plan, an exemption). */
  | { kind: "NOT_SCOPES" }
  /** Names scopes in a phrasing this parser does not know: a schema update to look at. */
  | { kind: "UNRECOGNISED" };

export type OperationType = "query" | "mutation";

const BACKTICKED = /`([a-z][a-z0-9_]*)`/g;
const BARE_SCOPE = /\b((?:read|write|unauthenticated_read|unauthenticated_write)_[a-z0-9_]+)\b/g;

const names = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]!);

/** Every combination of one alternative from each requirement (AND of ORs, distributed). */
export function allOf(...requirements: string[][][]): string[][] {
  let result: string[][] = [[]];
  for (const alternatives of requirements) {
    const next: string[][] = [];
    for (const left of result) for (const right of alternatives) next.push([...new Set([...left, ...right])].sort());
    result = next;
  }
  return dedupe(result);
}

function dedupe(alternatives: string[][]): string[][] {
  const seen = new Map<string, string[]>();
  for (const alternative of alternatives) seen.set([...alternative].sort().join(","), [...alternative].sort());
  return [...seen.values()];
}

/** The clause before "Also:", read as alternatives. */
function mainClause(text: string, operation: OperationType): ParsedNote {
  const perOperation = /^(.*?) for queries and both (.*?) for mutations\.?$/s.exec(text);
  if (perOperation) {
    const part = operation === "query" ? perOperation[1]! : perOperation[2]!;
    return { kind: "SCOPES", anyOf: [names(part, BACKTICKED)] };
  }
  const asWellAs = /^(.*?) as well as any of (.*)$/s.exec(text);
  if (asWellAs) {
    const required = names(asWellAs[1]!, BACKTICKED);
    const either = names(asWellAs[2]!, BACKTICKED).map((s) => [s]);
    if (required.length === 0 || either.length === 0) return { kind: "UNRECOGNISED" };
    return { kind: "SCOPES", anyOf: allOf([required], either) };
  }
  const scopes = names(text, BACKTICKED);
  if (scopes.length === 0) {
    // "The user needs write_themes and an exemption ...": scope names without the usual markup.
    return names(text, BARE_SCOPE).length > 0 ? { kind: "UNRECOGNISED" } : { kind: "NOT_SCOPES" };
  }
  if (!/access[ _]scopes?|\bscopes?\b/i.test(text)) return { kind: "NOT_SCOPES" };
  if (scopes.length === 1) return { kind: "SCOPES", anyOf: [scopes] };
  // "a, b or c", "Any of a, b", "a or b": alternatives. "a and b" (rare): all of them.
  if (/\bor\b|any of/i.test(text)) return { kind: "SCOPES", anyOf: scopes.map((s) => [s]) };
  if (/\band\b|\bboth\b/i.test(text)) return { kind: "SCOPES", anyOf: [scopes] };
  return { kind: "UNRECOGNISED" };
}

/** Scopes an "Also:" clause adds: "Requires `y` access scope", "The app must have the a and b access scopes". */
function alsoClause(text: string): string[] {
  const required: string[] = [];
  for (const sentence of text.split(/(?<=\.)\s+/)) {
    if (/^requires\b/i.test(sentence.trim()) && /scope/i.test(sentence)) required.push(...names(sentence, BACKTICKED));
    else if (/\bapp (must have|requires)\b/i.test(sentence) && /access scopes?/i.test(sentence))
      required.push(...names(sentence, BARE_SCOPE), ...names(sentence, BACKTICKED));
  }
  return [...new Set(required)];
}

export function parseNote(note: string, operation: OperationType = "query"): ParsedNote {
  const text = note
    .trim()
    .replace(/^(Requires|Apps must have|Access allowed for apps with)\s+/i, "")
    .replace(/\s+/g, " ");
  const [main, ...rest] = text.split(/\bAlso:\s*/);
  const parsed = mainClause(main!.trim(), operation);
  const also = alsoClause(rest.join(" "));
  if (also.length === 0) return parsed;
  if (parsed.kind === "UNRECOGNISED") return parsed;
  const base = parsed.kind === "SCOPES" ? parsed.anyOf : [[]];
  return { kind: "SCOPES", anyOf: allOf(base, [also]) };
}

/** A write scope implies its read scope (Shopify's access-scope docs). */
export function withImpliedScopes(granted: Iterable<string>): Set<string> {
  const all = new Set<string>();
  for (const raw of granted) {
    const scope = raw.trim();
    if (!scope) continue;
    all.add(scope);
    const write = /^(unauthenticated_)?write_(.+)$/.exec(scope);
    if (write) all.add(`${write[1] ?? ""}read_${write[2]}`);
  }
  return all;
}

export function parseScopeList(list: string | null | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function isSatisfied(requirement: Pick<ScopeRequirement, "anyOf">, granted: ReadonlySet<string>): boolean {
  return requirement.anyOf.some((alternative) => alternative.every((scope) => granted.has(scope)));
}

/** The scopes a requirement still lacks, for the cheapest alternative (fewest missing). */
export function missingScopes(requirement: Pick<ScopeRequirement, "anyOf">, granted: ReadonlySet<string>): string[] {
  let best: string[] | null = null;
  for (const alternative of requirement.anyOf) {
    const missing = alternative.filter((scope) => !granted.has(scope));
    if (best === null || missing.length < best.length) best = missing;
  }
  return best ?? [];
}

/** "`write_customers` access scope." from the note of an input field ("Requires `write_customers` access_scope."). */
export function canonicalNote(anyOf: string[][]): string {
  const alternative = (scopes: string[]) => scopes.map((s) => `\`${s}\` access scope`).join(" as well as ");
  const parts = anyOf.map(alternative);
  if (parts.length <= 1) return `${parts[0] ?? ""}.`;
  return `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}.`;
}
