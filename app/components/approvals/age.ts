/**
 * "3 h 12 min since the failure · same-day goal: 5 h left": how long a customer has been waiting,
 * against the same-day goal (decision 0099 §8: 52% recover when the make-good arrives the same day, 23%
 * after 3-5 days). The goal's deadline is the end of the failure's day in the shop's time zone,
 * computed by the server; this only does the arithmetic, so the page can tick every minute.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45 min", "3 h 12 min", "2 d 4 h": the two largest units, floored. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < HOUR) return `${Math.floor(safe / MINUTE)} min`;
  if (safe < DAY) {
    const minutes = Math.floor((safe % HOUR) / MINUTE);
    return minutes === 0 ? `${Math.floor(safe / HOUR)} h` : `${Math.floor(safe / HOUR)} h ${minutes} min`;
  }
  const hours = Math.floor((safe % DAY) / HOUR);
  return hours === 0 ? `${Math.floor(safe / DAY)} d` : `${Math.floor(safe / DAY)} d ${hours} h`;
}

export interface AgeText {
  since: string;
  goal: string;
  /** Past the same-day goal: the page shows it in a warning tone. */
  late: boolean;
}

export function ageText(occurredAt: Date, sameDayDeadline: Date, now: Date): AgeText {
  const since = `${formatDuration(now.getTime() - occurredAt.getTime())} since the failure`;
  const left = sameDayDeadline.getTime() - now.getTime();
  if (left <= 0) return { since, goal: "past the same-day goal", late: true };
  // Under a minute left still reads as time left, not "0 min".
  return { since, goal: `same-day goal: ${formatDuration(Math.max(left, MINUTE))} left`, late: false };
}
