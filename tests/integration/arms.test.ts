/**
 * Experiments in a grid cell through the real pipeline (decision 0119): the sandbox store's
 * webhooks, detection, decide-incident and issue-offer jobs. Two customers whose incidents fall in
 * one cell with two arms get their own arms' make-goods, each recorded with its arm; a second
 * incident of the same customer gets the same arm again (sticky per customer). Ratings given
 * through the rating link's service count in their incident's arm (CSAT per arm). A timing arm's
 * make-good is issued at the shop's next morning, by the issue job's timer, and not before.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { currentGrid, saveGrid } from "../../app/models/grid.server";
import { adoptArm, armsCards, gridWithArm } from "../../app/services/experiments/arms-report.server";
import { issueOffer } from "../../app/services/issuing.server";
import { recoveryMetrics } from "../../app/services/metrics.server";
import { ratingKey } from "../../app/services/ratings/links.server";
import { recordRating } from "../../app/services/ratings/ratings.server";
import { RATING_LINK_MS, signRatingToken } from "../../app/recovery/ratings/token";
import {
  assignArm,
  cellExperiment,
  DEFAULT_GRID,
  gridCellSchema,
  gridSchema,
  SEVERITIES,
  TIERS,
  type GridCellInput,
} from "../../app/recovery";
import { DAY, gid } from "../../sandbox";
import type { Customer, ProductVariant, ShopState } from "../../sandbox/store";
import { enableFlowTriggers } from "../helpers/flow";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "amends-arms.myshopify.com";
const NOW = new Date("2025-03-03T15:00:00Z");
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";
const SETTINGS = {
  decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
  authority: { limits: { STAFF: 5_000, MANAGER: 25_000 }, members: { "manager-1": "MANAGER" } },
};

const CODE: GridCellInput = {
  kind: "DISCOUNT_PERCENT",
  value: 15,
  expiryDays: 30,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
const CREDIT: GridCellInput = {
  kind: "STORE_CREDIT",
  value: 1_000,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
/** 15% code (arm A) against $10 store credit (arm B). */
const EXPERIMENT: GridCellInput = { ...CODE, arms: [{ offer: CODE }, { label: "$10 credit", offer: CREDIT }] };

const sandbox = sandboxForTests();
let store: ShopState;
let mug: ProductVariant;
let runner: JobRunner;

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  runner = jobRunner(sandbox);
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  await prisma.shop.create({ data: { shop: SHOP, timezone: "UTC", currency: "USD", settings: SETTINGS } });
  await installOfflineSession(SHOP, { scope: SCOPES });
  await enableFlowTriggers(SHOP);
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
  const row = Object.fromEntries(TIERS.map((t) => [t, EXPERIMENT]));
  await saveGrid(
    SHOP,
    gridSchema.parse({ ...DEFAULT_GRID, cells: Object.fromEntries(SEVERITIES.map((s) => [s, row])), overrides: {} }),
    "test",
  );
});

/** The store cancels the customer's new order (out of stock): an incident, decided and issued. */
async function cancelledOrder(customer: Customer) {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle();
  await sandbox.activity.cancel(SHOP, order.id, { reason: "inventory" });
  await runner.settle();
  return prisma.incident.findFirstOrThrow({
    where: { shop: SHOP, orderGid: gid("Order", order.id), type: "MERCHANT_CANCELLATION" },
    include: { offers: true, armAssignment: true },
  });
}

/** A new customer whose arm (by the real draw) is `arm`. */
function customerInArm(arm: number, name: string, cell: GridCellInput = EXPERIMENT): Customer {
  const experiment = cellExperiment(gridCellSchema.parse(cell))!;
  for (let n = 0; n < 50; n++) {
    const customer = sandbox.activity.createCustomer(SHOP, {
      firstName: name,
      lastName: String(n),
      email: `${name.toLowerCase()}${n}@example.com`,
    });
    if (assignArm(experiment, gid("Customer", customer.id), "unused").index === arm) return customer;
  }
  throw new Error(`no customer in arm ${arm} among 50`);
}

const credits = (customer: Customer) =>
  [...store.storeCreditAccounts.values()]
    .filter((a) => a.customerId === customer.id)
    .flatMap((a) => a.transactions.filter((t) => t.kind === "credit").map((t) => t.amount));

test("two customers in one cell get their arms' make-goods, recorded with the arm, and keep their arm on a second incident", async () => {
  const ada = customerInArm(0, "Ada");
  const bob = customerInArm(1, "Bob");
  const experimentKey = cellExperiment(gridCellSchema.parse(EXPERIMENT))!.key;

  const adas = await cancelledOrder(ada);
  expect(adas.offers).toMatchObject([{ kind: "DISCOUNT_PERCENT", status: "ISSUED", cell: { value: 15 } }]);
  expect(adas.armAssignment).toMatchObject({ shop: SHOP, experimentKey, arm: 0, label: null, arms: 2 });
  expect(adas.explanation).toContain(
    "Experiment: Arm A of the experiment in this cell (2 arms; each customer is randomised to one and keeps it while the experiment runs)",
  );

  const bobs = await cancelledOrder(bob);
  expect(bobs.offers).toMatchObject([{ kind: "STORE_CREDIT", status: "ISSUED", faceValueMinor: 1_000 }]);
  expect(bobs.armAssignment).toMatchObject({ experimentKey, arm: 1, label: "$10 credit" });
  expect(bobs.explanation.some((l) => l.startsWith("Experiment: Arm B (“$10 credit”) of the experiment"))).toBe(true);
  expect(credits(bob)).toEqual(["10.00"]);

  // A week later each has another cancelled order: same arm, same kind of make-good.
  sandbox.clock.advance(7 * DAY);
  const adas2 = await cancelledOrder(ada);
  const bobs2 = await cancelledOrder(bob);
  expect(adas2.armAssignment).toMatchObject({ experimentKey, arm: 0 });
  expect(adas2.offers).toMatchObject([{ kind: "DISCOUNT_PERCENT", status: "ISSUED" }]);
  expect(bobs2.armAssignment).toMatchObject({ experimentKey, arm: 1 });
  expect(bobs2.offers).toMatchObject([{ kind: "STORE_CREDIT", status: "ISSUED" }]);
  expect(credits(bob)).toEqual(["10.00", "10.00"]);
  expect(credits(ada)).toEqual([]);
});

test("the dashboard reads the experiment, and a manager's decision makes arm B the cell's only make-good in a new grid version", async () => {
  const ada = customerInArm(0, "Ada");
  const bob = customerInArm(1, "Bob");
  await cancelledOrder(ada);
  await cancelledOrder(bob);
  const experimentKey = cellExperiment(gridCellSchema.parse(EXPERIMENT))!.key;

  const metrics = await recoveryMetrics(SHOP, {
    from: new Date(NOW.getTime() - DAY),
    to: new Date(NOW.getTime() + DAY),
  });
  expect(metrics.arms).toMatchObject([
    { experimentKey, armCount: 2, labels: [null, "$10 credit"], readouts: [], maturing: 2 },
  ]);
  const before = await currentGrid(SHOP);
  const [card] = armsCards(metrics.arms, before, "USD");
  expect(card).toMatchObject({
    experimentKey,
    arms: [
      { index: 0, name: "Arm A", gives: "15% code, 30-day expiry" },
      { index: 1, name: "Arm B (“$10 credit”)", gives: "$10 store credit, 60-day expiry" },
    ],
    latest: null,
    proposal: null,
  });
  expect(card!.cells).toContain("Major × VIP");

  // Only a member who may edit the grid decides; nothing is saved otherwise.
  const denied = await adoptArm(SHOP, { userId: "staff-9", name: "Sam" }, experimentKey, 1);
  expect(denied.ok).toBe(false);
  expect((await currentGrid(SHOP)).version).toBe(before.version);

  const adopted = await adoptArm(SHOP, { userId: "manager-1", name: "Mia" }, experimentKey, 1);
  expect(adopted).toEqual({
    ok: true,
    message: `Arm B (“$10 credit”) is now the only make-good of its cell (grid v${before.version + 1}).`,
  });
  const after = await currentGrid(SHOP);
  expect(after.version).toBe(before.version + 1);
  expect(after.grid.cells.major.VIP).toEqual(gridCellSchema.parse(CREDIT));
  expect(after.grid).toEqual(gridWithArm(before.grid, experimentKey, 1));
  // The experiment no longer runs: a second click changes nothing.
  expect(await adoptArm(SHOP, { userId: "manager-1", name: "Mia" }, experimentKey, 1)).toMatchObject({ ok: false });
  // The next incident gets the cell's make-good, with no experiment line.
  const adas = await cancelledOrder(ada);
  expect(adas.offers).toMatchObject([{ kind: "STORE_CREDIT", status: "ISSUED" }]);
  expect(adas.armAssignment).toBeNull();
  expect(adas.explanation.some((l) => l.startsWith("Experiment"))).toBe(false);
});

/** The customer rates the incident's recovery through the link's service (as the public page does). */
async function rate(incidentId: string, score: number) {
  const token = signRatingToken(ratingKey(), {
    shop: SHOP,
    incidentId,
    expiresAt: new Date(sandbox.clock.now().getTime() + RATING_LINK_MS),
  });
  expect(await recordRating({ token, score, channel: "WEB" })).toMatchObject({ kind: "RECORDED", score });
}

test("CSAT per arm: each rating counts in its incident's arm on the dashboard's experiment card", async () => {
  const ada = customerInArm(0, "Ada");
  const bob = customerInArm(1, "Bob");
  const adas = await cancelledOrder(ada);
  const bobs = await cancelledOrder(bob);
  sandbox.clock.advance(7 * DAY);
  const adas2 = await cancelledOrder(ada);
  await rate(adas.id, 5);
  await rate(adas2.id, 3);
  await rate(bobs.id, 2);

  const metrics = await recoveryMetrics(SHOP, {
    from: new Date(NOW.getTime() - DAY),
    to: new Date(NOW.getTime() + 8 * DAY),
  });
  const [experiment] = metrics.arms;
  expect(experiment!.csat).toEqual({
    arms: [
      { key: "A", label: "Arm A", responses: 2, average: 4, satisfiedShare: 0.5, small: true },
      { key: "B", label: "Arm B (“$10 credit”)", responses: 1, average: 2, satisfiedShare: 0, small: true },
    ],
    heldOut: null,
  });
  const [card] = armsCards(metrics.arms, await currentGrid(SHOP), "USD");
  expect(card!.csat).toEqual(experiment!.csat);
});

/** $10 store credit at once (arm A) against the same credit the next morning (arm B). */
const TIMING: GridCellInput = {
  ...CREDIT,
  arms: [
    { label: "Same day", offer: CREDIT },
    { label: "Next morning", offer: CREDIT, timing: "NEXT_MORNING" },
  ],
};

test("a next-morning arm's make-good is issued at 09:00 shop time the next day and not before; the same-day arm's at once", async () => {
  const row = Object.fromEntries(TIERS.map((t) => [t, TIMING]));
  await saveGrid(
    SHOP,
    gridSchema.parse({ ...DEFAULT_GRID, cells: Object.fromEntries(SEVERITIES.map((s) => [s, row])), overrides: {} }),
    "test",
  );
  const experimentKey = cellExperiment(gridCellSchema.parse(TIMING))!.key;
  const ada = customerInArm(0, "Ada", TIMING);
  const bob = customerInArm(1, "Bob", TIMING);

  const adas = await cancelledOrder(ada);
  expect(adas.armAssignment).toMatchObject({ experimentKey, arm: 0, timing: "NOW", timingOnly: true });
  expect(adas.offers).toMatchObject([{ kind: "STORE_CREDIT", status: "ISSUED" }]);
  expect(credits(ada)).toEqual(["10.00"]);

  // The shop is in UTC; the incident is decided on 3 March after 15:00: the next morning is 4 March, 09:00.
  const morning = new Date("2025-03-04T09:00:00Z");
  const bobs = await cancelledOrder(bob);
  expect(bobs.armAssignment).toMatchObject({ experimentKey, arm: 1, timing: "NEXT_MORNING", timingOnly: true });
  expect(bobs.offers).toMatchObject([{ kind: "STORE_CREDIT", status: "APPROVED", issuedAt: null }]);
  expect(bobs.offers[0]!.cell).toMatchObject({ issueAfter: morning.toISOString() });
  expect(bobs.explanation).toContain(
    "Timing: this arm's make-good is issued the next morning, 09:00 shop time on 2025-03-04, not at once",
  );
  const offerId = bobs.offers[0]!.id;
  const status = async () => (await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).status;

  // Asked to issue early (a retry, a stray job): refused and queued again for the morning.
  expect(await issueOffer(SHOP, offerId)).toEqual({ outcome: "SKIPPED", offerId, status: "WAITING_FOR_NEXT_MORNING" });
  await runner.at(new Date(morning.getTime() - 60_000));
  expect(await status()).toBe("APPROVED");
  expect(credits(bob)).toEqual([]);

  await runner.at(morning);
  const issued = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  expect(issued).toMatchObject({ status: "ISSUED", issuedAt: morning });
  expect(credits(bob)).toEqual(["10.00"]);
});
