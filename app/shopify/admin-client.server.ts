/**
 * AdminClient: runs a named operation (./operation.ts) against a shop's Admin
 * GraphQL API and owns every retry decision, so behaviour is the same
 * whichever transport is underneath and tests can drive it with fake time.
 * Clients are made in ./admin.server.ts (background or interactive); tests
 * construct their own.
 *
 * Transport: the library's admin context (`admin` from unauthenticated.admin
 * or authenticate.admin). Its `graphql(query, { variables, signal, tries })`
 * retries 429/503 and any network error on its own when `tries` > 1, after a
 * fixed 1 s of real time (not injectable) and blind to the operation: it would
 * repeat a mutation whose response was lost. We pass `tries: 1` (the default
 * today, said explicitly) and decide here. It sets no timeout; we abort each
 * attempt with our own AbortSignal. What comes back (or is thrown) is sorted
 * into kinds of failure by ./admin-response.ts.
 *
 * Policy:
 * - THROTTLED (200 + errors[].extensions.code, or HTTP 429): wait until the
 *   bucket holds the requested cost, computed from extensions.cost
 *   ((requested - currentlyAvailable) / restoreRate, rounded up to the ms; a
 *   429 waits its Retry-After), then retry, at most `maxThrottleRetries`
 *   times. Before any call, when the last known status says the bucket lacks
 *   this operation's last requested cost, wait for it first.
 * - 5xx, network errors, timeouts (AbortSignal per attempt, `timeoutMs`):
 *   retry with exponential backoff and full jitter, at most `maxAttempts`
 *   requests, then throw the typed AdminApiError (retryable: true).
 * - A mutation that is not `idempotent` is not repeated after a failure that
 *   may have reached Shopify (network error, timeout, 500/502/504,
 *   INTERNAL_SERVER_ERROR): AdminApiError AMBIGUOUS instead, for the caller to
 *   look the effect up before trying again. THROTTLED, 429 and 503 ran nothing
 *   and are retried for mutations too.
 * - 401/403/404 and other 4xx, GraphQL errors, unexpected shapes: thrown at
 *   once (retryable: false). userErrors: UserErrorsError.
 * - A search term Shopify ignored or cut (`extensions.search`): SEARCH_TERMS_IGNORED
 *   (retryable: false), in every environment, logged with the operation and
 *   field (never the query: it can hold customer ids and codes). Its results
 *   may be unfiltered, and acting on them (adopting "the" draft order with a
 *   tag, sweeping every order) is worse than failing the job.
 * - AccessTokenError from the transport (no usable token, so nothing was
 *   sent): passed through as it is (./offline-token.server.ts).
 */
import { ZodError, type z } from "zod";
import { clock, sleep as appSleep } from "../clock.server";
import { logger } from "../logger.server";
import { CostLedger, refillWaitMs, ThrottleTracker, type Reservation, type SharedBucketGate } from "./admin-cost";
import { AccessTokenError, AdminApiError, UserErrorsError, type AdminApiErrorInit } from "./admin-errors";
import {
  classifyThrown,
  FAILURE_CODES,
  isProtectedDataDenial,
  networkFailure,
  readResponse,
  readUserErrors,
  timeoutFailure,
  TRANSIENT,
  type AttemptResult,
  type Failure,
  type SearchWarning,
} from "./admin-response";
import type { Operation, OperationArgs } from "./operation";

/** The library's admin context satisfies this; so does any fetch-like stand-in returning a Response. */
export interface AdminTransport {
  graphql(
    query: string,
    options?: { variables?: Record<string, unknown>; signal?: AbortSignal; tries?: number },
  ): Promise<Response>;
}

export interface AdminClientOptions {
  transport: AdminTransport;
  /** For log lines only. */
  shop?: string;
  /** Waiting between attempts; tests pass a fake that records the durations (and moves the sandbox clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Defaults to the app clock (the sandbox's in tests and the demo). */
  now?: () => Date;
  /** Uniform in [0, 1), for backoff jitter; tests pass a seeded one (seededRandom). */
  random?: () => number;
  /**
   * The shop's bucket as all processes of the app see it (docs/decisions/0025-shared-admin-throttle.md):
   * each request first reserves its expected cost there and writes back what Shopify reported, in
   * place of this client's own last-status wait. Without it the client knows only its own calls.
   */
  bucket?: SharedBucketGate;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Requests per call when they fail transiently (5xx, network, timeout); default 5. */
  maxAttempts?: number;
  /** Waits for the bucket per call; default 8. */
  maxThrottleRetries?: number;
  /** A single throttle wait longer than this gives up (THROTTLED, retryable) instead; default 60 s. */
  maxThrottleWaitMs?: number;
  /** Backoff before retry n is uniform in [0, min(maxBackoffMs, baseBackoffMs * 2^(n-1))); defaults 500 ms and 20 s. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_MAX_THROTTLE_RETRIES = 8;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AdminClient {
  /** What each call cost (the benchmark and tests read it). */
  readonly costs = new CostLedger();
  private readonly throttle = new ThrottleTracker();
  private readonly transport: AdminTransport;
  private readonly bucket: SharedBucketGate | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  /**
   * Waits for the shared bucket to refill: its refill is reckoned on the app clock (`now`), so the wait
   * passes on that clock too (real time in production; the demo's history replay and the tests move
   * a controlled clock instead, where a real wait would never see the bucket refill).
   */
  private readonly bucketSleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly log: Pick<typeof logger, "debug" | "warn" | "error">;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxThrottleRetries: number;
  private readonly maxThrottleWaitMs: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(options: AdminClientOptions) {
    this.transport = options.transport;
    this.bucket = options.bucket;
    this.sleep = options.sleep ?? realSleep;
    this.bucketSleep = options.sleep ?? appSleep;
    this.now = options.now ?? (() => clock().now());
    this.random = options.random ?? Math.random;
    this.log = logger.child({ component: "admin-client", ...(options.shop ? { shop: options.shop } : {}) });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.maxThrottleRetries = Math.max(0, options.maxThrottleRetries ?? DEFAULT_MAX_THROTTLE_RETRIES);
    this.maxThrottleWaitMs = options.maxThrottleWaitMs ?? 60_000;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 20_000;
  }

  /**
   * Run the operation and return its parsed `data`. Throws AdminApiError
   * (see its `code`, `retryable`, `status`) or UserErrorsError.
   */
  async run<VS extends z.ZodType | undefined, DS extends z.ZodType>(
    operation: Operation<VS, DS>,
    ...args: OperationArgs<VS>
  ): Promise<z.output<DS>> {
    return (await this.runWithDenials(operation, ...args)).data;
  }

  /**
   * As run(), and also which of the operation's protectedFields Shopify refused (null in `data`)
   * because the app is not approved for that protected customer data. A refusal anywhere else, or
   * of any other kind, fails as in run().
   */
  async runWithDenials<VS extends z.ZodType | undefined, DS extends z.ZodType>(
    operation: Operation<VS, DS>,
    ...args: OperationArgs<VS>
  ): Promise<{ data: z.output<DS>; denied: string[] }> {
    const variables = this.encodeVariables(operation, args[0]);
    let requests = 0;
    let transientFailures = 0;
    let throttleRetries = 0;
    let waitedForBucket = false;
    for (;;) {
      let reservation: Reservation | undefined;
      // Shared: every request reserves (other processes must see it), even right after a throttle wait.
      if (this.bucket)
        reservation = await this.bucket.acquire(operation.name, {
          now: this.now,
          sleep: this.bucketSleep,
          maxWaitMs: this.maxThrottleWaitMs,
        });
      // Right after a throttle wait the bucket holds the cost by construction; do not wait twice.
      else if (!waitedForBucket) await this.waitForBucket(operation.name);
      waitedForBucket = false;
      requests += 1;
      const result = await this.attempt(operation, variables);
      if (this.bucket && reservation) {
        const cost = result.ok ? result.cost : result.failure.cost;
        const throttled = !result.ok && result.failure.kind === "throttled";
        await this.bucket.settle(reservation, cost, throttled, this.now().getTime());
      }
      if (result.ok) {
        if (result.searchWarnings.length) throw this.searchError(operation.name, result.searchWarnings, requests);
        return { data: this.accept(operation, result.data, requests), denied: [] };
      }

      const { failure } = result;
      const denied = protectedDenials(operation, failure);
      if (denied) {
        this.log.warn({ operation: operation.name, denied }, "protected customer data refused; going on without it");
        return { data: this.accept(operation, failure.data, requests), denied };
      }
      const fail = (extra: Partial<AdminApiErrorInit> = {}) => this.error(operation, failure, requests, extra);

      if (failure.kind === "throttled") {
        throttleRetries += 1;
        const waitMs = this.throttleWait(failure);
        if (waitMs === "never")
          throw fail({
            retryable: false,
            message: `${operation.name} asks ${failure.cost?.requestedQueryCost} points, more than the bucket holds (${failure.cost?.throttleStatus.maximumAvailable})`,
          });
        if (throttleRetries > this.maxThrottleRetries || waitMs > this.maxThrottleWaitMs)
          throw fail({ retryable: true });
        this.log.debug(
          { operation: operation.name, waitMs, throttleRetries },
          "Admin API throttled; waiting for the bucket",
        );
        await this.sleep(waitMs);
        waitedForBucket = true;
        continue;
      }

      if (!TRANSIENT.has(failure.kind)) {
        // A mutation answered with data beside its errors, or with a body we cannot read, may have run.
        throw fail({
          retryable: false,
          mayHaveApplied: operation.kind === "mutation" && (failure.partialData === true || failure.kind === "shape"),
        });
      }

      if (operation.kind === "mutation" && !operation.idempotent && failure.mayHaveReached) {
        this.log.warn(
          { operation: operation.name, failure: failure.kind, status: failure.status },
          "mutation outcome unknown; not repeating it",
        );
        throw fail({
          code: "AMBIGUOUS",
          underlying: FAILURE_CODES[failure.kind],
          retryable: true,
          message: `${operation.name} may or may not have been applied (${failure.message}); look it up before trying again`,
        });
      }

      transientFailures += 1;
      if (transientFailures >= this.maxAttempts) {
        this.log.warn(
          { operation: operation.name, failure: failure.kind, status: failure.status, requests },
          "Admin API call gave up",
        );
        throw fail({ retryable: true });
      }
      const waitMs = failure.retryAfterMs ?? this.backoff(transientFailures);
      this.log.debug(
        { operation: operation.name, failure: failure.kind, status: failure.status, waitMs, transientFailures },
        "Admin API call failed; retrying",
      );
      await this.sleep(waitMs);
    }
  }

  private encodeVariables(
    operation: Operation<z.ZodType | undefined, z.ZodType>,
    input: unknown,
  ): Record<string, unknown> | undefined {
    if (!operation.variables) return undefined;
    try {
      return operation.variables.parse(input) as Record<string, unknown>;
    } catch (error) {
      const detail =
        error instanceof ZodError
          ? error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")
          : String(error);
      throw new AdminApiError({
        message: `${operation.name}: invalid variables: ${detail}`,
        code: "INVALID_VARIABLES",
        retryable: false,
        operation: operation.name,
        cause: error,
      });
    }
  }

  /** Proactive wait: the last status says the bucket cannot pay for this operation yet. */
  private async waitForBucket(operationName: string): Promise<void> {
    const cost = this.throttle.knownCost(operationName);
    if (cost === undefined) return;
    const waitMs = this.throttle.waitBefore(cost, this.now().getTime());
    if (waitMs <= 0) return;
    this.log.debug({ operation: operationName, waitMs, cost }, "waiting for the bucket before calling");
    await this.sleep(waitMs);
  }

  private throttleWait(failure: Failure): number | "never" {
    if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
    const cost = failure.cost;
    if (!cost) return this.backoff(1);
    if (cost.requestedQueryCost > cost.throttleStatus.maximumAvailable) return "never";
    const wait = refillWaitMs(cost.requestedQueryCost, cost.throttleStatus);
    // THROTTLED although the bucket reports enough (or never refills): no exact figure, back off instead.
    return wait === undefined || wait === 0 ? this.backoff(1) : wait;
  }

  private backoff(failures: number): number {
    const ceiling = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (failures - 1));
    return Math.floor(this.random() * ceiling);
  }

  private async attempt(
    operation: Operation<z.ZodType | undefined, z.ZodType>,
    variables: Record<string, unknown> | undefined,
  ): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, "TimeoutError"));
    }, this.timeoutMs);
    const startedAt = this.now();
    try {
      let response: Response;
      try {
        response = await this.transport.graphql(operation.document, {
          ...(variables ? { variables } : {}),
          signal: controller.signal,
          tries: 1,
        });
      } catch (error) {
        // No token to send with: the operation never left, so it is neither retried nor ambiguous here.
        if (error instanceof AccessTokenError) throw error;
        return this.record(operation.name, startedAt, {
          ok: false,
          failure: timedOut ? timeoutFailure(this.timeoutMs, error) : classifyThrown(error),
        });
      }
      return this.record(operation.name, startedAt, await readResponse(response));
    } catch (error) {
      if (error instanceof AccessTokenError) throw error;
      // Reading the body can fail too (the connection dropped mid-body, or our timeout fired).
      return this.record(operation.name, startedAt, {
        ok: false,
        failure: timedOut ? timeoutFailure(this.timeoutMs, error) : networkFailure(error),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private record(operation: string, at: Date, result: AttemptResult): AttemptResult {
    const cost = result.ok ? result.cost : result.failure.cost;
    const throttled = !result.ok && result.failure.kind === "throttled";
    if (cost) this.throttle.observe(cost, operation, this.now().getTime());
    this.costs.record({
      operation,
      at,
      requested: cost?.requestedQueryCost ?? null,
      actual: cost?.actualQueryCost ?? null,
      throttled,
    });
    return result;
  }

  private searchError(operation: string, warnings: SearchWarning[], requests: number): AdminApiError {
    const fields = warnings.map((w) => `${w.path.join(".") || "(root)"} ${w.field}: ${w.message}`);
    this.log.error(
      { operation, fields: warnings.map((w) => w.field) },
      "Shopify ignored search terms; result not used",
    );
    return new AdminApiError({
      message: `${operation}: Shopify ignored search terms (${fields.join("; ")})`,
      code: "SEARCH_TERMS_IGNORED",
      retryable: false,
      operation,
      attempts: requests,
    });
  }

  private accept<DS extends z.ZodType>(
    operation: Operation<z.ZodType | undefined, DS>,
    data: unknown,
    requests: number,
  ): z.output<DS> {
    const userErrors = operation.userErrorsPath ? readUserErrors(data, operation.userErrorsPath) : [];
    if (userErrors.length) throw new UserErrorsError(operation.name, userErrors);
    const parsed = operation.data.safeParse(data);
    if (!parsed.success) {
      throw new AdminApiError({
        message: `${operation.name}: unexpected response: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        code: "UNEXPECTED_SHAPE",
        retryable: false,
        operation: operation.name,
        // A mutation answered, so it ran: only its answer was not understood.
        mayHaveApplied: operation.kind === "mutation",
        attempts: requests,
      });
    }
    return parsed.data;
  }

  private error(
    operation: Operation<z.ZodType | undefined, z.ZodType>,
    failure: Failure,
    requests: number,
    extra: Partial<AdminApiErrorInit>,
  ): AdminApiError {
    return new AdminApiError({
      message: `${operation.name}: ${failure.message}`,
      code: FAILURE_CODES[failure.kind],
      retryable: false,
      status: failure.status,
      operation: operation.name,
      graphqlErrors: failure.graphqlErrors,
      attempts: requests,
      cause: failure.cause,
      ...extra,
    });
  }
}

/**
 * The refused protected fields when every GraphQL error is a protected-data refusal of a field the
 * operation declared (matched on the path without list indices) and data came with them; else null.
 */
function protectedDenials(operation: Operation<z.ZodType | undefined, z.ZodType>, failure: Failure): string[] | null {
  if (failure.kind !== "graphql" || !failure.graphqlErrors?.length || operation.protectedFields.length === 0)
    return null;
  if (typeof failure.data !== "object" || failure.data === null) return null;
  const declared = new Set(operation.protectedFields.map((p) => p.join(".")));
  const paths: string[] = [];
  for (const error of failure.graphqlErrors) {
    if (!isProtectedDataDenial(error) || !error.path) return null;
    const path = error.path.filter((part): part is string => typeof part === "string").join(".");
    if (!declared.has(path)) return null;
    paths.push(path);
  }
  return [...new Set(paths)];
}
