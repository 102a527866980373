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

declare global {
  var __amendsSleep: ((ms: number) => Promise<void>) | undefined;
}

/**
 * Wait `ms` of app time before looking again at something Shopify does later (a bulk code job).
 * Real time in production and the demo; tests install a wait that moves the sandbox's frozen clock,
 * so the app polls exactly as it would and a test takes no real time.
 */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return globalThis.__amendsSleep?.(ms) ?? new Promise((resolve) => setTimeout(resolve, ms));
}

export function installSleep(wait: ((ms: number) => Promise<void>) | undefined): void {
  globalThis.__amendsSleep = wait;
}
