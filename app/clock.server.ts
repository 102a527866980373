/**
 * The app's clock. Real time in production; the sandbox (tests, the demo)
 * installs its controlled clock so timers, deadlines and timestamps the app
 * computes agree with the sandbox store's time.
 */
export interface Clock {
  now(): Date;
}

declare global {
  var __amendsClock: Clock | undefined;
}

const systemClock: Clock = { now: () => new Date() };

export function clock(): Clock {
  return globalThis.__amendsClock ?? systemClock;
}

export function installClock(replacement: Clock | undefined): void {
  globalThis.__amendsClock = replacement;
}
