/**
 * A state change returns the webhooks it causes as emissions: the topic and a
 * builder run right after the change (so the payload shows the new state).
 * The list itself is made on demand: bulk seeding never asks for it, so it
 * pays for neither the payloads nor the list.
 */
import type { WebhookTopic } from "../webhooks/topics";

export interface Emission {
  topic: WebhookTopic;
  build: () => unknown;
  /** Extra delivery options Shopify applies to this topic (e.g. shop/redact 48 h after uninstall). */
  delayMs?: number;
}

export interface Change<T> {
  result: T;
  emissions: () => Emission[];
}
