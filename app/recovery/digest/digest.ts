/**
 * The weekly root-cause digest (issue 16 part 6, decision 0118): for one shop's complete past week
 * (Monday to Sunday in the shop's time zone), the products, carriers and locations behind the most
 * incidents, each with the week before's count as its trend, what the recovery of the week's
 * incidents cost, and the one process fix: the single cause whose removal would have removed the
 * most incidents, said in a plain sentence. Pure: the caller reads the incidents and offers.
 * Nothing here names a customer.
 */
import { formatMoney, type MinorUnits } from "../money";
import { cost, type Cost } from "../metrics/offers";
import type { OfferRecord } from "../metrics/records";
import { dayNumberOf, localDateOfDayNumber, localWeekStart, startOfLocalDay, type LocalDate } from "../time/zoned";

export const CAUSE_DIMENSIONS = ["product", "carrier", "location"] as const;
export type CauseDimension = (typeof CAUSE_DIMENSIONS)[number];

/** Causes listed per dimension in the digest. */
export const TOP_CAUSES = 3;
/**
 * Below this many incidents behind the top cause, the digest does not call it a pattern: one or
 * two incidents are as likely chance as process.
 */
export const MIN_INCIDENTS_FOR_A_FIX = 3;

export interface DigestWeek {
  /** The Monday, shop-local. */
  start: LocalDate;
  /** The Sunday, shop-local (inclusive). */
  end: LocalDate;
  /** First instant of the Monday. */
  from: Date;
  /** First instant of the next Monday (exclusive). */
  to: Date;
}

/** The Monday-to-Sunday week starting on `monday` in the zone. */
export function weekStarting(monday: LocalDate, timeZone: string): DigestWeek {
  const day = dayNumberOf(monday);
  return {
    start: monday,
    end: localDateOfDayNumber(day + 6),
    from: startOfLocalDay(monday, timeZone),
    to: startOfLocalDay(localDateOfDayNumber(day + 7), timeZone),
  };
}

/** The last complete week before `now`: the Monday-to-Sunday week before the one `now` falls in (shop-local). */
export function lastCompleteWeek(now: Date, timeZone: string): DigestWeek {
  const thisMonday = dayNumberOf(localWeekStart(now, timeZone));
  return weekStarting(localDateOfDayNumber(thisMonday - 7), timeZone);
}

export function weekBefore(week: DigestWeek, timeZone: string): DigestWeek {
  return weekStarting(localDateOfDayNumber(dayNumberOf(week.start) - 7), timeZone);
}

/** What the digest reads of an incident: when it was detected and its root cause, no customer. */
export interface DigestIncident {
  id: string;
  detectedAt: Date;
  productIds: readonly string[];
  carriers: readonly string[];
  locations: readonly string[];
}

export interface DigestInput {
  week: DigestWeek;
  timeZone: string;
  /** The shop's incidents detected in the week and in the week before (others are ignored). */
  incidents: readonly DigestIncident[];
  /** The offers of those incidents (others are ignored). */
  offers: readonly OfferRecord[];
  /** Merchant-facing names by key (product titles, location names); a key without one is shown by its id. */
  names?: Readonly<Record<string, string>>;
}

export type Trend = "NEW" | "UP" | "DOWN" | "SAME";

export interface CauseTrend {
  dimension: CauseDimension;
  /** As stored on the incident: a product or location GID, or the carrier's name. */
  key: string;
  label: string;
  count: number;
  /** The week before's count for the same cause. */
  previous: number;
  trend: Trend;
  /** Issued face value of this cause's incidents' make-goods this week. */
  faceValueIssuedMinor: MinorUnits;
}

export type DigestFix =
  | { kind: "NO_INCIDENTS"; sentence: string }
  | { kind: "TOO_FEW"; sentence: string; cause: CauseTrend | null; total: number }
  | { kind: "FIX"; sentence: string; cause: CauseTrend; total: number };

export interface Digest {
  week: { start: LocalDate; end: LocalDate };
  incidentCount: number;
  previousIncidentCount: number;
  causes: Record<CauseDimension, CauseTrend[]>;
  /** Of the week's incidents' make-goods, counted as the dashboard counts cost. */
  cost: Cost;
  fix: DigestFix;
}

const shortId = (key: string) => key.split("/").pop() ?? key;

/** A cause as a merchant reads it: the product's title, the carrier, the location's name (or its number). */
export function causeLabel(dimension: CauseDimension, key: string, names: Readonly<Record<string, string>> = {}) {
  if (dimension === "carrier") return key;
  const name = names[key];
  if (name) return name;
  if (dimension === "location") return key.startsWith("gid://") ? `Location ${shortId(key)}` : key;
  return `Product ${shortId(key)}`;
}

const keysOf = (incident: DigestIncident, dimension: CauseDimension): readonly string[] =>
  dimension === "product" ? incident.productIds : dimension === "carrier" ? incident.carriers : incident.locations;

function countBy(incidents: readonly DigestIncident[], dimension: CauseDimension): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const incident of incidents)
    for (const key of new Set(keysOf(incident, dimension))) byKey.set(key, [...(byKey.get(key) ?? []), incident.id]);
  return byKey;
}

function trendOf(count: number, previous: number): Trend {
  if (previous === 0) return "NEW";
  return count > previous ? "UP" : count < previous ? "DOWN" : "SAME";
}

/** Most incidents first; ties by label, then key, so the same data always reads the same. */
const byRank = (a: CauseTrend, b: CauseTrend) =>
  b.count - a.count || a.label.localeCompare(b.label, "en") || a.key.localeCompare(b.key, "en");

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The sentence naming the fix: what the cause was, how many of the week's incidents, what to do. */
function fixSentence(cause: CauseTrend, total: number): string {
  const share = `${cause.count} of ${total}`;
  const lead = cause.count * 2 > total ? "Most incidents" : "More incidents than from anything else";
  switch (cause.dimension) {
    case "carrier":
      return `${lead} came from ${cause.label}'s deliveries: ${share}. Talk to ${cause.label} or offer another carrier.`;
    case "location":
      return `${lead} came from orders fulfilled at ${cause.label}: ${share}. Look at how ${cause.label} picks, packs and hands orders over.`;
    case "product":
      return `${lead} involved ${cause.label}: ${share}. Check its stock, its promised ship dates and its packaging.`;
  }
}

/**
 * The digest of `week`. The fix is the single product, carrier or location behind the most of the
 * week's incidents; on a tie, products before carriers before locations (a dimension's order in
 * CAUSE_DIMENSIONS), then by label. Fewer than MIN_INCIDENTS_FOR_A_FIX incidents behind it: the
 * digest says the numbers are too small to point at a cause.
 */
export function buildDigest(input: DigestInput): Digest {
  const { week, timeZone } = input;
  const previousWeek = weekBefore(week, timeZone);
  const within = (w: DigestWeek) => (i: DigestIncident) => i.detectedAt >= w.from && i.detectedAt < w.to;
  const current = input.incidents.filter(within(week));
  const previous = input.incidents.filter(within(previousWeek));
  const currentIds = new Set(current.map((i) => i.id));
  const offers = input.offers.filter((o) => currentIds.has(o.incidentId));
  const faceValueOf = (incidentIds: readonly string[]) => {
    const ids = new Set(incidentIds);
    return cost(offers.filter((o) => ids.has(o.incidentId))).faceValueIssuedMinor;
  };

  const causes = {} as Record<CauseDimension, CauseTrend[]>;
  const all: CauseTrend[] = [];
  for (const dimension of CAUSE_DIMENSIONS) {
    const before = countBy(previous, dimension);
    const ranked = [...countBy(current, dimension).entries()]
      .map<CauseTrend>(([key, ids]) => {
        const previousCount = before.get(key)?.length ?? 0;
        return {
          dimension,
          key,
          label: causeLabel(dimension, key, input.names),
          count: ids.length,
          previous: previousCount,
          trend: trendOf(ids.length, previousCount),
          faceValueIssuedMinor: faceValueOf(ids),
        };
      })
      .sort(byRank);
    causes[dimension] = ranked.slice(0, TOP_CAUSES);
    all.push(...ranked);
  }

  const total = current.length;
  // A stable sort over the dimensions in order keeps products before carriers before locations on a tie of count.
  const top = [...all].sort((a, b) => b.count - a.count)[0] ?? null;
  let fix: DigestFix;
  if (total === 0) fix = { kind: "NO_INCIDENTS", sentence: "No incidents this week: nothing to fix." };
  else if (!top || top.count < MIN_INCIDENTS_FOR_A_FIX)
    fix = {
      kind: "TOO_FEW",
      cause: top,
      total,
      sentence: top
        ? `Only ${plural(total, "incident")} this week, and no product, carrier or location was behind more than ${plural(top.count, "incident")}: too few to point at one cause.`
        : `Only ${plural(total, "incident")} this week, none with a recorded product, carrier or location.`,
    };
  else fix = { kind: "FIX", cause: top, total, sentence: fixSentence(top, total) };

  return {
    week: { start: week.start, end: week.end },
    incidentCount: total,
    previousIncidentCount: previous.length,
    causes,
    cost: cost(offers),
    fix,
  };
}

/** "up from 3", "down from 9", "new", "as the week before": the trend as words. */
export function trendWords(cause: Pick<CauseTrend, "trend" | "previous">): string {
  switch (cause.trend) {
    case "NEW":
      return "new this week";
    case "UP":
      return `up from ${cause.previous}`;
    case "DOWN":
      return `down from ${cause.previous}`;
    case "SAME":
      return "as the week before";
  }
}

/** The digest's top cause in one line ("carrier UPS: 14 incidents, up from 9"), or "none". */
export function topCauseLine(digest: Digest): string {
  const cause = digest.fix.kind === "NO_INCIDENTS" ? null : digest.fix.cause;
  if (!cause) return "none";
  return `${cause.dimension} ${cause.label}: ${plural(cause.count, "incident")}, ${trendWords(cause)}`;
}

const DIMENSION_TITLES: Record<CauseDimension, string> = {
  product: "Products",
  carrier: "Carriers",
  location: "Locations",
};

/** The digest as a plain-text email body for the merchant (no customer data: causes, counts, money). */
export function digestText(digest: Digest, currency: string, dashboardUrl: string): { subject: string; text: string } {
  const money = (minor: MinorUnits) => formatMoney(minor, currency);
  const lines = [
    `Amends weekly digest, ${digest.week.start} to ${digest.week.end}`,
    "",
    `${plural(digest.incidentCount, "incident")} this week (${digest.previousIncidentCount} the week before).`,
    "",
    digest.fix.sentence,
    "",
  ];
  for (const dimension of CAUSE_DIMENSIONS) {
    const list = digest.causes[dimension];
    lines.push(`${DIMENSION_TITLES[dimension]}:`);
    if (list.length === 0) lines.push("  none recorded");
    for (const c of list) lines.push(`  ${c.label}: ${plural(c.count, "incident")}, ${trendWords(c)}`);
  }
  lines.push(
    "",
    `Recovery cost: ${money(digest.cost.faceValueIssuedMinor)} issued, ${money(digest.cost.usedMinor)} used so far.`,
    "",
    `See each cause's incidents: ${dashboardUrl}`,
  );
  return { subject: `Amends weekly digest: ${digest.week.start} to ${digest.week.end}`, text: lines.join("\n") };
}
