/**
 * An open-loop HTTP load generator: request i is due at t0 + i / rate, whatever
 * happened to the requests before it, and its latency is measured from that
 * due time (not from when it actually left), so a server that falls behind is
 * charged for the queue it causes (no coordinated omission).
 *
 * Like Shopify, the generator gives up on a delivery that has no answer
 * `deadlineMs` after it was due (Shopify allows a webhook about 5 s, then counts
 * the delivery as failed and retries it later). That also bounds a run against
 * an overloaded server to its duration plus the deadline.
 *
 * node:http with a keep-alive agent (undici is only a transitive dependency
 * here, so the bench does not import it).
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface LoadTarget {
  host: string;
  port: number;
  path: string;
}

export interface PlannedRequest {
  /** Correlates the response with what the server stored (the webhook id). */
  id: string;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

export interface LoadOptions {
  target: LoadTarget;
  rate: number;
  durationMs: number;
  /** A keep-alive agent (see createAgent), shared across runs against one target. */
  agent: http.Agent;
  /** Give up on a request this long after its due time (counted as a timeout). */
  deadlineMs?: number;
  /** Stop sending and settle at once (Ctrl-C). */
  signal?: AbortSignal;
  plan(index: number): PlannedRequest;
}

export interface LoadRun {
  rate: number;
  durationMs: number;
  deadlineMs: number;
  planned: number;
  /** Requests that got an HTTP response (any status). */
  answered: number;
  ok: number;
  statusCounts: Record<string, number>;
  /** Connection errors (refused, reset, ...). */
  networkErrors: number;
  /** No answer within the deadline: aborted by the generator. */
  timeouts: number;
  errorSamples: string[];
  /**
   * Latency (ms, from the due time) of every answered request, plus every
   * timed-out one at the moment it was abandoned (a lower bound), so the
   * percentiles are not flattered by dropping the slowest requests.
   */
  latencies: Float64Array;
  /** Ids answered 200. */
  okIds: string[];
  /** Ids with any other outcome. */
  failedIds: string[];
  /**
   * The requests answered 503, as sent (same webhook id and event id): the server refused them and
   * Shopify would deliver them again, so the caller can retry them as Shopify would.
   */
  refused: PlannedRequest[];
  /** From the first due time to the last answer (at least the duration). */
  elapsedMs: number;
  /** Worst delay between a request's due time and its hand-off to node:http. */
  maxSendLagMs: number;
  /** Load generator CPU over the run (user + system), ms. */
  generatorCpuMs: number;
  /** Latency per second of due time: shows when a stall happened. */
  perSecond: SecondSummary[];
}

export interface SecondSummary {
  /** Seconds since the run's start (by due time). */
  second: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
}

const enum Outcome {
  Pending = 0,
  Answered = 1,
  NetworkError = 2,
  TimedOut = 3,
}

export function runOpenLoop(options: LoadOptions): Promise<LoadRun> {
  const { rate, durationMs, agent, target } = options;
  const deadlineMs = options.deadlineMs ?? 5000;
  const planned = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const dueAt = (index: number) => t0 + index * interval;

  const latency = new Float64Array(planned).fill(Number.NaN);
  const status = new Uint16Array(planned);
  const outcome = new Uint8Array(planned);
  const ids: string[] = new Array<string>(planned);
  // Kept until answered: only the 503s stay (see LoadRun.refused).
  const requests: Array<PlannedRequest | undefined> = new Array<PlannedRequest | undefined>(planned);
  // In due order, so the sweeper only looks at the oldest.
  const pending = new Map<number, http.ClientRequest>();
  const errorSamples: string[] = [];
  let settledCount = 0;
  let lastAnswer = 0;
  let maxSendLagMs = 0;
  let closed = false;

  const cpuStart = process.cpuUsage();
  const t0 = performance.now() + 20;

  return new Promise((resolve) => {
    let sendTimer: NodeJS.Timeout | undefined;

    const complete = () => {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      clearTimeout(sendTimer);
      options.signal?.removeEventListener("abort", complete);
      for (const req of pending.values()) req.destroy();
      pending.clear();
      const cpu = process.cpuUsage(cpuStart);
      const statusCounts: Record<string, number> = {};
      const measured: number[] = [];
      const okIds: string[] = [];
      const failedIds: string[] = [];
      const refused: PlannedRequest[] = [];
      let ok = 0;
      let answered = 0;
      let networkErrors = 0;
      let timeouts = 0;
      for (let i = 0; i < planned; i++) {
        const id = ids[i] ?? "";
        const o = outcome[i] as Outcome;
        if (o === Outcome.Answered) {
          answered++;
          const s = String(status[i]);
          statusCounts[s] = (statusCounts[s] ?? 0) + 1;
        } else if (o === Outcome.NetworkError) networkErrors++;
        else if (o === Outcome.TimedOut) timeouts++;
        if (o === Outcome.Answered || o === Outcome.TimedOut) measured.push(latency[i] ?? Number.NaN);
        if (o === Outcome.Answered && status[i] === 200) {
          ok++;
          okIds.push(id);
        } else {
          failedIds.push(id);
          const request = requests[i];
          if (o === Outcome.Answered && status[i] === 503 && request) refused.push(request);
        }
      }
      const buckets = new Map<number, number[]>();
      for (let i = 0; i < planned; i++) {
        const o = outcome[i] as Outcome;
        if (o !== Outcome.Answered && o !== Outcome.TimedOut) continue;
        const second = Math.floor((i * interval) / 1000);
        const bucket = buckets.get(second) ?? [];
        bucket.push(latency[i] ?? Number.NaN);
        buckets.set(second, bucket);
      }
      const perSecond = [...buckets.entries()].map(([second, values]) => {
        const sm = summarise(Float64Array.from(values));
        return { second, requests: values.length, p50: sm.p50, p99: sm.p99, max: sm.max };
      });
      resolve({
        perSecond,
        rate,
        durationMs,
        deadlineMs,
        planned,
        answered,
        ok,
        statusCounts,
        networkErrors,
        timeouts,
        errorSamples,
        latencies: Float64Array.from(measured),
        okIds,
        failedIds,
        refused,
        elapsedMs: Math.max(durationMs, lastAnswer - t0),
        maxSendLagMs,
        generatorCpuMs: (cpu.user + cpu.system) / 1000,
      });
    };

    const settle = (index: number, result: Outcome, code = 0, error?: Error) => {
      if (closed || outcome[index] !== Outcome.Pending) return;
      outcome[index] = result;
      pending.delete(index);
      settledCount++;
      const now = performance.now();
      latency[index] = now - dueAt(index);
      if (result !== Outcome.Answered || code !== 503) requests[index] = undefined;
      if (result === Outcome.Answered) {
        status[index] = code;
        lastAnswer = Math.max(lastAnswer, now);
      } else if (result === Outcome.NetworkError && error && errorSamples.length < 5) {
        errorSamples.push(error.message);
      }
      if (settledCount === planned) complete();
    };

    const send = (index: number) => {
      const request = options.plan(index);
      ids[index] = request.id;
      requests[index] = request;
      const req = http.request({
        agent,
        host: target.host,
        port: target.port,
        path: target.path,
        method: "POST",
        headers: { ...request.headers, "content-length": request.body.length },
      });
      pending.set(index, req);
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => settle(index, Outcome.Answered, res.statusCode ?? 999));
        res.on("error", (error) => settle(index, Outcome.NetworkError, 0, error));
      });
      req.on("error", (error) => settle(index, Outcome.NetworkError, 0, error));
      req.end(request.body);
    };

    // Abandon requests past their deadline, oldest first (the map is in due order).
    const sweeper = setInterval(() => {
      const now = performance.now();
      for (const [index, req] of pending) {
        if (now - dueAt(index) < deadlineMs) break;
        settle(index, Outcome.TimedOut);
        req.destroy();
      }
    }, 50);

    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < planned && dueAt(next) <= now) {
        maxSendLagMs = Math.max(maxSendLagMs, now - dueAt(next));
        send(next);
        next++;
      }
      if (next < planned) {
        sendTimer = setTimeout(tick, Math.max(0, Math.floor(dueAt(next) - performance.now())));
      }
    };
    sendTimer = setTimeout(tick, Math.max(0, Math.floor(t0 - performance.now())));
    if (options.signal?.aborted) complete();
    options.signal?.addEventListener("abort", complete);
  });
}

/** A keep-alive agent with enough sockets for the highest rate's concurrency. */
export function createAgent(maxSockets = 256): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 10_000, scheduling: "fifo" });
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function summarise(latencies: Float64Array): LatencySummary {
  if (latencies.length === 0) {
    return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN, mean: Number.NaN };
  }
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sum / sorted.length,
  };
}

export type SendOutcome = { status: number; retryAfterS: number | null } | { error: string };

/** One request, answered or failed within `timeoutMs` (for retries outside the open loop). */
export function sendOnce(
  target: LoadTarget,
  agent: http.Agent,
  request: PlannedRequest,
  timeoutMs = 5000,
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const req = http.request({
      agent,
      host: target.host,
      port: target.port,
      path: target.path,
      method: "POST",
      headers: { ...request.headers, "content-length": request.body.length },
      timeout: timeoutMs,
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => {
        const retryAfter = Number(res.headers["retry-after"]);
        resolve({ status: res.statusCode ?? 999, retryAfterS: Number.isFinite(retryAfter) ? retryAfter : null });
      });
      res.on("error", (error) => resolve({ error: error.message }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error) => resolve({ error: error.message }));
    req.end(request.body);
  });
}
