/**
 * Failures on demand, so the app's retry, timeout and exactly-once paths can
 * be tested. Shares are drawn from a seeded PRNG per configuration, so a test
 * run is reproducible: the same seed and the same sequence of requests give
 * the same faults.
 */
import { seededRandom } from "../../app/recovery/random";

export interface FaultSettings {
  /** Share of requests answered 502 (HTML, as a gateway would) or 503 (JSON), half each. */
  serverErrorShare?: number;
  /** Share of requests that get no answer for `timeoutMs`, then a 504; nothing is executed. */
  timeoutShare?: number;
  /** Share of requests that fail as a network error (msw's HttpResponse.error()); nothing is executed. */
  networkErrorShare?: number;
  /** Share of requests answered THROTTLED whatever the bucket holds. */
  throttledShare?: number;
  seed?: number;
  /** How long a timed-out request hangs before its 504 (default 6 s, beyond a typical client timeout). */
  timeoutMs?: number;
}

export type FaultKind = "bad-gateway" | "service-unavailable" | "timeout" | "network-error" | "throttled";

export interface Fault {
  kind: FaultKind;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 6_000;

interface Configured {
  settings: FaultSettings;
  random: () => number;
}

export class Faults {
  private readonly configs = new Map<string, Configured>();
  private readonly lost = new Map<string, number>();

  /** Apply to one shop (`name.myshopify.com`) or to every shop ("*"); a shop's own settings win. */
  configure(shop: string, settings: FaultSettings): void {
    const shares = [
      settings.serverErrorShare,
      settings.timeoutShare,
      settings.networkErrorShare,
      settings.throttledShare,
    ].map((s) => s ?? 0);
    if (shares.some((s) => s < 0 || s > 1) || shares.reduce((a, b) => a + b, 0) > 1)
      throw new Error("fault shares must be in 0..1 and add up to at most 1");
    this.configs.set(shop, { settings, random: seededRandom(settings.seed ?? 1) });
  }

  /**
   * The next `times` calls whose operation name or mutation field is `name`
   * run (their effect reaches the store) and then the response is lost: the
   * client sees a network error. For testing that a retry does not issue twice.
   */
  failAfterApply(name: string, times = 1): void {
    this.lost.set(name, (this.lost.get(name) ?? 0) + times);
  }

  reset(): void {
    this.configs.clear();
    this.lost.clear();
  }

  /** @internal Draw this request's fault, if any. */
  draw(shop: string): Fault | undefined {
    const config = this.configs.get(shop) ?? this.configs.get("*");
    if (!config) return undefined;
    const { settings } = config;
    const r = config.random();
    const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let edge = settings.serverErrorShare ?? 0;
    if (r < edge) return { kind: config.random() < 0.5 ? "bad-gateway" : "service-unavailable", timeoutMs };
    edge += settings.timeoutShare ?? 0;
    if (r < edge) return { kind: "timeout", timeoutMs };
    edge += settings.networkErrorShare ?? 0;
    if (r < edge) return { kind: "network-error", timeoutMs };
    edge += settings.throttledShare ?? 0;
    if (r < edge) return { kind: "throttled", timeoutMs };
    return undefined;
  }

  /** @internal Whether this executed call's response should be lost; counts it down. */
  takeLostResponse(names: Array<string | undefined>): boolean {
    for (const name of names) {
      if (!name) continue;
      const left = this.lost.get(name) ?? 0;
      if (left > 0) {
        if (left === 1) this.lost.delete(name);
        else this.lost.set(name, left - 1);
        return true;
      }
    }
    return false;
  }
}
