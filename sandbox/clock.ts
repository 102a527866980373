/**
 * The clock the sandbox and the app read in tests and the demo. Real time by
 * default; a test or the demo control panel can freeze it and move it on, so
 * "three business days later" takes milliseconds.
 */
export interface Clock {
  now(): Date;
}

export class ControlledClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

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
