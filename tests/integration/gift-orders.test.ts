/**
 * Amends's own free gifts (decision 0112), through the whole loop: the sandbox sends orders/create
 * for the order a completed gift draft makes, through the real route; the app records it but never
 * watches it as a failure (no ship-by timer, no incident however late it ships, even once a merchant
 * removed its tag) nor counts it as the customer buying again. A gift whose variant is out of stock
 * is not made: the offer is FAILED with the reason, and Retry after restocking sends it.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, gridSchema, SEVERITIES, TIERS, type GridCellInput } from "../../app/recovery";
import { checkShipBy, detectOrder } from "../../app/services/detection.server";
import { attributeNewOrder } from "../../app/services/issuing/attribution.server";
import { followUp } from "../../app/services/issuing/lifecycle.server";
import { retryIssue } from "../../app/services/issuing.server";
import { failedMakeGoods } from "../../app/services/approval-queue/rows.server";
import { shopContext } from "../../app/models/shop-settings.server";
import { DAY, gid } from "../../sandbox";
import type { Customer, ProductVariant, ShopState } from "../../sandbox/store";
import { jobs } from "../helpers/db";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-gift-orders.myshopify.com";
// A Monday, well before the real clock (see tests/helpers/job-runner.ts).
const NOW = new Date("2025-03-03T15:00:00Z");
/** Thursday morning: an order of Monday is past its two business days' handling. */
const THURSDAY = new Date("2025-03-06T09:00:00Z");
const SCOPES = "read_orders,read_customers,write_discounts,write_draft_orders,read_products";
const SETTINGS = {
  decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
  authority: { limits: { STAFF: 5_000, MANAGER: 25_000 }, members: {} },
};

const sandbox = sandboxForTests();

let store: ShopState;
let ada: Customer;
let mug: ProductVariant;
let card: ProductVariant;
let runner: JobRunner;

async function setGridCell(cell: GridCellInput): Promise<void> {
  const row = Object.fromEntries(TIERS.map((t) => [t, cell]));
  await saveGrid(
    SHOP,
    gridSchema.parse({ ...DEFAULT_GRID, cells: Object.fromEntries(SEVERITIES.map((s) => [s, row])), overrides: {} }),
    "test",
  );
}

const GIFT = (): GridCellInput => ({
  kind: "GIFT_PRODUCT",
  value: { variantId: gid("ProductVariant", card.id), quantity: 1 },
  approval: "AUTO",
});

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  runner = jobRunner(sandbox);
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  await prisma.shop.create({ data: { shop: SHOP, timezone: "UTC", currency: "USD", settings: SETTINGS } });
  await installOfflineSession(SHOP, { scope: SCOPES });
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
  card = sandbox.activity.createProduct(SHOP, {
    title: "Thank-you card",
    variants: [{ price: "7.50", sku: "CARD", inventory: { quantity: 5 } }],
  }).variants[0]!;
  await setGridCell(GIFT());
});

/** Ada's order of Monday, unshipped on Thursday: late, and the grid sends a free gift. */
async function lateOrderWithGift() {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle();
  await runner.at(THURSDAY);
  await runner.settle();
  const incidents = await prisma.incident.findMany({ where: { shop: SHOP }, include: { offers: true } });
  expect(incidents.map((i) => [i.type, i.orderGid])).toEqual([["LATE_FULFILLMENT", gid("Order", order.id)]]);
  return { order, incident: incidents[0]!, offer: incidents[0]!.offers[0]! };
}

const giftOrders = () => [...store.orders.values()].filter((o) => o.sourceName === "shopify_draft_order");

test("completing the gift's draft sends orders/create through the route; the app records the gift order and sets no timer or attribution for it", async () => {
  const { offer } = await lateOrderWithGift();
  expect(offer).toMatchObject({ kind: "GIFT_PRODUCT", status: "ISSUED" });
  const [giftOrder] = giftOrders();
  const giftOrderGid = gid("Order", giftOrder!.id);
  expect(offer.giftOrderGid).toBe(giftOrderGid);

  // Shopify's webhook for the order the draft made, delivered (2xx) to the app's route.
  const sent = sandbox.sender
    .deliveries({ topic: "orders/create", shop: SHOP })
    .filter((d) => (d.payload as { admin_graphql_api_id: string }).admin_graphql_api_id === giftOrderGid);
  expect(sent.map((d) => d.state)).toEqual(["delivered"]);
  expect((sent[0]!.payload as { tags: string; source_name: string }).tags).toContain("amends-gift");
  const stored = await prisma.webhookDelivery.findMany({
    where: { shop: SHOP, topic: "orders/create", orderGid: giftOrderGid },
  });
  expect(stored.map((d) => d.status)).toEqual(["PROCESSED"]);
  expect(
    await prisma.orderRecord.findUniqueOrThrow({ where: { uniqueShopOrder: { shop: SHOP, orderGid: giftOrderGid } } }),
  ).toMatchObject({
    tags: expect.arrayContaining(["amends-gift"]),
    totalPrice: expect.anything(),
  });

  // Neither a failure to watch nor a purchase to attribute.
  const aboutGift = (await jobs()).filter((j) => (j.payload as { orderGid?: string }).orderGid === giftOrderGid);
  expect(aboutGift.map((j) => j.task_identifier)).toEqual([]);
});

test("a gift order that ships late opens no incident, even after the merchant removed its tag (the offer's link still says whose it is)", async () => {
  const { order } = await lateOrderWithGift();
  const giftOrder = giftOrders()[0]!;
  const giftOrderGid = gid("Order", giftOrder.id);
  // A merchant tidies the order's tags: the Admin API no longer shows amends-gift.
  giftOrder.tags = [];

  sandbox.clock.set(new Date(THURSDAY.getTime() + 7 * DAY));
  await runner.settle();
  expect(await checkShipBy(SHOP, giftOrderGid, 1)).toEqual({ kind: "DONE", reason: "EXCLUDED" });
  expect(await detectOrder(SHOP, giftOrderGid)).toMatchObject({ kind: "EXCLUDED", reason: "AMENDS_GIFT_ORDER" });

  const incidents = await prisma.incident.findMany({ where: { shop: SHOP } });
  expect(incidents.map((i) => i.orderGid)).toEqual([gid("Order", order.id)]);
  expect(await prisma.offer.count({ where: { shop: SHOP } })).toBe(1);
});

test("a gift order is not the customer buying again: attribution skips it and another offer's follow-up still falls due", async () => {
  // A first make-good: a discount code for a first late order.
  await setGridCell({ kind: "DISCOUNT_PERCENT", value: 10, expiryDays: 30, approval: "AUTO" });
  const first = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle();
  await runner.at(THURSDAY);
  const [codeOffer] = await prisma.offer.findMany({ where: { shop: SHOP } });
  expect(codeOffer).toMatchObject({ kind: "DISCOUNT_PERCENT", status: "ISSUED" });

  // A second late order a day later gets a gift; its order arrives as orders/create.
  await setGridCell(GIFT());
  sandbox.clock.set(new Date(NOW.getTime() + DAY));
  await sandbox.activity.placeOrder(SHOP, { customerId: ada.id, lines: [{ variantId: mug.id, quantity: 1 }] });
  await runner.settle(["follow-up"]);
  await runner.at(new Date(THURSDAY.getTime() + DAY));
  await runner.settle(["follow-up"]);
  const giftOffer = await prisma.offer.findFirstOrThrow({ where: { shop: SHOP, kind: "GIFT_PRODUCT" } });
  expect(giftOffer.status).toBe("ISSUED");
  const giftOrderGid = giftOffer.giftOrderGid!;
  // The merchant removed the tag before attribution ran: the link alone says it is a gift.
  await prisma.orderRecord.update({
    where: { uniqueShopOrder: { shop: SHOP, orderGid: giftOrderGid } },
    data: { tags: [] },
  });

  expect(await attributeNewOrder(SHOP, giftOrderGid)).toEqual({
    wonBack: 0,
    redeemed: 0,
    skipped: "AMENDS_GIFT_ORDER",
  });
  expect(await prisma.incident.count({ where: { shop: SHOP, returnedAt: { not: null } } })).toBe(0);
  expect(await prisma.offer.count({ where: { shop: SHOP, wonBackAt: { not: null } } })).toBe(0);
  // The code's follow-up: Ada has bought nothing since (the gift is ours), so it falls due for staff.
  expect(await followUp(SHOP, codeOffer!.id)).toBe("DUE_FOR_STAFF");
  expect(gid("Order", first.id)).not.toBe(giftOrderGid);
});

test("an out-of-stock gift is not made: the offer is FAILED with the reason, listed in Approvals, and Retry sends it once restocked; stock goes down by the gift", async () => {
  card.inventory.quantity = 0;
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle();
  await runner.at(THURSDAY);
  const offer = await prisma.offer.findFirstOrThrow({ where: { shop: SHOP } });
  expect(offer).toMatchObject({ kind: "GIFT_PRODUCT", status: "FAILED" });
  expect(offer.lastError).toMatch(/out of stock: Thank-you card - Default Title has 0 available and the gift needs 1/);
  expect(store.draftOrders.size).toBe(0);
  expect(giftOrders()).toEqual([]);
  expect(card.inventory.quantity).toBe(0);
  const events = await prisma.incidentEvent.findMany({ where: { shop: SHOP, kind: "OFFER_FAILED" } });
  expect(events).toHaveLength(1);
  // Staff see it where they work: the approvals page's card, linking to the incident.
  expect(await failedMakeGoods(await shopContext(SHOP))).toMatchObject({
    total: 1,
    rows: [
      {
        offerId: offer.id,
        incidentId: offer.incidentId,
        kindLabel: "Free gift product",
        error:
          "Out of stock: Thank-you card - Default Title has 0 available and the gift needs 1; restock it, then retry",
        failedAt: THURSDAY.toISOString(),
      },
    ],
  });

  // Restocked; staff retry from the incident page.
  card.inventory.quantity = 3;
  expect(await retryIssue(SHOP, offer.id, "staff-1")).toBe(true);
  await runner.settle();
  expect(await failedMakeGoods(await shopContext(SHOP))).toEqual({ total: 0, rows: [] });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
    status: "ISSUED",
    lastError: null,
  });
  expect(giftOrders()).toHaveLength(1);
  expect(card.inventory.quantity).toBe(2);
  expect(mug.inventory.quantity).toBe(999);
  expect(order.lineItems).toHaveLength(1);
});

test("a gift the shop sells when out of stock (CONTINUE) goes out at zero, and its stock goes below zero", async () => {
  card.inventory.quantity = 0;
  card.inventory.policy = "CONTINUE";
  await lateOrderWithGift();
  expect(giftOrders()).toHaveLength(1);
  expect(card.inventory.quantity).toBe(-1);
});
