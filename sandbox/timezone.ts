/** Time-zone arithmetic the sandbox needs (REST timestamps, date searches), with Intl only. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds east of UTC for `timeZone` at the instant `at` (negative in the Americas), to the second. */
export function timeZoneOffsetMs(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Minutes east of UTC for `timeZone` at `date`. */
export function timeZoneOffsetMinutes(date: Date, timeZone: string): number {
  return Math.round(timeZoneOffsetMs(date.getTime(), timeZone) / 60_000);
}

/** UTC milliseconds of 00:00 on `date` (YYYY-MM-DD) in `timeZone`. */
export function zonedMidnight(date: string, timeZone: string): number {
  const utcGuess = Date.parse(`${date}T00:00:00Z`);
  const offset = timeZoneOffsetMs(utcGuess, timeZone);
  // Re-check at the corrected instant: the offset may differ across a DST change.
  return utcGuess - timeZoneOffsetMs(utcGuess - offset, timeZone);
}
