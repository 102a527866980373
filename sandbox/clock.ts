/**
 * The clock the sandbox and the app read in tests and the demo. Real time by
 * default; a test or the demo control panel can freeze it and move it on, so
 * "three business days later" takes milliseconds.
 *
 * AMENDS_CLOCK_START=<ISO instant> starts every new clock at that instant
 * instead of now (it then runs at real speed). CI runs the suite with it just
 * before and just after the test shop's local midnight and on a daylight-saving
 * day, to prove no test depends on when it runs (`npm run test:time-shifted`).
 */
export interface Clock {
  now(): Date;
}

/** The instant AMENDS_CLOCK_START names, or undefined when unset; a malformed value is an error, not real time. */
export function configuredClockStart(value = process.env.AMENDS_CLOCK_START): Date | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const start = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value.trim()) || Number.isNaN(start.getTime())) {
    throw new Error(
      `AMENDS_CLOCK_START must be an ISO 8601 instant such as 2026-11-01T05:59:30Z, not ${JSON.stringify(value)}`,
    );
  }
  return start;
}

export class ControlledClock implements Clock {
  private offsetMs: number;
  private frozenAt: number | undefined;

  /** Starts at `start` (default: AMENDS_CLOCK_START, else real time) and runs from there. */
  constructor(start: Date | undefined = configuredClockStart()) {
    this.offsetMs = start ? start.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  /** Stop time at `at` (default: now). */
  freeze(at: Date = this.now()): void {
    this.frozenAt = at.getTime();
  }

  /** Let time run again from the current reading. */
  unfreeze(): void {
    if (this.frozenAt !== undefined) this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = undefined;
  }

  set(at: Date): void {
    if (this.frozenAt !== undefined) this.frozenAt = at.getTime();
    else this.offsetMs = at.getTime() - Date.now();
  }

  advance(ms: number): Date {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
    return this.now();
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
