/**
 * Running totals of the sandbox's Admin API call log, per shop and operation. The log itself keeps
 * only the latest 10,000 calls (sandbox/admin MAX_CALLS_KEPT); a bench run over many shops makes
 * more, so the sandbox process counts each record once as it appears.
 */
import type { CallRecord } from "../../../sandbox/admin";

export interface OperationTotals {
  calls: number;
  requested: number;
  actual: number;
  throttled: number;
  /** Calls with any other outcome than ok or throttled. */
  failed: number;
}

export interface CostSummary {
  totals: OperationTotals;
  /** shop -> operation (its name, else its root fields) -> totals. */
  byShop: Record<string, Record<string, OperationTotals>>;
}

export interface DeliveryTally {
  /** "<topic> <HTTP status>" (or "network error") -> count. */
  statuses: Record<string, number>;
  failures: string[];
  /** The first fulfillment_events/create per order: when it left for the app (sandbox clock, ms). */
  signals: Array<{ shop: string; orderRestId: string; sentAt: number }>;
  inFlight: number;
  sent: number;
}

const empty = (): OperationTotals => ({ calls: 0, requested: 0, actual: 0, throttled: 0, failed: 0 });

function add(totals: OperationTotals, call: CallRecord): void {
  totals.calls += 1;
  totals.requested += call.cost?.requested ?? 0;
  totals.actual += call.cost?.actual ?? 0;
  if (call.outcome === "throttled") totals.throttled += 1;
  else if (call.outcome !== "ok") totals.failed += 1;
}

export class CallTally {
  private counted = new WeakSet<CallRecord>();
  private totals = empty();
  private byShop = new Map<string, Map<string, OperationTotals>>();

  /** Count the records appended to `calls` since the last look (newest last; stops at the first one counted). */
  catchUp(calls: readonly CallRecord[]): void {
    const fresh: CallRecord[] = [];
    for (let i = calls.length - 1; i >= 0; i--) {
      const call = calls[i];
      if (!call || this.counted.has(call)) break;
      fresh.push(call);
    }
    for (const call of fresh.reverse()) {
      this.counted.add(call);
      const name = call.operationName ?? (call.rootFields.join(",") || "?");
      let shop = this.byShop.get(call.shop);
      if (!shop) {
        shop = new Map();
        this.byShop.set(call.shop, shop);
      }
      let operation = shop.get(name);
      if (!operation) {
        operation = empty();
        shop.set(name, operation);
      }
      add(operation, call);
      add(this.totals, call);
    }
  }

  /** Start counting from zero; records already in the log stay counted (they belong to before). */
  reset(): void {
    this.totals = empty();
    this.byShop = new Map();
  }

  summary(): CostSummary {
    return {
      totals: { ...this.totals },
      byShop: Object.fromEntries(
        [...this.byShop].map(([shop, operations]) => [
          shop,
          Object.fromEntries([...operations].map(([name, t]) => [name, { ...t }])),
        ]),
      ),
    };
  }
}
