/**
 * Preview before saving: what a draft grid would have done to this shop's
 * incidents of the last 90 days, next to what the current grid does, both
 * through the real decide() (app/recovery/grid/replay.ts).
 *
 * What the replay reads per incident, built as a decision builds it
 * (decision-input.server.ts): type, severity, measure, order figures (kept in
 * the incident's evidence by detection, else the stored order), exclusions and
 * cancel reason from the stored order and the cached customer tags, whether
 * another incident's make-good already compensates the order (as of today),
 * the customer, and the tier the incident was decided with (Incident.tier;
 * else the cached customer value; a guest is NEW). The shop's guardrail
 * settings and gift prices are today's.
 *
 * What it cannot know, and says so on the page: the budget and customer
 * history as they were (it builds its own, counting only its own offers in the
 * window), whether staff would have approved, and whether customers would
 * have redeemed. Incidents already refused on eligibility stay refused.
 *
 * Bounded: one indexed query (Incident by shop and detectedAt), the newest
 * PREVIEW_CAP incidents at most (the result says when it was capped), their
 * orders and customers in one query each, and a make-good count per order.
 */
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import { currentGrid } from "../models/grid.server";
import { shopContext } from "../models/shop-settings.server";
import { giftVariantIds, type Grid, type MinorUnits, type TierAssessment } from "../recovery";
import { replayGrid, type ReplayIncident, type ReplayTotals } from "../recovery/grid/replay";
import { compensatedIncidents, decisionIncidentOf, storedDecisionOrder, tierOf } from "./decision-input.server";
import { lifecyclesForPreview } from "./lifecycle.server";
import type { LifecycleStage } from "../recovery/lifecycle";

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
  /**
   * The lifecycle stage the preview was asked about (decision 0115): only its customers' incidents
   * were replayed. Null: every incident, each with its own stage.
   */
  stage: LifecycleStage | null;
  /** Incidents by stage (of the window, before any stage filter); "NONE": a guest, or no cached order count. */
  stages: Record<LifecycleStage | "NONE", number>;
}

/** Current prices of gift variants in the shop currency; a variant it cannot price is left out. */
export type VariantPriceLookup = (ids: string[], currency: string) => Promise<Record<string, MinorUnits>>;

export async function previewGrid(
  shop: string,
  draft: Grid,
  prices: VariantPriceLookup,
  options: { stage?: LifecycleStage | null } = {},
): Promise<GridPreview> {
  const stage = options.stage ?? null;
  const ctx = await shopContext(shop);
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

  // Every incident's order and customer, in two queries: exclusions need their tags.
  const orderGids = [...new Set(incidents.map((i) => i.orderGid))];
  const orders = orderGids.length
    ? await prisma.orderRecord.findMany({
        where: { shop, orderGid: { in: orderGids } },
        select: { orderGid: true, test: true, tags: true, cancelReason: true, totalPrice: true, currency: true },
      })
    : [];
  const orderOf = new Map(orders.map((o) => [o.orderGid, storedDecisionOrder(o)]));
  const customers = [...new Set(incidents.flatMap((i) => (i.customerGid ? [i.customerGid] : [])))];
  // The cached value however old: a preview does not call Shopify once per customer.
  const values = customers.length
    ? await prisma.customerValue.findMany({ where: { shop, customerGid: { in: customers } } })
    : [];
  const valueOf = new Map(values.map((v) => [v.customerGid, v]));
  const compensated = await compensatedIncidents(
    prisma,
    shop,
    incidents.filter((i) => i.decision !== "INELIGIBLE"),
  );

  const tierSources = {
    decision: 0,
    customerValue: 0,
    guest: 0,
    assumedNew: 0,
  };
  const tierFor = (i: (typeof incidents)[number]): TierAssessment => {
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
      return tierOf(null, ctx);
    }
    const cached = valueOf.get(i.customerGid);
    if (cached) {
      tierSources.customerValue += 1;
      return tierOf(cached, ctx);
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

  const lifecycles = await lifecyclesForPreview(
    shop,
    incidents,
    new Map(values.map((v) => [v.customerGid, v.numberOfOrders])),
    ctx.recovery.lifecycle,
  );
  const stages: GridPreview["stages"] = { FIRST_ORDER: 0, RETURNING: 0, LAPSED: 0, FREQUENT: 0, NONE: 0 };
  for (const i of incidents) stages[lifecycles.get(i.id)?.assessment.stage ?? "NONE"] += 1;
  const replayed: ReplayIncident[] = incidents
    .filter((i) => stage === null || lifecycles.get(i.id)?.assessment.stage === stage)
    .map((i) => {
      const customerTags = i.customerGid ? (valueOf.get(i.customerGid)?.tags ?? []) : [];
      const incident = decisionIncidentOf(i, orderOf.get(i.orderGid) ?? null, customerTags, ctx.recovery.detection);
      const lifecycle = lifecycles.get(i.id);
      return {
        incident: { ...incident, alreadyCompensated: compensated.has(i.id) },
        tier: tierFor(i),
        knownIneligible: i.decision === "INELIGIBLE",
        ...(lifecycle ? { lifecycle } : {}),
      };
    });

  const giftIds = [...new Set([...giftVariantIds(current.grid), ...giftVariantIds(draft)])];
  const known = giftIds.length ? await prices(giftIds, ctx.currency) : {};
  const unpriced = giftIds.filter((id) => known[id] === undefined);
  const variantPrices = {
    ...Object.fromEntries(unpriced.map((id) => [id, 0])),
    ...known,
  };

  const shopFacts = { currency: ctx.currency, timeZone: ctx.timeZone };
  const settings = ctx.recovery.decision;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    incidents: replayed.length,
    capped,
    currentVersion: current.version,
    current: replayGrid({
      incidents: replayed,
      gridVersion: current,
      settings,
      shop: shopFacts,
      variantPrices,
    }),
    draft: replayGrid({
      incidents: replayed,
      gridVersion: { ...current, version: current.version + 1, grid: draft },
      settings,
      shop: shopFacts,
      variantPrices,
    }),
    tierSources,
    unpricedGifts: unpriced.length,
    stage,
    stages,
  };
}
