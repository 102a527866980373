/**
 * What decide() reads, assembled one way for all its callers: the automatic decision
 * (decideIncident), the order page's suggestion (make-good) and the grid preview.
 *
 * In two halves, because a decision is written under locks and no lock may be held across the
 * network:
 * - prepareDecision, before any transaction: the shop's settings, the grid, the customer's value
 *   (tier and tags, from Shopify when the cache is stale), the order's figures, exclusions and
 *   cancel reason, and the gift prices.
 * - completeDecisionInput, inside the transaction: takes the decision's per-order and per-customer
 *   lock, then reads what concurrent decisions change: whether the order is already compensated,
 *   the customer's offers of the past year and the month's budget, and (for a cell with the
 *   preferred-kind option) what the customer redeemed before.
 *
 * The grid preview decides many past incidents without locks and keeps its own history; it builds
 * each incident with the same pieces (decisionIncidentOf, tierOf, storedDecisionOrder,
 * giftVariantPrices) from rows it reads in bulk.
 */
import type { Incident, OrderRecord } from "@prisma/client";
import { prisma, type Tx } from "../db.server";
import { budgetMonthOf, readBudgetMonth } from "../models/budget.server";
import { customerValueFor } from "../models/customer-value.server";
import { currentGrid, currentGridReadOnly } from "../models/grid.server";
import { standingAssignmentFor } from "../models/incidents.server";
import {
  customerOfferHistory,
  customerRedemptionHistory,
  lockDecisionTargets,
  orderAlreadyCompensated,
} from "../models/offers.server";
import { shopContext, type ShopContext } from "../models/shop-settings.server";
import {
  CANCEL_REASONS,
  classifyTier,
  exclusionOf,
  giftVariantIds,
  mayReplace,
  resolveCell,
  toMinorUnits,
  type CancelReason,
  type DecisionIncident,
  type DecisionInput,
  type DetectionSettings,
  type GridVersion,
  type MinorUnits,
  type OrderFacts,
  type ReplacementLine,
  type TierAssessment,
} from "../recovery";
import type { AdminClient } from "../shopify/admin-client.server";
import { giftVariantPrices } from "./gift-products.server";
import { kindAvailability } from "./issuing/kind-availability.server";
import { backgroundAdmin } from "../shopify/admin.server";
import { readAffectedLines } from "./replacement-lines.server";
import { lifecycleFor, type LifecycleRead } from "./lifecycle.server";

const YEAR_MS = 365 * 86_400_000;

/** What is decided: a stored incident, or the draft of one (the order page's suggestion). */
export type IncidentDraft = Pick<
  Incident,
  | "id"
  | "type"
  | "measure"
  | "severity"
  | "occurredAt"
  | "detectedAt"
  | "orderGid"
  | "orderName"
  | "customerGid"
  | "evidence"
>;

/** The order's facts a decision reads, from the stored order or from Shopify. */
export interface DecisionOrder {
  test: boolean;
  tags: readonly string[];
  cancelReason: CancelReason | null;
  /** Null when not known; the incident's evidence comes first anyway. */
  totalMinor: MinorUnits | null;
  subtotalMinor: MinorUnits | null;
}

export type StoredOrderFields = Pick<OrderRecord, "test" | "tags" | "cancelReason" | "totalPrice" | "currency">;

/** The stored order (webhooks keep it), which records no subtotal: the total stands in. */
export function storedDecisionOrder(record: StoredOrderFields | null): DecisionOrder | null {
  if (!record) return null;
  const reason = record.cancelReason?.toLowerCase() ?? "";
  return {
    test: record.test,
    tags: record.tags,
    cancelReason: (CANCEL_REASONS as readonly string[]).includes(reason) ? (reason as CancelReason) : null,
    totalMinor: toMinorUnits(record.totalPrice.toFixed(2), record.currency),
    subtotalMinor: null,
  };
}

/** The order as Shopify answered it just now (the order page reads it live). */
export function liveDecisionOrder(facts: OrderFacts): DecisionOrder {
  return {
    test: facts.test,
    tags: facts.tags,
    cancelReason: facts.cancelReason,
    totalMinor: facts.totals.totalMinor,
    subtotalMinor: facts.totals.subtotalMinor,
  };
}

function numberAt(json: unknown, key: string): number | null {
  if (typeof json !== "object" || json === null) return null;
  const value = (json as Record<string, unknown>)[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * The incident as decide() sees it. Order figures come from the incident's evidence
 * (`orderTotalMinor`, `orderSubtotalMinor`) when detection recorded them, else from the order.
 * Tag exclusions are the domain's own (exclusionOf), so a decision and detection always agree.
 * `alreadyCompensated` is false here: it is read under the decision's lock (completeDecisionInput).
 */
export function decisionIncidentOf(
  draft: IncidentDraft,
  order: DecisionOrder | null,
  customerTags: readonly string[],
  detection: Pick<DetectionSettings, "excludedOrderTags" | "excludedCustomerTags">,
): DecisionIncident {
  const total = numberAt(draft.evidence, "orderTotalMinor") ?? order?.totalMinor ?? 0;
  const subtotal = numberAt(draft.evidence, "orderSubtotalMinor") ?? order?.subtotalMinor ?? total;
  // Asked one at a time: exclusionOf names only the first reason, and decide() wants each flag.
  const orderExcluded = exclusionOf({ test: false, tags: order?.tags ?? [], customerTags: [] }, detection) !== null;
  const customerExcluded = exclusionOf({ test: false, tags: [], customerTags }, detection) !== null;
  return {
    type: draft.type,
    measure: draft.measure,
    id: draft.id,
    severity: draft.severity,
    occurredAt: draft.occurredAt,
    detectedAt: draft.detectedAt,
    orderId: draft.orderGid,
    orderName: draft.orderName,
    orderTotalMinor: total,
    orderSubtotalMinor: subtotal,
    customerId: draft.customerGid,
    excluded: { testOrder: order?.test ?? false, orderExcluded, customerExcluded },
    cancelReason: order?.cancelReason ?? null,
    alreadyCompensated: false,
  } as DecisionIncident;
}

/** The customer's tier from their value (a guest, or a customer Shopify no longer has: null). */
export function tierOf(
  value: { amountSpentMinor: number; numberOfOrders: number } | null,
  ctx: Pick<ShopContext, "recovery">,
): TierAssessment {
  return classifyTier(
    value ? { amountSpentMinor: value.amountSpentMinor, numberOfOrders: value.numberOfOrders } : null,
    ctx.recovery.tiers,
  );
}

/** Everything but the state concurrent decisions change; read before the transaction. */
export interface PreparedDecision {
  shop: string;
  ctx: ShopContext;
  grid: GridVersion;
  tier: TierAssessment;
  incident: DecisionIncident;
  variantPrices: Record<string, MinorUnits>;
  /** The incident's affected lines, read only when its cell is a free replacement (decision 0116). */
  replacementLines?: ReplacementLine[];
  /** The customer's lifecycle stage (decision 0115). */
  lifecycle: LifecycleRead;
}

export interface PrepareOptions {
  /** The order as Shopify has it now (the order page read it); without it, the stored order. */
  order?: DecisionOrder | null;
  /** The Admin client to read with; without it, the shop's offline session. */
  admin?: AdminClient;
  /** Read the grid without storing the default as version 1 (a suggestion writes nothing). */
  readOnlyGrid?: boolean;
}

export async function prepareDecision(
  shop: string,
  draft: IncidentDraft,
  options: PrepareOptions = {},
): Promise<PreparedDecision> {
  const ctx = await shopContext(shop);
  const customer = await customerValueFor(shop, draft.customerGid, options.admin ? { admin: options.admin } : {});
  const order =
    options.order !== undefined
      ? options.order
      : storedDecisionOrder(
          await prisma.orderRecord.findUnique({
            where: { uniqueShopOrder: { shop, orderGid: draft.orderGid } },
          }),
        );
  const grid = options.readOnlyGrid ? await currentGridReadOnly(shop) : await currentGrid(shop);
  const gifts = giftVariantIds(grid.grid);
  const variantPrices = gifts.length
    ? await giftVariantPrices(options.admin ?? (await backgroundAdmin(shop)), gifts, ctx.currency)
    : {};
  const tier = tierOf(customer, ctx);
  const lifecycle = await lifecycleFor(shop, draft, customer, ctx.recovery.lifecycle);
  // The cell this incident resolves to, its stage's included (decision 0115).
  const replacing = mayReplace(
    resolveCell(grid.grid, draft.type, draft.severity, tier.tier, lifecycle.assessment.stage).cell,
  );
  const replacementLines = replacing
    ? await readAffectedLines(options.admin ?? (await backgroundAdmin(shop)), draft, ctx.currency)
    : undefined;
  return {
    shop,
    ctx,
    grid,
    tier,
    incident: decisionIncidentOf(draft, order, customer?.tags ?? [], ctx.recovery.detection),
    variantPrices,
    ...(replacementLines ? { replacementLines } : {}),
    lifecycle,
  };
}

/** How many orders the preview asks about at once: a few pool connections, not all of them. */
const COMPENSATION_READS_AT_ONCE = 4;

/**
 * For many incidents at once and without the lock (the grid preview): which ones the order's
 * other make-goods already compensate, by the same rule a decision reads under its lock. Orders
 * without any make-good are ruled out first, one question per order.
 */
export async function compensatedIncidents(
  db: Tx,
  shop: string,
  incidents: ReadonlyArray<{ id: string; orderGid: string }>,
): Promise<Set<string>> {
  const inBatches = async <T>(items: readonly T[], read: (item: T) => Promise<void>) => {
    for (let start = 0; start < items.length; start += COMPENSATION_READS_AT_ONCE)
      await Promise.all(items.slice(start, start + COMPENSATION_READS_AT_ONCE).map(read));
  };
  const compensatedOrders = new Set<string>();
  await inBatches([...new Set(incidents.map((i) => i.orderGid))], async (orderGid) => {
    if (await orderAlreadyCompensated(db, shop, orderGid)) compensatedOrders.add(orderGid);
  });
  const compensated = new Set<string>();
  await inBatches(
    incidents.filter((i) => compensatedOrders.has(i.orderGid)),
    async (i) => {
      if (await orderAlreadyCompensated(db, shop, i.orderGid, i.id)) compensated.add(i.id);
    },
  );
  return compensated;
}

/**
 * Inside the decision's transaction: one decider at a time per order and customer
 * (lockDecisionTargets), and only then their history and the month's budget, so two decisions
 * about one order or customer never both read "nothing given yet".
 */
export async function completeDecisionInput(tx: Tx, prepared: PreparedDecision, now: Date): Promise<DecisionInput> {
  const { shop, ctx, incident } = prepared;
  await lockDecisionTargets(tx, shop, incident.orderId, incident.customerId);
  const alreadyCompensated = await orderAlreadyCompensated(tx, shop, incident.orderId, incident.id);
  const budget = await readBudgetMonth(tx, shop, budgetMonthOf(now, ctx.timeZone));
  const customerOffers = incident.customerId
    ? await customerOfferHistory(tx, shop, incident.customerId, new Date(now.getTime() - YEAR_MS))
    : [];
  const standing = incident.customerId
    ? await standingAssignmentFor(
        tx,
        shop,
        incident.customerId,
        incident.id,
        incident.detectedAt,
        ctx.recovery.attribution.windowDays,
      )
    : null;
  // Only a cell with the "customer's preferred kind" option reads what the customer redeemed before.
  const cell = resolveCell(
    prepared.grid.grid,
    incident.type,
    incident.severity,
    prepared.tier.tier,
    prepared.lifecycle.assessment.stage,
  ).cell;
  const redemptionHistory =
    incident.customerId && cell.kind !== "NONE" && cell.preferredKind
      ? await customerRedemptionHistory(tx, shop, incident.customerId, now)
      : undefined;
  return {
    incident: { ...incident, alreadyCompensated },
    tier: prepared.tier,
    gridVersion: prepared.grid,
    settings: ctx.recovery.decision,
    shop: { currency: ctx.currency, timeZone: ctx.timeZone },
    state: { customerOffers, monthToDateIssuedMinor: budget.issuedMinor, committedMinor: budget.committedMinor },
    standing,
    // Kinds the shop cannot be given (scopes it took back, store credit on classic accounts) fall back.
    unavailableKinds: kindAvailability(ctx),
    variantPrices: prepared.variantPrices,
    ...(redemptionHistory ? { redemptionHistory } : {}),
    ...(prepared.replacementLines ? { replacementLines: prepared.replacementLines } : {}),
    lifecycle: prepared.lifecycle,
    now,
  };
}
