/**
 * The approval queue's filters as URL search params (?type=REFUND&type=MANUAL&severity=major&tier=VIP&age=SAME_DAY),
 * so a filtered view is a link and the loader filters in the database. Shared by the page and the loader.
 * Unknown values are dropped rather than refused: a stale bookmark still opens the queue.
 */
import { INCIDENT_TYPES, SEVERITIES, TIERS, type IncidentType, type Severity, type Tier } from "./vocabulary";

export const AGE_FILTERS = ["UNDER_4H", "SAME_DAY", "OLDER"] as const;
export type AgeFilter = (typeof AGE_FILTERS)[number];

export interface QueueFilters {
  type: IncidentType[];
  severity: Severity[];
  tier: Tier[];
  age: AgeFilter | null;
}

export const NO_FILTERS: QueueFilters = { type: [], severity: [], tier: [], age: null };

export const AGE_LABELS: Record<AgeFilter, string> = {
  UNDER_4H: "Under 4 hours",
  SAME_DAY: "Since the start of today",
  OLDER: "Before today",
};

function known<T extends string>(values: readonly string[], allowed: readonly T[]): T[] {
  const set = new Set<string>(allowed);
  return [...new Set(values)].filter((v): v is T => set.has(v));
}

export function filtersFromSearchParams(params: URLSearchParams): QueueFilters {
  const age = params.get("age");
  return {
    type: known(params.getAll("type"), INCIDENT_TYPES),
    severity: known(params.getAll("severity"), SEVERITIES),
    tier: known(params.getAll("tier"), TIERS),
    age: age && (AGE_FILTERS as readonly string[]).includes(age) ? (age as AgeFilter) : null,
  };
}

/** The params for `filters`, keeping unrelated params except the page cursor (a new filter starts at page one). */
export function searchParamsWithFilters(current: URLSearchParams, filters: QueueFilters): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const key of ["type", "severity", "tier", "age", "cursor", "back"]) next.delete(key);
  for (const value of filters.type) next.append("type", value);
  for (const value of filters.severity) next.append("severity", value);
  for (const value of filters.tier) next.append("tier", value);
  if (filters.age) next.set("age", filters.age);
  return next;
}

/**
 * Page links: the next page's cursor, and the way back. The cursors of the pages before are kept in
 * the URL (`back`, "" for the first page), so Previous returns to the page before, not to the start.
 */
export function pageLinks(
  current: URLSearchParams,
  filters: QueueFilters,
  nextCursor: string | null,
): { next: URLSearchParams | null; previous: URLSearchParams | null } {
  const base = searchParamsWithFilters(current, filters);
  const back = current.getAll("back");
  const here = current.get("cursor");
  let next: URLSearchParams | null = null;
  if (nextCursor) {
    next = new URLSearchParams(base);
    for (const cursor of [...back, here ?? ""]) next.append("back", cursor);
    next.set("cursor", nextCursor);
  }
  let previous: URLSearchParams | null = null;
  if (here) {
    previous = new URLSearchParams(base);
    const before = back.slice(0, -1);
    for (const cursor of before) previous.append("back", cursor);
    const target = back.at(-1);
    if (target) previous.set("cursor", target);
  }
  return { next, previous };
}

export function hasFilters(filters: QueueFilters): boolean {
  return filters.type.length + filters.severity.length + filters.tier.length > 0 || filters.age !== null;
}
