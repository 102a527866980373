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
 */
import type pg from "pg";

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
  resolve(result: StoreResult): void;
  reject(error: unknown): void;
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

  constructor(
    private readonly pool: () => pg.Pool,
    private readonly options: { maxBatch: number; maxInFlight: number } = { maxBatch: 200, maxInFlight: 4 },
  ) {}

  store(row: InboxRow): Promise<StoreResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
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
