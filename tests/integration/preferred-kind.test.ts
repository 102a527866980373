/**
 * The customer's preferred make-good through the real pipeline (decision 0114): the sandbox store's
 * webhooks, detection, decide-incident, issue-offer and attribute-order jobs on the sandbox clock.
 * A customer spends the store credit of an earlier make-good (attribution records it REDEEMED);
 * her next incident, decided from a grid cell with the "customer's preferred kind" option, gets
 * the cell's store credit equivalent; a customer with no history gets the cell's own code; a
 * held-out customer stays held out whatever she redeemed.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import {
  DEFAULT_GRID,
  gridSchema,
  holdoutDraw,
  isHeldOut,
  SEVERITIES,
  TIERS,
  type GridCellInput,
} from "../../app/recovery";
import { DAY, gid } from "../../sandbox";
import type { Customer, ProductVariant, ShopState } from "../../sandbox/store";
import { enableFlowTriggers } from "../helpers/flow";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-preferred.myshopify.com";
// Well before the real clock, as in e2e-recovery-loop.test.ts: jobs queued "now" are due at once.
const NOW = new Date("2025-03-03T15:00:00Z");
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";
const SETTINGS = {
  decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
  authority: { limits: { STAFF: 5_000, MANAGER: 25_000 }, members: { "manager-1": "MANAGER" } },
};

/** $15 store credit, the make-good Ada spends first. */
const CREDIT: GridCellInput = {
  kind: "STORE_CREDIT",
  value: 1_500,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
/** A 15% code, or $10 of store credit or a gift card for a customer who uses those. */
const PREFERRED: GridCellInput = {
  kind: "DISCOUNT_PERCENT",
  value: 15,
  expiryDays: 30,
  approval: "AUTO",
  messageTemplateKey: "standard",
  preferredKind: { STORE_CREDIT: 1_000, GIFT_CARD: 1_000 },
};

const sandbox = sandboxForTests();
let store: ShopState;
let ada: Customer;
let mug: ProductVariant;
let runner: JobRunner;
const settle = (hold: readonly string[] = []) => runner.settle(hold);

async function setGridCell(cell: GridCellInput): Promise<void> {
  const row = Object.fromEntries(TIERS.map((t) => [t, cell]));
  await saveGrid(
    SHOP,
    gridSchema.parse({ ...DEFAULT_GRID, cells: Object.fromEntries(SEVERITIES.map((s) => [s, row])), overrides: {} }),
    "test",
  );
}

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  runner = jobRunner(sandbox);
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  await prisma.shop.create({ data: { shop: SHOP, timezone: "UTC", currency: "USD", settings: SETTINGS } });
  await installOfflineSession(SHOP, { scope: SCOPES });
  await enableFlowTriggers(SHOP);
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
});

async function placeOrder(customer: Customer) {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await settle();
  return order;
}

/** The store cancels the customer's new order (out of stock): an incident, decided and issued. */
async function cancelledOrder(customer: Customer, hold: readonly string[] = []) {
  const order = await placeOrder(customer);
  await sandbox.activity.cancel(SHOP, order.id, { reason: "inventory" });
  await settle(hold);
  return prisma.incident.findFirstOrThrow({
    where: { shop: SHOP, orderGid: gid("Order", order.id), type: "MERCHANT_CANCELLATION" },
    include: { offers: true },
  });
}

/** Ada gets $15 of store credit for a cancelled order and spends it on her next one. */
async function adaSpendsStoreCredit() {
  await setGridCell(CREDIT);
  const incident = await cancelledOrder(ada);
  expect(incident.offers).toMatchObject([{ kind: "STORE_CREDIT", status: "ISSUED" }]);
  sandbox.clock.advance(DAY);
  const repurchase = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 2 }],
    storeCredit: true,
  });
  expect(repurchase.storeCreditUsed).toBe("15.00");
  await settle();
  expect(await prisma.offer.findFirstOrThrow({ where: { incidentId: incident.id } })).toMatchObject({
    status: "REDEEMED",
    redeemedOrderGid: gid("Order", repurchase.id),
  });
}

const credits = (customer: Customer) =>
  [...store.storeCreditAccounts.values()]
    .filter((a) => a.customerId === customer.id)
    .flatMap((a) => a.transactions.filter((t) => t.kind === "credit").map((t) => t.amount));
const storeCodes = () => [...store.discounts.values()].flatMap((d) => d.codes.map((c) => c.code));

test("a customer who spent store credit before gets store credit from a cell with the option; one with no history gets its code", async () => {
  await adaSpendsStoreCredit();
  await setGridCell(PREFERRED);
  const bob = sandbox.activity.createCustomer(SHOP, { firstName: "Bob", lastName: "Byte", email: "bob@example.com" });

  const adas = await cancelledOrder(ada);
  expect(adas.offers).toMatchObject([
    {
      kind: "STORE_CREDIT",
      status: "ISSUED",
      faceValueMinor: 1_000,
      code: null,
      cell: {
        kind: "STORE_CREDIT",
        value: 1_000,
        expiryDays: 30,
        preferredFrom: { kind: "DISCOUNT_PERCENT", preferred: "STORE_CREDIT" },
      },
    },
  ]);
  expect(adas.offers[0]!.cell).not.toHaveProperty("preferredKind");
  expect(adas.explanation).toContain(
    "Preferred kind: They used store credit last time, so this make-good is store credit: $10 store credit, 30-day expiry, approval AUTO; face value $10",
  );
  expect(adas.summary).toContain("(the customer's preferred kind)");
  // Issued in the store: her first $15, then the $10 equivalent; no code was made for her.
  expect(credits(ada)).toEqual(["15.00", "10.00"]);
  expect(storeCodes()).toEqual([]);

  const bobs = await cancelledOrder(bob);
  expect(bobs.offers).toMatchObject([{ kind: "DISCOUNT_PERCENT", status: "ISSUED", cell: { value: 15 } }]);
  expect(bobs.offers[0]!.cell).not.toHaveProperty("preferredFrom");
  expect(bobs.explanation).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^Preferred kind: They have not redeemed a make-good before, so this make-good is the cell's own: 15% code, 30-day expiry, approval AUTO; valued at /,
      ),
    ]),
  );
  expect(storeCodes()).toEqual([bobs.offers[0]!.code]);
  expect(credits(bob)).toEqual([]);
});

test("a held-out customer stays held out, whatever she redeemed before", async () => {
  await adaSpendsStoreCredit();
  await setGridCell(PREFERRED);
  // Past the attribution window (one day here), so her treated incident no longer decides her
  // group (decision 0111) and the new incident's own draw does.
  // Only cancellations count here: three days on, her unshipped repurchase is late to ship, and
  // that incident's own draw (half the time treated) would otherwise decide her group first.
  await prisma.shop.update({
    where: { shop: SHOP },
    data: {
      settings: {
        ...SETTINGS,
        decision: { ...SETTINGS.decision, holdoutShare: 0.5, enabledIncidentTypes: ["MERCHANT_CANCELLATION"] },
        attribution: { windowDays: 1 },
      },
    },
  });
  sandbox.clock.advance(3 * DAY);
  const detected = await cancelledOrder(ada, ["decide-incident"]);
  expect(detected.decision).toBeNull();
  // The draw depends on the incident id alone: give it one the draw holds out before it is decided.
  const heldOutId = Array.from({ length: 64 }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`).find(
    (id) => isHeldOut(holdoutDraw(id), 0.5),
  )!;
  await prisma.$executeRaw`UPDATE "Incident" SET id = ${heldOutId}::uuid WHERE id = ${detected.id}::uuid`;
  const moved =
    await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET payload = jsonb_set(payload::jsonb, '{incidentId}', to_jsonb(${heldOutId}::text))::json WHERE payload->>'incidentId' = ${detected.id}`;
  expect(moved).toBe(1);
  await settle();

  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: heldOutId }, include: { offers: true } });
  expect(incident).toMatchObject({ decision: "HOLDOUT", holdout: true });
  expect(incident.offers).toMatchObject([{ status: "HOLDOUT", kind: "NONE", faceValueMinor: 0 }]);
  expect(incident.explanation.join("\n")).not.toMatch(/preferred/i);
  // Only the first make-good's credit exists: nothing was given for the held-out incident.
  expect(credits(ada)).toEqual(["15.00"]);
  expect(storeCodes()).toEqual([]);
});
