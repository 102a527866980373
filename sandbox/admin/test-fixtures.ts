/**
 * A small, fixed shop for the sandbox Admin API's own tests (and anyone who
 * wants a ready store): customers, products, and orders in the states Amends
 * cares about (unfulfilled, late, delayed in transit, on hold, cancelled,
 * refunded, older than 60 days, test). Ids come from the store's sequence, so
 * tests read them from the returned handles rather than hard-coding them.
 */
import { ControlledClock, DAY, HOUR } from "../clock";
import { DEFAULT_INVENTORY } from "../activity/catalog";
import {
  money,
  SandboxStore,
  type Customer,
  type FulfillmentOrder,
  type LineItem,
  type Order,
  type Product,
  type ShopState,
} from "../store";
import type { SearchWarning } from "./context";
import type { ThrottleStatus } from "./rate-limit";
import { ADMIN_API_VERSION } from "./schema";
import { sandboxTokens } from "../tokens";

export const FIXTURE_SHOP = "amends-test.myshopify.com";
export const FIXTURE_NOW = new Date("2026-11-02T15:00:00Z");
export const FIXTURE_TOKEN = "shpat_sandbox_token";

export interface Fixture {
  store: SandboxStore;
  clock: ControlledClock;
  shop: ShopState;
  customers: { ada: Customer; bob: Customer };
  products: { mug: Product; socks: Product };
  orders: { unfulfilled: Order; delayed: Order; onHold: Order; cancelled: Order; old: Order; test: Order };
}

export function buildFixture(): Fixture {
  const clock = new ControlledClock();
  clock.freeze(FIXTURE_NOW);
  const store = new SandboxStore(clock);
  const shop = store.addShop({
    domain: FIXTURE_SHOP,
    name: "Amends Test",
    currency: "USD",
    ianaTimezone: "America/New_York",
    plan: "Basic",
  });
  // The fixture's tests are about the API, not tokens: the shop's token is one the sandbox granted.
  sandboxTokens(store).grant(FIXTURE_SHOP, FIXTURE_TOKEN);
  const at = (daysAgo: number) => new Date(FIXTURE_NOW.getTime() - daysAgo * DAY);

  const customer = (firstName: string, lastName: string, email: string, tags: string[]): Customer => {
    const c: Customer = {
      id: store.newId(),
      firstName,
      lastName,
      email,
      locale: "en",
      tags,
      createdAt: at(400),
      updatedAt: at(1),
      defaultAddress: {
        firstName,
        lastName,
        address1: "1 Main St",
        city: "Springfield",
        zip: "12345",
        countryCode: "US",
        provinceCode: "NY",
      },
      amountSpent: "0.00",
      numberOfOrders: 0,
    };
    shop.customers.set(c.id, c);
    return c;
  };
  const ada = customer("Ada", "Lovelace", "ada@example.com", ["vip"]);
  const bob = customer("Bob", "Builder", "bob@example.com", []);

  const product = (
    title: string,
    vendor: string,
    variants: Array<{ title: string; sku: string; price: string }>,
  ): Product => {
    const id = store.newId();
    const p: Product = {
      id,
      title,
      vendor,
      variants: variants.map((v) => ({ id: store.newId(), productId: id, ...v, inventory: { ...DEFAULT_INVENTORY } })),
    };
    shop.products.set(p.id, p);
    return p;
  };
  const mug = product("Thank-you mug", "Amends Goods", [{ title: "Default Title", sku: "MUG-1", price: "12.00" }]);
  const socks = product("Cosy socks", "Amends Goods", [
    { title: "Small", sku: "SOCK-S", price: "8.50" },
    { title: "Large", sku: "SOCK-L", price: "9.00" },
  ]);

  const order = (
    buyer: Customer,
    daysAgo: number,
    lines: Array<{ product: Product; variant: number; quantity: number }>,
    extra: Partial<Order> = {},
  ): Order => {
    const created = at(daysAgo);
    const lineItems: LineItem[] = lines.map(({ product: p, variant, quantity }) => {
      const v = p.variants[variant]!;
      return {
        id: store.newId(),
        variantId: v.id,
        productId: p.id,
        title: p.title,
        sku: v.sku,
        quantity,
        price: v.price,
        fulfillableQuantity: quantity,
        refundedQuantity: 0,
        discount: "0.00",
      };
    });
    const subtotal = lineItems.reduce((sum, l) => money.add(sum, money.times(l.price, l.quantity)), "0.00");
    const fo: FulfillmentOrder = {
      id: store.newId(),
      status: "OPEN",
      createdAt: created,
      updatedAt: created,
      fulfillBy: new Date(created.getTime() + 3 * DAY),
      maxDeliveryDateTime: new Date(created.getTime() + 7 * DAY),
      remaining: Object.fromEntries(lineItems.map((l) => [l.id, l.quantity])),
      holds: [],
    };
    const number = shop.nextOrderNumber++;
    const o: Order = {
      id: store.newId(),
      name: `#${number}`,
      number,
      createdAt: created,
      updatedAt: created,
      processedAt: created,
      customerId: buyer.id,
      email: buyer.email,
      currency: shop.currency,
      lineItems,
      shippingAddress: buyer.defaultAddress,
      shippingPrice: "5.00",
      subtotal,
      totalDiscounts: "0.00",
      total: money.add(subtotal, "5.00"),
      cancelledAt: null,
      cancelReason: null,
      test: false,
      tags: [],
      note: null,
      discountCodes: [],
      storeCreditUsed: "0.00",
      giftCardIdsUsed: [],
      sourceName: "web",
      draftOrderId: null,
      fulfillmentOrders: [fo],
      fulfillments: [],
      refunds: [],
      financialStatus: "paid",
      ...extra,
    };
    shop.orders.set(o.id, o);
    buyer.numberOfOrders += 1;
    buyer.amountSpent = money.add(buyer.amountSpent, o.total);
    return o;
  };

  const unfulfilled = order(ada, 10, [
    { product: mug, variant: 0, quantity: 2 },
    { product: socks, variant: 1, quantity: 1 },
  ]);

  const delayed = order(ada, 5, [{ product: socks, variant: 0, quantity: 3 }], { discountCodes: ["WELCOME10"] });
  const shipped = delayed.lineItems[0]!;
  shipped.fulfillableQuantity = 0;
  delayed.fulfillmentOrders[0]!.status = "CLOSED";
  delayed.fulfillmentOrders[0]!.remaining[shipped.id] = 0;
  delayed.fulfillments.push({
    id: store.newId(),
    name: `${delayed.name}-F1`,
    status: "success",
    createdAt: at(4),
    updatedAt: at(2),
    trackingCompany: "UPS",
    trackingNumber: "1Z999",
    lines: { [shipped.id]: 3 },
    events: [
      {
        id: store.newId(),
        status: "in_transit",
        happenedAt: at(3),
        createdAt: at(3),
        estimatedDeliveryAt: at(1),
        message: "On its way",
      },
      {
        id: store.newId(),
        status: "delayed",
        happenedAt: new Date(at(2).getTime() + HOUR),
        createdAt: at(2),
        estimatedDeliveryAt: new Date(FIXTURE_NOW.getTime() + 2 * DAY),
        message: "Weather",
      },
    ],
    estimatedDeliveryAt: new Date(FIXTURE_NOW.getTime() + 2 * DAY),
    deliveredAt: null,
    inTransitAt: at(3),
  });
  delayed.refunds.push({
    id: store.newId(),
    createdAt: at(1),
    note: "Sorry for the wait",
    lines: {},
    amount: "5.00",
    restock: false,
    staffMemberId: null,
  });
  delayed.financialStatus = "partially_refunded";

  const onHold = order(bob, 3, [{ product: mug, variant: 0, quantity: 1 }]);
  onHold.fulfillmentOrders[0]!.status = "ON_HOLD";
  onHold.fulfillmentOrders[0]!.holds.push({
    id: store.newId(),
    reason: "INVENTORY_OUT_OF_STOCK",
    reasonNotes: "Back next week",
    heldAt: at(2),
  });

  const cancelled = order(bob, 8, [{ product: socks, variant: 1, quantity: 2 }], {
    cancelledAt: at(7),
    cancelReason: "customer",
    financialStatus: "refunded",
  });
  const old = order(ada, 90, [{ product: mug, variant: 0, quantity: 1 }]);
  const test = order(bob, 2, [{ product: mug, variant: 0, quantity: 1 }], { test: true });

  return {
    store,
    clock,
    shop,
    customers: { ada, bob },
    products: { mug, socks },
    orders: { unfulfilled, delayed, onHold, cancelled, old, test },
  };
}

export interface GraphqlErrorJson {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface GraphqlBody<D> {
  data?: D | null;
  errors?: GraphqlErrorJson[];
  extensions?: { cost?: CostExtension; search?: SearchWarning[] };
}

export interface AdminResponse<D> {
  status: number;
  /** The parsed JSON body (a non-JSON body, such as a 502 page, leaves it empty and only `text` is set). */
  body: GraphqlBody<D>;
  text: string;
}

/** POST a document the way the app's client does (fetch, so it goes through msw). `D` is the shape of `data` the test expects. */
export async function adminRequest<D = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
  options: {
    shop?: string;
    token?: string | null;
    operationName?: string;
    version?: string;
    signal?: AbortSignal;
  } = {},
): Promise<AdminResponse<D>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = options.token === undefined ? FIXTURE_TOKEN : options.token;
  if (token) headers["x-shopify-access-token"] = token;
  const response = await fetch(
    `https://${options.shop ?? FIXTURE_SHOP}/admin/api/${options.version ?? ADMIN_API_VERSION}/graphql.json`,
    {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables, operationName: options.operationName }),
      signal: options.signal,
    },
  );
  const text = await response.text();
  let body: GraphqlBody<D> = {};
  try {
    body = JSON.parse(text) as GraphqlBody<D>;
  } catch {
    // a non-JSON body (an HTML error page) is read from `text`
  }
  return { status: response.status, body, text };
}
