/**
 * Preview before saving: what a draft grid would have done to this shop's
 * incidents of the last 90 days, next to what the current grid does, both
 * through the real decide() (app/recovery/grid/replay.ts).
 *
 * What the replay reads per incident: type, severity, measure, order
 * figures (kept in the incident's evidence by detection, else the stored
 * order), the customer, and the tier the incident was decided with (Incident.tier;
 * else the cached customer value; a guest is NEW). The
 * shop's guardrail settings and gift prices are today's.
 *
 * What it cannot know, and says so on the page: the budget and customer
 * history as they were (it builds its own, counting only its own offers in the
 * window), whether staff would have approved, and whether customers would
 * have redeemed. Incidents already refused on eligibility stay refused.
 *
 * Bounded: one indexed query (Incident by shop and detectedAt), the newest
 * PREVIEW_CAP incidents at most; the result says when it was capped.
 */
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { currentGrid } from "../models/grid.server";
import { shopOfferContext } from "../models/offers.server";
import {
  classifyTier,
  giftVariantIds,
  toMinorUnits,
  type DecisionIncident,
  type Grid,
  type MinorUnits,
  type TierAssessment,
} from "../recovery";
import { replayGrid, type ReplayIncident, type ReplayTotals } from "../recovery/grid/replay";

export const PREVIEW_DAYS = 90;
export const PREVIEW_CAP = 2_000;

export interface GridPreview {
  from: string;
  to: string;
  /** Incidents replayed (at most PREVIEW_CAP). */
  incidents: number;
  /** More incidents fell in the window than were replayed (the oldest were left out). */
  capped: boolean;
  currentVersion: number;
  current: ReplayTotals;
  draft: ReplayTotals;
  /** How each incident's tier was known. */
  tierSources: {
    decision: number;
    customerValue: number;
    guest: number;
    assumedNew: number;
  };
  /** Gift variants priced at 0 because Shopify could not price them (deleted, or not reachable just now). */
  unpricedGifts: number;
}

function numberAt(json: unknown, key: string): number | null {
  if (typeof json !== "object" || json === null) return null;
  const value = (json as Record<string, unknown>)[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Current prices of gift variants in the shop currency; a variant it cannot price is left out. */
export type VariantPriceLookup = (ids: string[], currency: string) => Promise<Record<string, MinorUnits>>;

export async function previewGrid(shop: string, draft: Grid, prices: VariantPriceLookup): Promise<GridPreview> {
  const ctx = await shopOfferContext(shop);
  const current = await currentGrid(shop);
  const to = clock().now();
  const from = new Date(to.getTime() - PREVIEW_DAYS * 86_400_000);

  // Newest first so a cap drops the oldest; the replay sorts them back into detection order.
  const rows = await prisma.incident.findMany({
    where: { shop, detectedAt: { gte: from, lte: to } },
    orderBy: { detectedAt: "desc" },
    take: PREVIEW_CAP + 1,
    select: {
      id: true,
      type: true,
      severity: true,
      measure: true,
      evidence: true,
      orderGid: true,
      orderName: true,
      customerGid: true,
      occurredAt: true,
      detectedAt: true,
      decision: true,
      tier: true,
    },
  });
  const capped = rows.length > PREVIEW_CAP;
  const incidents = rows.slice(0, PREVIEW_CAP);

  const needOrders = incidents
    .filter(
      (i) => numberAt(i.evidence, "orderSubtotalMinor") === null && numberAt(i.evidence, "orderTotalMinor") === null,
    )
    .map((i) => i.orderGid);
  const orders = needOrders.length
    ? await prisma.orderRecord.findMany({
        where: { shop, orderGid: { in: [...new Set(needOrders)] } },
        select: { orderGid: true, totalPrice: true, currency: true },
      })
    : [];
  const orderTotals = new Map(orders.map((o) => [o.orderGid, toMinorUnits(o.totalPrice.toFixed(2), o.currency)]));

  const tierSources = {
    decision: 0,
    customerValue: 0,
    guest: 0,
    assumedNew: 0,
  };
  const undecidedCustomers = incidents.filter((i) => i.customerGid && !i.tier).map((i) => i.customerGid!);
  const values = undecidedCustomers.length
    ? await prisma.customerValue.findMany({
        where: { shop, customerGid: { in: [...new Set(undecidedCustomers)] } },
      })
    : [];
  const valueOf = new Map(values.map((v) => [v.customerGid, v]));

  const tierOf = (i: (typeof incidents)[number]): TierAssessment => {
    if (i.tier) {
      tierSources.decision += 1;
      return {
        tier: i.tier,
        guest: !i.customerGid,
        amountSpentMinor: 0,
        numberOfOrders: 0,
      };
    }
    if (!i.customerGid) {
      tierSources.guest += 1;
      return classifyTier(null, ctx.recovery.tiers);
    }
    const cached = valueOf.get(i.customerGid);
    if (cached) {
      tierSources.customerValue += 1;
      return classifyTier(
        {
          amountSpentMinor: cached.amountSpentMinor,
          numberOfOrders: cached.numberOfOrders,
        },
        ctx.recovery.tiers,
      );
    }
    // Never decided and never read: the cautious guess is the lowest tier.
    tierSources.assumedNew += 1;
    return {
      tier: "NEW",
      guest: false,
      amountSpentMinor: 0,
      numberOfOrders: 0,
    };
  };

  const replayed: ReplayIncident[] = incidents.map((i) => {
    const total = numberAt(i.evidence, "orderTotalMinor") ?? orderTotals.get(i.orderGid) ?? 0;
    const incident = {
      type: i.type,
      measure: i.measure,
      id: i.id,
      severity: i.severity,
      occurredAt: i.occurredAt,
      detectedAt: i.detectedAt,
      orderId: i.orderGid,
      orderName: i.orderName,
      orderTotalMinor: total,
      orderSubtotalMinor: numberAt(i.evidence, "orderSubtotalMinor") ?? total,
      customerId: i.customerGid,
      // Exclusions and cancel reasons do not depend on the grid: the stored decision already applied them.
      excluded: {
        testOrder: false,
        orderExcluded: false,
        customerExcluded: false,
      },
      cancelReason: null,
      alreadyCompensated: false,
    } as DecisionIncident;
    return {
      incident,
      tier: tierOf(i),
      knownIneligible: i.decision === "INELIGIBLE",
    };
  });

  const giftIds = [...new Set([...giftVariantIds(current.grid), ...giftVariantIds(draft)])];
  const known = giftIds.length ? await prices(giftIds, ctx.currency) : {};
  const unpriced = giftIds.filter((id) => known[id] === undefined);
  const variantPrices = {
    ...Object.fromEntries(unpriced.map((id) => [id, 0])),
    ...known,
  };

  const shopContext = { currency: ctx.currency, timeZone: ctx.timeZone };
  const settings = ctx.recovery.decision;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    incidents: incidents.length,
    capped,
    currentVersion: current.version,
    current: replayGrid({
      incidents: replayed,
      gridVersion: current,
      settings,
      shop: shopContext,
      variantPrices,
    }),
    draft: replayGrid({
      incidents: replayed,
      gridVersion: { ...current, version: current.version + 1, grid: draft },
      settings,
      shop: shopContext,
      variantPrices,
    }),
    tierSources,
    unpricedGifts: unpriced.length,
  };
}
