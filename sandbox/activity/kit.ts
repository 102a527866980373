/**
 * One call for a store with activity and nothing else: a frozen
 * ControlledClock, a store with its shops, a WebhookSender and the
 * StoreActivity over them. Without a transport the sender answers every
 * delivery itself with 200 (its log still holds every payload), which is what
 * state tests and seeding want. The whole sandbox (with the Admin API and
 * OAuth) is sandbox/index.ts's createSandbox.
 */
import { ControlledClock } from "../clock";
import { SandboxStore } from "../store";
import type { WebhookSenderOptions } from "../webhooks/delivery-types";
import { WebhookSender } from "../webhooks/sender";
import { StoreActivity } from "./store-activity";

export interface StoreKit {
  clock: ControlledClock;
  store: SandboxStore;
  sender: WebhookSender;
  activity: StoreActivity;
}

export function createStoreKit(
  options: { shops?: string[]; now?: Date; timeZone?: string; sender?: Partial<WebhookSenderOptions> } = {},
): StoreKit {
  const clock = new ControlledClock();
  clock.freeze(options.now ?? new Date("2026-03-02T15:00:00Z"));
  const store = new SandboxStore(clock);
  for (const domain of options.shops ?? ["sandbox.myshopify.com"]) {
    store.addShop({ domain, ...(options.timeZone ? { ianaTimezone: options.timeZone } : {}) });
  }
  const sender = new WebhookSender({
    secret: "sandbox-secret",
    apiVersion: "2026-10",
    clock,
    deliver: async () => new Response(null, { status: 200 }),
    ...options.sender,
  });
  return { clock, store, sender, activity: new StoreActivity(store, sender) };
}
