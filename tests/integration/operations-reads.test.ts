/**
 * The read operations round-trip against the sandbox store through the
 * library's admin client: what the store holds comes back parsed by each
 * operation's schema (Dates, enums, amounts as Shopify's decimal strings).
 */
import { beforeEach, expect, test } from "vitest";
import { unauthenticated } from "../../app/shopify.server";
import { AdminClient } from "../../app/shopify/admin-client.server";
import { orderForAttribution } from "../../app/shopify/operations/order-for-attribution";
import { customerValue } from "../../app/shopify/operations/customer-value";
import { orderForRecovery } from "../../app/shopify/operations/order-for-recovery";
import { recentUnfulfilledOrders } from "../../app/shopify/operations/recent-unfulfilled-orders";
import {
  findCredits,
  storeCreditAccountTransactions,
} from "../../app/shopify/operations/store-credit-account-transactions";
import { setCustomerStatistics } from "../../sandbox/admin";
import { DAY, HOUR, gid } from "../../sandbox";
import type { Customer, ProductVariant, ShopState } from "../../sandbox/store";
import { acceptDeliveries, installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-reads.myshopify.com";
const TOKEN = "shpat_operations_reads";
const NOW = new Date("2026-11-02T15:00:00Z");

// About the operations' shapes, not tokens: one fixed never-expiring token instead of exchange and refresh.
const sandbox = sandboxForTests({ deliver: acceptDeliveries, admin: { accessTokens: { [SHOP]: TOKEN } } });

let shop: ShopState;
let ada: Customer;
let bob: Customer;
let mug: ProductVariant;
let sock: ProductVariant;
let admin: AdminClient;

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  shop = sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  ada = sandbox.activity.createCustomer(SHOP, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    tags: ["vip"],
    locale: "en-GB",
    amountSpent: "300.00",
    numberOfOrders: 4,
  });
  bob = sandbox.activity.createCustomer(SHOP, { firstName: "Bob", lastName: "Builder", email: "bob@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "12.00", sku: "MUG" }] }).variants[0]!;
  sock = sandbox.activity.createProduct(SHOP, {
    title: "Socks",
    variants: [{ title: "Large", price: "9.00", sku: "SOCK-L" }],
  }).variants[0]!;
  await installOfflineSession(SHOP, { accessToken: TOKEN, scope: "read_orders" });
  admin = new AdminClient({
    transport: (await unauthenticated.admin(SHOP)).admin,
    shop: SHOP,
    sleep: async () => undefined,
  });
});

const iso = (days: number) => new Date(NOW.getTime() + days * DAY);

test("AmendsOrderForRecovery reads a delayed, partly refunded shipment with its events, latest first", async () => {
  const depot = sandbox.activity.createLocation(SHOP, { name: "Leeds depot" });
  const order = await sandbox.activity.placeOrder(SHOP, {
    locationId: depot.id,
    customerId: ada.id,
    lines: [
      { variantId: mug.id, quantity: 2 },
      { variantId: sock.id, quantity: 1 },
    ],
    createdAt: iso(-6),
    fulfillBy: iso(-3),
    maxDeliveryAt: iso(-1),
    tags: ["first-order"],
  });
  const fulfillment = await sandbox.activity.fulfill(SHOP, order.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z9",
    at: iso(-4),
  });
  await sandbox.activity.addFulfillmentEvent(SHOP, order.id, fulfillment.id, {
    status: "in_transit",
    estimatedDeliveryAt: iso(-1),
    at: iso(-3),
  });
  await sandbox.activity.addFulfillmentEvent(SHOP, order.id, fulfillment.id, {
    status: "delayed",
    estimatedDeliveryAt: iso(2),
    at: iso(-1),
  });
  await sandbox.activity.refund(SHOP, order.id, { amount: "5.00", note: "Sorry for the wait", at: iso(-1) });

  const { order: read } = await admin.run(orderForRecovery, { id: gid("Order", order.id) });

  expect(read).toMatchObject({
    id: gid("Order", order.id),
    name: order.name,
    createdAt: iso(-6),
    cancelledAt: null,
    cancelReason: null,
    test: false,
    tags: ["first-order"],
    sourceName: "web",
    displayFulfillmentStatus: "FULFILLED",
    currencyCode: "USD",
    discountCodes: [],
    customer: { id: gid("Customer", ada.id) },
    subtotalPriceSet: { shopMoney: { amount: "33.0", currencyCode: "USD" } },
    lineItems: {
      nodes: [{ product: { id: gid("Product", mug.productId) } }, { product: { id: gid("Product", sock.productId) } }],
    },
    fulfillmentOrders: {
      nodes: [
        {
          status: "CLOSED",
          fulfillBy: iso(-3),
          deliveryMethod: { maxDeliveryDateTime: iso(-1) },
          assignedLocation: { name: "Leeds depot" },
        },
      ],
    },
    fulfillments: [
      {
        id: gid("Fulfillment", fulfillment.id),
        status: "SUCCESS",
        displayStatus: "DELAYED",
        estimatedDeliveryAt: iso(2),
        deliveredAt: null,
        trackingInfo: [{ company: "UPS" }],
        events: {
          nodes: [
            { status: "DELAYED", happenedAt: iso(-1), estimatedDeliveryAt: iso(2) },
            { status: "IN_TRANSIT", happenedAt: iso(-3), estimatedDeliveryAt: iso(-1) },
          ],
        },
      },
    ],
    refunds: [{ createdAt: iso(-1), note: "Sorry for the wait", totalRefundedSet: { shopMoney: { amount: "5.0" } } }],
  });
  // Level 1 only: the customer's id, no name, email, phone or address (decision 0015).
  expect(read).not.toHaveProperty("shippingAddress");
});

test("AmendsOrderForRecovery reads holds and cancellations, and null for an order it cannot see", async () => {
  const held = await sandbox.activity.placeOrder(SHOP, {
    customerId: bob.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await sandbox.activity.placeOnHold(SHOP, held.id, { reason: "INVENTORY_OUT_OF_STOCK", notes: "Back next week" });
  const cancelled = await sandbox.activity.placeOrder(SHOP, {
    customerId: bob.id,
    lines: [{ variantId: sock.id, quantity: 1 }],
  });
  await sandbox.activity.cancel(SHOP, cancelled.id, { reason: "inventory" });
  const old = await sandbox.activity.placeOrder(SHOP, {
    customerId: bob.id,
    lines: [{ variantId: sock.id, quantity: 1 }],
    createdAt: iso(-90),
  });

  const holdRead = await admin.run(orderForRecovery, { id: gid("Order", held.id) });
  // No location named at checkout: the shop's default one.
  expect(holdRead.order).toMatchObject({
    displayFulfillmentStatus: "ON_HOLD",
    fulfillmentOrders: { nodes: [{ status: "ON_HOLD", assignedLocation: { name: "Shop location" } }] },
  });

  const cancelRead = await admin.run(orderForRecovery, { id: gid("Order", cancelled.id) });
  expect(cancelRead.order).toMatchObject({
    cancelReason: "INVENTORY",
    cancelledAt: NOW,
    currentTotalPriceSet: { shopMoney: { amount: "0.0" } },
  });

  // Older than 60 days without read_all_orders, or no such order: null, not an error.
  await expect(admin.run(orderForRecovery, { id: gid("Order", old.id) })).resolves.toEqual({ order: null });
  await expect(admin.run(orderForRecovery, { id: gid("Order", "999") })).resolves.toEqual({ order: null });
});

test("AmendsRecentUnfulfilledOrders pages through open unfulfilled orders created since a moment", async () => {
  const since = iso(-7);
  const wanted: string[] = [];
  for (let i = 0; i < 52; i++) {
    const order = await sandbox.activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [{ variantId: mug.id, quantity: 1 }],
      createdAt: new Date(since.getTime() + (i + 1) * HOUR),
    });
    wanted.push(gid("Order", order.id));
  }
  const shipped = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await sandbox.activity.fulfill(SHOP, shipped.id, { trackingCompany: null, trackingNumber: null });
  const cancelled = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await sandbox.activity.cancel(SHOP, cancelled.id, { reason: "customer" });
  await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    createdAt: iso(-8),
  });

  const first = await admin.run(recentUnfulfilledOrders, { since });
  expect(first.orders.pageInfo.hasNextPage).toBe(true);
  expect(first.orders.nodes).toHaveLength(50);
  const second = await admin.run(recentUnfulfilledOrders, { since, after: first.orders.pageInfo.endCursor });
  expect(second.orders.pageInfo.hasNextPage).toBe(false);

  const all = [...first.orders.nodes, ...second.orders.nodes];
  expect(all.map((o) => o.id)).toEqual(wanted);
  expect(all[0]).toMatchObject({
    displayFulfillmentStatus: "UNFULFILLED",
    test: false,
    cancelledAt: null,
    createdAt: new Date(since.getTime() + HOUR),
  });
  expect(sandbox.admin.calls[0]!.variables).toEqual({
    query: `NOT fulfillment_status:fulfilled AND status:open AND created_at:>='2026-10-26T15:00:00Z'`,
    after: null,
  });
});

test("AmendsCustomerValue reads spend, order count (a number), tags and Shopify's predicted tier: no name or email", async () => {
  await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    shippingPrice: "0.00",
  });
  setCustomerStatistics(shop, ada.id, { rfmGroup: "CHAMPIONS", predictedSpendTier: "HIGH" });

  const { customer } = await admin.run(customerValue, { id: gid("Customer", ada.id) });

  expect(customer).toEqual({
    id: gid("Customer", ada.id),
    amountSpent: { amount: "312.0", currencyCode: "USD" },
    numberOfOrders: 5,
    tags: ["vip"],
    statistics: { predictedSpendTier: "HIGH", rfmGroup: "CHAMPIONS" },
  });
  await expect(admin.run(customerValue, { id: gid("Customer", "999") })).resolves.toEqual({ customer: null });
});

test("AmendsOrderForAttribution reads one order by id at once (no search lag), with the codes used; null for an unknown id", async () => {
  sandbox.activity.createDiscount(SHOP, {
    code: "SORRY-ADA",
    value: { percentage: 0.15 },
    customerIds: [ada.id],
    startsAt: iso(-30),
  });
  const back = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: sock.id, quantity: 2 }],
    discountCode: "sorry-ada",
  });

  // Placed this instant: a search would not show it yet (the sandbox's index lag), a read by id does.
  const { order } = await admin.run(orderForAttribution, { id: gid("Order", back.id) });

  expect(order).toMatchObject({
    id: gid("Order", back.id),
    discountCodes: ["SORRY-ADA"],
    sourceName: "web",
    tags: [],
    cancelledAt: null,
    currentTotalPriceSet: { shopMoney: { currencyCode: "USD" } },
  });
  await expect(admin.run(orderForAttribution, { id: gid("Order", "999999") })).resolves.toEqual({ order: null });
});

test("AmendsStoreCreditAccountTransactions reads credits and spending, newest first", async () => {
  await expect(
    admin.run(storeCreditAccountTransactions, { customerId: gid("Customer", ada.id), currencyCode: "USD" }),
  ).resolves.toEqual({
    customer: { id: gid("Customer", ada.id), storeCreditAccounts: { nodes: [] } },
  });

  sandbox.activity.issueStoreCredit(SHOP, ada.id, "20.00", { at: iso(-3), expiresAt: iso(30) });
  await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    storeCredit: "8.00",
    createdAt: iso(-1),
  });

  const read = await admin.run(storeCreditAccountTransactions, {
    customerId: gid("Customer", ada.id),
    currencyCode: "USD",
  });
  const account = read.customer!.storeCreditAccounts.nodes[0]!;
  expect(account.balance).toEqual({ amount: "12.0", currencyCode: "USD" });
  expect(account.transactions.nodes.map((t) => [t.__typename, t.amount.amount, t.createdAt])).toEqual([
    ["StoreCreditAccountDebitTransaction", "-8.0", iso(-1)],
    ["StoreCreditAccountCreditTransaction", "20.0", iso(-3)],
  ]);
  expect(findCredits(read, { amount: "20.00", since: iso(-4), expiresAt: iso(30) })).toMatchObject([
    { remainingAmount: { amount: "12.0" } },
  ]);
  expect(findCredits(read, { amount: "20.00", since: iso(-2), expiresAt: iso(30) })).toEqual([]);
});
