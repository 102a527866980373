/** The vocabulary of webhook delivery: options per send, the sender's policy, and the log it keeps. */
import type { Clock } from "../clock";
import type { ProtectedDataAccess } from "../protected-data";

/**
 * How Shopify retries a delivery that got no 2xx answer: the same body and
 * webhook id again, up to 8 more times over about 4 hours. `backoff: "clock"`
 * schedules each retry on the sandbox clock (delivered by flushDue());
 * "immediate" retries at once, for tests that do not move the clock.
 */
export type RetryPolicy =
  | false
  | {
      maxRetries?: number;
      backoff?: "clock" | "immediate";
      /** Delay before retry n (1-based) when backoff is "clock". */
      delayMs?: (retry: number) => number;
    };

export interface DeliveryOptions {
  /** The same delivery (same webhook id, body and signature) arrives this many extra times. */
  duplicate?: number;
  /** The same event is delivered this many extra times under new webhook ids (same X-Shopify-Event-Id). */
  resend?: number;
  /** Queued until flushDue() runs after the clock has passed now + delayMs. */
  delayMs?: number;
  /** Queued until flush(), like every send while the sender is held. */
  hold?: boolean;
  /** Recorded in the log but never delivered (Shopify drops a few). */
  drop?: boolean;
  retry?: RetryPolicy;
  /** X-Shopify-Triggered-At; default the clock's now. */
  triggeredAt?: Date;
  webhookId?: string;
  eventId?: string;
  /** Sign with another secret (a rotated or wrong one). */
  signWith?: string;
  /** Change the body after signing: the app must answer 401. */
  tamper?: boolean;
}

export type DeliveryPolicy = DeliveryOptions | ((topic: string, shop: string) => DeliveryOptions);

export interface WebhookSenderOptions {
  secret: string;
  apiVersion: string;
  /** The transport: the Remix route action in tests, fetch to the app's URL in the demo. */
  deliver: (request: Request) => Promise<Response>;
  clock: Clock;
  /** The subscription URI requests are addressed to. */
  endpoint?: string;
  /** Topics the app subscribes to; others are logged as "unsubscribed" and not sent. Default: every topic. */
  topics?: readonly string[];
  /** Default delivery options for every send (a function may vary them by topic or at random). */
  policy?: DeliveryPolicy;
  /** Default: { maxRetries: 8, backoff: "clock" }, 1, 2, 4 ... 128 minutes apart (about 4 h in all). */
  retry?: RetryPolicy;
  /** Shopify gives up on an answer after 5 s; a timed-out attempt counts as failed. */
  timeoutMs?: number;
  /**
   * The app's protected customer data access per shop (sandbox/protected-data.ts): payloads are
   * redacted to it, and protected topics are not delivered at level "none". Default: what Amends declares.
   */
  protectedData?: (shop: string) => ProtectedDataAccess;
}

export type DeliveryState = "held" | "scheduled" | "delivered" | "failed" | "dropped" | "unsubscribed" | "cancelled";

export interface DeliveryAttempt {
  at: Date;
  status: number | null;
  error: string | null;
  /** A duplicate arrival of an already sent delivery (not a retry). */
  duplicate: boolean;
}

export interface DeliveryRecord {
  seq: number;
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string;
  triggeredAt: Date;
  /** The raw body as sent (tampered if asked). */
  body: string;
  payload: unknown;
  state: DeliveryState;
  /** The last HTTP status, null before any answer. */
  status: number | null;
  /** HTTP requests made for this delivery: first try, retries and duplicates. */
  attempts: number;
  retries: number;
  dropped: boolean;
  /** When a scheduled (late or retried) delivery is due. */
  dueAt: Date | null;
  history: DeliveryAttempt[];
}
