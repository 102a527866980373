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

declare global {
  var __amendsQueueTime: ((runAt: Date) => Date) | undefined;
}

/**
 * When a job scheduled for `runAt` (app time) should run on the job queue's
 * timeline. graphile-worker compares run_at with the database's clock, which
 * is real time: in production the two agree. The demo moves its store clock
 * ahead of real time and installs a mapping back to real time here.
 */
export function queueTime(runAt: Date): Date {
  return globalThis.__amendsQueueTime?.(runAt) ?? runAt;
}

export function installQueueTime(mapping: ((runAt: Date) => Date) | undefined): void {
  globalThis.__amendsQueueTime = mapping;
}
