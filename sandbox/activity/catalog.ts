/**
 * Creating the things orders are made of (products, customers) and, for tests
 * and seeding, the things Amends normally issues through the Admin API
 * (discount codes, store credit, gift cards), written straight into the store.
 * None of these send webhooks Amends subscribes to.
 */
import {
  money,
  type CodeDiscount,
  type Customer,
  type FulfillmentOrder,
  type GiftCard,
  type Id,
  type Location,
  type MailingAddress,
  type Product,
  type SandboxStore,
  type ShopState,
  type StoreCreditTransaction,
  type VariantInventory,
} from "../store";
import { shopNumericId } from "../webhooks/rest-format";
import { SandboxError } from "./errors";
import { customerOf } from "./lookup";
import { creditStoreCredit, ensureStoreCreditAccount } from "./store-credit";

export interface ProductInput {
  title: string;
  vendor?: string;
  /** At least one; a single variant is titled "Default Title" like Shopify's. */
  variants: Array<{ title?: string; price: string; sku?: string; inventory?: Partial<VariantInventory> }>;
}

/**
 * Stock of a variant created without saying: tracked, not sold when out of stock (Shopify's
 * defaults for a new product), with plenty on hand so a test that is not about stock never runs out.
 */
export const DEFAULT_INVENTORY: VariantInventory = { tracked: true, quantity: 1_000, policy: "DENY" };

export function createProduct(store: SandboxStore, domain: string, input: ProductInput): Product {
  if (input.variants.length === 0) throw new SandboxError("INVALID_INPUT", "a product needs at least one variant");
  const shop = store.shop(domain);
  const productId = store.newId();
  const product: Product = {
    id: productId,
    title: input.title,
    vendor: input.vendor ?? shop.name,
    variants: input.variants.map((v, i) => ({
      id: store.newId(),
      productId,
      title: v.title ?? (input.variants.length === 1 ? "Default Title" : `Option ${i + 1}`),
      sku: v.sku ?? `SKU-${productId}-${i + 1}`,
      price: money.fromCents(money.cents(v.price)),
      inventory: { ...DEFAULT_INVENTORY, ...v.inventory },
    })),
  };
  shop.products.set(product.id, product);
  return product;
}

/** What Shopify names the location a new shop starts with. */
export const DEFAULT_LOCATION_NAME = "Shop location";

/**
 * Every Shopify shop has at least one location. A sandbox shop fulfils from this one unless an
 * order names a location it created: a stable id derived from the shop, never stored (so seeded
 * histories keep their ids).
 */
export function defaultLocation(shop: ShopState): Location {
  return { id: String(shopNumericId(shop.domain) + 1), name: DEFAULT_LOCATION_NAME };
}

/** A created location or the default one; undefined for an id the shop does not have. */
export function findLocation(shop: ShopState, id: Id): Location | undefined {
  const created = shop.locations?.get(id);
  if (created) return created;
  const fallback = defaultLocation(shop);
  return id === fallback.id ? fallback : undefined;
}

/** Where a fulfillment order is assigned: the location its order named, else the default. */
export function assignedLocation(shop: ShopState, fulfillmentOrder: FulfillmentOrder): Location {
  return (fulfillmentOrder.locationId && findLocation(shop, fulfillmentOrder.locationId)) || defaultLocation(shop);
}

/** A location (warehouse, shop) with its name; an order names it with PlaceOrderInput.locationId. */
export function createLocation(store: SandboxStore, domain: string, input: { name: string }): Location {
  if (!input.name.trim()) throw new SandboxError("INVALID_INPUT", "a location needs a name");
  const shop = store.shop(domain);
  const location: Location = { id: store.newId(), name: input.name };
  shop.locations ??= new Map();
  shop.locations.set(location.id, location);
  return location;
}

export interface CustomerInput {
  firstName: string;
  lastName: string;
  email: string;
  locale?: string;
  tags?: string[];
  address?: Partial<MailingAddress>;
  createdAt?: Date;
  /** Lifetime totals from before the sandbox's history (orders the store does not hold). */
  amountSpent?: string;
  numberOfOrders?: number;
}

export function createCustomer(store: SandboxStore, domain: string, input: CustomerInput): Customer {
  const shop = store.shop(domain);
  const at = input.createdAt ?? store.clock.now();
  const countryCode = input.address?.countryCode ?? "US";
  const customer: Customer = {
    id: store.newId(),
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email,
    locale: input.locale ?? "en",
    tags: input.tags ?? [],
    createdAt: at,
    updatedAt: at,
    defaultAddress: {
      firstName: input.firstName,
      lastName: input.lastName,
      address1: input.address?.address1 ?? "1 Main Street",
      city: input.address?.city ?? "New York",
      zip: input.address?.zip ?? "10001",
      countryCode,
      provinceCode: input.address?.provinceCode ?? (countryCode === "US" ? "NY" : undefined),
    },
    amountSpent: money.fromCents(money.cents(input.amountSpent ?? "0")),
    numberOfOrders: input.numberOfOrders ?? 0,
  };
  shop.customers.set(customer.id, customer);
  return customer;
}

export interface DiscountInput {
  code: string;
  title?: string;
  /** Fraction (0.15 = 15%) or a fixed amount. */
  value: { percentage: number } | { amount: string; appliesOnEachItem?: boolean };
  customerIds?: Id[];
  startsAt?: Date;
  endsAt?: Date | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
}

/** A basic code discount as discountCodeBasicCreate would make it. */
export function createDiscount(store: SandboxStore, domain: string, input: DiscountInput): CodeDiscount {
  const shop = store.shop(domain);
  const at = store.clock.now();
  const value =
    "percentage" in input.value
      ? { percentage: input.value.percentage }
      : { amount: input.value.amount, appliesOnEachItem: input.value.appliesOnEachItem ?? false };
  const discount: CodeDiscount = {
    id: store.newId(),
    title: input.title ?? input.code,
    createdAt: at,
    updatedAt: at,
    startsAt: input.startsAt ?? at,
    endsAt: input.endsAt ?? null,
    customerIds: input.customerIds ?? [],
    value,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    codes: [{ id: store.newId(), code: input.code, usageCount: 0 }],
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
  };
  shop.discounts.set(discount.id, discount);
  return discount;
}

/** A credit on the customer's store credit account (opened on first use), as storeCreditAccountCredit does. */
export function issueStoreCredit(
  store: SandboxStore,
  domain: string,
  customerId: Id,
  amount: string,
  options: { expiresAt?: Date | null; at?: Date } = {},
): StoreCreditTransaction {
  const shop = store.shop(domain);
  customerOf(shop, customerId);
  const account = ensureStoreCreditAccount(store, shop, customerId);
  return creditStoreCredit(store, account, amount, {
    expiresAt: options.expiresAt ?? null,
    at: options.at ?? store.clock.now(),
  });
}

export function createGiftCard(
  store: SandboxStore,
  domain: string,
  input: {
    code: string;
    initialValue: string;
    customerId?: Id | null;
    expiresOn?: string | null;
    note?: string | null;
  },
): GiftCard {
  const shop = store.shop(domain);
  const value = money.fromCents(money.cents(input.initialValue));
  const card: GiftCard = {
    id: store.newId(),
    code: input.code,
    initialValue: value,
    balance: value,
    currency: shop.currency,
    customerId: input.customerId ?? null,
    createdAt: store.clock.now(),
    expiresOn: input.expiresOn ?? null,
    note: input.note ?? null,
    enabled: true,
    notificationsSent: 0,
  };
  shop.giftCards.set(card.id, card);
  return card;
}
