/**
 * The dashboard (app home): "is this paying?" for a date range, the first-run card, and the
 * offers export. The route hands over the URL's range as given; everything else happens here.
 */
import { clock } from "../clock.server";
import { currentGridReadOnly, gridSavedByStaff } from "../models/grid.server";
import { hasAnyIncident, incidentCountsByType, loadOfferExportPage, type ExportCursor } from "../models/metrics.server";
import { onboardingState, saveOnboarding, shopContext, type ManualSetupStep } from "../models/shop-settings.server";
import { deliveryCounts } from "../models/webhook-retention.server";
import {
  OFFER_EXPORT_COLUMNS,
  csvRow,
  localDate,
  offerExportCells,
  periodOfRange,
  previousRange,
  TOP_ROOT_CAUSES,
  typeComparison,
  resolveDateRange,
  RecoveryError,
  giftVariantIds,
  sampleLateOrderOffer,
  type GridVersion,
  type MinorUnits,
  type RecoverySettings,
  type ResolvedDateRange,
  type SampleOffer,
  type TypeComparisonRow,
} from "../recovery";
import { logger } from "../logger.server";
import { giftVariantPrices } from "./gift-products.server";
import { recoveryMetrics, type RecoveryMetrics } from "./metrics.server";
import { armsCards, type ArmsCard } from "./experiments/arms-report.server";
import { timeToFirstContact, type FirstContact } from "./first-contact.server";
import { causeNames } from "./cause-names.server";
import { waitingDataRequests, type WaitingDataRequests } from "./privacy/exports.server";
import { csatOfPeriod } from "./ratings/csat.server";
import { needsAttention, type NeedsAttention } from "./home/needs-attention.server";
import type { Csat } from "../recovery/ratings/csat";
import type { AdminClient } from "../shopify/admin-client.server";

export interface RangeQuery {
  from?: string | null;
  to?: string | null;
}

/** The setup guide's steps, in order: each done or not, and how it got done. */
export type SetupStepKey = ManualSetupStep | "firstIncident";
export interface SetupStep {
  key: SetupStepKey;
  done: boolean;
}

export interface Dashboard {
  shop: string;
  /** What someone has to do today (the first card), whatever the date range. */
  attention: NeedsAttention;
  currency: string;
  timeZone: string;
  today: string;
  range: ResolvedDateRange;
  /**
   * Incidents by type in the range against the same number of days just before it (`previous`,
   * shop-local dates), most first (decision 0124).
   */
  incidentsByType: { rows: TypeComparisonRow[]; previous: { from: string; to: string } };
  metrics: RecoveryMetrics;
  /** Experiments with arms, where they run and what the merchant may decide (decision 0119). */
  armsExperiments: ArmsCard[];
  /** Detection to the customer's acknowledgement, against the shop's target (decision 0113). */
  firstContact: FirstContact;
  /** Customers' ratings after recovery by incident type, make-good kind and time to offer (decision 0117). */
  csat: Csat;
  /** Nothing has happened for the shop yet (no incident ever): the dashboard explains what comes first. */
  fresh: boolean;
  /**
   * Store events received in the dashboard's range (rows still kept plus the per-day counts of
   * pruned ones; decision 0021), not the shop's whole history.
   */
  inbox: { total: number; failed: number };
  /**
   * Customer data requests whose export waits for a download (counts and a date, no customer), or
   * null: the dashboard's notice, so no request expires unanswered.
   */
  dataRequests: WaitingDataRequests | null;
  /**
   * The setup guide while it is not dismissed. `sample` is null when the sample's grid cell is
   * a gift product whose price could not be read from Shopify just now. A step is done when its
   * work shows (settings saved, the grid saved by a member, a first incident) or a member ticked it.
   */
  onboarding: { sample: SampleOffer | null; steps: SetupStep[] } | null;
  /**
   * Product titles and location names of the top root causes, read live from Shopify by id; an id
   * Shopify no longer knows, or all of them when it did not answer, is absent (shown by its id).
   */
  causeNames: Record<string, string>;
}

export interface DashboardOptions {
  /** To name the products and locations of the root causes (the signed-in member's Admin API access). */
  admin?: AdminClient;
}

export async function dashboard(shop: string, query: RangeQuery, options: DashboardOptions = {}): Promise<Dashboard> {
  const now = clock().now();
  const ctx = await shopContext(shop);
  const { currency, timeZone, recovery: settings, offers } = ctx;
  const today = localDate(now, timeZone);
  const range = resolveDateRange(query, today);
  const period = periodOfRange(range, timeZone);
  const before = previousRange(range);
  const [metrics, anyIncident, inbox, onboarding, grid, gridSaved, dataRequests, attention, previousByType] =
    await Promise.all([
      recoveryMetrics(shop, { ...period, asOf: now }),
      hasAnyIncident(shop),
      deliveryCounts(shop, {
        fromDay: range.from,
        toDay: range.to,
        from: period.from,
        // A range that ends today runs up to now: the database stamps deliveries on its own clock.
        to: range.to >= today ? null : period.to,
      }),
      onboardingState(shop),
      currentGridReadOnly(shop),
      gridSavedByStaff(shop),
      waitingDataRequests(shop, now),
      needsAttention(ctx, now),
      incidentCountsByType(shop, periodOfRange(before, timeZone)),
    ]);
  const firstContact = await timeToFirstContact(shop, period, offers.acknowledgeWithinMinutes, now);
  const csat = await csatOfPeriod(shop, period, timeZone);
  const sample = onboarding.dismissedAt
    ? undefined
    : await onboardingSample({ shop, settings, grid, currency, timeZone, now }, options.admin);
  const ticked = new Set(onboarding.completed ?? []);
  const names = await causeNames(
    shop,
    [
      ...metrics.rootCauses.byProduct.slice(0, TOP_ROOT_CAUSES),
      ...metrics.rootCauses.byLocation.slice(0, TOP_ROOT_CAUSES),
    ].map((c) => c.key),
    options.admin,
  );
  const currentByType = Object.fromEntries(metrics.rootCauses.byType.map((c) => [c.key, c.count]));
  return {
    shop,
    currency,
    timeZone,
    today,
    range,
    metrics,
    firstContact,
    csat,
    fresh: !anyIncident,
    inbox,
    onboarding:
      sample === undefined
        ? null
        : {
            sample,
            steps: [
              { key: "defaults", done: onboarding.settingsSaved || ticked.has("defaults") },
              { key: "grid", done: gridSaved || ticked.has("grid") },
              { key: "firstIncident", done: anyIncident },
            ],
          },
    incidentsByType: { rows: typeComparison(currentByType, previousByType), previous: before },
    causeNames: names,
    dataRequests,
    attention,
    armsExperiments: armsCards(metrics.arms, grid, currency),
  };
}

/**
 * The first-run card's sample offer. A gift product is valued at today's price, as every decision
 * values it (giftVariantPrices); without a price (no Admin client, Shopify not answering, the
 * variant gone) there is no sample rather than no dashboard.
 */
async function onboardingSample(
  input: {
    shop: string;
    settings: RecoverySettings;
    grid: GridVersion;
    currency: string;
    timeZone: string;
    now: Date;
  },
  admin: AdminClient | undefined,
): Promise<SampleOffer | null> {
  const { shop, settings, grid, currency, timeZone, now } = input;
  const gifts = giftVariantIds(grid.grid);
  let variantPrices: Record<string, MinorUnits> | undefined;
  if (gifts.length > 0 && admin) {
    try {
      variantPrices = await giftVariantPrices(admin, gifts, currency);
    } catch (error) {
      logger.warn(
        { shop, err: { message: error instanceof Error ? error.message : String(error) } },
        "gift prices for the sample offer could not be read",
      );
    }
  }
  try {
    return sampleLateOrderOffer({
      settings,
      gridVersion: grid,
      shop: { currency, timeZone },
      now,
      ...(variantPrices ? { variantPrices } : {}),
    });
  } catch (error) {
    if (error instanceof RecoveryError && error.code === "GIFT_PRICE_MISSING") return null;
    throw error;
  }
}

export async function dismissOnboarding(shop: string, staffUserId: string): Promise<void> {
  const { completed } = await onboardingState(shop);
  const saved = await saveOnboarding(shop, {
    dismissedAt: clock().now().toISOString(),
    dismissedBy: staffUserId,
    ...(completed ? { completed } : {}),
  });
  if (!saved) throw new Error(`no Shop row for ${shop}`);
}

/** A member ticked a setup step whose work is looking, not saving ("I checked the defaults"). */
export async function completeSetupStep(shop: string, step: ManualSetupStep): Promise<void> {
  const { dismissedAt, dismissedBy, completed = [] } = await onboardingState(shop);
  const saved = await saveOnboarding(shop, {
    ...(dismissedAt ? { dismissedAt } : {}),
    ...(dismissedBy ? { dismissedBy } : {}),
    completed: [...new Set([...completed, step])],
  });
  if (!saved) throw new Error(`no Shop row for ${shop}`);
}

export type OffersExport =
  { ok: true; filename: string; body: ReadableStream<Uint8Array> } | { ok: false; problem: string };

const EXPORT_PAGE = 1_000;

/**
 * The offers of the incidents detected in the range as CSV, streamed a page at a time (keyset
 * paging), so memory stays bounded however many rows the range holds. An invalid range is refused:
 * an export should contain what was asked for or nothing.
 */
export async function offersExport(shop: string, query: RangeQuery): Promise<OffersExport> {
  const { timeZone } = await shopContext(shop);
  const range = resolveDateRange(query, localDate(clock().now(), timeZone));
  if (range.problem) return { ok: false, problem: range.problem.replace(/; showing .*$/, ".") };
  const period = periodOfRange(range, timeZone);
  const encoder = new TextEncoder();
  let cursor: ExportCursor | null = null;
  let headerSent = false;
  let done = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        // A byte-order mark so spreadsheet programs read the file as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(OFFER_EXPORT_COLUMNS)}`));
        return;
      }
      if (done) return;
      const rows = await loadOfferExportPage(shop, period, cursor, EXPORT_PAGE);
      const last = rows[rows.length - 1];
      if (last) {
        controller.enqueue(encoder.encode(rows.map((r) => csvRow(offerExportCells(r, timeZone))).join("")));
        cursor = { detectedAt: last.detectedAt, offerId: last.offerId };
      }
      if (rows.length < EXPORT_PAGE) {
        done = true;
        controller.close();
      }
    },
  });
  return { ok: true, filename: `amends-offers-${range.from}-to-${range.to}.csv`, body };
}
