/**
 * "Did it work?": one shop's incidents and offers for a period, loaded with shop-scoped indexed
 * queries (app/models/metrics.server.ts) and summarised by the pure recoveryReport.
 */
import { clock } from "../clock.server";
import { loadMetricsRows, type MetricsPeriod } from "../models/metrics.server";
import { shopContext } from "../models/shop-settings.server";
import { recoveryReport, toIncidentRecords, toOfferRecords, type RecoveryReport } from "../recovery/metrics";

export type { MetricsPeriod } from "../models/metrics.server";

export interface MetricsOptions extends MetricsPeriod {
  bucket?: "day" | "week";
  minPerGroup?: number;
  /** Defaults to the app clock's now. */
  asOf?: Date;
}

export interface RecoveryMetrics extends RecoveryReport {
  shop: string;
  from: Date;
  to: Date;
  timeZone: string;
  incidentCount: number;
  offerCount: number;
}

/** What the dashboard shows for one shop and the incidents detected in [from, to). */
export async function recoveryMetrics(shop: string, options: MetricsOptions): Promise<RecoveryMetrics> {
  const period: MetricsPeriod = { from: options.from, to: options.to };
  const [rows, { timeZone }] = await Promise.all([loadMetricsRows(shop, period), shopContext(shop)]);
  const incidents = toIncidentRecords(rows.incidents, rows.offers);
  const offers = toOfferRecords(rows.offers);
  const report = recoveryReport({
    incidents,
    offers,
    timeZone,
    asOf: options.asOf ?? clock().now(),
    ...(options.bucket ? { bucket: options.bucket } : {}),
    ...(options.minPerGroup !== undefined ? { minPerGroup: options.minPerGroup } : {}),
  });
  return {
    shop,
    from: period.from,
    to: period.to,
    timeZone,
    incidentCount: incidents.length,
    offerCount: offers.length,
    ...report,
  };
}
