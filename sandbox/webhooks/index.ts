/** The webhook half of the sandbox store: payload builders, signing, and delivery. */
export { sign } from "./sign";
export { WebhookSender } from "./sender";
export { randomPolicy } from "./policy";
export type {
  DeliveryAttempt,
  DeliveryOptions,
  DeliveryPolicy,
  DeliveryRecord,
  DeliveryState,
  RetryPolicy,
  WebhookSenderOptions,
} from "./delivery-types";
export { AMENDS_SUBSCRIPTIONS, WEBHOOK_TOPICS, type WebhookTopic } from "./topics";
export { orderPayload, orderCustomer } from "./payloads/order";
export { refundPayload } from "./payloads/refund";
export { fulfillmentPayload, fulfillmentEventPayload } from "./payloads/fulfillment";
export { placedOnHoldPayload, holdReleasedPayload } from "./payloads/fulfillment-order";
export { shopPayload, customerRedactPayload, customerDataRequestPayload, shopRedactPayload } from "./payloads/shop";
export { restTime, shopNumericId } from "./rest-format";
