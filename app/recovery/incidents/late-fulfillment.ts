/**
 * LATE_FULFILLMENT: the order is still (partly) unfulfilled at its ship-by
 * deadline. Deadline per open fulfillment order: its explicit `fulfillBy` when
 * Shopify has one (a promise made for that fulfillment order, earlier or
 * later than the shop's default), else the shop's handling time in business
 * days from when the order came in (or from `fulfillAt` for scheduled ones).
 * See docs/decisions/0102-incident-detection-rules.md.
 */
import { isoOrNull } from "../json";
import { addBusinessDays, businessDaysBetween, type BusinessCalendar } from "../time";
import type { FulfillmentOrderFacts, OrderFacts } from "./facts";
import { rootCauseOf } from "./root-cause";
import type { DetectionSettings } from "./settings";
import type { DetectionContext, SignalOf } from "./signals";

export type DeadlineSource = "FULFILL_BY" | "HANDLING_TIME";

export interface ShipByDeadline {
  fulfillmentOrderId: string;
  /** The last moment the order could ship on time. */
  at: Date;
  source: DeadlineSource;
}

type CalendarSettings = Pick<DetectionSettings, "handlingDays" | "weekendDays" | "holidays">;

export function businessCalendar(settings: CalendarSettings, timeZone: string): BusinessCalendar {
  return { timeZone, weekendDays: settings.weekendDays, holidays: settings.holidays };
}

/** The handling-time deadline for an order created at `createdAt`; the service sets its timer to it. */
export function handlingDeadline(createdAt: Date, settings: CalendarSettings, timeZone: string): Date {
  return addBusinessDays(createdAt, settings.handlingDays, businessCalendar(settings, timeZone));
}

export function shipByDeadline(
  order: Pick<OrderFacts, "createdAt">,
  fulfillmentOrder: FulfillmentOrderFacts,
  settings: CalendarSettings,
  timeZone: string,
): ShipByDeadline {
  if (fulfillmentOrder.fulfillBy) {
    return { fulfillmentOrderId: fulfillmentOrder.id, at: fulfillmentOrder.fulfillBy, source: "FULFILL_BY" };
  }
  const scheduled = fulfillmentOrder.fulfillAt;
  const start = scheduled && scheduled > order.createdAt ? scheduled : order.createdAt;
  return {
    fulfillmentOrderId: fulfillmentOrder.id,
    at: handlingDeadline(start, settings, timeZone),
    source: "HANDLING_TIME",
  };
}

const isOpen = (fo: FulfillmentOrderFacts) => fo.state === "unfulfilled" || fo.state === "partial";

export function detectLateFulfillment(
  order: OrderFacts,
  context: DetectionContext,
  settings: DetectionSettings,
): SignalOf<"LATE_FULFILLMENT"> | null {
  if (order.cancelledAt) return null;
  const calendar = businessCalendar(settings, context.timeZone);
  const late = order.fulfillmentOrders
    .filter(isOpen)
    .map((fo) => ({ fo, deadline: shipByDeadline(order, fo, settings, context.timeZone) }))
    .filter(({ deadline }) => context.now.getTime() > deadline.at.getTime())
    // Any lateness is at least day 1: an order due Friday still unshipped on Saturday is late.
    .map((entry) => ({
      ...entry,
      daysLate: Math.max(1, businessDaysBetween(entry.deadline.at, context.now, calendar)),
    }));
  if (late.length === 0) return null;
  const daysLate = Math.max(...late.map((entry) => entry.daysLate));
  const firstMissed = Math.min(...late.map((entry) => entry.deadline.at.getTime()));
  return {
    type: "LATE_FULFILLMENT",
    orderId: order.id,
    customerId: order.customerId,
    occurredAt: new Date(firstMissed + 1),
    measure: { kind: "BUSINESS_DAYS_LATE", days: daysLate },
    evidence: {
      checkedAt: context.now.toISOString(),
      orderCreatedAt: order.createdAt.toISOString(),
      handlingDays: settings.handlingDays,
      lateFulfillmentOrders: late.map(({ fo, deadline, daysLate: days }) => ({
        id: fo.id,
        state: fo.state,
        deadline: deadline.at.toISOString(),
        deadlineSource: deadline.source,
        fulfillAt: isoOrNull(fo.fulfillAt),
        businessDaysLate: days,
      })),
    },
    rootCause: rootCauseOf(order, { fulfillmentOrders: late.map(({ fo }) => fo) }),
  };
}
