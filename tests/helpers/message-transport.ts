/**
 * A MessageTransport over in-memory messages, standing in for a Pub/Sub subscription or an SQS
 * queue (the cloud cannot be reached from tests). It records what the consumer did with each
 * message, and lets a test look at the database at the moment of each ack.
 */
import type { MessageTransport, TransportMessage } from "../../app/services/webhook-sources/consumer.server";

export class InMemoryTransport implements MessageTransport {
  readonly queue: TransportMessage[] = [];
  readonly acked: string[] = [];
  readonly nacked: string[] = [];
  readonly deadLetters: Array<{ ackId: string; reason: string }> = [];
  private waiting: (() => void) | undefined;

  /** Called at each ack, before it is recorded: what the test wants to check at that moment. */
  constructor(private readonly onAck?: (ackIds: string[]) => Promise<void>) {}

  publish(...messages: TransportMessage[]): void {
    this.queue.push(...messages);
    this.waiting?.();
  }

  async pull(max: number, signal: AbortSignal): Promise<TransportMessage[]> {
    if (this.queue.length === 0 && !signal.aborted) {
      // A long poll: wait for a message or for the consumer to stop.
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
      this.waiting = undefined;
    }
    return signal.aborted ? [] : this.queue.splice(0, max);
  }

  async ack(ackIds: string[]): Promise<void> {
    await this.onAck?.(ackIds);
    this.acked.push(...ackIds);
  }

  async nack(ackIds: string[]): Promise<void> {
    this.nacked.push(...ackIds);
  }

  async deadLetter(message: TransportMessage, reason: string): Promise<void> {
    this.deadLetters.push({ ackId: message.ackId, reason });
  }

  /** Every message settled one way or another. */
  get settled(): number {
    return this.acked.length + this.nacked.length + this.deadLetters.length;
  }
}
