/**
 * Lifecycle playbooks through the real pipeline (decision 0115): the sandbox store's webhooks,
 * detection, decide-incident and issue-offer jobs on the sandbox clock. On a shop that never saved
 * a grid (INSTALL_GRID becomes its version 1), a first-order customer gets the welcome-back offer
 * and a frequent buyer the exclusive perk; a customer whose previous recorded order is long ago is
 * lapsed and gets the merchant's lapsed cell; a grid saved before stages gives a first-order
 * customer the base cell, as before.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { currentGrid, saveGrid } from "../../app/models/grid.server";
import { previewGrid } from "../../app/services/grid-preview.server";
import { DEFAULT_GRID, gridSchema, INSTALL_GRID } from "../../app/recovery";
import { DAY, gid } from "../../sandbox";
import type { Customer, ProductVariant, ShopState } from "../../sandbox/store";
import { enableFlowTriggers } from "../helpers/flow";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-lifecycle.myshopify.com";
// Well before the real clock, as in e2e-recovery-loop.test.ts: jobs queued "now" are due at once.
const NOW = new Date("2025-03-03T15:00:00Z");
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";
const SETTINGS = {
  decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
  authority: { limits: { STAFF: 5_000, MANAGER: 25_000 }, members: { "manager-1": "MANAGER" } },
};

const sandbox = sandboxForTests();
let store: ShopState;
let mug: ProductVariant;
let runner: JobRunner;
const settle = () => runner.settle([]);

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  runner = jobRunner(sandbox);
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  // Installed 30 days before the first order: Amends has recorded every order since then.
  await prisma.shop.create({
    data: {
      shop: SHOP,
      timezone: "UTC",
      currency: "USD",
      settings: SETTINGS,
      installedAt: new Date(NOW.getTime() - 30 * DAY),
    },
  });
  await installOfflineSession(SHOP, { scope: SCOPES });
  await enableFlowTriggers(SHOP);
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
});

const customer = (firstName: string, extra: { numberOfOrders?: number; amountSpent?: string } = {}) =>
  sandbox.activity.createCustomer(SHOP, {
    firstName,
    lastName: "Test",
    email: `${firstName.toLowerCase()}@example.com`,
    ...extra,
  });

async function placeOrder(who: Customer) {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: who.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await settle();
  return order;
}

/** The store cancels the customer's new order (out of stock): a major incident, decided and issued. */
async function cancelledOrder(who: Customer) {
  const order = await placeOrder(who);
  await sandbox.activity.cancel(SHOP, order.id, { reason: "inventory" });
  await settle();
  return prisma.incident.findFirstOrThrow({
    where: { shop: SHOP, orderGid: gid("Order", order.id), type: "MERCHANT_CANCELLATION" },
    include: { offers: true },
  });
}

const credits = (who: Customer) =>
  [...store.storeCreditAccounts.values()]
    .filter((a) => a.customerId === who.id)
    .flatMap((a) => a.transactions.filter((t) => t.kind === "credit").map((t) => t.amount));

test("on a new install, a first-order customer gets the welcome-back offer and a frequent buyer the exclusive perk", async () => {
  const ann = customer("Ann");
  const annsIncident = await cancelledOrder(ann);
  expect(annsIncident.offers).toMatchObject([
    {
      kind: "DISCOUNT_PERCENT",
      status: "ISSUED",
      tier: "NEW",
      cell: { kind: "DISCOUNT_PERCENT", value: 20, messageTemplateKey: "welcome_back", source: "STAGE" },
    },
  ]);
  expect(annsIncident.explanation).toEqual(
    expect.arrayContaining([
      "Lifecycle: first order with the shop",
      "Playbook: the grid's first order cell applies: the welcome-back offer",
    ]),
  );
  expect((await currentGrid(SHOP)).grid).toEqual(INSTALL_GRID);

  // Six orders before Amends was installed (none recorded), recent enough not to be provably lapsed.
  const lou = customer("Lou", { numberOfOrders: 6, amountSpent: "600.00" });
  const lousIncident = await cancelledOrder(lou);
  expect(lousIncident.offers).toMatchObject([
    {
      kind: "STORE_CREDIT",
      status: "ISSUED",
      tier: "LOYAL",
      faceValueMinor: 2_000,
      cell: { kind: "STORE_CREDIT", value: 2_000, messageTemplateKey: "loyal_perk", source: "STAGE" },
    },
  ]);
  expect(lousIncident.explanation).toEqual(
    expect.arrayContaining([
      "Lifecycle: frequent buyer: 6 earlier orders (at least 4)",
      "Playbook: the grid's frequent buyer cell applies: the exclusive perk",
    ]),
  );
  expect(credits(lou)).toEqual(["20.00"]);

  // The preview replays each incident with its stage; asked about first orders, only Ann's.
  const biggerWelcome = gridSchema.parse({
    ...INSTALL_GRID,
    stageOverrides: {
      ...INSTALL_GRID.stageOverrides,
      FIRST_ORDER: {
        major: {
          NEW: {
            kind: "DISCOUNT_PERCENT",
            value: 30,
            expiryDays: 60,
            approval: "AUTO",
            messageTemplateKey: "welcome_back",
          },
        },
      },
    },
  });
  const all = await previewGrid(SHOP, biggerWelcome, async () => ({}));
  expect(all).toMatchObject({
    incidents: 2,
    stage: null,
    stages: { FIRST_ORDER: 1, FREQUENT: 1, RETURNING: 0, LAPSED: 0, NONE: 0 },
  });
  const firstOnly = await previewGrid(SHOP, biggerWelcome, async () => ({}), { stage: "FIRST_ORDER" });
  expect(firstOnly).toMatchObject({ incidents: 1, stage: "FIRST_ORDER" });
  // Ann's $40 order: the welcome-back 20% ($8) now, 30% ($12) in the draft.
  expect(firstOnly.current).toMatchObject({ offers: 1, faceValueMinor: 800 });
  expect(firstOnly.draft).toMatchObject({ offers: 1, faceValueMinor: 1_200 });
});

test("a customer whose previous recorded order is over the lapse threshold gets the grid's lapsed cell", async () => {
  await saveGrid(
    SHOP,
    gridSchema.parse({
      ...INSTALL_GRID,
      stageOverrides: {
        ...INSTALL_GRID.stageOverrides,
        LAPSED: {
          major: {
            NEW: {
              kind: "DISCOUNT_PERCENT",
              value: 30,
              expiryDays: 30,
              approval: "AUTO",
              messageTemplateKey: "welcome_back",
            },
          },
        },
      },
    }),
    "test",
  );
  // Lapsed after 40 days here: the sandbox, like Shopify without read_all_orders, shows an app only
  // the last 60 days of orders, and detection re-reads the order it acts on.
  await prisma.shop.update({
    where: { shop: SHOP },
    data: { settings: { ...SETTINGS, lifecycle: { lapsedAfterDays: 40 } } },
  });
  const lia = customer("Lia");
  const first = await placeOrder(lia);
  await sandbox.activity.fulfill(SHOP, first.id, { trackingCompany: "UPS", trackingNumber: "1Z999AA10123456784" });
  await settle();
  sandbox.clock.advance(45 * DAY);
  const incident = await cancelledOrder(lia);
  expect(incident.offers).toMatchObject([
    { kind: "DISCOUNT_PERCENT", status: "ISSUED", cell: { value: 30, source: "STAGE" } },
  ]);
  expect(incident.explanation).toContain("Lifecycle: lapsed: previous order 45 days earlier (lapsed after 40 days)");
});

test("a grid saved before stages gives a first-order customer the base cell, as before", async () => {
  await saveGrid(
    SHOP,
    gridSchema.parse(JSON.parse(JSON.stringify({ ...DEFAULT_GRID, stageOverrides: undefined }))),
    "test",
  );
  const incident = await cancelledOrder(customer("Ann"));
  expect(incident.offers).toMatchObject([
    {
      kind: "DISCOUNT_PERCENT",
      status: "ISSUED",
      cell: { ...DEFAULT_GRID.cells.major.NEW, source: "GRID" },
    },
  ]);
  expect(incident.explanation).toContain("Playbook: no first order cells in this grid: the base cell applies");
});
