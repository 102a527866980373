/**
 * The sandbox's in-memory Shopify store: the state the Admin GraphQL resolvers
 * read and write, and that store activity changes. Plain data, keyed by
 * numeric ids (GIDs are derived), so tests can inspect it directly.
 *
 * Money is kept as decimal strings with two places, like Shopify's MoneyV2.
 */
import { deserialize, serialize } from "node:v8";
import type { Clock } from "./clock";
import type { ProtectedDataAccess } from "./protected-data";

export type Id = string;

export const gid = (type: string, id: Id) => `gid://shopify/${type}/${id}`;
export function idFromGid(value: string, type?: string): Id {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
  if (!match || (type && match[1] !== type)) throw new Error(`not a ${type ?? "Shopify"} GID: ${value}`);
  return match[2]!;
}

export interface MailingAddress {
  firstName: string;
  lastName: string;
  address1: string;
  city: string;
  zip: string;
  countryCode: string;
  provinceCode?: string;
}

export interface Customer {
  id: Id;
  firstName: string;
  lastName: string;
  email: string;
  locale: string;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  defaultAddress: MailingAddress;
  /** Lifetime spend and order count, kept current as orders are placed (Customer.amountSpent / numberOfOrders). */
  amountSpent: string;
  numberOfOrders: number;
}

export interface ProductVariant {
  id: Id;
  productId: Id;
  title: string;
  sku: string;
  price: string;
  /** Stock, as ProductVariant.inventoryQuantity / inventoryPolicy / inventoryItem.tracked show it. */
  inventory: VariantInventory;
}

/**
 * A variant's stock across the shop's locations (the sandbox has one). Orders take from `quantity`
 * when tracked; a checkout refuses a DENY variant without enough, a completed draft order does not
 * (it may go below zero, as Shopify's does).
 */
export interface VariantInventory {
  tracked: boolean;
  quantity: number;
  /** CONTINUE: customers may buy it when out of stock. */
  policy: "DENY" | "CONTINUE";
}

export interface Product {
  id: Id;
  title: string;
  vendor: string;
  variants: ProductVariant[];
}

/** A place the shop fulfils from (Amends reads only its name, by id, for root causes). */
export interface Location {
  id: Id;
  name: string;
}

export interface LineItem {
  id: Id;
  variantId: Id;
  productId: Id;
  title: string;
  sku: string;
  quantity: number;
  price: string;
  /** Quantity not yet fulfilled, refunded or removed. */
  fulfillableQuantity: number;
  refundedQuantity: number;
  /** Discount applied to this line (e.g. the 100% gift line). */
  discount: string;
}

export type FulfillmentOrderStatus =
  "OPEN" | "IN_PROGRESS" | "ON_HOLD" | "CLOSED" | "CANCELLED" | "INCOMPLETE" | "SCHEDULED";

export interface FulfillmentHold {
  id: Id;
  reason: string;
  reasonNotes: string | null;
  heldAt: Date;
}

export interface FulfillmentOrder {
  id: Id;
  status: FulfillmentOrderStatus;
  createdAt: Date;
  updatedAt: Date;
  fulfillBy: Date | null;
  maxDeliveryDateTime: Date | null;
  /** line item id -> remaining quantity */
  remaining: Record<Id, number>;
  holds: FulfillmentHold[];
  /** The location it is assigned to; absent: the shop's default location (activity/catalog.ts). */
  locationId?: Id;
}

export type FulfillmentEventStatus =
  | "attempted_delivery"
  | "carrier_picked_up"
  | "confirmed"
  | "delayed"
  | "delivered"
  | "failure"
  | "in_transit"
  | "label_printed"
  | "label_purchased"
  | "out_for_delivery"
  | "ready_for_pickup"
  | "picked_up";

export interface FulfillmentEvent {
  id: Id;
  status: FulfillmentEventStatus;
  happenedAt: Date;
  createdAt: Date;
  estimatedDeliveryAt: Date | null;
  message: string | null;
}

export interface Fulfillment {
  id: Id;
  name: string;
  status: "pending" | "open" | "success" | "cancelled" | "error" | "failure";
  createdAt: Date;
  updatedAt: Date;
  trackingCompany: string | null;
  trackingNumber: string | null;
  /** line item id -> quantity in this fulfillment */
  lines: Record<Id, number>;
  events: FulfillmentEvent[];
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  inTransitAt: Date | null;
}

export interface Refund {
  id: Id;
  createdAt: Date;
  note: string | null;
  /** line item id -> refunded quantity */
  lines: Record<Id, number>;
  amount: string;
  restock: boolean;
  /** Refunds Amends itself caused are told apart by the app that made them. */
  staffMemberId: Id | null;
}

export type CancelReason = "customer" | "declined" | "fraud" | "inventory" | "other" | "staff";

export interface Order {
  id: Id;
  name: string;
  number: number;
  createdAt: Date;
  updatedAt: Date;
  processedAt: Date;
  customerId: Id | null;
  email: string | null;
  currency: string;
  lineItems: LineItem[];
  shippingAddress: MailingAddress | null;
  shippingPrice: string;
  subtotal: string;
  totalDiscounts: string;
  total: string;
  cancelledAt: Date | null;
  cancelReason: CancelReason | null;
  test: boolean;
  tags: string[];
  note: string | null;
  /** Codes the customer entered at checkout. */
  discountCodes: string[];
  /** Store credit and gift cards spent on this order. */
  storeCreditUsed: string;
  giftCardIdsUsed: Id[];
  sourceName: "web" | "shopify_draft_order" | "pos";
  /** Set for orders made from a draft order (e.g. an Amends gift). */
  draftOrderId: Id | null;
  fulfillmentOrders: FulfillmentOrder[];
  fulfillments: Fulfillment[];
  refunds: Refund[];
  financialStatus: "paid" | "partially_refunded" | "refunded" | "voided" | "pending";
}

export interface DiscountRedeemCode {
  id: Id;
  code: string;
  usageCount: number;
}

export interface CodeDiscount {
  id: Id;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  startsAt: Date;
  endsAt: Date | null;
  /** Customers the discount is limited to (context.customers); empty means everyone. */
  customerIds: Id[];
  value: { percentage: number } | { amount: string; appliesOnEachItem: boolean };
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  codes: DiscountRedeemCode[];
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

export interface StoreCreditTransaction {
  id: Id;
  kind: "credit" | "debit" | "expiration";
  amount: string;
  createdAt: Date;
  expiresAt: Date | null;
  /** Still unspent from this credit (credits only). */
  remaining: string;
  orderId: Id | null;
}

export interface StoreCreditAccount {
  id: Id;
  customerId: Id;
  currency: string;
  transactions: StoreCreditTransaction[];
}

export interface GiftCard {
  id: Id;
  code: string;
  initialValue: string;
  balance: string;
  currency: string;
  customerId: Id | null;
  createdAt: Date;
  expiresOn: string | null;
  note: string | null;
  enabled: boolean;
  notificationsSent: number;
}

export interface DraftOrder {
  id: Id;
  name: string;
  status: "OPEN" | "INVOICE_SENT" | "COMPLETED";
  createdAt: Date;
  updatedAt: Date;
  customerId: Id | null;
  lineItems: Array<{ variantId: Id; quantity: number; discountPercent: number }>;
  shippingAddress: MailingAddress | null;
  shippingLine: { title: string; price: string } | null;
  note: string | null;
  tags: string[];
  orderId: Id | null;
  completedAt: Date | null;
}

export interface FlowTriggerReceipt {
  handle: string;
  payload: unknown;
  receivedAt: Date;
}

export interface NotificationSent {
  kind: "STORE_CREDIT" | "GIFT_CARD";
  customerId: Id;
  resourceId: Id;
  sentAt: Date;
}

export interface Metafield {
  ownerGid: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface ShopState {
  domain: string;
  name: string;
  currency: string;
  ianaTimezone: string;
  plan: string;
  customers: Map<Id, Customer>;
  products: Map<Id, Product>;
  /** Optional: histories snapshotted before locations were modelled have none. */
  locations?: Map<Id, Location>;
  orders: Map<Id, Order>;
  discounts: Map<Id, CodeDiscount>;
  storeCreditAccounts: Map<Id, StoreCreditAccount>;
  giftCards: Map<Id, GiftCard>;
  draftOrders: Map<Id, DraftOrder>;
  metafields: Metafield[];
  flowTriggers: FlowTriggerReceipt[];
  notifications: NotificationSent[];
  nextOrderNumber: number;
  /** What the app is approved for on this shop (sandbox/protected-data.ts); default: what Amends declares. */
  protectedData?: ProtectedDataAccess;
}

/** Every shop of the sandbox, with one id sequence (Shopify ids are unique across resource types). */
export class SandboxStore {
  readonly shops = new Map<string, ShopState>();
  private nextId = 1_000_001;

  constructor(readonly clock: Clock) {}

  newId(): Id {
    return String(this.nextId++);
  }

  /** Every shop's state and the id sequence, as bytes (v8 serialisation keeps Maps and Dates). */
  snapshot(): Buffer {
    return serialize({ nextId: this.nextId, shops: this.shops });
  }

  /** Put back a snapshot() (the demo's cached history); the clock stays this store's. */
  restore(bytes: Buffer): void {
    const saved = deserialize(bytes) as { nextId: number; shops: Map<string, ShopState> };
    this.nextId = saved.nextId;
    this.shops.clear();
    for (const [domain, shop] of saved.shops) this.shops.set(domain, shop);
  }

  addShop(options: {
    domain: string;
    name?: string;
    currency?: string;
    ianaTimezone?: string;
    plan?: string;
    protectedData?: ProtectedDataAccess;
  }): ShopState {
    const shop: ShopState = {
      domain: options.domain,
      name: options.name ?? options.domain.replace(/\.myshopify\.com$/, ""),
      currency: options.currency ?? "USD",
      ianaTimezone: options.ianaTimezone ?? "America/New_York",
      plan: options.plan ?? "Basic",
      customers: new Map(),
      products: new Map(),
      orders: new Map(),
      discounts: new Map(),
      storeCreditAccounts: new Map(),
      giftCards: new Map(),
      draftOrders: new Map(),
      metafields: [],
      flowTriggers: [],
      notifications: [],
      nextOrderNumber: 1001,
      ...(options.protectedData ? { protectedData: options.protectedData } : {}),
    };
    this.shops.set(shop.domain, shop);
    return shop;
  }

  shop(domain: string): ShopState {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`sandbox has no shop ${domain}`);
    return shop;
  }
}

/** Decimal string arithmetic in cents, enough for money. */
export const money = {
  cents(value: string): number {
    return Math.round(Number(value) * 100);
  },
  fromCents(cents: number): string {
    return (cents / 100).toFixed(2);
  },
  add(a: string, b: string): string {
    return money.fromCents(money.cents(a) + money.cents(b));
  },
  sub(a: string, b: string): string {
    return money.fromCents(money.cents(a) - money.cents(b));
  },
  times(a: string, n: number): string {
    return money.fromCents(Math.round(money.cents(a) * n));
  },
};
