export type {
  CauseDimension,
  CauseTrend,
  Digest,
  DigestFix,
  DigestIncident,
  DigestInput,
  DigestWeek,
  Trend,
} from "./digest";
export {
  buildDigest,
  CAUSE_DIMENSIONS,
  causeLabel,
  digestText,
  lastCompleteWeek,
  MIN_INCIDENTS_FOR_A_FIX,
  TOP_CAUSES,
  topCauseLine,
  trendWords,
  weekBefore,
  weekStarting,
} from "./digest";
export type { CauseFilter } from "./cause-param";
export { causeParam, parseCauseParam, ROOT_CAUSE_FIELDS } from "./cause-param";
