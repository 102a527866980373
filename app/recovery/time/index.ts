export type { BusinessCalendar } from "./business-days";
export {
  DEFAULT_WEEKEND_DAYS,
  addBusinessDays,
  businessDaysBetween,
  businessDeadlineDate,
  isBusinessDate,
} from "./business-days";
export type { DayBucket } from "./day-bucket";
export { DAY_BUCKETS, dayBucket, dayBucketOfDays } from "./day-bucket";
export type { LocalDate, WallTime } from "./zoned";
export {
  MS_PER_DAY,
  calendarDaysBetween,
  endOfLocalDay,
  endOfLocalDayAfter,
  instantFromWallTime,
  isLocalDate,
  isValidTimeZone,
  localDate,
  localDayNumbers,
  localWeekStart,
  startOfLocalDay,
  wallTimeAt,
} from "./zoned";
