/** Incidents over time and by root cause. */
import { INCIDENT_TYPES, type IncidentType } from "../vocabulary";
import { localDate, localWeekStart, MS_PER_DAY, type LocalDate } from "../time";
import type { IncidentRecord } from "./records";

export interface IncidentBucket {
  /** First local date of the bucket (the Monday for weeks). */
  start: LocalDate;
  total: number;
  byType: Record<IncidentType, number>;
}

export interface OverTimeOptions {
  timeZone: string;
  bucket: "day" | "week";
  /** Which moment places an incident in time; the failure's, by default. */
  dateOf?: "occurredAt" | "detectedAt";
}

const emptyCounts = (): Record<IncidentType, number> =>
  Object.fromEntries(INCIDENT_TYPES.map((t) => [t, 0])) as Record<IncidentType, number>;

const addDays = (date: LocalDate, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);

/** Counts per shop-local day or week, with empty buckets filled in so a chart has no gaps. */
export function incidentsOverTime(incidents: readonly IncidentRecord[], options: OverTimeOptions): IncidentBucket[] {
  const key = (i: IncidentRecord) => {
    const at = i[options.dateOf ?? "occurredAt"];
    return options.bucket === "day" ? localDate(at, options.timeZone) : localWeekStart(at, options.timeZone);
  };
  const buckets = new Map<LocalDate, IncidentBucket>();
  for (const incident of incidents) {
    const start = key(incident);
    const bucket = buckets.get(start) ?? { start, total: 0, byType: emptyCounts() };
    bucket.total += 1;
    bucket.byType[incident.type] += 1;
    buckets.set(start, bucket);
  }
  const starts = [...buckets.keys()].sort();
  const first = starts[0];
  const last = starts[starts.length - 1];
  if (!first || !last) return [];
  const step = options.bucket === "day" ? 1 : 7;
  const filled: IncidentBucket[] = [];
  for (let start = first; start <= last; start = addDays(start, step)) {
    filled.push(buckets.get(start) ?? { start, total: 0, byType: emptyCounts() });
  }
  return filled;
}

export interface CauseCount {
  key: string;
  count: number;
}

export interface RootCauses {
  byType: CauseCount[];
  byProduct: CauseCount[];
  byCarrier: CauseCount[];
  byLocation: CauseCount[];
}

function countBy(
  incidents: readonly IncidentRecord[],
  keys: (i: IncidentRecord) => readonly string[],
  top: number,
): CauseCount[] {
  const counts = new Map<string, number>();
  for (const incident of incidents) {
    for (const key of new Set(keys(incident))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, top);
}

/** The most frequent types, products, carriers and locations behind incidents; each incident counts once per key. */
export function rootCauses(incidents: readonly IncidentRecord[], top = 10): RootCauses {
  return {
    byType: countBy(incidents, (i) => [i.type], top),
    byProduct: countBy(incidents, (i) => i.productIds, top),
    byCarrier: countBy(incidents, (i) => i.carriers, top),
    byLocation: countBy(incidents, (i) => i.locations, top),
  };
}
