export type { BusinessCalendar } from "./business-days";
export {
  DEFAULT_WEEKEND_DAYS,
  addBusinessDays,
  businessDaysBetween,
  businessDeadlineDate,
  isBusinessDate,
} from "./business-days";
export type { DayBucket } from "./day-bucket";
export { DAY_BUCKETS, dayBucket } from "./day-bucket";
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
  localWeekStart,
  startOfLocalDay,
  wallTimeAt,
} from "./zoned";
