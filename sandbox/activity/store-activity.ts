/**
 * The store's activity as one object: each method changes the SandboxStore as
 * a real store would and then sends, through the WebhookSender, the webhooks a
 * real store sends for it, in the order it sends them. Without a sender it
 * only changes state (bulk seeding).
 */
import type {
  CodeDiscount,
  Customer,
  Fulfillment,
  FulfillmentEvent,
  FulfillmentHold,
  FulfillmentOrder,
  GiftCard,
  Id,
  Location,
  Order,
  Product,
  Refund,
  SandboxStore,
  StoreCreditTransaction,
} from "../store";
import type { DeliveryOptions, DeliveryRecord } from "../webhooks/delivery-types";
import type { WebhookSender } from "../webhooks/sender";
import * as catalog from "./catalog";
import { placeOrder, type PlaceOrderInput } from "./checkout";
import * as compliance from "./compliance";
import type { Change } from "./emission";
import * as shipping from "./fulfillment";
import * as refunds from "./refunds";
import { orderPayload } from "../webhooks/payloads/order";

/** Delivery options for the webhooks of one call: the same for all, or per topic. */
export type CallDelivery = DeliveryOptions | ((topic: string) => DeliveryOptions);

export class StoreActivity {
  constructor(
    readonly store: SandboxStore,
    readonly sender: WebhookSender | null = null,
  ) {}

  // Seeding helpers: no webhooks Amends subscribes to.
  createProduct(shop: string, input: catalog.ProductInput): Product {
    return catalog.createProduct(this.store, shop, input);
  }

  createLocation(shop: string, input: { name: string }): Location {
    return catalog.createLocation(this.store, shop, input);
  }

  createCustomer(shop: string, input: catalog.CustomerInput): Customer {
    return catalog.createCustomer(this.store, shop, input);
  }

  /** What discountCodeBasicCreate would make (for tests and seeds; Amends issues its own through the Admin API). */
  createDiscount(shop: string, input: catalog.DiscountInput): CodeDiscount {
    return catalog.createDiscount(this.store, shop, input);
  }

  issueStoreCredit(
    shop: string,
    customerId: Id,
    amount: string,
    options?: { expiresAt?: Date | null; at?: Date },
  ): StoreCreditTransaction {
    return catalog.issueStoreCredit(this.store, shop, customerId, amount, options);
  }

  createGiftCard(shop: string, input: Parameters<typeof catalog.createGiftCard>[2]): GiftCard {
    return catalog.createGiftCard(this.store, shop, input);
  }

  /** A checkout (also a customer redeeming a code, store credit or a gift card). Sends orders/create. */
  async placeOrder(shop: string, input: PlaceOrderInput, delivery?: CallDelivery): Promise<Order> {
    return this.emit(shop, placeOrder(this.store, shop, input), input.createdAt, delivery);
  }

  /**
   * The Admin API completed a draft order into `order` (sandbox/admin/order-builder.ts): Shopify
   * sends orders/create for it like for any order. (It also sends orders/paid and
   * draft_orders/update, topics Amends does not subscribe to and the sandbox does not model.)
   */
  async orderFromDraftCreated(shop: string, order: Order, delivery?: CallDelivery): Promise<Order> {
    const state = this.store.shop(shop);
    return this.emit(
      shop,
      { result: order, emissions: () => [{ topic: "orders/create", build: () => orderPayload(state, order) }] },
      order.createdAt,
      delivery,
    );
  }

  /** Sends fulfillments/create, orders/updated, then orders/fulfilled or orders/partially_fulfilled. */
  async fulfill(
    shop: string,
    orderId: Id,
    input: shipping.FulfillInput,
    delivery?: CallDelivery,
  ): Promise<Fulfillment> {
    return this.emit(shop, shipping.fulfill(this.store, shop, orderId, input), input.at, delivery);
  }

  /** Sends fulfillment_events/create, and fulfillments/update when the shipment status changed. */
  async addFulfillmentEvent(
    shop: string,
    orderId: Id,
    fulfillmentId: Id,
    input: shipping.FulfillmentEventInput,
    delivery?: CallDelivery,
  ): Promise<FulfillmentEvent> {
    return this.emit(
      shop,
      shipping.addFulfillmentEvent(this.store, shop, orderId, fulfillmentId, input),
      input.at,
      delivery,
    );
  }

  /** Sends fulfillment_orders/placed_on_hold for the first hold only. */
  async placeOnHold(
    shop: string,
    orderId: Id,
    input: shipping.HoldInput,
    delivery?: CallDelivery,
  ): Promise<FulfillmentHold> {
    return this.emit(shop, shipping.placeOnHold(this.store, shop, orderId, input), input.at, delivery);
  }

  /** Sends fulfillment_orders/hold_released. */
  async releaseHold(
    shop: string,
    orderId: Id,
    input: { at?: Date } = {},
    delivery?: CallDelivery,
  ): Promise<FulfillmentOrder> {
    return this.emit(shop, shipping.releaseHold(this.store, shop, orderId, input), input.at, delivery);
  }

  /** Sends refunds/create, then orders/updated. */
  async refund(shop: string, orderId: Id, input: refunds.RefundInput, delivery?: CallDelivery): Promise<Refund> {
    return this.emit(shop, refunds.refund(this.store, shop, orderId, input), input.at, delivery);
  }

  /** Sends orders/cancelled, refunds/create (when it refunds), then orders/updated. */
  async cancel(shop: string, orderId: Id, input: refunds.CancelInput, delivery?: CallDelivery): Promise<Order> {
    return this.emit(shop, refunds.cancel(this.store, shop, orderId, input), input.at, delivery);
  }

  /** Sends app/uninstalled now and shop/redact 48 h later (on the clock: delivered by sender.flushDue()). */
  async uninstall(shop: string, options: { at?: Date } = {}): Promise<void> {
    const change = compliance.uninstall(this.store, shop, options.at);
    const [uninstalled, redact] = change.emissions();
    if (uninstalled) await this.send(shop, uninstalled.topic, uninstalled.build(), options.at);
    this.sender?.markUninstalled(shop);
    if (redact) await this.send(shop, redact.topic, redact.build(), options.at, { delayMs: redact.delayMs ?? 0 });
  }

  /** The shop installs the app again: webhooks resume and a pending shop/redact is withdrawn. */
  reinstall(shop: string): void {
    this.sender?.markInstalled(shop);
    this.sender?.cancel((r) => r.shop === shop && r.topic === "shop/redact");
  }

  async redactCustomer(shop: string, customerId: Id, options: { orderIds?: Id[] } = {}): Promise<void> {
    await this.emit(shop, compliance.redactCustomer(this.store, shop, customerId, options.orderIds));
  }

  /** Returns the data request id. */
  async requestCustomerData(shop: string, customerId: Id, options: { orderIds?: Id[] } = {}): Promise<Id> {
    return this.emit(shop, compliance.requestCustomerData(this.store, shop, customerId, options.orderIds));
  }

  async redactShop(shop: string): Promise<void> {
    await this.emit(shop, compliance.redactShop(this.store, shop));
  }

  /**
   * Send the webhooks of a change made with the core functions (checkout.ts,
   * fulfillment.ts, ...); the seeder plans changes itself and publishes them here.
   */
  async publish<T>(shop: string, change: Change<T>, at?: Date, delivery?: CallDelivery): Promise<T> {
    return this.emit(shop, change, at, delivery);
  }

  private async emit<T>(shop: string, change: Change<T>, at?: Date, delivery?: CallDelivery): Promise<T> {
    if (!this.sender) return change.result;
    // Build every payload before the first send: a slow delivery must not let them see later changes.
    const built = change.emissions().map((e) => ({ topic: e.topic, payload: e.build(), delayMs: e.delayMs }));
    for (const { topic, payload, delayMs } of built) {
      const options = typeof delivery === "function" ? delivery(topic) : (delivery ?? {});
      await this.send(shop, topic, payload, at, { ...(delayMs ? { delayMs } : {}), ...options });
    }
    return change.result;
  }

  private async send(
    shop: string,
    topic: string,
    payload: unknown,
    at?: Date,
    options: DeliveryOptions = {},
  ): Promise<DeliveryRecord | null> {
    if (!this.sender) return null;
    return this.sender.send(shop, topic, payload, { ...(at ? { triggeredAt: at } : {}), ...options });
  }
}
