export type { IncidentRecord, OfferRecord } from "./records";
export type { Interval } from "./statistics";
export { Z_95, newcombeDifference, wilsonInterval } from "./statistics";
export type {
  Experiment,
  ExperimentGroup,
  ExperimentInput,
  ExperimentOptions,
  ExperimentProgress,
  ExperimentSettings,
  Readout,
  ReadoutMemo,
} from "./experiment";
export {
  MATURITY_GRACE_DAYS,
  MIN_INCIDENTS_PER_GROUP,
  PLANNING_LIFT,
  experiment,
  isMatured,
  isMeasurable,
  maturesAt,
  readoutRounds,
} from "./experiment";
export type { ClusteredGroup, CustomerOutcome, Estimate, RevenueEstimates } from "./inference";
export {
  clusteredDifference,
  clusteredGroup,
  incidentsForLift,
  minimumDetectableLift,
  revenueEstimates,
} from "./inference";
export type { ApprovalRouteGroup, Consumption, Cost, TimeToOfferRow } from "./offers";
export { consumption, cost, isIssued, timeToOffer } from "./offers";
export type { CauseCount, RootCauses } from "./incidents";
export { rootCauses } from "./incidents";
export type { CountAxis, TypeComparisonRow } from "./charts";
export { countAxis, isSmallCount, labelledTicks, previousRange, TOP_ROOT_CAUSES, typeComparison } from "./charts";
export type { RecoveryReport, ReportInput } from "./report";
export { recoveryReport } from "./report";
export type { CsvValue } from "./csv";
export { CSV_LINE_END, csvCell, csvRow } from "./csv";
export type { DateRange, DateRangePreset, ResolvedDateRange } from "./date-range";
export {
  DATE_RANGE_PRESETS,
  DEFAULT_PRESET,
  MAX_RANGE_DAYS,
  PRESET_LABELS,
  dateRangeQuerySchema,
  matchingPreset,
  periodOfRange,
  presetRange,
  resolveDateRange,
} from "./date-range";
export type { OfferExportRecord } from "./offer-export";
export { OFFER_EXPORT_COLUMNS, offerExportCells } from "./offer-export";
export type { MetricsIncidentRow, MetricsOfferRow } from "./rows";
export { DRAWN_DECISIONS, toIncidentRecords, toOfferRecords } from "./rows";
