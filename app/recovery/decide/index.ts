export type {
  ApprovalSource,
  Decision,
  DecisionIncident,
  DecisionInput,
  DecisionOf,
  Guardrail,
  GuardrailCheck,
  GuardrailState,
  IneligibleReason,
  NoOfferReason,
  ShopContext,
} from "./types";
export { GUARDRAILS } from "./types";
export { decide, ineligibility } from "./decide";
export { INELIGIBLE_WORDING, describeMeasure } from "./describe";
export type { SampleOffer } from "./sample";
export { SAMPLE_LATE_DAYS, sampleLateOrderOffer } from "./sample";
export type { IssuableKind, KindAvailability, Unavailability } from "./availability";
export {
  FALLBACK_EXPIRY_DAYS,
  KIND_LABELS,
  fallbackCell,
  fallbackLabel,
  isOfferKind,
  unavailableText,
} from "./availability";
export type { DecisionWhy } from "./why";
export { decisionWhySchema, parseDecisionWhy } from "./why";
export type { ChecklistItem, DecisionChecklist } from "./checklist";
export { decisionChecklist, legacyExplanation } from "./checklist";
