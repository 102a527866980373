export type {
  ApprovableOffer,
  ApprovalVerdict,
  AuthorityLevel,
  AuthoritySettings,
  AuthoritySettingsInput,
  LimitedLevel,
  StaffMember,
} from "./authority";
export {
  AUTHORITY_LEVELS,
  DEFAULT_AUTHORITY_SETTINGS,
  LIMITED_LEVELS,
  authoritySettingsSchema,
  canApprove,
  memberAuthority,
  whoCanApprove,
} from "./authority";
export type { BudgetCheck } from "./budget";
export { budgetCheck } from "./budget";
export type { CustomerLimitsCheck, CustomerLimitsSettings, CustomerOfferRecord } from "./customer-limits";
export { customerLimitsCheck } from "./customer-limits";
export type { HoldoutAssignment, StandingAssignment } from "./holdout";
export { assignHoldout, holdoutDraw, isHeldOut, standingAssignment } from "./holdout";
export type { DecisionSettings, DecisionSettingsInput, FallbackKind } from "./settings";
export { DEFAULT_DECISION_SETTINGS, FALLBACK_KINDS, decisionSettingsSchema } from "./settings";
export { sha256, sha256Hex } from "./sha256";
