/**
 * A consumer of Shopify's high-volume webhook deliveries (Pub/Sub or EventBridge through SQS) that
 * feeds the same inbox as the /webhooks route (docs/decisions/0026-webhook-sources.md).
 *
 * It speaks to the cloud through a small MessageTransport (pull, ack, nack, dead-letter), so the
 * cloud client libraries stay out of the app until a deployment needs one: an adapter of a dozen
 * lines over @google-cloud/pubsub's or @aws-sdk/client-sqs's pull and ack calls.
 *
 * Exactly what happens to a message:
 * - a delivery is stored with its job (ingestDelivery, the HTTP route's path: unique on shop and
 *   webhook id, and on shop, topic and event id), then acked; a duplicate is acked too (stored once);
 * - a message that names its shop, webhook id and topic but whose payload is unusable is stored
 *   FAILED with the reason, then acked;
 * - a message that cannot even be stored (no shop, no webhook id, not a shop domain) is moved to the
 *   dead letters with the reason, and logged as an error;
 * - when storing fails (the database is down), the message is nacked: the cloud delivers it again.
 * A message is acked only once its row is committed; nothing is ever acked unstored.
 */
import { logger } from "../../logger.server";
import { storeUnusableDelivery } from "../../models/webhook-delivery.server";
import { ingestDelivery } from "../webhook-inbox.server";
import { PARSERS, type WebhookSourceName } from "./messages.server";

export interface TransportMessage {
  /** What acknowledges this one receipt of the message: Pub/Sub's ackId, SQS's receipt handle. */
  ackId: string;
  /** The message as the cloud handed it over: a Pub/Sub PubsubMessage, or an SQS body (the EventBridge event's JSON). */
  body: unknown;
}

export interface MessageTransport {
  /** Up to `max` messages; may wait for some (a long poll) and resolves [] once `signal` aborts. */
  pull(max: number, signal: AbortSignal): Promise<TransportMessage[]>;
  /** Settle messages for good (Pub/Sub acknowledge, SQS DeleteMessageBatch). */
  ack(ackIds: string[]): Promise<void>;
  /** Hand messages back for redelivery now (Pub/Sub modifyAckDeadline 0, SQS ChangeMessageVisibility 0). */
  nack(ackIds: string[]): Promise<void>;
  /**
   * Move a message that can never be stored to the dead letters with the reason (a dead-letter
   * topic or queue, the reason as an attribute), then settle the original.
   */
  deadLetter(message: TransportMessage, reason: string): Promise<void>;
}

/** What one message came to. */
export type MessageOutcome = "STORED" | "DUPLICATE" | "STORED_FAILED" | "DEAD_LETTERED" | "NACKED";

/** A source of webhook deliveries that runs beside the web process or the worker. */
export interface WebhookSource {
  readonly name: WebhookSourceName;
  start(): void;
  /** Stop pulling, and wait for the messages in hand to be stored and settled. */
  stop(): Promise<void>;
}

export interface ConsumerOptions {
  source: WebhookSourceName;
  transport: MessageTransport;
  /** Messages pulled at once (Pub/Sub allows 1,000 per pull, SQS 10 per receive). */
  maxMessages?: number;
  /** Pause after a failing pull or store, so a database outage is not a hot loop. */
  retryDelayMs?: number;
}

export class WebhookConsumer implements WebhookSource {
  readonly name: WebhookSourceName;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ConsumerOptions) {
    this.name = options.source;
  }

  /**
   * Store and settle one batch: every message is parsed and stored concurrently (so the inbox's
   * group commit takes them together), and the acks go out in one call once all are committed.
   */
  async consume(messages: TransportMessage[]): Promise<MessageOutcome[]> {
    const { transport, source } = this.options;
    const parse = PARSERS[source];
    const outcomes = await Promise.all(
      messages.map(async (message): Promise<MessageOutcome> => {
        const parsed = parse(message.body);
        if (parsed.kind === "UNIDENTIFIABLE") {
          logger.error({ source, reason: parsed.reason }, "webhook message dead-lettered: it names no delivery");
          try {
            await transport.deadLetter(message, parsed.reason);
            return "DEAD_LETTERED";
          } catch (error) {
            logger.error({ source, err: String(error) }, "dead-lettering a webhook message failed");
            return "NACKED";
          }
        }
        try {
          if (parsed.kind === "UNUSABLE") {
            logger.warn(
              { source, shop: parsed.delivery.shop, reason: parsed.reason },
              "webhook message stored as FAILED",
            );
            await storeUnusableDelivery(parsed.delivery, parsed.reason);
            return "STORED_FAILED";
          }
          const result = await ingestDelivery(parsed.delivery);
          return result.stored ? "STORED" : "DUPLICATE";
        } catch (error) {
          logger.error({ source, shop: parsed.delivery.shop, err: String(error) }, "storing a webhook message failed");
          return "NACKED";
        }
      }),
    );
    const settled = (wanted: (o: MessageOutcome) => boolean) =>
      messages.filter((_, i) => wanted(outcomes[i] ?? "NACKED")).map((m) => m.ackId);
    const toAck = settled((o) => o === "STORED" || o === "DUPLICATE" || o === "STORED_FAILED");
    const toNack = settled((o) => o === "NACKED");
    // An ack that fails only costs a redelivery, which the inbox's uniqueness absorbs.
    if (toAck.length > 0)
      await transport.ack(toAck).catch((error: unknown) => logger.warn({ source, err: String(error) }, "ack failed"));
    if (toNack.length > 0)
      await transport
        .nack(toNack)
        .catch((error: unknown) => logger.warn({ source, err: String(error) }, "nack failed"));
    return outcomes;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { transport, maxMessages = 100, retryDelayMs = 1_000 } = this.options;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let failed = false;
      try {
        const messages = await transport.pull(maxMessages, signal);
        if (messages.length > 0) failed = (await this.consume(messages)).includes("NACKED");
      } catch (error) {
        failed = true;
        logger.error({ source: this.name, err: String(error) }, "pulling webhook messages failed");
      }
      if (failed && !signal.aborted) await pause(retryDelayMs, signal);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
