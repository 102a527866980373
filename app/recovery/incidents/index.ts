export type {
  CarrierEventStatus,
  FulfillmentEventFacts,
  FulfillmentFacts,
  FulfillmentOrderFacts,
  FulfillmentOrderState,
  OrderFacts,
  OrderTotals,
  RefundFacts,
} from "./facts";
export { CARRIER_EVENT_STATUSES, carrierEventStatus } from "./facts";
export type { DetectionSettings, DetectionSettingsInput, StoreCancelReason } from "./settings";
export { DEFAULT_DETECTION_SETTINGS, STORE_CANCEL_REASONS, detectionSettingsSchema } from "./settings";
export type {
  DeliveryFailureCause,
  Detection,
  DetectionContext,
  ExclusionReason,
  IncidentSignal,
  ManualCategory,
  MeasureByType,
  MeasuredSignal,
  RootCause,
  SignalMeasure,
  SignalOf,
} from "./signals";
export { MANUAL_CATEGORIES } from "./signals";
export { AMENDS_GIFT_TAG, exclusionOf, isAmendsGiftOrder } from "./exclusions";
export type { DeadlineSource, ShipByDeadline } from "./late-fulfillment";
export { businessCalendar, detectLateFulfillment, handlingDeadline, shipByDeadline } from "./late-fulfillment";
export {
  deliveryPromise,
  deliveryRecheckAt,
  detectDeliveryDelay,
  detectDeliveryFailure,
  MAX_DELIVERY_RECHECK_DAYS,
} from "./delivery";
export { detectMerchantCancellation, detectRefund, staffRefunds } from "./refund-and-cancellation";
export type { ManualReport } from "./detect";
export { detectIncidents, manualSignal } from "./detect";
export type { Reconciliation } from "./reconcile";
export { reconcileIncident } from "./reconcile";
export type { FailureState } from "./resolution";
export { ONE_OFF_TYPES, failureState } from "./resolution";
