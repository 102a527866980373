/** Incidents by root cause. */
import type { IncidentRecord } from "./records";

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
