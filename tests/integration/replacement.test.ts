/**
 * The free replacement (decision 0116) through the whole loop against the sandbox: a late order is
 * detected, the grid's REPLACEMENT cell is decided on the order's affected lines (read with
 * AmendsOrderLines), and issuing makes one draft order of those lines at 100% off with the
 * merchant's shipping method at no charge, completed as an order. Exactly once across a lost answer
 * and a crashed worker; never in part when a line is out of stock; approved like a gift.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { shopContext } from "../../app/models/shop-settings.server";
import { DEFAULT_GRID, gridCellSchema, gridSchema, SEVERITIES, TIERS, type GridCellInput } from "../../app/recovery";
import { failedMakeGoods } from "../../app/services/approval-queue/rows.server";
import { approveOffer } from "../../app/services/approvals.server";
import { decideIncident } from "../../app/services/decision.server";
import { issueOffer, retryIssue } from "../../app/services/issuing.server";
import { gid } from "../../sandbox";
import type { Customer, Order, ProductVariant, ShopState } from "../../sandbox/store";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-replacement.myshopify.com";
// A Monday, well before the real clock (see tests/helpers/job-runner.ts).
const NOW = new Date("2025-03-03T15:00:00Z");
/** Thursday morning: an order of Monday is past its two business days' handling. */
const THURSDAY = new Date("2025-03-06T09:00:00Z");
const SCOPES = "read_orders,read_customers,write_discounts,write_draft_orders,read_products";
const SETTINGS = {
  decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null, autoApproveCeilingMinor: 50_000 },
  authority: { limits: { STAFF: 5_000, MANAGER: 25_000 }, members: { "manager-1": "MANAGER" } },
};

const sandbox = sandboxForTests();

let store: ShopState;
let ada: Customer;
let mug: ProductVariant;
let towel: ProductVariant;
let runner: JobRunner;

async function setGridCell(cell: GridCellInput): Promise<void> {
  const row = Object.fromEntries(TIERS.map((t) => [t, cell]));
  await saveGrid(
    SHOP,
    gridSchema.parse({ ...DEFAULT_GRID, cells: Object.fromEntries(SEVERITIES.map((s) => [s, row])), overrides: {} }),
    "test",
  );
}

const REPLACE = (approval: "AUTO" | "MANAGER" = "AUTO"): GridCellInput => ({
  kind: "REPLACEMENT",
  value: { shippingTitle: "Express", shippingCostMinor: 1_500 },
  approval,
});

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  runner = jobRunner(sandbox);
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  await prisma.shop.create({ data: { shop: SHOP, timezone: "UTC", currency: "USD", settings: SETTINGS } });
  await installOfflineSession(SHOP, { scope: SCOPES });
  ada = sandbox.activity.createCustomer(SHOP, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    address: { address1: "1 Analytical Way", city: "London", zip: "N1 1AA", countryCode: "GB" },
  });
  mug = sandbox.activity.createProduct(SHOP, {
    title: "Mug",
    variants: [{ price: "40.00", sku: "MUG", inventory: { quantity: 10 } }],
  }).variants[0]!;
  towel = sandbox.activity.createProduct(SHOP, {
    title: "Tea towel",
    variants: [{ price: "12.00", sku: "TOWEL", inventory: { quantity: 5 } }],
  }).variants[0]!;
  await setGridCell(REPLACE());
});

/**
 * Ada orders 2 mugs and 1 tea towel on Monday; the towel ships at once, the mugs do not. On
 * Thursday the order is late: its unfulfilled lines (the 2 mugs) are the replacement's.
 */
async function lateOrder(hold: readonly string[] = []): Promise<{ order: Order; offerId: string }> {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [
      { variantId: mug.id, quantity: 2 },
      { variantId: towel.id, quantity: 1 },
    ],
  });
  const towelLine = order.lineItems.find((line) => line.variantId === towel.id)!;
  await sandbox.activity.fulfill(SHOP, order.id, {
    lines: [{ lineItemId: towelLine.id, quantity: 1 }],
    trackingCompany: "UPS",
    trackingNumber: "1Z1",
  });
  await runner.settle(hold);
  sandbox.clock.set(THURSDAY);
  await runner.settle(hold);
  const incidents = await prisma.incident.findMany({ where: { shop: SHOP }, include: { offers: true } });
  expect(incidents.map((i) => [i.type, i.orderGid])).toEqual([["LATE_FULFILLMENT", gid("Order", order.id)]]);
  expect(incidents[0]!.offers).toHaveLength(1);
  return { order, offerId: incidents[0]!.offers[0]!.id };
}

const replacementOrders = () => [...store.orders.values()].filter((o) => o.sourceName === "shopify_draft_order");
const offerOf = (id: string) => prisma.offer.findUniqueOrThrow({ where: { id } });

test("a late, partly shipped order: one completed draft of its unfulfilled lines at 100% off, Express shipping at no charge, valued at lines + shipping", async () => {
  const { order, offerId } = await lateOrder();
  const offer = await offerOf(offerId);
  const mugLine = order.lineItems.find((line) => line.variantId === mug.id)!;
  expect(offer).toMatchObject({ kind: "REPLACEMENT", status: "ISSUED", approval: "AUTO", attempts: 1 });
  // 2 x 40.00 + 15.00 of shipping the shop pays.
  expect(offer.faceValueMinor).toBe(9_500);
  expect(gridCellSchema.parse(offer.cell)).toMatchObject({
    kind: "REPLACEMENT",
    value: {
      shippingTitle: "Express",
      shippingCostMinor: 1_500,
      lines: [
        {
          lineItemId: gid("LineItem", mugLine.id),
          variantId: gid("ProductVariant", mug.id),
          quantity: 2,
          unitPriceMinor: 4_000,
        },
      ],
    },
  });
  expect(offer.explanation.join("\n")).toMatch(/free replacement of 2 × Mug, Express shipping \(\$15 to the shop\)/);

  const drafts = [...store.draftOrders.values()];
  expect(drafts).toHaveLength(1);
  expect(drafts[0]).toMatchObject({
    status: "COMPLETED",
    customerId: ada.id,
    lineItems: [{ variantId: mug.id, quantity: 2, discountPercent: 100 }],
    shippingLine: { title: "Express", price: "0.00" },
    tags: expect.arrayContaining(["amends-gift", offer.issueKey]),
  });
  expect(drafts[0]!.shippingAddress).toMatchObject({ city: "London" });
  const [made] = replacementOrders();
  expect(offer.giftOrderGid).toBe(gid("Order", made!.id));
  // The order cost the customer nothing; the mugs left the stock twice (the order, the replacement).
  expect(mug.inventory.quantity).toBe(6);
  expect(towel.inventory.quantity).toBe(4);
  // The incident's timeline says what was sent.
  const issued = await prisma.incidentEvent.findMany({ where: { shop: SHOP, kind: "OFFER_ISSUED" } });
  expect(issued).toHaveLength(1);
});

test("issued once when the worker retries: a lost draftOrderCreate answer is adopted by its tag, and a crash after Shopify made it is adopted too", async () => {
  const { offerId } = await lateOrder(["issue-offer"]);
  expect(await offerOf(offerId)).toMatchObject({ status: "APPROVED" });

  // The draft is made but the answer is lost: the attempt ends retryable, having made one draft.
  sandbox.admin.faults.failAfterApply("draftOrderCreate");
  await expect(issueOffer(SHOP, offerId)).rejects.toMatchObject({ code: "AMBIGUOUS" });
  expect(store.draftOrders.size).toBe(1);
  expect(replacementOrders()).toHaveLength(0);

  // The retry finds that draft by the offer's tag and completes it; then the worker dies before recording.
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  let crashes = 1;
  await expect(
    issueOffer(SHOP, offerId, {
      afterShopify: () => {
        if (crashes-- > 0) throw new Error("worker killed");
      },
    }),
  ).rejects.toThrow("worker killed");
  expect(replacementOrders()).toHaveLength(1);

  // The next retry adopts the completed draft: still one draft, one order, two mugs given.
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "SKIPPED" });
  await runner.settle();
  expect(store.draftOrders.size).toBe(1);
  expect(replacementOrders()).toHaveLength(1);
  expect(mug.inventory.quantity).toBe(6);
  expect(await offerOf(offerId)).toMatchObject({ status: "ISSUED", attempts: 3 });
});

test("a line out of stock: nothing is sent (no part of it), the offer is FAILED with plain words in Approvals, and Retry sends it whole once restocked", async () => {
  mug.inventory.quantity = 2;
  const { offerId } = await lateOrder();
  // The order took the last 2 mugs; the replacement needs 2 more.
  const offer = await offerOf(offerId);
  expect(offer).toMatchObject({ kind: "REPLACEMENT", status: "FAILED" });
  expect(offer.lastError).toBe(
    "out of stock: Mug - Default Title has 0 available and the replacement needs 2; nothing was sent (a replacement goes out whole): restock, then retry",
  );
  expect(store.draftOrders.size).toBe(0);
  expect(await failedMakeGoods(await shopContext(SHOP))).toMatchObject({
    total: 1,
    rows: [{ offerId, kindLabel: "Free replacement", error: expect.stringMatching(/^Out of stock: Mug/) }],
  });

  mug.inventory.quantity = 5;
  expect(await retryIssue(SHOP, offerId, "staff-1")).toBe(true);
  await runner.settle();
  expect(await offerOf(offerId)).toMatchObject({ status: "ISSUED", lastError: null });
  expect(store.draftOrders.size).toBe(1);
  expect(replacementOrders()).toHaveLength(1);
  expect(mug.inventory.quantity).toBe(3);
});

test("approvals as for a gift: a MANAGER cell waits; staff cannot approve it, nor edit its value; a manager's approval issues it once", async () => {
  await setGridCell(REPLACE("MANAGER"));
  const { offerId } = await lateOrder();
  expect(await offerOf(offerId)).toMatchObject({
    status: "PENDING_APPROVAL",
    approval: "MANAGER",
    faceValueMinor: 9_500,
  });
  expect(store.draftOrders.size).toBe(0);

  await expect(approveOffer(SHOP, offerId, { userId: "staff-1" })).rejects.toMatchObject({ code: "NEEDS_MANAGER" });
  await expect(approveOffer(SHOP, offerId, { userId: "manager-1" }, { value: 1_000 })).rejects.toMatchObject({
    code: "VALUE_NOT_EDITABLE",
  });
  await approveOffer(SHOP, offerId, { userId: "manager-1" });
  await runner.settle();
  expect(await offerOf(offerId)).toMatchObject({ status: "ISSUED", decidedBy: "manager-1" });
  expect(store.draftOrders.size).toBe(1);
  expect(replacementOrders()).toHaveLength(1);
});

test("an order whose late lines have all shipped by the decision: no replacement, the explanation says why", async () => {
  await setGridCell(REPLACE());
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle(["decide-incident"]);
  sandbox.clock.set(THURSDAY);
  await runner.settle(["decide-incident"]);
  const incident = await prisma.incident.findFirstOrThrow({ where: { shop: SHOP } });
  // Shipped after detection, before the decision ran.
  await sandbox.activity.fulfill(SHOP, order.id, { trackingCompany: "UPS", trackingNumber: "1Z2" });
  const result = await decideIncident(SHOP, incident.id);
  expect(result).toMatchObject({ outcome: "DECIDED" });
  const decided = await prisma.incident.findUniqueOrThrow({ where: { id: incident.id }, include: { offers: true } });
  expect(decided.decision).toBe("NO_OFFER");
  expect(decided.explanation.join("\n")).toMatch(
    /free replacement, but the order has no affected line left to replace \(every line has shipped since\)/,
  );
  expect(store.draftOrders.size).toBe(0);
});

test("a failed parcel: only that parcel's lines are replaced, not the parcel that arrived", async () => {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [
      { variantId: mug.id, quantity: 2 },
      { variantId: towel.id, quantity: 1 },
    ],
  });
  const lineOf = (variant: ProductVariant) => order.lineItems.find((line) => line.variantId === variant.id)!;
  const mugs = await sandbox.activity.fulfill(SHOP, order.id, {
    lines: [{ lineItemId: lineOf(mug).id, quantity: 2 }],
    trackingCompany: "UPS",
    trackingNumber: "1Z3",
  });
  await sandbox.activity.fulfill(SHOP, order.id, {
    lines: [{ lineItemId: lineOf(towel).id, quantity: 1 }],
    trackingCompany: "UPS",
    trackingNumber: "1Z4",
  });
  await runner.settle();
  sandbox.clock.set(new Date(NOW.getTime() + 86_400_000));
  await sandbox.activity.addFulfillmentEvent(SHOP, order.id, mugs.id, { status: "failure" });
  await runner.settle();

  const [incident] = await prisma.incident.findMany({ where: { shop: SHOP }, include: { offers: true } });
  expect(incident).toMatchObject({ type: "DELIVERY_FAILURE" });
  const offer = incident!.offers[0]!;
  expect(offer).toMatchObject({ kind: "REPLACEMENT", status: "ISSUED", faceValueMinor: 9_500 });
  expect([...store.draftOrders.values()].map((d) => d.lineItems)).toEqual([
    [{ variantId: mug.id, quantity: 2, discountPercent: 100 }],
  ]);
});

test("a refund of one line: that line, in the refunded quantity, is replaced", async () => {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [
      { variantId: mug.id, quantity: 2 },
      { variantId: towel.id, quantity: 1 },
    ],
  });
  await runner.settle();
  const mugLine = order.lineItems.find((line) => line.variantId === mug.id)!;
  await sandbox.activity.refund(SHOP, order.id, { lines: [{ lineItemId: mugLine.id, quantity: 1 }], note: "Chipped" });
  await runner.settle();

  const [incident] = await prisma.incident.findMany({ where: { shop: SHOP }, include: { offers: true } });
  expect(incident).toMatchObject({ type: "REFUND" });
  // 1 x 40.00 + 15.00 of shipping.
  expect(incident!.offers[0]).toMatchObject({ kind: "REPLACEMENT", status: "ISSUED", faceValueMinor: 5_500 });
  expect([...store.draftOrders.values()].map((d) => d.lineItems)).toEqual([
    [{ variantId: mug.id, quantity: 1, discountPercent: 100 }],
  ]);
});
