/** The webhook topics the sandbox store emits, with the API scope area each belongs to. */
export const ORDER_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "orders/fulfilled",
  "orders/partially_fulfilled",
] as const;
export const FULFILLMENT_TOPICS = ["fulfillments/create", "fulfillments/update", "fulfillment_events/create"] as const;
export const FULFILLMENT_ORDER_TOPICS = [
  "fulfillment_orders/placed_on_hold",
  "fulfillment_orders/hold_released",
] as const;
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const WEBHOOK_TOPICS = [
  ...ORDER_TOPICS,
  "refunds/create",
  ...FULFILLMENT_TOPICS,
  ...FULFILLMENT_ORDER_TOPICS,
  "app/uninstalled",
  ...COMPLIANCE_TOPICS,
] as const;

export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/**
 * The topics Amends subscribes to in shopify.app.toml (orders/fulfilled and partially_fulfilled are
 * not among them). app/scopes_update comes from sandbox.changeScopes(), not from store activity.
 */
export const AMENDS_SUBSCRIPTIONS: readonly (WebhookTopic | "app/scopes_update")[] = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "fulfillment_orders/placed_on_hold",
  "app/uninstalled",
  "app/scopes_update",
  ...COMPLIANCE_TOPICS,
];
