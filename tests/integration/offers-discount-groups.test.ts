/**
 * Discount codes grouped under a few shared discounts (Built for Shopify 5.5.3), against the
 * sandbox store: one discount per value and expiry week, each code still one offer's and usable by
 * its customer only, exactly once through lost answers, crashes and races. Shopify adds a code to an
 * existing discount asynchronously: the attempt ends once the add is accepted (PENDING) and a
 * check-code-add job records the offer (decision 0029); `issue` runs those jobs as a worker would.
 */
import type { JobHelpers } from "graphile-worker";
import { http } from "msw";
import { beforeEach, expect, test } from "vitest";
import { installSleep } from "../../app/clock.server";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, DISCOUNT_GROUP_CAPACITY, type GridCellInput, gridSchema } from "../../app/recovery";
import { decideIncident } from "../../app/services/decision.server";
import { BULK_ADD_POLL_MS, CODE_BATCH_WINDOW_MS, waitingCodes } from "../../app/services/issuing/code-batches.server";
import { checkCodeAddTask } from "../../app/jobs/offers/check-code-add.server";
import { maxAttempts } from "../../app/queue/payloads";
import { REISSUE_AFTER_GIVING_UP_MS } from "../../app/services/issuing/code-add-check.server";
import {
  ISSUE_LEASE_MS,
  IssueInProgressError,
  issueOffer,
  type IssueHooks,
  type IssueResult,
} from "../../app/services/issuing.server";
import { gid } from "../../sandbox";
import type { ShopState } from "../../sandbox/store";
import { mswServer } from "../helpers/msw";
import { jobs } from "../helpers/db";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { acceptDeliveries, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-discount-groups.myshopify.com";
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let store: ShopState;
let runner: JobRunner;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  runner = jobRunner(sandbox, { only: ["check-code-add", "issue-offer"] });
  store = sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "50.00", sku: "MUG" }] });
  // No cooldown or caps in the way: these tests are about issuing, not the guardrails.
  await createShopRow(SHOP, { decision: { holdoutShare: 0 } });
});

function customer(name: string): string {
  return gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, {
      firstName: name,
      lastName: "Tester",
      email: `${name.toLowerCase()}@example.com`,
    }).id,
  );
}

const percentCell = (value: number): GridCellInput => ({
  kind: "DISCOUNT_PERCENT",
  value,
  expiryDays: 30,
  approval: "AUTO",
});

/** An APPROVED offer for the customer, from a grid whose major x NEW cell is the given one. */
async function approvedOffer(customerGid: string, cell: GridCellInput = percentCell(15)): Promise<string> {
  await saveGrid(
    SHOP,
    gridSchema.parse({ ...DEFAULT_GRID, overrides: { LATE_FULFILLMENT: { major: { NEW: cell } } } }),
    "test",
  );
  const incidentId = await createIncident(SHOP, { customerGid });
  const result = await decideIncident(SHOP, incidentId);
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error(`no offer decided: ${JSON.stringify(result)}`);
  // A second offer for one customer needs a manager (cooldown); approval itself is tested elsewhere.
  await prisma.offer.update({ where: { id: result.offerId }, data: { status: "APPROVED" } });
  // The tests issue offers themselves: the issue job the decision queued is not theirs to run.
  await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key = ${`issue-offer:${result.offerId}`}`;
  return result.offerId;
}

/** Where an offer ended up: ISSUED (with whether it adopted an earlier attempt's code), FAILED, APPROVED... */
async function outcomeOf(id: string) {
  const row = await prisma.offer.findUniqueOrThrow({ where: { id } });
  const issued = await prisma.offerTransition.findFirst({ where: { offerId: id, toStatus: "ISSUED" } });
  return { outcome: row.status, adopted: issued ? issued.note?.startsWith("adopted") : undefined };
}

/**
 * What the offer's issue job and the jobs after it make of it: the attempt, and when it ends PENDING
 * (Shopify accepted the code add), the check-code-add jobs at their times on the clock.
 */
async function issue(id: string, hooks?: IssueHooks): Promise<IssueResult | Awaited<ReturnType<typeof outcomeOf>>> {
  const result = await issueOffer(SHOP, id, hooks);
  if (result.outcome !== "PENDING") return result;
  await runner.codeAdds();
  return outcomeOf(id);
}

const pendingJobs = async (task: string) => (await jobs()).filter((j) => j.task_identifier === task);

const discounts = () => [...store.discounts.values()];
const allCodes = () => discounts().flatMap((d) => d.codes.map((c) => c.code));
const offer = (id: string) => prisma.offer.findUniqueOrThrow({ where: { id }, include: { discountGroup: true } });

test("offers of the same value and expiry week share one discount: one code each, each customer in its context", async () => {
  const people = ["Ada", "Grace", "Edsger"].map(customer);
  const ids = [];
  for (const person of people) ids.push(await approvedOffer(person));
  for (const id of ids) expect(await issue(id)).toMatchObject({ outcome: "ISSUED" });

  expect(discounts()).toHaveLength(1);
  const [discount] = discounts();
  expect(discount!.customerIds.sort()).toEqual(people.map((p) => p.split("/").pop()).sort());
  const offers = await Promise.all(ids.map(offer));
  expect(allCodes().sort()).toEqual(offers.map((o) => o.issueKey).sort());
  expect(new Set(offers.map((o) => o.shopifyGid))).toEqual(new Set([offers[0]!.discountGroup!.discountGid]));
  expect(await prisma.discountGroup.findMany()).toEqual([expect.objectContaining({ slot: 1, members: 3 })]);
});

test("each customer can use their own code at checkout, once", async () => {
  const [ada, grace] = ["Ada", "Grace"].map(customer);
  const adaOffer = await approvedOffer(ada!);
  const graceOffer = await approvedOffer(grace!);
  await issue(adaOffer);
  await issue(graceOffer);
  const code = (await offer(graceOffer)).issueKey;
  const stranger = customer("Mallory");
  const variantId = [...store.products.values()][0]!.variants[0]!.id;
  const buy = (customerGid: string) => () =>
    sandbox.activity.placeOrder(SHOP, {
      customerId: customerGid.split("/").pop()!,
      lines: [{ variantId, quantity: 1 }],
      discountCode: code,
    });

  await expect(buy(stranger)()).rejects.toThrow(/limited to other customers/);
  // Ada is in the discount's context too: Shopify checks the context per discount, not per code
  // (docs/decisions/0109); she still redeems the discount at most once.
  const order = await buy(grace!)();
  expect(order.discountCodes).toEqual([code]);
  await expect(buy(grace!)()).rejects.toThrow();
});

test("a customer's second code of the same kind goes to the group's next discount (a customer redeems a discount once)", async () => {
  const ada = customer("Ada");
  const first = await approvedOffer(ada);
  await issue(first);
  const second = await approvedOffer(ada);
  await issue(second);
  expect(discounts()).toHaveLength(2);
  const [a, b] = await Promise.all([offer(first), offer(second)]);
  expect([a.discountGroup!.slot, b.discountGroup!.slot]).toEqual([1, 2]);
  expect(b.discountGroup!.title).toBe(`${a.discountGroup!.title} (2)`);
  expect(a.shopifyGid).not.toBe(b.shopifyGid);
});

test("a different value, or a different expiry week, is a different discount", async () => {
  const [ada, grace, edsger] = ["Ada", "Grace", "Edsger"].map(customer);
  await issue(await approvedOffer(ada!, percentCell(15)));
  await issue(await approvedOffer(grace!, percentCell(20)));
  await issue(await approvedOffer(edsger!, { kind: "DISCOUNT_PERCENT", value: 15, expiryDays: 60, approval: "AUTO" }));
  expect(discounts()).toHaveLength(3);
  expect(new Set((await prisma.discountGroup.findMany()).map((g) => g.groupKey)).size).toBe(3);
});

test("a full discount sends the next customer to a new one", async () => {
  const ada = customer("Ada");
  await issue(await approvedOffer(ada));
  await prisma.discountGroup.updateMany({ data: { members: DISCOUNT_GROUP_CAPACITY } });
  const grace = await approvedOffer(customer("Grace"));
  await issue(grace);
  expect(discounts()).toHaveLength(2);
  expect((await offer(grace)).discountGroup!.slot).toBe(2);
});

test("first offers of a new group issued at once make one discount and every code", async () => {
  const ids = [];
  for (const name of ["A", "B", "C", "D", "E", "F"]) ids.push(await approvedOffer(customer(`Customer${name}`)));
  // The first makes the discount with its code; the others' codes are added to it.
  await Promise.all(ids.map((id) => issueOffer(SHOP, id)));
  await runner.codeAdds();
  expect((await Promise.all(ids.map(outcomeOf))).every((r) => r.outcome === "ISSUED")).toBe(true);
  expect(discounts()).toHaveLength(1);
  expect(allCodes()).toHaveLength(6);
  expect(discounts()[0]!.customerIds).toHaveLength(6);
});

test("no database transaction stays open while Shopify makes a group's discount (one that timed out could not be rolled back into a second discount)", async () => {
  const openTransactions: number[] = [];
  // Looks at the database while the create is in flight, then lets the sandbox answer it.
  mswServer.use(
    http.post(`https://${SHOP}/admin/api/2026-10/graphql.json`, async ({ request }) => {
      const body = (await request.clone().json()) as { query?: string };
      if (body.query?.includes("discountCodeBasicCreate")) {
        const [row] = await prisma.$queryRaw<Array<{ n: number }>>`
          SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
        openTransactions.push(row?.n ?? -1);
      }
      return undefined;
    }),
  );
  // One offer alone, so any open transaction would be the one around the create.
  const id = await approvedOffer(customer("Alone"));
  expect(await issue(id)).toMatchObject({ outcome: "ISSUED" });
  expect(openTransactions).toEqual([0]);
  expect(discounts()).toHaveLength(1);
  expect(allCodes()).toEqual([(await offer(id)).issueKey]);
});

test("a lost answer to the code add is looked up and adopted: one code", async () => {
  await issue(await approvedOffer(customer("Ada")));
  const grace = await approvedOffer(customer("Grace"));
  sandbox.admin.faults.failAfterApply("discountRedeemCodeBulkAdd");
  expect(await issue(grace)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(allCodes()).toHaveLength(2);
  expect(discounts()).toHaveLength(1);
});

test("a lost answer to the customer add is repeated safely", async () => {
  await issue(await approvedOffer(customer("Ada")));
  const grace = await approvedOffer(customer("Grace"));
  sandbox.admin.faults.failAfterApply("discountCodeBasicUpdate");
  expect(await issue(grace)).toMatchObject({ outcome: "ISSUED" });
  expect(discounts()[0]!.customerIds).toHaveLength(2);
  expect(allCodes()).toHaveLength(2);
});

test("a crash after the group's discount was made: the retry adopts it as the group's, and the next offer joins it", async () => {
  const ada = await approvedOffer(customer("Ada"));
  let crashes = 1;
  await expect(
    issue(ada, {
      afterShopify: () => {
        if (crashes-- > 0) throw new Error("database connection lost");
      },
    }),
  ).rejects.toThrow("database connection lost");
  expect(await issue(ada)).toMatchObject({ outcome: "ISSUED", adopted: true });
  await issue(await approvedOffer(customer("Grace")));
  expect(discounts()).toHaveLength(1);
  expect(allCodes()).toHaveLength(2);
});

test("a worker that dies mid-issue after joining a group: its claim goes stale on the app clock after the lease, and the retry adopts the code once", async () => {
  const ada = await approvedOffer(customer("Ada"));
  // The worker dies after Shopify made the discount and before the database recorded it: the claim stays.
  void issue(ada, { afterShopify: () => new Promise<void>(() => {}) });
  await expect
    .poll(async () => (await offer(ada)).shopifyGid ?? (await offer(ada)).discountGroupId, { timeout: 10_000 })
    .toBeTruthy();
  await expect.poll(() => discounts().length, { timeout: 10_000 }).toBe(1);
  const claimed = await offer(ada);
  expect(claimed.status).toBe("ISSUING");
  // Joining the group kept the claim's time: the lease runs on the app clock, not the machine's.
  expect(claimed.updatedAt.getTime()).toBe(sandbox.clock.now().getTime());
  await expect(issue(ada)).rejects.toThrow(IssueInProgressError);
  sandbox.clock.advance(ISSUE_LEASE_MS);
  expect(await issue(ada)).toMatchObject({ outcome: "ISSUED", adopted: true });
  expect(allCodes()).toEqual([claimed.issueKey]);
});

test("a group discount deleted in Shopify: the offer fails visibly, and its retry opens a new discount", async () => {
  await issue(await approvedOffer(customer("Ada")));
  store.discounts.clear();
  const grace = await approvedOffer(customer("Grace"));
  expect(await issue(grace)).toMatchObject({ outcome: "FAILED" });
  expect(await prisma.discountGroup.findFirstOrThrow({ where: { slot: 1 } })).toMatchObject({
    retiredAt: expect.any(Date),
  });
  await prisma.offer.update({ where: { id: grace }, data: { status: "APPROVED" } });
  expect(await issue(grace)).toMatchObject({ outcome: "ISSUED" });
  expect(discounts()).toHaveLength(1);
  expect((await offer(grace)).discountGroup!.slot).toBe(2);
});

test("a fixed-amount group's discount takes that amount off the order", async () => {
  const ada = customer("Ada");
  await issue(await approvedOffer(ada, { kind: "DISCOUNT_FIXED", value: 1_000, expiryDays: 30, approval: "AUTO" }));
  expect(discounts()[0]).toMatchObject({ value: { amount: expect.stringMatching(/^10(\.0+)?$/) } });
  expect(discounts()[0]!.title).toContain("$10 off");
});

const bulkAdds = () => sandbox.admin.calls.filter((c) => c.rootFields.includes("discountRedeemCodeBulkAdd"));
const bulkReads = () => sandbox.admin.calls.filter((c) => c.rootFields.includes("discountRedeemCodeBulkCreation"));

test("the attempt ends once Shopify accepted the code add; a delayed check reads it back on the clock and records the offer", async () => {
  await issue(await approvedOffer(customer("Ada")));
  const grace = await approvedOffer(customer("Grace"));
  const before = sandbox.clock.now().getTime();
  const attempt = await issueOffer(SHOP, grace);
  // Nobody waited on Shopify's job: no read yet, the clock did not move past the batch window, the
  // offer is ISSUING, and one check is queued for a second later.
  expect(attempt).toMatchObject({ outcome: "PENDING", bulkCreationGid: expect.stringContaining("BulkCreation") });
  expect(bulkReads()).toHaveLength(0);
  expect(sandbox.clock.now().getTime() - before).toBeLessThan(BULK_ADD_POLL_MS[0]);
  expect(await offer(grace)).toMatchObject({ status: "ISSUING", code: null });
  const [check] = await pendingJobs("check-code-add");
  expect(check!.payload).toMatchObject({ shop: SHOP, offers: [{ offerId: grace, attempt: 1 }], poll: 0 });

  await runner.codeAdds();
  // Read back until done: not at first (the job had not run), then done once the clock passed its duration.
  expect(await outcomeOf(grace)).toEqual({ outcome: "ISSUED", adopted: false });
  expect(bulkReads().length).toBeGreaterThan(1);
  expect(sandbox.clock.now().getTime() - before).toBeGreaterThanOrEqual(sandbox.admin.timing.bulkCodeAddMs!);
  expect((await offer(grace)).code).toBe((await offer(grace)).issueKey);
  expect(allCodes()).toHaveLength(2);
  expect(bulkAdds()).toHaveLength(1);
  // Recorded as any issued offer is: the customer is told by its own job.
  expect(await pendingJobs("notify-offer")).toHaveLength(2);
});

test("a bulk code job slower than the polls: the check gives it up and queues a retry, which finds the code Shopify's job made", async () => {
  await issue(await approvedOffer(customer("Ada")));
  const grace = await approvedOffer(customer("Grace"));
  sandbox.admin.timing.bulkCodeAddMs = 10 * 60_000;
  expect(await issue(grace)).toMatchObject({ outcome: "APPROVED" });
  expect(bulkReads()).toHaveLength(BULK_ADD_POLL_MS.length);
  expect(await offer(grace)).toMatchObject({ status: "APPROVED", lastError: expect.stringMatching(/not finished/) });
  const [retry] = await pendingJobs("issue-offer");
  expect(retry!.payload).toMatchObject({ offerId: grace });
  expect(retry!.run_at.getTime()).toBe(sandbox.clock.now().getTime() + REISSUE_AFTER_GIVING_UP_MS);
  expect(allCodes()).toHaveLength(1);

  sandbox.clock.advance(10 * 60_000);
  expect(await runner.runDue()).toEqual(["issue-offer"]);
  expect(await outcomeOf(grace)).toEqual({ outcome: "ISSUED", adopted: true });
  expect(allCodes()).toHaveLength(2);
  expect(bulkAdds()).toHaveLength(1);
});

test("a bulk code job that never finishes: attempts stop pending and never make the code twice", async () => {
  await issue(await approvedOffer(customer("Ada")));
  const grace = await approvedOffer(customer("Grace"));
  sandbox.admin.timing.bulkCodeAddMs = null;
  expect(await issue(grace)).toMatchObject({ outcome: "APPROVED" });
  for (let attempt = 0; attempt < 2; attempt++) {
    sandbox.clock.advance(60 * 60_000);
    // The queued retry: its add is accepted, then given up again.
    await runner.runDue();
    await runner.codeAdds();
    expect(await offer(grace)).toMatchObject({ status: "APPROVED", code: null });
  }
  expect(allCodes()).toHaveLength(1);

  // Shopify recovers: the next attempt's job runs, and the stuck ones never will.
  sandbox.admin.timing.bulkCodeAddMs = 2_000;
  sandbox.clock.advance(60 * 60_000);
  await runner.runDue();
  await runner.codeAdds();
  expect(await outcomeOf(grace)).toMatchObject({ outcome: "ISSUED" });
  expect(allCodes().filter((c) => c.toLowerCase() === allCodes()[1]!.toLowerCase())).toHaveLength(1);
  expect(allCodes()).toHaveLength(2);
});

test("a check that cannot read Shopify retries with the offers still ISSUING; its last attempt gives them back to APPROVED with an issue job", async () => {
  await issue(await approvedOffer(customer("Ada")));
  const grace = await approvedOffer(customer("Grace"));
  expect(await issueOffer(SHOP, grace)).toMatchObject({ outcome: "PENDING" });
  const [check] = await pendingJobs("check-code-add");
  // Every read of the add is lost on the way back.
  sandbox.admin.faults.failAfterApply("AmendsDiscountRedeemCodeBulkCreation", 1_000);
  const attempt = (attempts: number) =>
    checkCodeAddTask(check!.payload, {
      job: { id: "1", attempts, max_attempts: maxAttempts["check-code-add"], task_identifier: "check-code-add" },
    } as unknown as JobHelpers);

  await expect(attempt(1)).rejects.toThrow();
  expect(await offer(grace)).toMatchObject({ status: "ISSUING" });
  expect(await pendingJobs("issue-offer")).toHaveLength(0);

  await expect(attempt(maxAttempts["check-code-add"])).rejects.toThrow();
  expect(await offer(grace)).toMatchObject({ status: "APPROVED", lastError: expect.stringMatching(/not finished/) });
  expect((await pendingJobs("issue-offer")).map((j) => (j.payload as { offerId: string }).offerId)).toEqual([grace]);

  // Shopify answers again: the retry finds the code its add made, and adds nothing.
  sandbox.admin.faults.reset();
  sandbox.clock.advance(REISSUE_AFTER_GIVING_UP_MS);
  await runner.runDue();
  expect(await outcomeOf(grace)).toEqual({ outcome: "ISSUED", adopted: true });
  expect(bulkAdds()).toHaveLength(1);
});

/**
 * Issue the offers at once, holding the batch window (app clock) open until every one of them has
 * its code waiting, so they meet in one batch however the machine schedules them.
 */
async function issueTogether(ids: string[]) {
  const { discountGid } = await prisma.discountGroup.findFirstOrThrow({ where: { discountGid: { not: null } } });
  installSleep(async (ms) => {
    if (ms === CODE_BATCH_WINDOW_MS)
      while (waitingCodes(SHOP, discountGid!) < ids.length) await new Promise((resolve) => setImmediate(resolve));
    sandbox.clock.advance(ms);
  });
  let attempts;
  try {
    attempts = await Promise.allSettled(ids.map((id) => issueOffer(SHOP, id)));
  } finally {
    installSleep(async (ms) => {
      sandbox.clock.advance(ms);
    });
  }
  return attempts;
}

/** issueTogether, then the check-code-add jobs: where each offer ended up. */
async function issueTogetherToEnd(ids: string[]) {
  const attempts = await issueTogether(ids);
  await runner.codeAdds();
  return { attempts, outcomes: await Promise.all(ids.map(outcomeOf)) };
}

const customerAdds = () => sandbox.admin.calls.filter((c) => c.operationName === "AmendsDiscountCustomersAdd");

test("offers issued together for one discount share one customer add, one code add and one read-back: each gets its own code", async () => {
  await issue(await approvedOffer(customer("First")));
  const ids = [];
  for (const name of ["Ada", "Grace", "Edsger", "Barbara"]) ids.push(await approvedOffer(customer(name)));
  const [addsBefore, customersBefore, readsBefore] = [bulkAdds().length, customerAdds().length, bulkReads().length];

  const { attempts, outcomes } = await issueTogetherToEnd(ids);

  expect(attempts.map((r) => (r.status === "fulfilled" ? r.value.outcome : r.reason))).toEqual(
    ids.map(() => "PENDING"),
  );
  expect(outcomes.map((o) => o.outcome)).toEqual(ids.map(() => "ISSUED"));
  expect(bulkAdds().length - addsBefore).toBe(1);
  expect(customerAdds().length - customersBefore).toBe(1);
  // One check for the batch: the sandbox's job takes 2 s, read at 1, 1.5 and 2 s, counts only.
  expect(bulkReads().length - readsBefore).toBe(3);
  const offers = await Promise.all(ids.map(offer));
  expect(offers.map((o) => o.code)).toEqual(offers.map((o) => o.issueKey));
  expect(allCodes().sort()).toEqual(
    [...offers.map((o) => o.issueKey), allCodes().find((c) => !offers.some((o) => o.issueKey === c))!].sort(),
  );
  expect(discounts()).toHaveLength(1);
  expect(discounts()[0]!.customerIds).toHaveLength(5);
});

test("a batch whose code add Shopify finishes only after the polls: every member stops pending, and the retries adopt each code once", async () => {
  await issue(await approvedOffer(customer("First")));
  const ids = [];
  for (const name of ["Ada", "Grace", "Edsger"]) ids.push(await approvedOffer(customer(name)));
  sandbox.admin.timing.bulkCodeAddMs = 10 * 60_000;

  const { outcomes } = await issueTogetherToEnd(ids);
  expect(outcomes.map((o) => o.outcome)).toEqual(ids.map(() => "APPROVED"));
  expect((await pendingJobs("issue-offer")).map((j) => (j.payload as { offerId: string }).offerId).sort()).toEqual(
    [...ids].sort(),
  );
  expect(allCodes()).toHaveLength(1);

  sandbox.clock.advance(10 * 60_000);
  await runner.runDue();
  for (const id of ids) expect(await outcomeOf(id)).toEqual({ outcome: "ISSUED", adopted: true });
  // One code add for the batch, never repeated; every code once; each offer counted once in its slot.
  expect(bulkAdds()).toHaveLength(1);
  const codes = allCodes().map((c) => c.toLowerCase());
  expect(new Set(codes).size).toBe(codes.length);
  expect(codes).toHaveLength(4);
  const offers = await Promise.all(ids.map(offer));
  expect(offers.map((o) => o.status)).toEqual(["ISSUED", "ISSUED", "ISSUED"]);
  expect(await prisma.discountGroup.findMany()).toEqual([expect.objectContaining({ slot: 1, members: 4 })]);
});

test("a lost answer to a batch's code add: each member looks its own code up and adopts it; no code twice", async () => {
  await issue(await approvedOffer(customer("First")));
  const ids = [];
  for (const name of ["Ada", "Grace"]) ids.push(await approvedOffer(customer(name)));
  sandbox.admin.faults.failAfterApply("discountRedeemCodeBulkAdd");

  const results = await issueTogether(ids);

  // No answer, so no job to read back: each attempt looks its code up itself.
  expect(results.map((r) => (r.status === "fulfilled" ? r.value : r.reason))).toEqual(
    ids.map(() => expect.objectContaining({ outcome: "ISSUED", adopted: true })),
  );
  expect(bulkAdds()).toHaveLength(1);
  const codes = allCodes().map((c) => c.toLowerCase());
  expect(new Set(codes).size).toBe(3);
  expect(codes).toHaveLength(3);
});

test("codes that arrive while a batch is in flight wait for it and go together in the next one", async () => {
  await issue(await approvedOffer(customer("First")));
  const lead = await approvedOffer(customer("Lead"));
  const rest = [];
  for (const name of ["Ada", "Grace", "Edsger"]) rest.push(await approvedOffer(customer(name)));
  const { discountGid } = await prisma.discountGroup.findFirstOrThrow({ where: { discountGid: { not: null } } });
  const [addsBefore, customersBefore] = [bulkAdds().length, customerAdds().length];
  // The lead's batch is in flight (Shopify has not answered its customer add) until the other
  // three codes wait behind it.
  let held = false;
  mswServer.use(
    http.post(`https://${SHOP}/admin/api/2026-10/graphql.json`, async ({ request }) => {
      const body = (await request.clone().json()) as { query?: string };
      if (!held && body.query?.includes("AmendsDiscountCustomersAdd")) {
        held = true;
        while (waitingCodes(SHOP, discountGid!) < rest.length) await new Promise((resolve) => setImmediate(resolve));
      }
      return undefined;
    }),
  );
  const leading = issueOffer(SHOP, lead);
  await expect.poll(() => held).toBe(true);
  const attempts = await Promise.all([leading, ...rest.map((id) => issueOffer(SHOP, id))]);
  expect(attempts.map((r) => r.outcome)).toEqual(["PENDING", "PENDING", "PENDING", "PENDING"]);
  await runner.codeAdds();

  expect(bulkAdds().length - addsBefore).toBe(2);
  expect(customerAdds().length - customersBefore).toBe(2);
  const offers = await Promise.all([lead, ...rest].map(offer));
  expect(offers.map((o) => o.status)).toEqual(["ISSUED", "ISSUED", "ISSUED", "ISSUED"]);
  expect(offers.map((o) => o.code)).toEqual(offers.map((o) => o.issueKey));
  const codes = allCodes().map((c) => c.toLowerCase());
  expect(new Set(codes).size).toBe(5);
  expect(codes).toHaveLength(5);
});

test("a batch Shopify refuses over one member's customer: each member is tried alone, so only that offer fails", async () => {
  await issue(await approvedOffer(customer("First")));
  const ids = [];
  for (const name of ["Ada", "Grace", "Edsger"]) ids.push(await approvedOffer(customer(name)));
  // Grace's customer record is gone from Shopify (deleted after the decision).
  const grace = await prisma.offer.findUniqueOrThrow({ where: { id: ids[1]! } });
  store.customers.delete(grace.customerGid!.split("/").pop()!);

  const { attempts, outcomes } = await issueTogetherToEnd(ids);

  expect(attempts.map((r) => (r.status === "fulfilled" ? r.value.outcome : "rejected"))).toEqual([
    "PENDING",
    "FAILED",
    "PENDING",
  ]);
  expect(outcomes.map((o) => o.outcome)).toEqual(["ISSUED", "FAILED", "ISSUED"]);
  const offers = await Promise.all(ids.map(offer));
  expect(allCodes().sort()).toEqual(
    [
      ...allCodes().filter((c) => !offers.some((o) => o.issueKey === c)),
      offers[0]!.issueKey,
      offers[2]!.issueKey,
    ].sort(),
  );
  expect(allCodes()).toHaveLength(3);
  expect(discounts()).toHaveLength(1);
});
