/**
 * The incidents index's query, read from the URL (filters, sort, search, cursor) so a filtered
 * view is a link staff can share and the back button works. Unknown values are dropped, never an
 * error: a URL is not a form. Pure, shared by the page (to show the state) and the service.
 */
import { z } from "zod";
import {
  INCIDENT_STATES,
  INCIDENT_TYPES,
  OFFER_STATUSES,
  SEVERITIES,
  type IncidentState,
  type IncidentType,
  type OfferStatus,
  type Severity,
} from "../../recovery/vocabulary";
import { causeParam, parseCauseParam, type CauseFilter } from "../../recovery/digest/cause-param";
import type { CustomerLookup } from "../../shopify/operations/customer-search";

export const PAGE_SIZE = 50;

export const OFFER_PRESENCE_VALUES = ["with", "without", "holdout"] as const;

/** Newest first by default: the incidents staff look at are the fresh ones. */
export const SORTS = {
  "detected-desc": "Detected (newest first)",
  "detected-asc": "Detected (oldest first)",
  "severity-desc": "Severity (worst first)",
  "severity-asc": "Severity (mildest first)",
  "order-asc": "Order name (A-Z)",
  "order-desc": "Order name (Z-A)",
} as const;
export type IncidentSort = keyof typeof SORTS;
export const SORT_VALUES = Object.keys(SORTS) as IncidentSort[];

export type OfferPresence = (typeof OFFER_PRESENCE_VALUES)[number];

export interface IncidentListQuery {
  types: IncidentType[];
  severities: Severity[];
  states: IncidentState[];
  offer: OfferPresence | null;
  offerStatuses: OfferStatus[];
  sort: IncidentSort;
  q: string;
  after: string | null;
  before: string | null;
  /** One root cause (?cause=product:123, carrier:UPS, location:45): the dashboard's and the digest's links. */
  cause: CauseFilter | null;
}

/**
 * What a search box entry can mean. Amends keeps order names and Shopify ids, never names or
 * emails: an email or a name is a `customerLookup`, resolved through Shopify's customer search at
 * query time (decision 0125).
 */
export interface IncidentSearch {
  orderNames: string[];
  orderGid: string | null;
  customerGid: string | null;
  customerLookup: CustomerLookup | null;
}

const uuid = z.uuid();

function listOf<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[]): T[] {
  // Both ?type=A&type=B and ?type=A,B read the same.
  const values = params
    .getAll(key)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim());
  return [...new Set(values.filter((v): v is T => (allowed as readonly string[]).includes(v)))];
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

export function parseIncidentListQuery(params: URLSearchParams): IncidentListQuery {
  const valid = (value: string | null) => (value && uuid.safeParse(value).success ? value : null);
  const after = valid(params.get("after"));
  const before = after ? null : valid(params.get("before"));
  return {
    types: listOf(params, "type", INCIDENT_TYPES),
    severities: listOf(params, "severity", SEVERITIES),
    states: listOf(params, "state", INCIDENT_STATES),
    offer: oneOf(params.get("offer"), OFFER_PRESENCE_VALUES),
    offerStatuses: listOf(params, "offerStatus", OFFER_STATUSES),
    sort: oneOf(params.get("sort"), SORT_VALUES) ?? "detected-desc",
    q: (params.get("q") ?? "").trim().slice(0, 100),
    after,
    before,
    cause: parseCauseParam(params.get("cause")),
  };
}

const GID = /^gid:\/\/shopify\/(Order|Customer)\/(\d+)$/;
/** Letters (any script), with the spaces, apostrophes, hyphens and dots names hold; no digits. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}'’.\- ]*$/u;
const NAME_WORDS = 5;

/**
 * "#1001" or "1001" is an order name; a bare number may also be a customer's numeric id (Shopify
 * shows it in the customer's admin URL), so it searches both; a GID names an order or a customer.
 * An entry with "@" is a customer's email; words without digits are a customer's name (and an
 * order name as typed, should a shop name orders so). Anything else is taken as an order name as
 * typed (shops can prefix names, e.g. "EU-1001").
 */
export function parseIncidentSearch(q: string): IncidentSearch | null {
  const term = q.trim();
  if (!term) return null;
  const none = { orderNames: [], orderGid: null, customerGid: null, customerLookup: null };
  const gid = GID.exec(term);
  if (gid) return gid[1] === "Order" ? { ...none, orderGid: term } : { ...none, customerGid: term };
  const number = /^#?\s*(\d+)$/.exec(term);
  if (number) {
    const digits = number[1]!;
    return {
      ...none,
      orderNames: [`#${digits}`, digits],
      customerGid: term.startsWith("#") ? null : `gid://shopify/Customer/${digits}`,
    };
  }
  if (term.includes("@") && !/\s/.test(term)) return { ...none, customerLookup: { kind: "EMAIL", email: term } };
  if (NAME.test(term)) {
    const words = term.split(/\s+/).filter(Boolean);
    if (words.length <= NAME_WORDS) return { ...none, orderNames: [term], customerLookup: { kind: "NAME", words } };
  }
  return { ...none, orderNames: [term] };
}

/** The query as URL search params, without the defaults (for links: filters, pages). */
export function listQueryParams(query: Partial<IncidentListQuery>): URLSearchParams {
  const params = new URLSearchParams();
  for (const type of query.types ?? []) params.append("type", type);
  for (const severity of query.severities ?? []) params.append("severity", severity);
  for (const state of query.states ?? []) params.append("state", state);
  if (query.offer) params.set("offer", query.offer);
  for (const status of query.offerStatuses ?? []) params.append("offerStatus", status);
  if (query.sort && query.sort !== "detected-desc") params.set("sort", query.sort);
  if (query.q) params.set("q", query.q);
  if (query.after) params.set("after", query.after);
  if (query.before) params.set("before", query.before);
  if (query.cause) params.set("cause", causeParam(query.cause));
  return params;
}

/**
 * What staff type in the manual incident form's order field: an order name ("#1001", "1001",
 * "EU-1001"), an order's numeric id (from its admin URL) or its GID. A bare number is tried as a
 * name first (names are what staff see), then as an id.
 */
export type OrderReference = { kind: "NAME"; name: string; orElseGid: string | null } | { kind: "GID"; gid: string };

export function parseOrderReference(input: string): OrderReference | null {
  const term = input.trim();
  if (!term) return null;
  const gid = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(term);
  if (gid) return { kind: "GID", gid: term };
  const admin = /\/orders\/(\d+)(?:[/?#].*)?$/.exec(term);
  if (admin) return { kind: "GID", gid: `gid://shopify/Order/${admin[1]}` };
  const number = /^#?\s*(\d+)$/.exec(term);
  if (number)
    return {
      kind: "NAME",
      name: `#${number[1]}`,
      orElseGid: term.startsWith("#") ? null : `gid://shopify/Order/${number[1]}`,
    };
  if (/\s/.test(term) || term.length > 40) return null;
  return { kind: "NAME", name: term, orElseGid: null };
}

/**
 * The incidents list's saved views (issue 17 item 2): each is a set of filter parameters, so a view
 * is a link (/app/incidents?state=CLOSED) and choosing one is changing the URL. Search and sort are
 * kept when switching views; the other filters are replaced.
 */
export const SAVED_VIEWS = [
  { id: "all", label: "All", filters: {} },
  { id: "open", label: "Open", filters: { state: ["OPEN"] } },
  { id: "waiting", label: "Waiting for approval", filters: { offerStatus: ["PENDING_APPROVAL"] } },
  { id: "failed", label: "Failed", filters: { offerStatus: ["FAILED"] } },
  { id: "held-out", label: "Held out", filters: { offer: ["holdout"] } },
  { id: "closed", label: "Closed", filters: { state: ["CLOSED"] } },
] as const satisfies ReadonlyArray<{ id: string; label: string; filters: Partial<Record<string, readonly string[]>> }>;

export type SavedViewId = (typeof SAVED_VIEWS)[number]["id"];

/** The URL parameters a view sets or clears (every filter; not q, sort or the cursor). */
export const VIEW_FILTER_KEYS = ["type", "severity", "state", "offer", "offerStatus", "cause"] as const;

/** The saved view the query's filters are exactly, or null for any other combination. */
export function savedViewOf(query: IncidentListQuery): SavedViewId | null {
  const current: Record<(typeof VIEW_FILTER_KEYS)[number], readonly string[]> = {
    type: query.types,
    severity: query.severities,
    state: query.states,
    offer: query.offer ? [query.offer] : [],
    offerStatus: query.offerStatuses,
    cause: query.cause ? [causeParam(query.cause)] : [],
  };
  const view = SAVED_VIEWS.find((v) =>
    VIEW_FILTER_KEYS.every((key) => {
      const want: readonly string[] = (v.filters as Partial<Record<string, readonly string[]>>)[key] ?? [];
      const have = current[key];
      return want.length === have.length && want.every((value) => have.includes(value));
    }),
  );
  return view?.id ?? null;
}
