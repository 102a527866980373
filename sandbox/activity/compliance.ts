/**
 * App lifecycle and privacy requests. These do not change the store (a
 * redaction request asks the app to erase its copy; Shopify's own data is not
 * the app's concern); they only produce the webhooks.
 */
import { DAY } from "../clock";
import type { Id, SandboxStore } from "../store";
import {
  customerDataRequestPayload,
  customerRedactPayload,
  shopPayload,
  shopRedactPayload,
} from "../webhooks/payloads/shop";
import { sandboxTokens } from "../tokens";
import type { Change } from "./emission";
import { customerOf } from "./lookup";

/** Shopify sends shop/redact 48 hours after an uninstall (and not at all if the shop reinstalls first). */
export const SHOP_REDACT_DELAY_MS = 2 * DAY;

export function uninstall(store: SandboxStore, domain: string, at: Date = store.clock.now()): Change<null> {
  const shop = store.shop(domain);
  // Uninstalling ends the app's access at once: every token of the shop stops working.
  sandboxTokens(store).revokeShop(domain);
  return {
    result: null,
    emissions: () => [
      { topic: "app/uninstalled", build: () => shopPayload(shop, at) },
      { topic: "shop/redact", build: () => shopRedactPayload(shop), delayMs: SHOP_REDACT_DELAY_MS },
    ],
  };
}

const customerOrderIds = (store: SandboxStore, domain: string, customerId: Id): Id[] =>
  [...store.shop(domain).orders.values()].filter((o) => o.customerId === customerId).map((o) => o.id);

export function redactCustomer(store: SandboxStore, domain: string, customerId: Id, orderIds?: Id[]): Change<null> {
  const shop = store.shop(domain);
  const customer = customerOf(shop, customerId);
  const ids = orderIds ?? customerOrderIds(store, domain, customerId);
  return {
    result: null,
    emissions: () => [{ topic: "customers/redact", build: () => customerRedactPayload(shop, customer, ids) }],
  };
}

export function requestCustomerData(store: SandboxStore, domain: string, customerId: Id, orderIds?: Id[]): Change<Id> {
  const shop = store.shop(domain);
  const customer = customerOf(shop, customerId);
  const ids = orderIds ?? customerOrderIds(store, domain, customerId);
  const requestId = store.newId();
  return {
    result: requestId,
    emissions: () => [
      { topic: "customers/data_request", build: () => customerDataRequestPayload(shop, customer, ids, requestId) },
    ],
  };
}

export function redactShop(store: SandboxStore, domain: string): Change<null> {
  const shop = store.shop(domain);
  return { result: null, emissions: () => [{ topic: "shop/redact", build: () => shopRedactPayload(shop) }] };
}
