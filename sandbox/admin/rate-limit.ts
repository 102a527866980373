/**
 * Shopify's leaky bucket of cost points, one per shop (the sandbox serves one
 * app). A query is admitted only when the bucket holds its requested cost;
 * the requested cost is taken up front and the difference to the actual cost
 * is given back after execution (measured on real shops: the bucket drops by
 * the actual cost). Time comes from the store's clock, so a test can drain the
 * bucket, move the clock on and watch it refill.
 */
import type { Clock } from "../clock";

export interface BucketSettings {
  /** Bucket size in points. */
  maximumAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * Restore rates by plan are Shopify's published figures (Standard 100/s,
 * Advanced 200/s, Plus 1,000/s, Enterprise 2,000/s). The bucket holds 20
 * seconds of restore: measured on an Advanced shop as 4,000 at 200/s.
 */
export function bucketForPlan(plan: string): BucketSettings {
  const name = plan.toLowerCase();
  const restoreRate = /enterprise|commerce components/.test(name)
    ? 2000
    : /plus/.test(name)
      ? 1000
      : /advanced/.test(name)
        ? 200
        : 100;
  return { maximumAvailable: restoreRate * 20, restoreRate };
}

interface Bucket extends BucketSettings {
  available: number;
  updatedAtMs: number;
}

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly settings = new Map<string, BucketSettings>();

  constructor(
    private readonly clock: Clock,
    private readonly defaults: (shop: string) => BucketSettings,
  ) {}

  /** Change a shop's bucket (e.g. a tiny one to test throttling). The bucket starts full unless `currentlyAvailable` is given. */
  configure(shop: string, settings: Partial<BucketSettings> & { currentlyAvailable?: number }): void {
    const merged = { ...this.defaults(shop), ...this.settings.get(shop), ...definedOnly(settings) };
    const next: BucketSettings = { maximumAvailable: merged.maximumAvailable, restoreRate: merged.restoreRate };
    if (!(next.maximumAvailable > 0) || !(next.restoreRate >= 0))
      throw new Error("rate limit needs maximumAvailable > 0 and restoreRate >= 0");
    this.settings.set(shop, next);
    const available = Math.min(settings.currentlyAvailable ?? next.maximumAvailable, next.maximumAvailable);
    this.buckets.set(shop, { ...next, available, updatedAtMs: this.clock.now().getTime() });
  }

  /** Forget configured buckets and levels (every bucket full again, plan defaults). */
  reset(): void {
    this.buckets.clear();
    this.settings.clear();
  }

  status(shop: string): ThrottleStatus {
    const bucket = this.refill(shop);
    return {
      maximumAvailable: bucket.maximumAvailable,
      currentlyAvailable: Math.floor(bucket.available),
      restoreRate: bucket.restoreRate,
    };
  }

  /** Take `cost` points if the bucket holds them; nothing is taken otherwise. */
  take(shop: string, cost: number): boolean {
    const bucket = this.refill(shop);
    if (bucket.available < cost) return false;
    bucket.available -= cost;
    return true;
  }

  /** Give back points (requested minus actual cost), never above the bucket size. */
  refund(shop: string, points: number): void {
    const bucket = this.refill(shop);
    bucket.available = Math.min(bucket.maximumAvailable, bucket.available + Math.max(0, points));
  }

  private refill(shop: string): Bucket {
    const now = this.clock.now().getTime();
    let bucket = this.buckets.get(shop);
    if (!bucket) {
      const settings = this.settings.get(shop) ?? this.defaults(shop);
      bucket = { ...settings, available: settings.maximumAvailable, updatedAtMs: now };
      this.buckets.set(shop, bucket);
    }
    // A clock moved backwards (a test setting an earlier time) restores nothing rather than draining.
    const elapsed = Math.max(0, now - bucket.updatedAtMs);
    bucket.available = Math.min(bucket.maximumAvailable, bucket.available + (elapsed / 1000) * bucket.restoreRate);
    bucket.updatedAtMs = now;
    return bucket;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
