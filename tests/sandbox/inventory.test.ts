/**
 * Stock in the sandbox store, as Shopify keeps it: per variant, tracked or not, sold when out of
 * stock (CONTINUE) or not (DENY). A checkout takes its units and refuses a DENY variant without
 * enough; a completed draft order takes them whatever is left (Shopify oversells a draft), and sends
 * orders/create like any order, before the mutation's answer and even when that answer is lost.
 */
import { beforeEach, expect, test } from "vitest";
import { SandboxError } from "../../sandbox/activity";
import { createSandbox, gid, type Sandbox } from "../../sandbox";
import { mswServer } from "../helpers/msw";

const SHOP = "stock.myshopify.com";
const NOW = new Date("2026-11-02T15:00:00Z");

let sandbox: Sandbox;
/** What reached the app, in order, with what the Admin API had answered by then. */
let arrivals: Array<{ topic: string | null; orderId: string; answeredBefore: number }>;
let answers: number;
/** A token the sandbox issued for the shop (it refuses any other). */
let token: string;

beforeEach(() => {
  arrivals = [];
  answers = 0;
  sandbox = createSandbox({
    apiKey: "key",
    secret: "secret",
    scopes: "write_draft_orders,read_products,read_orders",
    deliver: async (request) => {
      const body = (await request.json()) as { admin_graphql_api_id: string };
      arrivals.push({
        topic: request.headers.get("x-shopify-topic"),
        orderId: body.admin_graphql_api_id,
        answeredBefore: answers,
      });
      return new Response(null, { status: 200 });
    },
  });
  sandbox.clock.freeze(NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD" });
  token = sandbox.tokens.issueOffline(SHOP, "write_draft_orders,read_products,read_orders", {
    expiring: true,
  }).access_token;
  mswServer.use(...sandbox.handlers);
});

async function admin<D>(query: string, variables: Record<string, unknown> = {}): Promise<D> {
  const response = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  answers += 1;
  const body = (await response.json()) as { data: D; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

function catalogue() {
  const product = sandbox.activity.createProduct(SHOP, {
    title: "Card",
    variants: [
      { title: "Denied", price: "5.00", inventory: { quantity: 2 } },
      { title: "Backorder", price: "5.00", inventory: { quantity: 0, policy: "CONTINUE" } },
      { title: "Untracked", price: "5.00", inventory: { tracked: false, quantity: 0 } },
    ],
  });
  const [deny, backorder, untracked] = product.variants;
  const ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "L", email: "ada@example.com" });
  return { deny: deny!, backorder: backorder!, untracked: untracked!, ada };
}

test("a product created without saying is tracked, not sold when out of stock, with 1,000 on hand", () => {
  const [variant] = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "9.00" }] }).variants;
  expect(variant!.inventory).toEqual({ tracked: true, quantity: 1_000, policy: "DENY" });
});

test("a checkout takes tracked stock, refuses a DENY variant without enough (leaving no trace), and oversells only CONTINUE", async () => {
  const { deny, backorder, untracked, ada } = catalogue();
  await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [
      { variantId: deny.id, quantity: 1 },
      { variantId: backorder.id, quantity: 2 },
      { variantId: untracked.id, quantity: 4 },
    ],
  });
  expect([deny, backorder, untracked].map((v) => v.inventory.quantity)).toEqual([1, -2, 0]);

  const orders = sandbox.store.shop(SHOP).orders.size;
  // Two lines of the same variant count together: 2 wanted, 1 left.
  await expect(
    sandbox.activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [
        { variantId: deny.id, quantity: 1 },
        { variantId: deny.id, quantity: 1 },
      ],
    }),
  ).rejects.toSatisfy((error) => error instanceof SandboxError && error.code === "OUT_OF_STOCK");
  expect(sandbox.store.shop(SHOP).orders.size).toBe(orders);
  expect(deny.inventory.quantity).toBe(1);
  expect(sandbox.sender.deliveries({ topic: "orders/create" })).toHaveLength(1);
});

test("the Admin API shows a variant's stock: inventoryQuantity, inventoryPolicy, inventoryItem.tracked", async () => {
  const { deny, backorder, untracked } = catalogue();
  const QUERY = `query AmendsStock($id: ID!) { productVariant(id: $id) { inventoryQuantity inventoryPolicy inventoryItem { id tracked } } }`;
  const read = (id: string) => admin<{ productVariant: unknown }>(QUERY, { id: gid("ProductVariant", id) });
  expect(await read(deny.id)).toEqual({
    productVariant: {
      inventoryQuantity: 2,
      inventoryPolicy: "DENY",
      inventoryItem: { id: gid("InventoryItem", deny.id), tracked: true },
    },
  });
  expect(await read(backorder.id)).toMatchObject({ productVariant: { inventoryPolicy: "CONTINUE" } });
  expect(await read(untracked.id)).toMatchObject({ productVariant: { inventoryItem: { tracked: false } } });
});

const CREATE = `mutation AmendsGift($input: DraftOrderInput!) { draftOrderCreate(input: $input) { draftOrder { id } userErrors { message } } }`;
const COMPLETE = `mutation AmendsGiftComplete($id: ID!) { draftOrderComplete(id: $id) { draftOrder { order { id } } userErrors { message } } }`;

async function giftDraft(variantId: string, customerId: string, quantity = 1): Promise<string> {
  const data = await admin<{ draftOrderCreate: { draftOrder: { id: string } } }>(CREATE, {
    input: {
      purchasingEntity: { customerId: gid("Customer", customerId) },
      lineItems: [
        {
          variantId: gid("ProductVariant", variantId),
          quantity,
          appliedDiscount: { valueType: "PERCENTAGE", value: 100 },
        },
      ],
      tags: ["amends-gift"],
    },
  });
  return data.draftOrderCreate.draftOrder.id;
}

test("completing a draft sends orders/create to the app before the answer, and oversells a DENY variant as Shopify does", async () => {
  const { deny, ada } = catalogue();
  const draftId = await giftDraft(deny.id, ada.id, 3);
  expect(arrivals).toEqual([]);
  const data = await admin<{ draftOrderComplete: { draftOrder: { order: { id: string } }; userErrors: unknown[] } }>(
    COMPLETE,
    { id: draftId },
  );
  expect(data.draftOrderComplete.userErrors).toEqual([]);
  const orderId = data.draftOrderComplete.draftOrder.order.id;
  expect(arrivals).toEqual([{ topic: "orders/create", orderId, answeredBefore: 1 }]);
  expect(deny.inventory.quantity).toBe(-1);
  const [delivery] = sandbox.sender.deliveries({ topic: "orders/create" });
  expect(delivery).toMatchObject({ state: "delivered" });
  expect(delivery!.payload).toMatchObject({ source_name: "shopify_draft_order", tags: "amends-gift" });
});

test("a lost draftOrderComplete answer still sends orders/create (Shopify made the order)", async () => {
  const { deny, ada } = catalogue();
  const draftId = await giftDraft(deny.id, ada.id);
  sandbox.admin.faults.failAfterApply("draftOrderComplete");
  await expect(
    fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: COMPLETE, variables: { id: draftId } }),
    }),
  ).rejects.toThrow();
  expect(arrivals.map((a) => a.topic)).toEqual(["orders/create"]);
  expect(deny.inventory.quantity).toBe(1);
});
