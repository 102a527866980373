/** The store-activity half of the sandbox: state changes a real store makes, with the webhooks it sends. */
export { StoreActivity, type CallDelivery } from "./store-activity";
export { SandboxError, type SandboxErrorCode } from "./errors";
export type { PlaceOrderInput, OrderLineInput, GuestCheckout } from "./checkout";
export type { FulfillInput, FulfillmentEventInput, HoldInput, HoldReason } from "./fulfillment";
export type { RefundInput, CancelInput } from "./refunds";
export type { ProductInput, CustomerInput, DiscountInput } from "./catalog";
export { storeCreditAccountOf, storeCreditBalance } from "./store-credit";
export { shipmentStatusOf } from "./shipment";
export { orderFulfillmentStatus } from "./order-status";
export { findDiscountCode } from "./discounts";
export { SHOP_REDACT_DELAY_MS } from "./compliance";
export { createStoreKit, type StoreKit } from "./kit";
export { everyTopicScenario } from "./scenarios";
