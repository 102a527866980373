/**
 * Shopify's leaky bucket as the client sees it, and a record of what each
 * call cost. Every Admin GraphQL response carries `extensions.cost`
 * { requestedQueryCost, actualQueryCost, throttleStatus { maximumAvailable,
 * currentlyAvailable, restoreRate } }; from the last one the client knows how
 * long to wait before the bucket holds what an operation will ask for.
 */
import { z } from "zod";

const throttleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});
export type ThrottleStatus = z.output<typeof throttleStatusSchema>;

const costExtensionSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable(),
  throttleStatus: throttleStatusSchema,
});
export type CostExtension = z.output<typeof costExtensionSchema>;

/** Read `extensions.cost` from a response body's extensions, if it is there and well formed. */
export function readCost(extensions: unknown): CostExtension | undefined {
  if (typeof extensions !== "object" || extensions === null) return undefined;
  const parsed = costExtensionSchema.safeParse((extensions as { cost?: unknown }).cost);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Milliseconds until a bucket in `status` holds `needed` points: the missing
 * points over the restore rate, rounded up. 0 when it holds enough already;
 * undefined when it never refills (restore rate 0).
 */
export function refillWaitMs(needed: number, status: ThrottleStatus): number | undefined {
  const missing = needed - status.currentlyAvailable;
  if (missing <= 0) return 0;
  if (!(status.restoreRate > 0)) return undefined;
  return Math.ceil((missing / status.restoreRate) * 1000);
}

/**
 * The last throttle status seen for one shop and the requested cost of each
 * operation seen so far.
 */
export class ThrottleTracker {
  private last: { status: ThrottleStatus; atMs: number } | undefined;
  private readonly requestedCosts = new Map<string, number>();

  observe(cost: CostExtension, operation: string, atMs: number): void {
    this.last = { status: cost.throttleStatus, atMs };
    this.requestedCosts.set(operation, cost.requestedQueryCost);
  }

  /** The requested cost of the operation's last call, if it has been called. */
  knownCost(operation: string): number | undefined {
    return this.requestedCosts.get(operation);
  }

  /** The bucket as it should be now: the last status plus what has been restored since. */
  estimate(nowMs: number): ThrottleStatus | undefined {
    if (!this.last) return undefined;
    const { status, atMs } = this.last;
    const restored = (Math.max(0, nowMs - atMs) / 1000) * status.restoreRate;
    return { ...status, currentlyAvailable: Math.min(status.maximumAvailable, status.currentlyAvailable + restored) };
  }

  /** How long to wait before sending an operation of this cost; 0 when unknown or affordable. */
  waitBefore(cost: number, nowMs: number): number {
    const status = this.estimate(nowMs);
    if (!status || cost > status.maximumAvailable) return 0;
    return refillWaitMs(cost, status) ?? 0;
  }
}

/** What AdminClient needs from a bucket shared with other processes, for one shop. */
export interface SharedBucketGate {
  /** Wait until the shop's bucket holds the operation's expected cost and take it. */
  acquire(operation: string, timing: BucketTiming): Promise<Reservation>;
  /** After the answer: Shopify's figures (undefined when none came back) and whether it was THROTTLED. */
  settle(reservation: Reservation, cost: CostExtension | undefined, throttled: boolean, nowMs: number): Promise<void>;
}

export interface BucketTiming {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** A refill wait longer than this is not waited for: the request goes unreserved (Shopify's THROTTLED is handled as ever). */
  maxWaitMs: number;
}

export interface Reservation {
  operation: string;
  /** Points taken from the shared row (0: nothing known yet, nothing taken). */
  points: number;
}

export interface CostEntry {
  operation: string;
  at: Date;
  /** Null when the request never reached costing (network error, 5xx). */
  requested: number | null;
  /** Null when nothing executed (throttled, failed). */
  actual: number | null;
  throttled: boolean;
}

export interface CostTotals {
  calls: number;
  throttled: number;
  requested: number;
  actual: number;
}

export interface CostSummary extends CostTotals {
  byOperation: Record<string, CostTotals>;
}

const emptyTotals = (): CostTotals => ({ calls: 0, throttled: 0, requested: 0, actual: 0 });

/**
 * Cost per request, for the benchmark and logs. Totals cover every call; the
 * individual entries are the most recent `keep` (a worker runs for days).
 */
export class CostLedger {
  readonly entries: CostEntry[] = [];
  private totals = emptyTotals();
  private byOperation = new Map<string, CostTotals>();

  constructor(private readonly keep = 1_000) {}

  record(entry: CostEntry): void {
    if (this.entries.length >= this.keep) this.entries.splice(0, this.entries.length - this.keep + 1);
    this.entries.push(entry);
    let perOperation = this.byOperation.get(entry.operation);
    if (!perOperation) {
      perOperation = emptyTotals();
      this.byOperation.set(entry.operation, perOperation);
    }
    for (const totals of [this.totals, perOperation]) {
      totals.calls += 1;
      if (entry.throttled) totals.throttled += 1;
      totals.requested += entry.requested ?? 0;
      totals.actual += entry.actual ?? 0;
    }
  }

  summary(): CostSummary {
    return {
      ...this.totals,
      byOperation: Object.fromEntries([...this.byOperation].map(([name, totals]) => [name, { ...totals }])),
    };
  }
}
