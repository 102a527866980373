/**
 * Time to first contact (decision 0113): from an incident's detection to the first acknowledgement
 * that went out on any channel, i.e. the earliest of its INCIDENT_NOTIFIED (the "Recovery incident
 * detected" trigger, which carries the acknowledgement) and INCIDENT_ACK_EMAILED (SMTP) markers.
 * A marker is written as the message is handed over, and removed again when it definitely did not go.
 *
 * Counted over the range's incidents with a customer (a guest order gets no acknowledgement).
 * Median and 90th percentile are over the acknowledged ones (linear interpolation between ranks,
 * so an even count's median is the mean of the middle two). The share within the target counts an
 * incident never acknowledged as missed once the target has passed; one still inside its target
 * without contact is pending and left out until it is decided either way.
 */
import { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import type { MetricsPeriod } from "../models/metrics.server";
import { ACK_EMAILED, INCIDENT_NOTIFIED } from "./flow-incident.server";

export interface FirstContact {
  /** The shop's target, in minutes (Settings: acknowledge within). */
  targetMinutes: number;
  /** Incidents in the range with a customer. */
  incidents: number;
  /** Of those, acknowledged on some channel. */
  acknowledged: number;
  /** Acknowledged within the target. */
  withinTarget: number;
  /** Not acknowledged and past the target. */
  missed: number;
  /** Not acknowledged yet, still inside the target: in no share. */
  pending: number;
  /** Minutes from detection to first contact, over the acknowledged; null without any. */
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** withinTarget / (withinTarget + acknowledged late + missed); null when nothing is decided yet. */
  shareWithinTarget: number | null;
}

/** The q-quantile of ascending values, interpolating linearly between ranks; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.ceil(h);
  const low = sorted[lower]!;
  return low + (h - lower) * (sorted[upper]! - low);
}

interface ContactRow {
  detectedAt: Date;
  firstContactAt: Date | null;
}

const MINUTE = 60_000;

/** The figures from each incident's detection and first contact: pure, for the loader below. */
export function firstContactFigures(rows: readonly ContactRow[], targetMinutes: number, asOf: Date): FirstContact {
  const minutes: number[] = [];
  let missed = 0;
  let pending = 0;
  for (const row of rows) {
    if (row.firstContactAt)
      minutes.push(Math.max(0, (row.firstContactAt.getTime() - row.detectedAt.getTime()) / MINUTE));
    else if ((asOf.getTime() - row.detectedAt.getTime()) / MINUTE > targetMinutes) missed += 1;
    else pending += 1;
  }
  minutes.sort((a, b) => a - b);
  const withinTarget = minutes.filter((m) => m <= targetMinutes).length;
  const decided = minutes.length + missed;
  return {
    targetMinutes,
    incidents: rows.length,
    acknowledged: minutes.length,
    withinTarget,
    missed,
    pending,
    medianMinutes: quantile(minutes, 0.5),
    p90Minutes: quantile(minutes, 0.9),
    shareWithinTarget: decided === 0 ? null : withinTarget / decided,
  };
}

/** Time to first contact for the incidents detected in the period (one shop-scoped, indexed query). */
export async function timeToFirstContact(
  shop: string,
  period: MetricsPeriod,
  targetMinutes: number,
  asOf: Date,
): Promise<FirstContact> {
  const rows = await prisma.$queryRaw<ContactRow[]>(Prisma.sql`
    SELECT i."detectedAt", MIN(e.at) AS "firstContactAt"
    FROM "Incident" i
    LEFT JOIN "IncidentEvent" e
      ON e.shop = i.shop AND e."incidentId" = i.id AND e.kind IN (${INCIDENT_NOTIFIED}, ${ACK_EMAILED})
    WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to}
      AND i."customerGid" IS NOT NULL
    GROUP BY i.id, i."detectedAt"`);
  return firstContactFigures(rows, targetMinutes, asOf);
}
