/**
 * "Did it work?": one shop's incidents and offers for a period, and the experiment's (every
 * drawn incident so far, and its issued make-goods: decision 0032), loaded with shop-scoped
 * queries (app/models/metrics.server.ts) and summarised by the pure recoveryReport.
 */
import { createHash } from "node:crypto";
import { clock } from "../clock.server";
import { loadMetricsRows, type MetricsPeriod } from "../models/metrics.server";
import { shopContext } from "../models/shop-settings.server";
import {
  recoveryReport,
  toIncidentRecords,
  toOfferRecords,
  type Readout,
  type ReadoutMemo,
  type RecoveryReport,
} from "../recovery/metrics";
import { armsExperiments, type ArmsExperiment } from "../recovery/experiments";
import { loadArmAssignments, loadArmRatings } from "./experiments/arms-report.server";

export type { MetricsPeriod } from "../models/metrics.server";

export interface MetricsOptions extends MetricsPeriod {
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
  /** Experiments with arms in grid cells (decision 0119): each arm against the holdout and the others. */
  arms: ArmsExperiment[];
}

const MAX_SHOPS = 500;
/** Rounds kept per shop: a shop's readouts so far, for each settings it was read with. */
const MAX_READOUTS_PER_SHOP = 400;
const readoutsByShop = new Map<string, Map<string, Readout>>();

/**
 * Completed readouts, kept per shop in this process (decision 0028): the dashboard re-reads the
 * experiment on every load, and on a year-long shop its rounds' bootstraps were most of the
 * loader's computing. Keyed by a hash of everything a round is read from, so a changed round is
 * read anew; bounded per shop and in shops.
 */
function readoutMemo(shop: string): ReadoutMemo {
  const key = (fingerprint: string) => createHash("sha256").update(fingerprint).digest("base64");
  return {
    get(fingerprint) {
      return readoutsByShop.get(shop)?.get(key(fingerprint));
    },
    set(fingerprint, readout) {
      let kept = readoutsByShop.get(shop);
      if (!kept) {
        if (readoutsByShop.size >= MAX_SHOPS) readoutsByShop.delete(readoutsByShop.keys().next().value!);
        kept = new Map();
        readoutsByShop.set(shop, kept);
      }
      if (kept.size >= MAX_READOUTS_PER_SHOP) kept.delete(kept.keys().next().value!);
      kept.set(key(fingerprint), readout);
    },
  };
}

/** Tests: forget the kept readouts. */
export function clearReadoutMemo(): void {
  readoutsByShop.clear();
}

/** What the dashboard shows for one shop, the incidents detected in [from, to) and the experiment so far. */
export async function recoveryMetrics(shop: string, options: MetricsOptions): Promise<RecoveryMetrics> {
  const period: MetricsPeriod = { from: options.from, to: options.to };
  const asOf = options.asOf ?? clock().now();
  const [rows, ctx, assignments, armRatings] = await Promise.all([
    loadMetricsRows(shop, period, asOf),
    shopContext(shop),
    loadArmAssignments(shop),
    loadArmRatings(shop),
  ]);
  const incidents = toIncidentRecords(rows.period.incidents);
  const offers = toOfferRecords(rows.period.offers);
  const experimentIncidents = toIncidentRecords(rows.experiment.incidents);
  const experimentOffers = toOfferRecords(rows.experiment.offers);
  const report = recoveryReport({
    incidents,
    offers,
    experimentIncidents,
    experimentOffers,
    settings: {
      windowDays: ctx.recovery.attribution.windowDays,
      readoutIncidents: ctx.recovery.attribution.readoutIncidents,
      holdoutShare: ctx.recovery.decision.holdoutShare,
    },
    timeZone: ctx.timeZone,
    asOf,
    readouts: readoutMemo(shop),
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
    arms: armsExperiments({
      incidents: experimentIncidents,
      offers: experimentOffers,
      assignments,
      ratings: armRatings,
      asOf,
      settings: {
        windowDays: ctx.recovery.attribution.windowDays,
        readoutIncidents: ctx.recovery.attribution.readoutIncidents,
      },
      ...(options.minPerGroup !== undefined ? { minPerGroup: options.minPerGroup } : {}),
    }),
  };
}
