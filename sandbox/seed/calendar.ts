/**
 * Business days in the shop's time zone, fast enough for 100,000 orders: the
 * zone's UTC offset is looked up once per hour of time and cached (offsets
 * only change on the hour), instead of formatting every date.
 */
import { DAY, HOUR } from "../clock";
import { timeZoneOffsetMinutes } from "../webhooks/rest-format";

export class ShopCalendar {
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  offsetMinutes(ms: number): number {
    const bucket = Math.floor(ms / HOUR);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = timeZoneOffsetMinutes(new Date(bucket * HOUR), this.timeZone);
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  /** 0 = Sunday ... 6 = Saturday, in the shop's zone. */
  weekday(ms: number): number {
    return new Date(ms + this.offsetMinutes(ms) * 60_000).getUTCDay();
  }

  isWeekend(ms: number): boolean {
    const day = this.weekday(ms);
    return day === 0 || day === 6;
  }

  /** `ms` moved on by `days` business days (weekends skipped; no holidays), keeping the time of day. */
  addBusinessDays(ms: number, days: number): number {
    let t = ms;
    let added = 0;
    while (added < days) {
      t += DAY;
      if (!this.isWeekend(t)) added++;
    }
    return t;
  }
}
