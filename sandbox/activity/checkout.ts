/**
 * A checkout: price the lines, redeem a discount code, pay with store credit
 * and a gift card before the card, create the order with its fulfillment
 * order, and update the customer's lifetime totals. Emits orders/create.
 */
import {
  money,
  type FulfillmentOrder,
  type Id,
  type LineItem,
  type MailingAddress,
  type Order,
  type ProductVariant,
  type SandboxStore,
  type ShopState,
} from "../store";
import { orderPayload } from "../webhooks/payloads/order";
import { findLocation } from "./catalog";
import { discountPerLine, validateDiscountCode } from "./discounts";
import type { Change } from "./emission";
import { SandboxError } from "./errors";
import { cardGateway, setPayments, type Payment } from "./ledger";
import { customerOf } from "./lookup";
import { debitStoreCredit, storeCreditAccountOf, storeCreditBalance } from "./store-credit";

const ZERO = "0.00";

export interface OrderLineInput {
  variantId: Id;
  quantity: number;
  /** Override the variant's price (e.g. a sale price). */
  price?: string;
}

export interface GuestCheckout {
  email?: string;
  firstName?: string;
  lastName?: string;
  address?: MailingAddress;
}

export interface PlaceOrderInput {
  /** A customer with an account, or `guest` for a checkout without a customer record (exactly one of the two). */
  customerId?: Id;
  guest?: GuestCheckout | true;
  lines: OrderLineInput[];
  discountCode?: string;
  /** Store credit to spend: an amount (capped at balance and order total), or true for as much as covers the order. */
  storeCredit?: string | true;
  giftCardCode?: string;
  /** Backdate the order (seeding); default the clock's now. */
  createdAt?: Date;
  shippingPrice?: string;
  shippingAddress?: MailingAddress;
  /** The fulfillment order's ship-by date; null (the default) like most merchant-managed orders. */
  fulfillBy?: Date | null;
  maxDeliveryAt?: Date | null;
  tags?: string[];
  note?: string | null;
  test?: boolean;
  sourceName?: Order["sourceName"];
  /** The location that fulfils it (one the shop created); absent: the shop's default location. */
  locationId?: Id;
}

/** Variant lookups, rebuilt when the catalogue's size changes or a variant is not found (seeding places 100,000 orders). */
const variantIndex = new WeakMap<
  ShopState,
  { size: number; byId: Map<Id, { variant: ProductVariant; title: string }> }
>();

function findVariant(shop: ShopState, variantId: Id): { variant: ProductVariant; title: string } {
  let index = variantIndex.get(shop);
  let found = index && index.size === shop.products.size ? index.byId.get(variantId) : undefined;
  if (!found) {
    index = { size: shop.products.size, byId: new Map() };
    for (const product of shop.products.values()) {
      for (const variant of product.variants) index.byId.set(variant.id, { variant, title: product.title });
    }
    variantIndex.set(shop, index);
    found = index.byId.get(variantId);
  }
  // The index may be stale (a variant edited in place): trust it only if it still matches.
  if (!found || found.variant.id !== variantId)
    throw new SandboxError("UNKNOWN_VARIANT", `${shop.domain} has no product variant ${variantId}`);
  return found;
}

function findGiftCard(shop: ShopState, code: string) {
  const wanted = code.replace(/\s+/g, "").toLowerCase();
  for (const card of shop.giftCards.values()) if (card.code.replace(/\s+/g, "").toLowerCase() === wanted) return card;
  throw new SandboxError("GIFT_CARD_NOT_FOUND", `gift card ${code} does not exist`);
}

/** The local date (YYYY-MM-DD) in a time zone, to compare with a gift card's expiresOn. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Units an order takes of each variant (a variant may be on several lines). */
function unitsPerVariant(
  lines: ReadonlyArray<{ variant: ProductVariant; quantity: number }>,
): Map<ProductVariant, number> {
  const units = new Map<ProductVariant, number>();
  for (const line of lines) units.set(line.variant, (units.get(line.variant) ?? 0) + line.quantity);
  return units;
}

/** An order takes its units from tracked stock (below zero only where the caller allowed it). */
export function takeStock(units: ReadonlyMap<ProductVariant, number>): void {
  for (const [variant, quantity] of units) if (variant.inventory.tracked) variant.inventory.quantity -= quantity;
}

export function placeOrder(store: SandboxStore, domain: string, input: PlaceOrderInput): Change<Order> {
  const shop = store.shop(domain);
  const at = input.createdAt ?? store.clock.now();
  if ((input.customerId === undefined) === (input.guest === undefined)) {
    throw new SandboxError("INVALID_INPUT", "an order needs exactly one of customerId or guest");
  }
  if (input.lines.length === 0) throw new SandboxError("INVALID_INPUT", "an order needs at least one line");
  const customer = input.customerId !== undefined ? customerOf(shop, input.customerId) : null;
  const guest = input.guest === true ? {} : (input.guest ?? {});
  if (input.locationId !== undefined && !findLocation(shop, input.locationId))
    throw new SandboxError("INVALID_INPUT", `the shop has no location ${input.locationId}`);

  const priced = input.lines.map((line) => {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0)
      throw new SandboxError("INVALID_INPUT", "line quantities must be positive integers");
    const { variant, title } = findVariant(shop, line.variantId);
    return { line, variant, title, priceCents: money.cents(line.price ?? variant.price), quantity: line.quantity };
  });

  // Validate everything before changing anything: a refused checkout leaves no trace.
  const units = unitsPerVariant(priced);
  for (const [variant, quantity] of units) {
    const stock = variant.inventory;
    if (stock.tracked && stock.policy === "DENY" && stock.quantity < quantity)
      throw new SandboxError(
        "OUT_OF_STOCK",
        `variant ${variant.id} has ${stock.quantity} in stock and is not sold when out of stock; the order wants ${quantity}`,
      );
  }
  const code =
    input.discountCode !== undefined
      ? validateDiscountCode(shop, input.discountCode, customer?.id ?? null, at)
      : undefined;
  const discounts = code ? discountPerLine(code.discount, priced) : priced.map(() => 0);
  const giftCard = input.giftCardCode !== undefined ? findGiftCard(shop, input.giftCardCode) : undefined;
  if (giftCard) {
    if (!giftCard.enabled) throw new SandboxError("GIFT_CARD_DISABLED", `gift card ${input.giftCardCode} is disabled`);
    if (giftCard.expiresOn !== null && giftCard.expiresOn < localDate(at, shop.ianaTimezone)) {
      throw new SandboxError("GIFT_CARD_EXPIRED", `gift card ${input.giftCardCode} expired on ${giftCard.expiresOn}`);
    }
    if (giftCard.currency !== shop.currency)
      throw new SandboxError("GIFT_CARD_CURRENCY_MISMATCH", `gift card is in ${giftCard.currency}`);
    if (money.cents(giftCard.balance) <= 0)
      throw new SandboxError("GIFT_CARD_EMPTY", `gift card ${input.giftCardCode} has no balance`);
  }
  const account = input.storeCredit !== undefined && customer ? storeCreditAccountOf(shop, customer.id) : undefined;
  if (input.storeCredit !== undefined && (!account || money.cents(storeCreditBalance(account, at)) <= 0)) {
    throw new SandboxError(
      "STORE_CREDIT_UNAVAILABLE",
      customer ? "the customer has no store credit to spend" : "guests have no store credit account",
    );
  }

  const orderId = store.newId();
  const lineItems: LineItem[] = priced.map((p, i) => ({
    id: store.newId(),
    variantId: p.variant.id,
    productId: p.variant.productId,
    title: p.title,
    sku: p.variant.sku,
    quantity: p.quantity,
    // Reuse the variant's price string and one "0.00": 100,000 seeded orders carry many of both.
    price: p.line.price === undefined ? p.variant.price : money.fromCents(p.priceCents),
    fulfillableQuantity: p.quantity,
    refundedQuantity: 0,
    discount: discounts[i] ? money.fromCents(discounts[i] ?? 0) : ZERO,
  }));
  const grossCents = priced.reduce((n, p) => n + p.priceCents * p.quantity, 0);
  const discountCents = discounts.reduce((a, b) => a + b, 0);
  const shippingCents = money.cents(input.shippingPrice ?? "0");
  const totalCents = grossCents - discountCents + shippingCents;

  // Pay: store credit, then the gift card, then the card for the rest.
  let dueCents = totalCents;
  const payments: Payment[] = [];
  let storeCreditCents = 0;
  if (account) {
    const wanted = input.storeCredit === true ? dueCents : Math.min(dueCents, money.cents(input.storeCredit ?? "0"));
    const debit = debitStoreCredit(store, account, money.fromCents(wanted), at, orderId);
    storeCreditCents = debit ? -money.cents(debit.amount) : 0;
    dueCents -= storeCreditCents;
    if (storeCreditCents > 0)
      payments.push({
        gateway: "shopify_store_credit",
        amount: money.fromCents(storeCreditCents),
        refunded: "0.00",
        giftCardId: null,
      });
  }
  if (giftCard) {
    const take = Math.min(dueCents, money.cents(giftCard.balance));
    giftCard.balance = money.fromCents(money.cents(giftCard.balance) - take);
    dueCents -= take;
    if (take > 0)
      payments.push({ gateway: "gift_card", amount: money.fromCents(take), refunded: "0.00", giftCardId: giftCard.id });
  }

  const address: MailingAddress | null = input.shippingAddress ??
    customer?.defaultAddress ??
    guest.address ?? {
      firstName: guest.firstName ?? "Guest",
      lastName: guest.lastName ?? "Shopper",
      address1: "2 Market Street",
      city: "New York",
      zip: "10002",
      countryCode: "US",
      provinceCode: "NY",
    };
  const number = shop.nextOrderNumber++;
  const fulfillmentOrder: FulfillmentOrder = {
    id: store.newId(),
    status: "OPEN",
    createdAt: at,
    updatedAt: at,
    fulfillBy: input.fulfillBy ?? null,
    maxDeliveryDateTime: input.maxDeliveryAt ?? null,
    remaining: Object.fromEntries(lineItems.map((l) => [l.id, l.quantity])),
    holds: [],
    ...(input.locationId !== undefined ? { locationId: input.locationId } : {}),
  };
  const order: Order = {
    id: orderId,
    name: `#${number}`,
    number,
    createdAt: at,
    updatedAt: at,
    processedAt: at,
    customerId: customer?.id ?? null,
    email: customer?.email ?? guest.email ?? `guest-${number}@example.com`,
    currency: shop.currency,
    lineItems,
    shippingAddress: address,
    shippingPrice: shippingCents ? money.fromCents(shippingCents) : ZERO,
    subtotal: money.fromCents(grossCents - discountCents),
    totalDiscounts: discountCents ? money.fromCents(discountCents) : ZERO,
    total: money.fromCents(totalCents),
    cancelledAt: null,
    cancelReason: null,
    test: input.test ?? false,
    tags: input.tags ?? [],
    note: input.note ?? null,
    discountCodes: code ? [code.code.code] : [],
    storeCreditUsed: storeCreditCents ? money.fromCents(storeCreditCents) : ZERO,
    giftCardIdsUsed: giftCard && payments.some((p) => p.gateway === "gift_card") ? [giftCard.id] : [],
    sourceName: input.sourceName ?? "web",
    draftOrderId: null,
    fulfillmentOrders: [fulfillmentOrder],
    fulfillments: [],
    refunds: [],
    financialStatus: "paid",
  };
  // A card-only order needs no record: the ledger reads it as paid by card (this keeps 100,000 seeded orders light).
  if (payments.length > 0) {
    if (dueCents > 0)
      payments.push({
        gateway: cardGateway(order),
        amount: money.fromCents(dueCents),
        refunded: "0.00",
        giftCardId: null,
      });
    setPayments(order, payments);
  }
  shop.orders.set(order.id, order);
  takeStock(units);

  if (code) code.code.usageCount++;
  if (customer) {
    customer.numberOfOrders++;
    customer.amountSpent = money.fromCents(money.cents(customer.amountSpent) + totalCents);
    customer.updatedAt = at;
  }
  return { result: order, emissions: () => [{ topic: "orders/create", build: () => orderPayload(shop, order) }] };
}
