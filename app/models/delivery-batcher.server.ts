/**
 * Group commit for the webhook inbox. Deliveries arriving together are stored
 * by one SQL statement: a multi-row INSERT ... ON CONFLICT DO NOTHING (a webhook id or an
 * event id already stored, docs/decisions/0003) and one
 * graphile_worker.add_jobs() for the rows it inserted. One statement is one
 * transaction, so every stored delivery has its job and a duplicate gets
 * neither; each caller still waits for its own row to be committed before the
 * route answers 200.
 *
 * Batches form by themselves: a batch is flushed on the next turn of the event
 * loop, and while `maxInFlight` statements are running, new deliveries wait and
 * go out together in the next one. At low load a batch holds one delivery and
 * adds no delay; under load, commits and job notifications are shared.
 * Plain pg rather than Prisma: this is the hottest path in the app, and Prisma's
 * per-query compilation cost more than the statement itself (docs/decisions/0005).
 *
 * Load shedding (docs/decisions/0031): the queue is bounded for callers that can be told to come
 * back later (the /webhooks handler: Shopify retries a 503). Such a delivery is refused, before it
 * is queued and so before anything of it is stored, when `maxQueue` deliveries already wait for a
 * statement or the oldest of them has waited `maxWaitMs`: it would wait about as long again, and
 * Shopify gives up on an answer after 5 s. A caller that cannot be refused (a pull consumer, which
 * bounds its own batch) is always queued, and counts towards the limits like any other.
 */
import type pg from "pg";
import { logger } from "../logger.server";

export interface InboxRow {
  shop: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  /** Null for a delivery stored for the record only (IGNORED): nothing of its payload is kept. */
  rawBody: string | null;
  source: string;
  /** RECEIVED (gets a process-webhook job), IGNORED (stored for the record only) or FAILED (unusable as received). */
  status: "RECEIVED" | "IGNORED" | "FAILED";
  lastError: string | null;
}

export type StoreResult = { stored: true; id: string } | { stored: false };

interface Pending {
  row: InboxRow;
  /** When it was queued, on the batcher's clock (ms). */
  queuedAt: number;
  resolve(result: StoreResult): void;
  reject(error: unknown): void;
}

export type ShedReason = "queue-full" | "queue-too-old";

const RETRY_AFTER_SECONDS = 5;

/** A delivery refused before anything of it was stored: the inbox is over its limits. Answer 503 and let it come back. */
export class IngestOverloadedError extends Error {
  /** What the answer's Retry-After says; Shopify keeps its own retry schedule, so it is advice. */
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(readonly reason: ShedReason) {
    super(`webhook ingest is overloaded (${reason}): delivery refused before it was stored`);
    this.name = "IngestOverloadedError";
  }
}

export interface BatcherOptions {
  /** Rows per statement at most. */
  maxBatch: number;
  /** Statements running at once (one per connection of the pool). */
  maxInFlight: number;
  /** Refuse a sheddable delivery when this many are already waiting for a statement. */
  maxQueue: number;
  /** Refuse a sheddable delivery when the oldest waiting one has waited this long (ms). */
  maxWaitMs: number;
  /** A monotonic clock in ms (tests pass their own). */
  now?: () => number;
  /** Where refusals are reported, at most once per second (see ShedLog). */
  shedLog?: ShedLog;
}

export interface BatcherLoad {
  /** Deliveries waiting for a statement. */
  queued: number;
  /** How long the oldest of them has waited (whole ms); 0 when none waits. */
  oldestWaitMs: number;
  /** Statements running. */
  inFlight: number;
  /** Deliveries refused since the batcher was created. */
  shed: number;
}

export interface ShedLogFields {
  /** Refused since the previous line. */
  shed: number;
  /** Refused since the process started. */
  shedTotal: number;
  /** Why the last one was refused. */
  reason: ShedReason;
  queued: number;
  oldestWaitMs: number;
  maxQueue: number;
  maxWaitMs: number;
}

/**
 * Reports refusals at most once per second, with how many: the first refusal of a quiet spell at
 * once, then whatever was refused meanwhile once a second has passed, until a second passes with
 * none. Counts and limits only: never a payload, a shop or a webhook id.
 */
export class ShedLog {
  private pending = 0;
  private total = 0;
  private timer: NodeJS.Timeout | undefined;
  private last: Omit<ShedLogFields, "shed" | "shedTotal"> | undefined;

  constructor(
    private readonly write: (fields: ShedLogFields) => void = (fields) =>
      logger.warn(
        fields,
        "webhook ingest overloaded: deliveries refused with 503 before being stored (Shopify retries them)",
      ),
    private readonly intervalMs = 1_000,
  ) {}

  note(state: Omit<ShedLogFields, "shed" | "shedTotal">): void {
    this.pending++;
    this.total++;
    this.last = state;
    if (!this.timer) this.report();
  }

  private report(): void {
    if (this.pending === 0 || !this.last) {
      this.timer = undefined;
      return;
    }
    this.write({ shed: this.pending, shedTotal: this.total, ...this.last });
    this.pending = 0;
    this.timer = setTimeout(() => this.report(), this.intervalMs);
    this.timer.unref();
  }
}

const COLUMNS = 10;

/** The statement for n rows; cached, since batch sizes repeat. */
const statements = new Map<number, string>();
function statement(n: number): string {
  let sql = statements.get(n);
  if (sql) return sql;
  const values = Array.from({ length: n }, (_, i) => {
    const p = (k: number) => `$${i * COLUMNS + k}`;
    return `(gen_random_uuid(), ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::timestamptz, ${p(7)}, ${p(8)}, ${p(9)}::"DeliveryStatus", ${p(10)}, now())`;
  }).join(",\n");
  sql = `
    WITH inserted AS (
      INSERT INTO "WebhookDelivery"
        (id, shop, "webhookId", "eventId", topic, "apiVersion", "triggeredAt", source, "rawBody", status, "lastError", "updatedAt")
      VALUES ${values}
      ON CONFLICT DO NOTHING
      RETURNING id, shop, "webhookId", status
    ), jobs AS (
      SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
        SELECT ROW('process-webhook', json_build_object('v', 1, 'shop', shop, 'deliveryId', id), NULL, NULL, 8, NULL, NULL, NULL)::graphile_worker.job_spec
        FROM inserted WHERE status = 'RECEIVED'
      ))
      WHERE EXISTS (SELECT 1 FROM inserted WHERE status = 'RECEIVED')
    )
    SELECT inserted.id::text AS id, inserted.shop, inserted."webhookId" FROM inserted LEFT JOIN jobs ON true`;
  statements.set(n, sql);
  return sql;
}

export class DeliveryBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private shed = 0;
  private readonly now: () => number;
  private readonly shedLog: ShedLog;

  constructor(
    private readonly pool: () => pg.Pool,
    private readonly options: BatcherOptions = { maxBatch: 200, maxInFlight: 4, maxQueue: 2_000, maxWaitMs: 1_000 },
  ) {
    this.now = options.now ?? (() => performance.now());
    this.shedLog = options.shedLog ?? new ShedLog();
  }

  /**
   * Store a row once with its job (see above). With `shed`, a row that would wait too long is
   * refused instead: the promise rejects with IngestOverloadedError and nothing is queued.
   */
  store(row: InboxRow, { shed = false }: { shed?: boolean } = {}): Promise<StoreResult> {
    const refused = shed ? this.refusal() : null;
    if (refused) return Promise.reject(refused);
    return new Promise((resolve, reject) => {
      this.queue.push({ row, queuedAt: this.now(), resolve, reject });
      this.schedule();
    });
  }

  /**
   * The refusal (counted and reported) a sheddable delivery gets now, or null when it would be
   * queued. For a caller that can skip work (the signature check) before it stores; `store` checks
   * again, since the queue may have grown in between.
   */
  refusal(): IngestOverloadedError | null {
    const reason = this.overload();
    if (!reason) return null;
    this.shed++;
    const { queued, oldestWaitMs } = this.load();
    this.shedLog.note({
      reason,
      queued,
      oldestWaitMs,
      maxQueue: this.options.maxQueue,
      maxWaitMs: this.options.maxWaitMs,
    });
    return new IngestOverloadedError(reason);
  }

  /** What is waiting and running now, and how much was refused. */
  load(): BatcherLoad {
    const oldest = this.queue[0];
    return {
      queued: this.queue.length,
      oldestWaitMs: oldest ? Math.max(0, Math.round(this.now() - oldest.queuedAt)) : 0,
      inFlight: this.inFlight,
      shed: this.shed,
    };
  }

  private overload(): ShedReason | null {
    if (this.queue.length >= this.options.maxQueue) return "queue-full";
    const oldest = this.queue[0];
    if (oldest && this.now() - oldest.queuedAt >= this.options.maxWaitMs) return "queue-too-old";
    return null;
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.write(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const params: unknown[] = [];
    for (const { row } of batch) {
      params.push(
        row.shop,
        row.webhookId,
        row.eventId,
        row.topic,
        row.apiVersion,
        row.triggeredAt,
        row.source,
        row.rawBody,
        row.status,
        row.lastError,
      );
    }
    try {
      const result = await this.pool().query<{ id: string; shop: string; webhookId: string }>(
        statement(batch.length),
        params,
      );
      const inserted = new Map(result.rows.map((r) => [`${r.shop}\n${r.webhookId}`, r.id]));
      for (const pending of batch) {
        const key = `${pending.row.shop}\n${pending.row.webhookId}`;
        const id = inserted.get(key);
        // The same delivery twice in one batch: the first caller stored it, the rest are duplicates.
        inserted.delete(key);
        pending.resolve(id ? { stored: true, id } : { stored: false });
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
