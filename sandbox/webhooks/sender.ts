/**
 * Delivers webhooks the way Shopify does: signed, with the real headers, and
 * with the real failure modes on demand (duplicates, out of order, late,
 * dropped, retried after a non-2xx answer), keeping a log for assertions.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import { accessOf, redactWebhookPayload } from "../protected-data";
import { Random } from "../seed/prng";
import type { DeliveryOptions, DeliveryRecord, RetryPolicy, WebhookSenderOptions } from "./delivery-types";
import { sign } from "./sign";
import { COMPLIANCE_TOPICS } from "./topics";

interface Transmission {
  record: DeliveryRecord;
  duplicate: boolean;
  /** Retries scheduled on the clock keep their own policy. */
  retry: RetryPolicy;
}

const DEFAULT_RETRY = { maxRetries: 8, backoff: "clock" as const, delayMs: (n: number) => 60_000 * 2 ** (n - 1) };

export class WebhookSender {
  readonly log: DeliveryRecord[] = [];
  private readonly held: Transmission[] = [];
  private readonly scheduled: Transmission[] = [];
  private holding = false;
  private seq = 0;
  private readonly uninstalled = new Set<string>();
  private readonly clock: Clock;

  constructor(private readonly options: WebhookSenderOptions) {
    this.clock = options.clock;
  }

  /** Send one event's webhook. Resolves once it is delivered, failed for good, or queued (held, late, retry scheduled). */
  async send(shop: string, topic: string, event: unknown, options: DeliveryOptions = {}): Promise<DeliveryRecord> {
    const policy =
      typeof this.options.policy === "function" ? this.options.policy(topic, shop) : (this.options.policy ?? {});
    const o: DeliveryOptions = { ...policy, ...options };
    const eventId = o.eventId ?? randomUUID();
    // What the app is approved for decides what it gets: unapproved fields null, or no subscription at all.
    const access = this.options.protectedData?.(shop) ?? accessOf(undefined);
    const redacted = redactWebhookPayload(topic, event, access);
    const payload = redacted ?? event;
    const record = this.createRecord(shop, topic, payload, o, eventId, o.webhookId ?? randomUUID());

    if (redacted === null || !this.isSubscribed(shop, topic)) {
      record.state = "unsubscribed";
      return record;
    }
    if (o.drop) {
      record.state = "dropped";
      record.dropped = true;
      return record;
    }
    const retry = o.retry ?? this.options.retry ?? DEFAULT_RETRY;
    const copies: DeliveryRecord[] = [record];
    for (let i = 0; i < (o.resend ?? 0); i++)
      copies.push(this.createRecord(shop, topic, payload, o, eventId, randomUUID()));

    for (const copy of copies) {
      const transmissions: Transmission[] = [{ record: copy, duplicate: false, retry }];
      for (let i = 0; i < (o.duplicate ?? 0); i++) transmissions.push({ record: copy, duplicate: true, retry: false });
      for (const t of transmissions) {
        if (o.hold || this.holding) {
          copy.state = "held";
          this.held.push(t);
        } else if ((o.delayMs ?? 0) > 0) {
          copy.state = "scheduled";
          copy.dueAt = new Date(this.clock.now().getTime() + (o.delayMs ?? 0));
          this.scheduled.push(t);
        } else {
          await this.transmit(t);
        }
      }
    }
    return record;
  }

  /** Queue every send from now on until flush() (to deliver them out of order). */
  hold(): void {
    this.holding = true;
  }

  /**
   * Deliver what is held, in arrival order, reversed, or shuffled (seeded), and
   * stop holding. Returns the deliveries in the order they were made.
   */
  async flush(options: { order?: "fifo" | "reverse" | "shuffle"; seed?: number } = {}): Promise<DeliveryRecord[]> {
    this.holding = false;
    const batch = this.held.splice(0);
    if (options.order === "reverse") batch.reverse();
    if (options.order === "shuffle") new Random(options.seed ?? 1).shuffle(batch);
    const delivered: DeliveryRecord[] = [];
    for (const t of batch) {
      await this.transmit(t);
      delivered.push(t.record);
    }
    return delivered;
  }

  /** Deliver late deliveries and clock-scheduled retries whose time has come, oldest due first. */
  async flushDue(): Promise<DeliveryRecord[]> {
    const delivered: DeliveryRecord[] = [];
    const now = this.clock.now().getTime();
    const due = this.scheduled
      .filter((t) => (t.record.dueAt?.getTime() ?? 0) <= now)
      .sort(
        (a, b) => (a.record.dueAt?.getTime() ?? 0) - (b.record.dueAt?.getTime() ?? 0) || a.record.seq - b.record.seq,
      );
    for (const t of due) {
      // Two flushes at once (two panel clicks) see the same due list: the first to reach one sends it.
      const index = this.scheduled.indexOf(t);
      if (index < 0) continue;
      this.scheduled.splice(index, 1);
      await this.transmit(t);
      delivered.push(t.record);
    }
    return delivered;
  }

  /** Deliver everything queued now, whatever its due time (retries included, until they succeed or run out). */
  async flushAll(): Promise<DeliveryRecord[]> {
    const delivered = await this.flush();
    while (this.scheduled.length > 0) {
      const t = this.scheduled.shift() as Transmission;
      await this.transmit(t);
      delivered.push(t.record);
    }
    return delivered;
  }

  /**
   * For a running demo: call flushDue() every `intervalMs` of real time, so
   * late deliveries and retries go out once the clock passes them. Returns a
   * stop function. The timer does not keep the process alive.
   */
  autoFlush(intervalMs = 1_000): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.flushDue().finally(() => {
        running = false;
      });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Deliveries not yet made (held or scheduled). */
  pending(): DeliveryRecord[] {
    return [...new Set([...this.held, ...this.scheduled].map((t) => t.record))];
  }

  /** Withdraw queued deliveries (e.g. shop/redact when the shop reinstalls within 48 h). */
  cancel(match: (record: DeliveryRecord) => boolean): number {
    let count = 0;
    for (const queue of [this.held, this.scheduled]) {
      for (let i = queue.length - 1; i >= 0; i--) {
        const t = queue[i] as Transmission;
        if (match(t.record)) {
          queue.splice(i, 1);
          t.record.state = "cancelled";
          count++;
        }
      }
    }
    return count;
  }

  /** After app/uninstalled Shopify sends a shop nothing but the compliance topics. */
  markUninstalled(shop: string): void {
    this.uninstalled.add(shop);
  }

  markInstalled(shop: string): void {
    this.uninstalled.delete(shop);
  }

  isInstalled(shop: string): boolean {
    return !this.uninstalled.has(shop);
  }

  deliveries(filter: { topic?: string; shop?: string; state?: DeliveryRecord["state"] } = {}): DeliveryRecord[] {
    return this.log.filter(
      (r) =>
        (!filter.topic || r.topic === filter.topic) &&
        (!filter.shop || r.shop === filter.shop) &&
        (!filter.state || r.state === filter.state),
    );
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private isSubscribed(shop: string, topic: string): boolean {
    if (this.options.topics && !this.options.topics.includes(topic)) return false;
    return this.isInstalled(shop) || (COMPLIANCE_TOPICS as readonly string[]).includes(topic);
  }

  private createRecord(
    shop: string,
    topic: string,
    payload: unknown,
    o: DeliveryOptions,
    eventId: string,
    webhookId: string,
  ): DeliveryRecord {
    const body = JSON.stringify(payload);
    const record: DeliveryRecord = {
      seq: ++this.seq,
      shop,
      topic,
      webhookId,
      eventId,
      triggeredAt: o.triggeredAt ?? this.clock.now(),
      body,
      payload,
      state: "scheduled",
      status: null,
      attempts: 0,
      retries: 0,
      dropped: false,
      dueAt: null,
      history: [],
    };
    signatures.set(record, sign(body, o.signWith ?? this.options.secret));
    // A tampered body keeps the signature of the original one, as if changed in transit.
    if (o.tamper) record.body = body.replace(/}\s*$/, ',"tampered":true}');
    this.log.push(record);
    return record;
  }

  private request(record: DeliveryRecord): Request {
    const headers = new Headers({
      "Content-Type": "application/json",
      "X-Shopify-Topic": record.topic,
      "X-Shopify-Hmac-Sha256": signatures.get(record) ?? "",
      "X-Shopify-Shop-Domain": record.shop,
      "X-Shopify-API-Version": this.options.apiVersion,
      "X-Shopify-Webhook-Id": record.webhookId,
      "X-Shopify-Event-Id": record.eventId,
      "X-Shopify-Triggered-At": record.triggeredAt.toISOString(),
      "User-Agent": "Shopify-Captain-Hook",
    });
    return new Request(this.options.endpoint ?? "https://amends.test/webhooks", {
      method: "POST",
      headers,
      body: record.body,
    });
  }

  private async attempt(record: DeliveryRecord): Promise<{ status: number | null; error: string | null }> {
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<{ status: null; error: string }>((resolve) => {
      timer = setTimeout(() => resolve({ status: null, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    const answer = this.options
      .deliver(this.request(record))
      .then(async (response) => {
        // Read the body so the connection is released; Shopify ignores it.
        await response.arrayBuffer().catch(() => undefined);
        return { status: response.status, error: null };
      })
      .catch((error: unknown) => ({ status: null, error: error instanceof Error ? error.message : String(error) }));
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async transmit(t: Transmission): Promise<void> {
    const { record } = t;
    for (;;) {
      const { status, error } = await this.attempt(record);
      record.attempts++;
      record.status = status;
      record.history.push({ at: this.clock.now(), status, error, duplicate: t.duplicate });
      // Any non-2xx answer is a failure, redirects included.
      const ok = status !== null && status >= 200 && status < 300;
      if (t.duplicate) {
        // A duplicate is the same delivery arriving again: it is never retried on its own.
        if (ok && record.state !== "delivered") record.state = "delivered";
        return;
      }
      if (ok) {
        record.state = "delivered";
        record.dueAt = null;
        return;
      }
      const policy = t.retry === false ? false : { ...DEFAULT_RETRY, ...t.retry };
      if (!policy || record.retries >= policy.maxRetries) {
        record.state = "failed";
        record.dueAt = null;
        return;
      }
      record.retries++;
      if (policy.backoff === "immediate") continue;
      record.state = "scheduled";
      record.dueAt = new Date(this.clock.now().getTime() + Math.max(1, policy.delayMs(record.retries)));
      this.scheduled.push(t);
      return;
    }
  }
}

/** Signatures are computed once per delivery (over the untampered body) and reused by every retry and duplicate. */
const signatures = new WeakMap<DeliveryRecord, string>();
