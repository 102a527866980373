export type { DaysLadder, SeveritySettings, SeveritySettingsInput } from "./settings";
export { DEFAULT_SEVERITY_SETTINGS, severitySettingsSchema } from "./settings";
export type { SeverityAssessment, SeverityBoost, SeverityContext } from "./severity";
export { assessSeverity, baseSeverity, severityBoosts, severityForDays, severityForRefund } from "./severity";
