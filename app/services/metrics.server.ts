/**
 * "Did it work?": one shop's incidents and offers for a period, and the experiment's (every
 * drawn incident so far), loaded with shop-scoped indexed queries (app/models/metrics.server.ts)
 * and summarised by the pure recoveryReport.
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
  /** Offers issued among the period's incidents. */
  issuedCount: number;
}

/** What the dashboard shows for one shop, the incidents detected in [from, to) and the experiment so far. */
export async function recoveryMetrics(shop: string, options: MetricsOptions): Promise<RecoveryMetrics> {
  const period: MetricsPeriod = { from: options.from, to: options.to };
  const asOf = options.asOf ?? clock().now();
  const [rows, ctx] = await Promise.all([loadMetricsRows(shop, period, asOf), shopContext(shop)]);
  const incidents = toIncidentRecords(rows.period.incidents);
  const offers = toOfferRecords(rows.period.offers);
  const report = recoveryReport({
    incidents,
    offers,
    experimentIncidents: toIncidentRecords(rows.experiment.incidents),
    experimentOffers: toOfferRecords(rows.experiment.offers),
    settings: {
      windowDays: ctx.recovery.attribution.windowDays,
      readoutIncidents: ctx.recovery.attribution.readoutIncidents,
      holdoutShare: ctx.recovery.decision.holdoutShare,
    },
    timeZone: ctx.timeZone,
    asOf,
    ...(options.bucket ? { bucket: options.bucket } : {}),
    ...(options.minPerGroup !== undefined ? { minPerGroup: options.minPerGroup } : {}),
  });
  return {
    shop,
    from: period.from,
    to: period.to,
    timeZone: ctx.timeZone,
    incidentCount: incidents.length,
    offerCount: offers.length,
    issuedCount: offers.filter((o) => o.issuedAt !== null).length,
    ...report,
  };
}
