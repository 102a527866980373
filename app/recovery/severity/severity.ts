/**
 * Severity of a signal: the rule for its type (decision 0099 §3), then one level up for
 * a repeat customer and one for a high-value order, capped at critical.
 */
import type { IncidentSignal, MeasureByType, MeasuredSignal } from "../incidents";
import { MS_PER_DAY } from "../time";
import { raiseSeverity, type Severity } from "../vocabulary";
import type { DaysLadder, SeveritySettings } from "./settings";

/** The highest level whose threshold the days reach; null below the minor threshold. */
export function severityForDays(days: number, ladder: DaysLadder): Severity | null {
  if (ladder.critical !== null && days >= ladder.critical) return "critical";
  if (ladder.major !== null && days >= ladder.major) return "major";
  if (ladder.moderate !== null && days >= ladder.moderate) return "moderate";
  return days >= ladder.minor ? "minor" : null;
}

/** Compared in integers (refunded x 100 against total x percent), so 75.000% is exactly 75%. */
export function severityForRefund(
  measure: MeasureByType["REFUND"],
  settings: SeveritySettings["refund"],
): Severity | null {
  const { refundedMinor, orderTotalMinor } = measure;
  if (refundedMinor <= 0 || orderTotalMinor <= 0) return null;
  if (refundedMinor * 100 > orderTotalMinor * settings.majorAbovePercent) return "major";
  if (refundedMinor * 100 >= orderTotalMinor * settings.moderateFromPercent) return "moderate";
  return "minor";
}

/** The rule for the signal's type, before boosts; null when the signal is too mild to be an incident. */
export function baseSeverity(signal: MeasuredSignal, settings: SeveritySettings): Severity | null {
  const s = signal;
  switch (s.type) {
    case "LATE_FULFILLMENT":
      return severityForDays(s.measure.days, settings.lateFulfillment);
    case "DELIVERY_DELAY":
      return severityForDays(s.measure.days, settings.deliveryDelay);
    case "DELIVERY_FAILURE":
      return settings.deliveryFailure;
    case "REFUND":
      return severityForRefund(s.measure, settings.refund);
    case "MERCHANT_CANCELLATION":
      return settings.merchantCancellation;
    case "MANUAL":
      return s.measure.severity;
  }
}

export type SeverityBoost = "REPEAT_CUSTOMER" | "HIGH_VALUE_ORDER";

export interface SeverityContext {
  /** The order's total, shop-currency minor units. */
  orderValueMinor: number;
  /** When this customer's other incidents (any order, not this one) occurred. */
  otherIncidentsAt: readonly Date[];
  /** The moment of judgement, usually detection time. */
  at: Date;
}

export interface SeverityAssessment {
  severity: Severity;
  base: Severity;
  boosts: SeverityBoost[];
}

export function severityBoosts(
  signal: Pick<IncidentSignal, "type" | "customerId">,
  context: SeverityContext,
  settings: SeveritySettings,
): SeverityBoost[] {
  // Staff chose a MANUAL incident's severity looking at the customer and the order: it stands.
  if (signal.type === "MANUAL") return [];
  const boosts: SeverityBoost[] = [];
  const windowStart = context.at.getTime() - settings.repeatCustomerWindowDays * MS_PER_DAY;
  const repeat =
    signal.customerId !== null &&
    context.otherIncidentsAt.some((d) => d.getTime() >= windowStart && d.getTime() <= context.at.getTime());
  if (repeat) boosts.push("REPEAT_CUSTOMER");
  if (settings.highValueOrderMinor !== null && context.orderValueMinor > settings.highValueOrderMinor)
    boosts.push("HIGH_VALUE_ORDER");
  return boosts;
}

export function assessSeverity(
  signal: MeasuredSignal & Pick<IncidentSignal, "customerId">,
  context: SeverityContext,
  settings: SeveritySettings,
): SeverityAssessment | null {
  const base = baseSeverity(signal, settings);
  if (!base) return null;
  const boosts = severityBoosts(signal, context, settings);
  return { severity: raiseSeverity(base, boosts.length), base, boosts };
}
