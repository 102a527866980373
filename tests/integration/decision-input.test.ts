/**
 * One decision input for every caller: the automatic decision (decideIncident), the order page's
 * suggestion (suggestMakeGood) and the grid preview (previewGrid) hand decide() the same tier,
 * exclusions, cancel reason, order figures, gift prices and "already compensated" for the same
 * order, read through app/services/decision-input.server.ts. decide() is observed, not replaced.
 */
import { beforeEach, expect, test, vi } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, type DecisionInput, type Grid } from "../../app/recovery";
import { decideIncident } from "../../app/services/decision.server";
import { giftVariantPrices } from "../../app/services/gift-products.server";
import { previewGrid } from "../../app/services/grid-preview.server";
import { backgroundAdmin } from "../../app/shopify/admin.server";
import { suggestMakeGood } from "../../app/services/make-good.server";
import { gid } from "../../sandbox";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { acceptDeliveries, resetSandbox, sandboxForTests, storeOrderRecord } from "../helpers/sandbox";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const decided = vi.hoisted(() => [] as DecisionInput[]);
vi.mock("../../app/recovery/decide/decide", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../app/recovery/decide/decide")>();
  return {
    ...original,
    decide: (input: DecisionInput) => {
      decided.push(input);
      return original.decide(input);
    },
  };
});

const SHOP = "amends-decision-input.myshopify.com";
const STAFF = { userId: "staff-1", accountOwner: true };
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let mug: ProductVariant;
let card: ProductVariant;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  decided.length = 0;
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
  card = sandbox.activity.createProduct(SHOP, { title: "Thank-you card", variants: [{ price: "7.50", sku: "CARD" }] })
    .variants[0]!;
});

function customer(tags: string[] = []): Customer {
  return sandbox.activity.createCustomer(SHOP, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    tags,
    amountSpent: "900.00",
    numberOfOrders: 6,
  });
}

/** The order in the sandbox and as the orders/create webhook stores it. */
async function placeOrder(ada: Customer, tags: string[] = []): Promise<string> {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    shippingPrice: "0.00",
    tags,
  });
  return storeOrderRecord(SHOP, order, { totalPrice: "40.00", tags });
}

/** Every severity of every tier gives away two thank-you cards: decisions need the card's price. */
function giftGrid(): Grid {
  const gift = {
    kind: "GIFT_PRODUCT" as const,
    value: { variantId: gid("ProductVariant", card.id), quantity: 2 },
    expiryDays: null,
    approval: "AUTO" as const,
    messageTemplateKey: "standard",
  };
  const cells = Object.fromEntries(
    Object.entries(DEFAULT_GRID.cells).map(([severity, row]) => [
      severity,
      Object.fromEntries(Object.keys(row).map((tier) => [tier, gift])),
    ]),
  ) as Grid["cells"];
  return { ...DEFAULT_GRID, cells, overrides: {} };
}

async function preview(grid: Grid) {
  return previewGrid(SHOP, grid, async (ids, currency) =>
    giftVariantPrices(await backgroundAdmin(SHOP), ids, currency),
  );
}

/** The facts of one input every caller must agree on (the incident's own type, id and severity may differ). */
function shared(input: DecisionInput) {
  return {
    tier: input.tier,
    excluded: input.incident.excluded,
    cancelReason: input.incident.cancelReason,
    alreadyCompensated: input.incident.alreadyCompensated,
    orderId: input.incident.orderId,
    orderTotalMinor: input.incident.orderTotalMinor,
    orderSubtotalMinor: input.incident.orderSubtotalMinor,
    customerId: input.incident.customerId,
    variantPrices: input.variantPrices,
    gridVersion: input.gridVersion.version,
  };
}

function inputFor(incidentId: string): DecisionInput {
  const input = decided.find((i) => i.incident.id === incidentId);
  if (!input) throw new Error(`decide() was not called for ${incidentId}`);
  return input;
}

test("the automatic decision, the order page's suggestion and the grid preview read the same tier, order, gift prices and compensation", async () => {
  await createShopRow(SHOP, { decision: { holdoutShare: 0 } });
  const grid = (await saveGrid(SHOP, giftGrid(), "staff-1")).grid;
  const ada = customer(["gardener"]);
  const customerGid = gid("Customer", ada.id);
  const orderGid = await placeOrder(ada);
  // An earlier incident of the order already sent its make-good (auto-approved gift).
  const earlier = await createIncident(SHOP, { customerGid, orderGid, manual: true, orderTotalMinor: 4_000 });
  expect(await decideIncident(SHOP, earlier)).toMatchObject({ outcome: "DECIDED", decision: { kind: "OFFER" } });
  const incidentId = await createIncident(SHOP, { customerGid, orderGid, orderTotalMinor: 4_000 });
  decided.length = 0;

  const replay = await preview(grid);
  expect(replay.unpricedGifts).toBe(0);
  const fromPreview = shared(inputFor(incidentId));
  decided.length = 0;

  const suggestion = await suggestMakeGood(SHOP, orderGid, { category: "DAMAGED_ITEM", severity: "major" }, STAFF);
  expect(suggestion).toMatchObject({ kind: "INELIGIBLE", reason: "ALREADY_COMPENSATED" });
  expect(decided).toHaveLength(1);
  const fromSuggestion = shared(decided[0]!);
  decided.length = 0;

  expect(await decideIncident(SHOP, incidentId)).toMatchObject({
    outcome: "DECIDED",
    decision: { kind: "INELIGIBLE", reason: "ALREADY_COMPENSATED" },
  });
  const fromDecision = shared(inputFor(incidentId));

  expect(fromDecision).toMatchObject({
    // 900.00 in 6 orders before, and this order.
    tier: { amountSpentMinor: 94_000, numberOfOrders: 7, guest: false },
    excluded: { testOrder: false, orderExcluded: false, customerExcluded: false },
    cancelReason: null,
    alreadyCompensated: true,
    orderTotalMinor: 4_000,
    variantPrices: { [gid("ProductVariant", card.id)]: 750 },
  });
  expect(fromSuggestion).toEqual(fromDecision);
  expect(fromPreview).toEqual(fromDecision);
});

test.each([
  ["a customer", { customerTags: ["  Wholesale "], orderTags: [] }, "customerExcluded", "EXCLUDED_CUSTOMER_TAG"],
  ["an order", { customerTags: [], orderTags: [" No-Make-Good  "] }, "orderExcluded", "EXCLUDED_ORDER_TAG"],
] as const)(
  "%s tag with surrounding spaces is excluded the domain's way by every caller",
  async (_what, tags, flag, reason) => {
    await createShopRow(SHOP, {
      decision: { holdoutShare: 0 },
      detection: { excludedCustomerTags: ["wholesale"], excludedOrderTags: ["no-make-good"] },
    });
    const ada = customer([...tags.customerTags]);
    const customerGid = gid("Customer", ada.id);
    const orderGid = await placeOrder(ada, [...tags.orderTags]);
    const incidentId = await createIncident(SHOP, { customerGid, orderGid, orderTotalMinor: 4_000 });

    // The suggestion reads the customer from Shopify (and caches it); the preview reads that cache.
    expect(await suggestMakeGood(SHOP, orderGid, { category: "DAMAGED_ITEM", severity: "major" }, STAFF)).toEqual({
      kind: "EXCLUDED",
      reason,
    });
    expect(decided).toHaveLength(0);

    await preview(DEFAULT_GRID);
    const fromPreview = shared(inputFor(incidentId));
    decided.length = 0;

    const result = await decideIncident(SHOP, incidentId);
    expect(result).toMatchObject({ outcome: "DECIDED", decision: { kind: "INELIGIBLE" } });
    const fromDecision = shared(inputFor(incidentId));
    expect(fromDecision.excluded).toEqual({
      testOrder: false,
      orderExcluded: flag === "orderExcluded",
      customerExcluded: flag === "customerExcluded",
    });
    expect(fromPreview).toEqual(fromDecision);
  },
);

test("an order the customer cancelled is refused by every caller, the order page's suggestion included", async () => {
  await createShopRow(SHOP, { decision: { holdoutShare: 0 } });
  const ada = customer();
  const customerGid = gid("Customer", ada.id);
  const orderGid = await placeOrder(ada);
  await sandbox.activity.cancel(SHOP, orderGid.split("/").pop()!, { reason: "customer", refund: false });
  await prisma.orderRecord.update({
    where: { uniqueShopOrder: { shop: SHOP, orderGid } },
    data: { cancelledAt: OFFERS_NOW, cancelReason: "customer" },
  });
  const incidentId = await createIncident(SHOP, { customerGid, orderGid, orderTotalMinor: 4_000 });

  expect(await suggestMakeGood(SHOP, orderGid, { category: "DAMAGED_ITEM", severity: "major" }, STAFF)).toMatchObject({
    kind: "INELIGIBLE",
    reason: "CUSTOMER_CANCELLATION",
  });
  const fromSuggestion = shared(decided[0]!);
  decided.length = 0;
  await preview(DEFAULT_GRID);
  const fromPreview = shared(inputFor(incidentId));
  decided.length = 0;
  expect(await decideIncident(SHOP, incidentId)).toMatchObject({
    decision: { kind: "INELIGIBLE", reason: "CUSTOMER_CANCELLATION" },
  });
  const fromDecision = shared(inputFor(incidentId));
  expect(fromDecision.cancelReason).toBe("customer");
  expect(fromSuggestion).toEqual(fromDecision);
  expect(fromPreview).toEqual(fromDecision);
});
