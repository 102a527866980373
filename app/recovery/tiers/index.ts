export type { CustomerValue, TierAssessment, TierSettings, TierSettingsInput } from "./tiers";
export { DEFAULT_TIER_SETTINGS, classifyTier, describeTier, tierSettingsSchema } from "./tiers";
