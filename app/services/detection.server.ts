/**
 * Detection use cases: re-read an order from the Admin API, run the pure
 * detectors at clock().now(), and open or raise incidents. Detection is
 * state-based (it never trusts the webhook that triggered it), so duplicate,
 * late and out-of-order webhooks converge on the same incidents.
 */
import { clock } from "../clock.server";
import { prisma, type Tx } from "../db.server";
import { enqueue } from "../queue/enqueue.server";
import { ShopUninstalledError, TerminalJobError } from "../queue/errors";
import { customerValueFor } from "../models/customer-value.server";
import { flowTriggerInUse } from "../models/flow-triggers.server";
import { offerOfGiftOrder } from "../models/offers.server";
import { openOrRaiseIncident, otherIncidentDates, type OpenOrRaise } from "../models/incidents.server";
import { shopContext, type ShopContext } from "../models/shop-settings.server";
import {
  addBusinessDays,
  assessSeverity,
  businessCalendar,
  deliveryRecheckAt,
  detectIncidents,
  handlingDeadline,
  localDate,
  MS_PER_DAY,
  shipByDeadline,
  startOfLocalDay,
  type Detection,
  type OrderFacts,
  type RecoverySettings,
  type ShipByDeadline,
  manualSignal,
  type ManualReport,
} from "../recovery";
import type { AdminClient } from "../shopify/admin-client.server";
import { INCIDENT_DETECTED_TRIGGER } from "../shopify/flow/triggers";
import { orderFactsFromAdmin } from "../shopify/mappers/order-facts";
import type { OperationResult } from "../shopify/operation";
import { orderForRecovery } from "../shopify/operations/order-for-recovery";
import { recentUnfulfilledOrders } from "../shopify/operations/recent-unfulfilled-orders";
import { recentShippedOrders } from "../shopify/operations/recent-shipped-orders";
import { fulfillmentEventPayload, type FulfillmentEventPayload } from "../shopify/webhooks/payloads";
import { recordFulfillmentEvent } from "../models/order-facts.server";
import { numericId } from "../shopify/search-query";
import { backgroundAdmin } from "../shopify/admin.server";
import { closeSettledIncidents, markFailuresEnded } from "./incident-closing.server";

/** Re-checks of a late order after its deadline; severity tops out (critical) at 10 business days by default. */
const MAX_SHIP_BY_CHECKS = 15;
/** Days of orders the daily sweep looks back over. */
const RECONCILE_LOOKBACK_DAYS = 30;
/** Debounce for detect-order: a burst of webhooks about one order becomes one read. */
export const DETECT_DEBOUNCE_MS = 500;

const deliveryJobKey = (shop: string, orderGid: string) => `delivery:${shop}:${orderGid}`;
const shipByJobKey = (shop: string, orderGid: string) => `ship-by:${shop}:${orderGid}`;
const detectJobKey = (shop: string, orderGid: string) => `detect:${shop}:${orderGid}`;

export interface DetectionDeps {
  admin?: AdminClient;
  /**
   * Move the ship-by timer to an explicit `fulfillBy` the read revealed (the orders/create
   * payload has none, so the timer starts at the shop's handling time). Default true; the
   * ship-by check itself schedules its own next run.
   */
  adjustTimer?: boolean;
}

export type DetectOrderOutcome =
  | { kind: "EXCLUDED"; reason: string; facts: OrderFacts }
  | { kind: "DETECTED"; facts: OrderFacts; results: Array<OpenOrRaise & { type: string }> };

/** The shop's context, or a terminal error when Amends should not work for it. */
async function activeShop(shop: string, db: Tx = prisma): Promise<ShopContext> {
  const context = await shopContext(shop, db);
  if (!context.known) throw new TerminalJobError(`shop ${shop} is not known to Amends`, "SHOP_UNKNOWN");
  if (!context.installed) throw new ShopUninstalledError(shop);
  return context;
}

async function readOrder(admin: AdminClient, orderGid: string) {
  const { order } = await admin.run(orderForRecovery, { id: orderGid });
  if (!order)
    throw new TerminalJobError(
      `order ${orderGid} not found (deleted, or older than the app can read)`,
      "ORDER_NOT_FOUND",
    );
  return order;
}

/**
 * Whether an offer records this order as Amends's own free gift: the link that survives a merchant
 * removing the gift tag (decision 0112). Detection leaves such orders alone.
 */
async function madeByAmends(shop: string, order: { id: string; customer: { id: string } | null }): Promise<boolean> {
  return (await offerOfGiftOrder(prisma, shop, order.id, order.customer?.id ?? null)) !== null;
}

/** Read the order, detect, and open or raise its incidents. */
export async function detectOrder(
  shop: string,
  orderGid: string,
  deps: DetectionDeps = {},
): Promise<DetectOrderOutcome> {
  const context = await activeShop(shop);
  const admin = deps.admin ?? (await backgroundAdmin(shop));
  const order = await readOrder(admin, orderGid);
  const now = clock().now();
  const gift = await madeByAmends(shop, order);
  let facts = orderFactsFromAdmin(order, { madeByAmends: gift });
  const detectionContext = { now, timeZone: context.timeZone };
  let detection: Detection = detectIncidents(facts, detectionContext, context.recovery.detection);
  // Customer tags (staff accounts, opted-out customers) only matter once there is something to open.
  if (detection.kind === "SIGNALS" && detection.signals.length > 0 && facts.customerId) {
    const value = await customerValueFor(shop, facts.customerId, { admin });
    facts = orderFactsFromAdmin(order, { customerTags: value?.tags ?? [], madeByAmends: gift });
    detection = detectIncidents(facts, detectionContext, context.recovery.detection);
  }
  if (detection.kind === "EXCLUDED") {
    // An order excluded now (cancelled by the customer, say) may still end an incident opened before.
    await prisma.$transaction(async (tx) => {
      if ((await markFailuresEnded(tx, shop, facts, now)) > 0) await closeSettledIncidents(shop, now, { orderGid }, tx);
    });
    return { kind: "EXCLUDED", reason: detection.reason, facts };
  }
  const signals = detection.signals;
  const timer = deps.adjustTimer === false ? null : explicitShipByTimer(facts, context, now);
  const deliveryCheck = deliveryRecheckAt(facts, detectionContext);
  const results = await prisma.$transaction(async (tx) => {
    if (timer) {
      await enqueue(
        tx,
        "check-ship-by",
        { v: 1, shop, orderGid, check: 1 },
        { runAt: timer, jobKey: shipByJobKey(shop, orderGid) },
      );
    }
    if (deliveryCheck) {
      await enqueue(
        tx,
        "detect-order",
        { v: 1, shop, orderGid, reason: "delivery-promise" },
        { runAt: deliveryCheck, jobKey: deliveryJobKey(shop, orderGid) },
      );
    }
    const out: Array<OpenOrRaise & { type: string }> = [];
    for (const signal of signals) {
      const since = new Date(now.getTime() - context.recovery.severity.repeatCustomerWindowDays * MS_PER_DAY);
      const otherIncidentsAt = await otherIncidentDates(tx, shop, signal.customerId, signal.orderId, since);
      const assessment = assessSeverity(
        signal,
        { orderValueMinor: facts.totals.totalMinor, otherIncidentsAt, at: now },
        context.recovery.severity,
      );
      if (!assessment) continue;
      const result = await openOrRaiseIncident(tx, {
        shop,
        orderName: facts.name,
        signal,
        assessment,
        detectedAt: now,
      });
      if (result.kind !== "UNCHANGED") await enqueueDecision(tx, shop, result);
      out.push({ ...result, type: signal.type });
    }
    await markFailuresEnded(tx, shop, facts, now);
    await closeSettledIncidents(shop, now, { orderGid }, tx);
    return out;
  });
  return { kind: "DETECTED", facts, results };
}

/** The earliest ship-by deadline among the order's open fulfillment orders; null when nothing is left to ship. */
function earliestOpenDeadline(facts: OrderFacts, settings: RecoverySettings, timeZone: string): ShipByDeadline | null {
  if (facts.cancelledAt) return null;
  const deadlines = facts.fulfillmentOrders
    .filter((fo) => fo.state === "unfulfilled" || fo.state === "partial")
    .map((fo) => shipByDeadline(facts, fo, settings.detection, timeZone))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return deadlines[0] ?? null;
}

/** When Amends calls an order late to ship, and from what (the demo's control panel shows it). */
export interface OrderShipBy {
  /** The earliest open fulfillment order's deadline: once it has passed, the order is late. */
  deadline: ShipByDeadline;
  /** When the order came in (handling time counts from the business day it was received). */
  receivedAt: Date;
  /** The shop's time zone and calendar in Amends's settings, which the deadline was computed with. */
  timeZone: string;
  handlingDays: number;
  weekendDays: readonly number[];
  holidays: readonly string[];
}

/**
 * The ship-by deadline detection holds an order to, computed as detection computes it: the order
 * read from the Admin API, the shop's own settings and time zone, the earliest open fulfillment
 * order's deadline. Null when nothing is left to ship (shipped in full, or cancelled).
 */
export async function orderShipBy(
  shop: string,
  orderGid: string,
  deps: Pick<DetectionDeps, "admin"> = {},
): Promise<OrderShipBy | null> {
  const context = await activeShop(shop);
  const admin = deps.admin ?? (await backgroundAdmin(shop));
  const facts = orderFactsFromAdmin(await readOrder(admin, orderGid));
  const deadline = earliestOpenDeadline(facts, context.recovery, context.timeZone);
  if (!deadline) return null;
  const { handlingDays, weekendDays, holidays } = context.recovery.detection;
  return { deadline, receivedAt: facts.createdAt, timeZone: context.timeZone, handlingDays, weekendDays, holidays };
}

/** When an explicit fulfillBy (not yet passed) sets the order's deadline: the timer's new run_at. */
function explicitShipByTimer(facts: OrderFacts, context: ShopContext, now: Date): Date | null {
  const deadline = earliestOpenDeadline(facts, context.recovery, context.timeZone);
  if (!deadline || deadline.source !== "FULFILL_BY" || now.getTime() > deadline.at.getTime()) return null;
  return new Date(deadline.at.getTime() + 1);
}

/** When the ship-by timer fires for an order created at `createdAt`: just after its handling deadline. */
function shipByRunAt(createdAt: Date, settings: RecoverySettings, timeZone: string): Date {
  return new Date(handlingDeadline(createdAt, settings.detection, timeZone).getTime() + 1);
}

/** Start of the next business day in shop time: the moment an unshipped order becomes one business day later. */
function nextBusinessDayStart(now: Date, settings: RecoverySettings, timeZone: string): Date {
  const nextEnd = addBusinessDays(now, 1, businessCalendar(settings.detection, timeZone));
  return startOfLocalDay(localDate(nextEnd, timeZone), timeZone);
}

export type ShipByOutcome =
  | { kind: "DONE"; reason: "FULFILLED_OR_CANCELLED" | "EXCLUDED" | "MAX_CHECKS" }
  | { kind: "NOT_YET_DUE"; rescheduledAt: Date }
  | { kind: "CHECKED"; results: Array<OpenOrRaise & { type: string }>; nextCheckAt: Date };

/**
 * The ship-by timer: detect (LATE_FULFILLMENT opens once the deadline has
 * passed), then schedule the next check so severity escalates with the days,
 * until the order ships, is cancelled, or MAX_SHIP_BY_CHECKS is reached.
 */
export async function checkShipBy(
  shop: string,
  orderGid: string,
  check: number,
  deps: DetectionDeps = {},
): Promise<ShipByOutcome> {
  const context = await activeShop(shop);
  const outcome = await detectOrder(shop, orderGid, { ...deps, adjustTimer: false });
  if (outcome.kind === "EXCLUDED") return { kind: "DONE", reason: "EXCLUDED" };
  const now = clock().now();
  const deadline = earliestOpenDeadline(outcome.facts, context.recovery, context.timeZone);
  if (!deadline) return { kind: "DONE", reason: "FULFILLED_OR_CANCELLED" };
  const jobKey = shipByJobKey(shop, orderGid);
  if (now.getTime() <= deadline.at.getTime()) {
    // An explicit fulfillBy later than the shop's handling time: wait for it.
    const rescheduledAt = new Date(deadline.at.getTime() + 1);
    await prisma.$transaction((tx) =>
      enqueue(tx, "check-ship-by", { v: 1, shop, orderGid, check }, { runAt: rescheduledAt, jobKey }),
    );
    return { kind: "NOT_YET_DUE", rescheduledAt };
  }
  if (check >= MAX_SHIP_BY_CHECKS) return { kind: "DONE", reason: "MAX_CHECKS" };
  const nextCheckAt = nextBusinessDayStart(now, context.recovery, context.timeZone);
  await prisma.$transaction((tx) =>
    enqueue(tx, "check-ship-by", { v: 1, shop, orderGid, check: check + 1 }, { runAt: nextCheckAt, jobKey }),
  );
  return { kind: "CHECKED", results: outcome.results, nextCheckAt };
}

/**
 * Make sure an open order has its ship-by timer, inside the webhook's transaction. A pending timer
 * keeps its run_at (preserve_run_at), so replays never postpone or restart it; a missing one (first
 * delivery, or a chain that ended) is created at the handling deadline.
 */
export async function scheduleShipBy(
  tx: Tx,
  shop: string,
  order: { orderGid: string; createdAt: Date },
): Promise<void> {
  const context = await shopContext(shop, tx);
  if (!context.installed) return;
  await ensureShipByTimer(tx, shop, context, order);
}

/** The first ship-by check at the order's handling deadline, unless one is pending (it keeps its run_at). */
async function ensureShipByTimer(
  tx: Tx,
  shop: string,
  context: ShopContext,
  order: { orderGid: string; createdAt: Date },
): Promise<void> {
  const runAt = shipByRunAt(order.createdAt, context.recovery, context.timeZone);
  await enqueue(
    tx,
    "check-ship-by",
    { v: 1, shop, orderGid: order.orderGid, check: 1 },
    { runAt, jobKey: shipByJobKey(shop, order.orderGid), jobKeyMode: "preserve_run_at" },
  );
}

/** A debounced re-detection of an order, inside the webhook's transaction. */
export async function scheduleDetection(tx: Tx, shop: string, orderGid: string, reason: string): Promise<void> {
  const runAt = new Date(clock().now().getTime() + DETECT_DEBOUNCE_MS);
  await enqueue(
    tx,
    "detect-order",
    { v: 1, shop, orderGid, reason: reason.slice(0, 64) },
    { runAt, jobKey: detectJobKey(shop, orderGid) },
  );
}

/**
 * A carrier event, from its webhook or found by the daily reconcile (its webhook was lost): store
 * it, then have detection look at its order again. The one path both take, so a missed event is
 * detected exactly as a delivered one.
 */
export async function recordCarrierEvent(
  tx: Tx,
  shop: string,
  event: FulfillmentEventPayload,
  reason = "fulfillment_events/create",
): Promise<{ orderGid: string }> {
  const result = await recordFulfillmentEvent(tx, shop, event);
  await scheduleDetection(tx, shop, result.orderGid, reason);
  return result;
}

export interface ReconcileOutcome {
  orders: number;
  timersEnsured: number;
  /** Open orders with a parcel shipped, read for carrier events whose webhook was lost. */
  shippedOrders: number;
  /** Carrier events found that no webhook had stored: recorded, and their orders re-detected. */
  eventsRecovered: number;
  incidentsClosed: number;
}

/**
 * The daily sweep: every open, unfulfilled order of the last days gets its
 * ship-by timer. preserve_run_at keeps a pending timer (and its escalation
 * schedule) where it is, and creates one for an order whose webhook was lost.
 * Then every open order of the same days with a parcel shipped and not yet
 * delivered has its carrier events compared with the stored ones: an event
 * whose webhook was lost is recorded through recordCarrierEvent, the webhook's
 * own path, and its order re-detected.
 */
export async function reconcileShop(shop: string, deps: DetectionDeps = {}): Promise<ReconcileOutcome> {
  const context = await activeShop(shop);
  const admin = deps.admin ?? (await backgroundAdmin(shop));
  const since = new Date(clock().now().getTime() - RECONCILE_LOOKBACK_DAYS * MS_PER_DAY);
  let after: string | null = null;
  let orders = 0;
  let timersEnsured = 0;
  for (;;) {
    const page: OperationResult<typeof recentUnfulfilledOrders> = await admin.run(recentUnfulfilledOrders, {
      since,
      after,
    });
    // Test orders never open incidents: no timer, no read.
    const due = page.orders.nodes.filter((o) => !o.cancelledAt && !o.test);
    orders += page.orders.nodes.length;
    if (due.length > 0) {
      await prisma.$transaction(async (tx) => {
        for (const order of due) {
          await ensureShipByTimer(tx, shop, context, { orderGid: order.id, createdAt: order.createdAt });
        }
      });
      timersEnsured += due.length;
    }
    if (!page.orders.pageInfo.hasNextPage || !page.orders.pageInfo.endCursor) break;
    after = page.orders.pageInfo.endCursor;
  }
  const { shippedOrders, eventsRecovered } = await recoverCarrierEvents(shop, admin, since);
  // Incidents whose recovery settled since their failure ended (an approval decided late, say).
  const closed = await closeSettledIncidents(shop, clock().now());
  return { orders, timersEnsured, shippedOrders, eventsRecovered, incidentsClosed: closed.length };
}

type ShippedOrder = OperationResult<typeof recentShippedOrders>["orders"]["nodes"][number];

/** A parcel the carrier may still report on: not cancelled, not delivered (by its status or date). */
const underWay = (parcel: ShippedOrder["fulfillments"][number]) =>
  parcel.deliveredAt === null && parcel.displayStatus !== "DELIVERED" && parcel.displayStatus !== "CANCELED";

/**
 * The second half of the sweep: carrier events on parcels still under way that no webhook stored.
 * Orders created since `since` (so shipped since then too); a page of 5 at a time through the
 * shared bucket, one query of stored event ids per page, one transaction per page with a missed event.
 */
async function recoverCarrierEvents(
  shop: string,
  admin: AdminClient,
  since: Date,
): Promise<{ shippedOrders: number; eventsRecovered: number }> {
  let after: string | null = null;
  let shippedOrders = 0;
  let eventsRecovered = 0;
  for (;;) {
    const page: OperationResult<typeof recentShippedOrders> = await admin.run(recentShippedOrders, { since, after });
    shippedOrders += page.orders.nodes.length;
    const seen = page.orders.nodes
      .filter((o) => !o.cancelledAt && !o.test)
      .flatMap((o) => o.fulfillments.filter(underWay).flatMap((f) => f.events.nodes.map((e) => ({ o, f, e }))));
    if (seen.length > 0) {
      const stored = await prisma.fulfillmentEventRecord.findMany({
        where: { shop, eventGid: { in: seen.map(({ e }) => e.id) } },
        select: { eventGid: true },
      });
      const known = new Set(stored.map((r) => r.eventGid));
      const missed = seen.filter(({ e }) => !known.has(e.id));
      if (missed.length > 0) {
        await prisma.$transaction(async (tx) => {
          for (const { o, f, e } of missed) {
            // Through the webhook payload's own schema: what is stored is what the webhook would have stored.
            const payload = fulfillmentEventPayload.parse({
              admin_graphql_api_id: e.id,
              fulfillment_id: numericId(f.id),
              order_id: numericId(o.id),
              status: e.status.toLowerCase(),
              message: e.message,
              happened_at: e.happenedAt,
              estimated_delivery_at: e.estimatedDeliveryAt,
            });
            await recordCarrierEvent(tx, shop, payload, "reconcile: missed fulfillment event");
          }
        });
        eventsRecovered += missed.length;
      }
    }
    if (!page.orders.pageInfo.hasNextPage || !page.orders.pageInfo.endCursor) break;
    after = page.orders.pageInfo.endCursor;
  }
  return { shippedOrders, eventsRecovered };
}

/**
 * A new incident is decided and, where a Flow workflow uses "Recovery incident detected" or the
 * shop's mail server is on, announced and acknowledged to the customer (the job sends each channel
 * at most once); a raised one may supersede a make-good not yet issued.
 */
async function enqueueDecision(tx: Tx, shop: string, result: OpenOrRaise): Promise<void> {
  if (result.kind === "OPENED") {
    await enqueue(tx, "decide-incident", { v: 1, shop, incidentId: result.incidentId, reason: "OPENED" });
    // The acknowledgement (decision 0113) rides the trigger or the shop's mail server, whatever the decision.
    const acknowledge =
      (await flowTriggerInUse(shop, INCIDENT_DETECTED_TRIGGER, tx)) ||
      (await shopContext(shop, tx)).offers.email?.enabled === true;
    if (acknowledge) {
      await enqueue(
        tx,
        "notify-incident",
        { v: 1, shop, incidentId: result.incidentId },
        { jobKey: `notify-incident:${result.incidentId}`, jobKeyMode: "unsafe_dedupe" },
      );
    }
  } else if (result.kind === "RAISED") {
    await enqueue(
      tx,
      "decide-incident",
      { v: 1, shop, incidentId: result.incidentId, reason: "RAISED" },
      { jobKey: `redecide:${shop}:${result.incidentId}` },
    );
  }
}

export type ManualIncidentOutcome =
  { kind: "OPENED" | "RAISED" | "UNCHANGED"; incidentId: string } | { kind: "EXCLUDED"; reason: string };

/** A manual report checked against the order as read: what writeManualIncident stores. */
export type PreparedManualIncident =
  { kind: "EXCLUDED"; reason: string } | { kind: "READY"; incident: Parameters<typeof openOrRaiseIncident>[1] };

/**
 * The reading half of a manual incident: the shop, the order from the Admin API, exclusions. Holds
 * no connection across the Admin call (each query takes and returns its own), so a caller can do
 * this before its transaction and keep that transaction to database work only (decision 0021).
 */
export async function prepareManualIncident(
  shop: string,
  orderGid: string,
  report: Omit<ManualReport, "occurredAt"> & { occurredAt?: Date },
  deps: DetectionDeps = {},
): Promise<PreparedManualIncident> {
  const context = await activeShop(shop);
  const admin = deps.admin ?? (await backgroundAdmin(shop));
  const order = await readOrder(admin, orderGid);
  const facts = orderFactsFromAdmin(order, { madeByAmends: await madeByAmends(shop, order) });
  const now = clock().now();
  const detection = manualSignal(
    facts,
    { ...report, occurredAt: report.occurredAt ?? now },
    context.recovery.detection,
  );
  if (detection.kind === "EXCLUDED") return { kind: "EXCLUDED", reason: detection.reason };
  const [signal] = detection.signals;
  if (!signal) return { kind: "EXCLUDED", reason: "NO_SIGNAL" };
  // Staff chose the severity: no boosts on top of it.
  const assessment = { severity: report.severity, base: report.severity, boosts: [] };
  return { kind: "READY", incident: { shop, orderName: facts.name, signal, assessment, detectedAt: now } };
}

/** The writing half: open or raise the incident and enqueue its decision, on the caller's transaction only. */
export async function writeManualIncident(
  tx: Tx,
  prepared: Extract<PreparedManualIncident, { kind: "READY" }>,
): Promise<Exclude<ManualIncidentOutcome, { kind: "EXCLUDED" }>> {
  const result = await openOrRaiseIncident(tx, prepared.incident);
  if (result.kind !== "UNCHANGED") await enqueueDecision(tx, prepared.incident.shop, result);
  return { kind: result.kind, incidentId: result.incidentId };
}

/**
 * A staff member opens an incident for an order (a complaint by mail, phone or chat), choosing its
 * category and severity. The order is re-read so exclusions (test orders, excluded tags) still
 * apply; a second report for the same order raises the open one instead of opening another.
 */
export async function openManualIncident(
  shop: string,
  orderGid: string,
  report: Omit<ManualReport, "occurredAt"> & { occurredAt?: Date },
  deps: DetectionDeps = {},
): Promise<ManualIncidentOutcome> {
  const prepared = await prepareManualIncident(shop, orderGid, report, deps);
  if (prepared.kind === "EXCLUDED") return prepared;
  return prisma.$transaction((tx) => writeManualIncident(tx, prepared));
}
