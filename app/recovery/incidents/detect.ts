import { detectDeliveryDelay, detectDeliveryFailure } from "./delivery";
import { exclusionOf } from "./exclusions";
import type { OrderFacts } from "./facts";
import { detectLateFulfillment } from "./late-fulfillment";
import { detectMerchantCancellation, detectRefund } from "./refund-and-cancellation";
import { rootCauseOf } from "./root-cause";
import type { DetectionSettings } from "./settings";
import type { Detection, DetectionContext, IncidentSignal, ManualCategory, SignalOf } from "./signals";
import type { Severity } from "../vocabulary";

type Detector = (order: OrderFacts, context: DetectionContext, settings: DetectionSettings) => IncidentSignal | null;

const DETECTORS: readonly Detector[] = [
  detectLateFulfillment,
  detectDeliveryDelay,
  detectDeliveryFailure,
  detectRefund,
  detectMerchantCancellation,
];

/**
 * Every automatic signal the order shows at `context.now`, or why the order
 * is excluded. Idempotent: run it on every change to the order; the caller
 * opens one incident per (order, type) and raises it on a worse signal.
 */
export function detectIncidents(order: OrderFacts, context: DetectionContext, settings: DetectionSettings): Detection {
  const excluded = exclusionOf(order, settings);
  if (excluded) return excluded;
  const signals = DETECTORS.map((detect) => detect(order, context, settings)).filter(
    (signal): signal is IncidentSignal => signal !== null,
  );
  return { kind: "SIGNALS", signals };
}

export interface ManualReport {
  category: ManualCategory;
  severity: Severity;
  /** When the customer was let down, as staff recorded it. */
  occurredAt: Date;
  note: string;
  reportedBy: string;
}

/** A staff-opened incident (a complaint by mail, phone, chat). Exclusions still apply. */
export function manualSignal(order: OrderFacts, report: ManualReport, settings: DetectionSettings): Detection {
  const excluded = exclusionOf(order, settings);
  if (excluded) return excluded;
  const signal: SignalOf<"MANUAL"> = {
    type: "MANUAL",
    orderId: order.id,
    customerId: order.customerId,
    occurredAt: report.occurredAt,
    measure: { kind: "STAFF_CHOSEN", severity: report.severity, category: report.category },
    // The order's value, as the detectors record it: a percentage make-good is valued on it.
    evidence: {
      category: report.category,
      severity: report.severity,
      note: report.note,
      reportedBy: report.reportedBy,
      orderTotalMinor: order.totals.totalMinor,
      orderSubtotalMinor: order.totals.subtotalMinor,
    },
    rootCause: rootCauseOf(order),
  };
  return { kind: "SIGNALS", signals: [signal] };
}
