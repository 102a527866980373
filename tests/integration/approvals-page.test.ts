/**
 * The approval queue page (app/routes/app.approvals.tsx): its loader and action through the real
 * authenticate.admin, with offers made by decideIncident. Staff 1001 is the account owner (OWNER),
 * 1002 a support member (STAFF, limit $50 by default).
 */
import { randomUUID } from "node:crypto";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action, loader } from "../../app/routes/app.approvals";
import { pendingOffers } from "../../app/models/approval-queue.server";
import { decodeCursor, encodeCursor } from "../../app/services/approval-queue.server";
import { failedMakeGoods } from "../../app/services/approval-queue/rows.server";
import { dashboard } from "../../app/services/dashboard.server";
import { retryIssue } from "../../app/services/issuing.server";
import { shopContext } from "../../app/models/shop-settings.server";
import { endOfLocalDay, localDate } from "../../app/recovery";
import { HOUR, gid } from "../../sandbox";
import { jobRunner } from "../helpers/job-runner";
import { actionAnswer, adminRequest, anonymousRequest, call, type AdminRequestOptions } from "../helpers/admin-request";
import { sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { decidedIncident, OFFERS_NOW, shopsWithAda, type IncidentOverrides } from "./offers-fixtures";

const OTHER_SHOP = "amends-other-approvals.myshopify.com";
const SETTINGS = {
  decision: { holdoutShare: 0, autoApproveCeilingMinor: 1_000, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
};
const OWNER = "1001";
const SUPPORT = "1002";

const sandbox = sandboxForTests();
let customerGid: string;

beforeEach(async () => {
  customerGid = await shopsWithAda(sandbox, [TEST_SHOP, OTHER_SHOP], SETTINGS);
});

/** An offer waiting for STAFF approval: 20% of the order total (the default grid's major x NEW cell). */
async function pendingOffer(overrides: IncidentOverrides = {}, shop = TEST_SHOP): Promise<string> {
  const { offerId } = await decidedIncident(shop, { customerGid, ...overrides });
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  if (offer.status !== "PENDING_APPROVAL") throw new Error(`offer is ${offer.status}`);
  return offerId;
}

type LoaderData = Exclude<Awaited<ReturnType<typeof loader>>, Response>;

async function load(path = "/app/approvals", options: AdminRequestOptions = {}): Promise<LoaderData> {
  const result = await call(() =>
    loader({ request: adminRequest(path, { userId: SUPPORT, ...options }), params: {}, context: {} }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function act(form: Record<string, string | string[]>, options: AdminRequestOptions = {}): Promise<Answer> {
  const result = await call(() =>
    action({ request: adminRequest("/app/approvals", { userId: SUPPORT, form, ...options }), params: {}, context: {} }),
  );
  return actionAnswer(result);
}

const offerStatus = async (id: string) => (await prisma.offer.findUniqueOrThrow({ where: { id } })).status;

test("without a session the page is not served and nothing can be decided", async () => {
  const offerId = await pendingOffer();
  const runs: Array<() => Promise<unknown>> = [
    () => loader({ request: anonymousRequest("/app/approvals"), params: {}, context: {} }),
    () => action({ request: anonymousRequest("/app/approvals"), params: {}, context: {} }),
    () =>
      action({
        request: adminRequest("/app/approvals", { secret: "forged", form: { intent: "approve", offerId } }),
        params: {},
        context: {},
      }),
  ];
  for (const run of runs) {
    const result = await call(run);
    expect(result).toBeInstanceOf(Response);
    expect([302, 401, 410]).toContain((result as Response).status);
  }
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");
});

test("the queue lists pending offers oldest failure first, in words, with the member's authority and the same-day goal", async () => {
  const older = await pendingOffer();
  const newer = await pendingOffer({ orderTotalMinor: 40_000 });
  await prisma.incident.updateMany({
    where: { offers: { some: { id: newer } } },
    data: { occurredAt: new Date(OFFERS_NOW.getTime() - 3_600_000) },
  });
  const decided = await pendingOffer();
  await prisma.offer.update({ where: { id: decided }, data: { status: "REJECTED" } });
  await load("/app/approvals", { userId: OWNER }); // the owner opened the app once: the queue can name them

  const page = await load();
  expect(page.rows.map((r) => r.offerId)).toEqual([older, newer]);
  expect(page.totalWaiting).toBe(2);
  const [first, second] = page.rows;
  const customerId = customerGid.split("/").pop();
  expect(first).toMatchObject({
    orderName: expect.stringMatching(/^#\d+$/),
    typeLabel: "Late to ship",
    severity: "major",
    // Named live from Shopify (decision 0125); Amends keeps only the id.
    customer: {
      label: "Ada Lovelace (ada@example.com)",
      adminUrl: `https://admin.shopify.com/store/${TEST_SHOP.replace(".myshopify.com", "")}/customers/${customerId}`,
      gid: customerGid,
    },
    tier: "NEW",
    makeGood: expect.stringMatching(/^20% code, /),
    faceValue: "$40",
    approval: "STAFF",
    editable: { unit: "PERCENT", current: "20", currency: "USD" },
    authority: { canApprove: true, limit: "$50", text: "You can approve, and edit it up to $50" },
  });
  expect(first?.explanation.some((line) => line.startsWith("Customer: NEW"))).toBe(true);
  // The same-day goal ends at midnight of the failure's day in the shop's time zone (installing set it from Shopify).
  const { timezone } = await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
  expect(first?.sameDayDeadline).toBe(
    endOfLocalDay(localDate(new Date(first?.occurredAt ?? ""), timezone), timezone).toISOString(),
  );
  expect(first?.sameDayDeadline).not.toBe(first?.occurredAt);
  expect(second?.authority).toEqual({
    canApprove: false,
    approvers: ["Olivia Owner"],
    text: "Above your limit: Olivia Owner can approve",
  });
  expect(page.nextCursor).toBeNull();
});

test("a support member cannot approve above their limit and is told who can; the owner can", async () => {
  const offerId = await pendingOffer({ orderTotalMinor: 40_000 }); // 20% of the $300 basket cap: $60, above STAFF's $50
  await load("/app/approvals", { userId: OWNER });

  const refused = await act({ intent: "approve", offerId });
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ ok: false, approvers: ["Olivia Owner"] });
  expect(refused.body.error).toBe("$60 is above your approval limit of $50. Who can approve: Olivia Owner.");
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");
  expect(await prisma.offerTransition.count({ where: { offerId } })).toBe(1);

  const approved = await act({ intent: "approve", offerId }, { userId: OWNER });
  expect(approved).toMatchObject({ status: 200, body: { ok: true, intent: "approve" } });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "APPROVED",
    decidedBy: OWNER,
  });
});

test("approving with an edited value: above the member's authority the field says who can; a bad value is a field error; within it, approved", async () => {
  const offerId = await pendingOffer(); // 20% of $200 = $40
  await load("/app/approvals", { userId: OWNER });

  const above = await act({ intent: "approveEdited", offerId, value: "30" });
  expect(above.status).toBe(403);
  expect(above.body).toEqual({
    ok: false,
    fieldErrors: { value: "$60 is above your approval limit of $50. Who can approve: Olivia Owner." },
    approvers: ["Olivia Owner"],
  });

  for (const value of ["", "abc", "0", "-5"]) {
    const bad = await act({ intent: "approveEdited", offerId, value });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, fieldErrors: { value: expect.any(String) } });
  }
  expect((await act({ intent: "approveEdited", offerId, value: "150" })).body).toMatchObject({
    fieldErrors: { value: "A discount can be at most 100%" },
  });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "PENDING_APPROVAL",
    faceValueMinor: 4_000,
  });

  const ok = await act({ intent: "approveEdited", offerId, value: "25" });
  expect(ok).toMatchObject({ status: 200, body: { ok: true, message: expect.stringContaining("approved $50") } });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
    status: "APPROVED",
    faceValueMinor: 5_000,
  });
});

test("two approvals at once through the page approve once; the other is told it is no longer pending", async () => {
  const offerId = await pendingOffer();
  const answers = await Promise.all([
    act({ intent: "approve", offerId }),
    act({ intent: "approve", offerId }, { userId: OWNER }),
  ]);
  expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  expect(answers.find((a) => a.status === 409)?.body.error).toMatch(/no longer waiting for approval/);
  expect(await prisma.offerTransition.count({ where: { offerId, toStatus: "APPROVED" } })).toBe(1);
});

test("rejecting needs a reason: without one the field says so and nothing is written; with one it is rejected", async () => {
  const offerId = await pendingOffer();
  for (const reason of ["", "  ", "no"]) {
    const answer = await act({ intent: "reject", offerId, reason });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      ok: false,
      fieldErrors: { reason: "Give a reason for rejecting (at least 3 characters)" },
    });
  }
  expect((await act({ intent: "reject", offerId, reason: "x".repeat(501) })).body).toMatchObject({
    fieldErrors: { reason: "Keep the reason under 500 characters" },
  });
  expect((await act({ intent: "reject", offerId })).status).toBe(400);
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");
  expect(await prisma.offerTransition.count({ where: { offerId } })).toBe(1);

  const answer = await act({ intent: "reject", offerId, reason: "customer already got a refund by phone" });
  expect(answer).toMatchObject({ status: 200, body: { ok: true, intent: "reject" } });
  expect(await prisma.offerTransition.findFirstOrThrow({ where: { offerId, toStatus: "REJECTED" } })).toMatchObject({
    actor: SUPPORT,
    note: "customer already got a refund by phone",
  });
});

test("approve selected gives a result per offer: approved, needs someone else (named), no longer pending", async () => {
  await load("/app/approvals", { userId: OWNER });
  const within = await pendingOffer();
  const above = await pendingOffer({ orderTotalMinor: 40_000 });
  const gone = await pendingOffer();
  await act({ intent: "reject", offerId: gone, reason: "duplicate complaint" });

  const answer = await act({ intent: "bulkApprove", offerIds: [within, above, gone] });
  expect(answer.status).toBe(200);
  const results = answer.body.results as Array<{ offerId: string; outcome: string; message: string }>;
  expect(results.map((r) => [r.offerId, r.outcome])).toEqual([
    [within, "APPROVED"],
    [above, "NEEDS_APPROVER"],
    [gone, "NO_LONGER_PENDING"],
  ]);
  expect(results[1]?.message).toMatch(/Who can approve: Olivia Owner/);
  expect(answer.body.message).toBe("1 of 3 approved; see the details above the queue");
  expect([await offerStatus(within), await offerStatus(above)]).toEqual(["APPROVED", "PENDING_APPROVAL"]);

  expect((await act({ intent: "bulkApprove" })).body).toMatchObject({
    fieldErrors: { offerIds: "Select at least one offer" },
  });
  expect((await act({ intent: "bulkApprove", offerIds: ["not-a-uuid"] })).status).toBe(400);
});

test("filters by type, severity, tier and age narrow the rows in the database", async () => {
  const late = await pendingOffer({ severity: "major" });
  const refund = await pendingOffer({ severity: "moderate" });
  await prisma.incident.updateMany({
    where: { offers: { some: { id: refund } } },
    data: { type: "REFUND", occurredAt: new Date(OFFERS_NOW.getTime() - 2 * 3_600_000) },
  });
  // A VIP: the decision reads the customer's value (cached here) and records the tier in its explanation.
  const vipGid = gid(
    "Customer",
    sandbox.activity.createCustomer(TEST_SHOP, { firstName: "Vera", lastName: "Important", email: "vip@example.com" })
      .id,
  );
  await prisma.customerValue.create({
    data: {
      shop: TEST_SHOP,
      customerGid: vipGid,
      amountSpentMinor: 250_000,
      numberOfOrders: 14,
      tags: [],
      fetchedAt: OFFERS_NOW,
    },
  });
  const vip = await pendingOffer({ customerGid: vipGid, severity: "moderate" });
  await prisma.incident.updateMany({
    where: { offers: { some: { id: vip } } },
    data: { occurredAt: new Date(OFFERS_NOW.getTime() - 8 * 3_600_000) },
  });

  const ids = async (query: string) => (await load(`/app/approvals${query}`)).rows.map((r) => r.offerId);
  expect(await ids("")).toEqual([late, vip, refund]);
  expect(await ids("?type=REFUND")).toEqual([refund]);
  expect(await ids("?type=REFUND&type=LATE_FULFILLMENT")).toEqual([late, vip, refund]);
  expect(await ids("?severity=moderate")).toEqual([vip, refund]);
  expect(await ids("?tier=VIP")).toEqual([vip]);
  expect(await ids("?tier=NEW&severity=moderate")).toEqual([refund]);
  expect(await ids("?age=UNDER_4H")).toEqual([refund]);
  // OFFERS_NOW is 15:00 UTC, 10:00 in the shop's zone (America/New_York, from Shopify at install): the VIP's failure
  // (07:00 UTC) and the refund's (13:00 UTC) are today there, the late one (6 days ago) is not.
  expect(await ids("?age=SAME_DAY")).toEqual([vip, refund]);
  expect(await ids("?age=OLDER")).toEqual([late]);
  // Unknown values are ignored rather than failing the page.
  expect(await ids("?type=NOPE&age=SOON&tier=GOLD")).toEqual([late, vip, refund]);
  const page = await load("/app/approvals?tier=VIP");
  expect(page.filters).toEqual({ type: [], severity: [], tier: ["VIP"], age: null });
  expect(page.totalWaiting).toBe(3);
});

test("a session of another shop sees an empty queue and cannot act on this shop's offers by id", async () => {
  const offerId = await pendingOffer();
  const other = await load("/app/approvals", { shop: OTHER_SHOP, userId: OWNER });
  expect(other.rows).toEqual([]);
  expect(other.totalWaiting).toBe(0);

  const approve = await act({ intent: "approve", offerId }, { shop: OTHER_SHOP, userId: OWNER });
  expect(approve).toEqual({ status: 404, body: { ok: false, error: "No such offer in this shop", approvers: [] } });
  expect(
    (await act({ intent: "approveEdited", offerId, value: "10" }, { shop: OTHER_SHOP, userId: OWNER })).status,
  ).toBe(404);
  expect(
    (await act({ intent: "reject", offerId, reason: "not ours" }, { shop: OTHER_SHOP, userId: OWNER })).status,
  ).toBe(404);
  const bulk = await act({ intent: "bulkApprove", offerIds: [offerId] }, { shop: OTHER_SHOP, userId: OWNER });
  expect((bulk.body.results as Array<{ outcome: string }>)[0]?.outcome).toBe("NOT_FOUND");
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");
  expect(await prisma.offerTransition.count({ where: { offerId } })).toBe(1);
});

test("follow-ups due are listed until a member marks them done, once, with who did it", async () => {
  const offerId = await pendingOffer();
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  const due = await prisma.incidentEvent.create({
    data: {
      shop: TEST_SHOP,
      incidentId: offer.incidentId,
      kind: "FOLLOW_UP_DUE",
      at: OFFERS_NOW,
      data: { offerId, reason: "no Flow workflow uses the follow-up trigger" },
    },
  });
  const page = await load();
  expect(page.followUps).toEqual([
    expect.objectContaining({
      id: due.id,
      incidentId: offer.incidentId,
      typeLabel: "Late to ship",
      makeGood: expect.stringMatching(/^20% code/),
      dueSince: OFFERS_NOW.toISOString(),
    }),
  ]);

  // Another shop cannot mark it done.
  expect((await act({ intent: "followUpDone", eventId: due.id }, { shop: OTHER_SHOP, userId: OWNER })).status).toBe(
    404,
  );
  expect((await act({ intent: "followUpDone", eventId: "nope" })).body).toMatchObject({
    fieldErrors: { eventId: expect.any(String) },
  });
  expect((await act({ intent: "followUpDone", eventId: randomUUID() })).status).toBe(404);

  expect((await act({ intent: "followUpDone", eventId: due.id })).body).toEqual({
    ok: true,
    intent: "followUpDone",
    message: "Follow-up marked done",
  });
  expect((await act({ intent: "followUpDone", eventId: due.id })).body).toMatchObject({
    message: "Someone already marked it done",
  });
  const done = await prisma.incidentEvent.findMany({ where: { kind: "FOLLOW_UP_DONE" } });
  expect(done).toHaveLength(1);
  expect(done[0]).toMatchObject({ actor: SUPPORT, data: { dueEventId: due.id, offerId } });
  expect((await load()).followUps).toEqual([]);
});

test("an unknown intent or a malformed offer id is refused with a message and changes nothing", async () => {
  const offerId = await pendingOffer();
  expect(await act({ intent: "delete", offerId })).toMatchObject({
    status: 400,
    body: { fieldErrors: { intent: "Unknown action" } },
  });
  expect(await act({ intent: "approve", offerId: "1; DROP TABLE" })).toMatchObject({
    status: 400,
    body: { fieldErrors: { offerId: "That offer id is not valid" } },
  });
  expect(await act({ intent: "approve", offerId: randomUUID() })).toMatchObject({ status: 404 });
  expect(await offerStatus(offerId)).toBe("PENDING_APPROVAL");
});

test("pages of the queue follow each other by cursor without skipping or repeating a row", async () => {
  const ids = [await pendingOffer(), await pendingOffer(), await pendingOffer()];
  // Two failures at the same instant: the offer id breaks the tie.
  const sameTime = new Date(OFFERS_NOW.getTime() - 5 * 3_600_000);
  await prisma.incident.updateMany({ where: { shop: TEST_SHOP }, data: { occurredAt: sameTime } });
  const query = {
    shop: TEST_SHOP,
    types: [],
    severities: [],
    tiers: [],
    occurredFrom: null,
    occurredBefore: null,
    limit: 2,
  };
  const first = await pendingOffers({ ...query, after: null });
  const last = first.at(-1)!;
  const second = await pendingOffers({
    ...query,
    after: decodeCursor(encodeCursor(last.incident.occurredAt, last.id)),
  });
  expect([...first, ...second].map((o) => o.id)).toEqual([...ids].sort());
  expect(await pendingOffers({ ...query, shop: OTHER_SHOP, after: null })).toEqual([]);
});

test("make-goods that failed to issue are listed newest first, in words, with a link to their incident; capped with the count; another shop's stay out", async () => {
  await load("/app/approvals", { userId: OWNER });
  const runner = jobRunner(sandbox);
  // The merchant took write_discounts back in Shopify; the scopes webhook has not been processed yet.
  sandbox.admin.grants.revoke(TEST_SHOP, ["write_discounts"]);
  sandbox.admin.grants.revoke(OTHER_SHOP, ["write_discounts"]);
  const failedOffer = async (orderTotalMinor: number, shop = TEST_SHOP) => {
    const offerId = await pendingOffer({ orderTotalMinor }, shop);
    expect((await act({ intent: "approve", offerId }, { userId: OWNER, shop })).status).toBe(200);
    await runner.runDue();
    expect(await offerStatus(offerId)).toBe("FAILED");
    sandbox.clock.advance(HOUR);
    return offerId;
  };
  const failed = [await failedOffer(20_000), await failedOffer(30_000), await failedOffer(25_000)];
  const otherFailed = await failedOffer(20_000, OTHER_SHOP);
  const waiting = await pendingOffer(); // still waiting for approval: not a failed make-good

  const page = await load();
  expect(page.failed.total).toBe(3);
  expect(page.failed.rows.map((r) => r.offerId)).toEqual([...failed].reverse());
  const customerId = customerGid.split("/").pop();
  const newest = page.failed.rows[0];
  const incident = await prisma.offer.findUniqueOrThrow({ where: { id: failed[2] }, include: { incident: true } });
  expect(newest).toEqual({
    offerId: failed[2],
    incidentId: incident.incidentId,
    orderName: incident.incident.orderName,
    typeLabel: "Late to ship",
    // Named live from Shopify (decision 0125); Amends keeps only the id.
    customer: {
      label: "Ada Lovelace (ada@example.com)",
      adminUrl: `https://admin.shopify.com/store/${TEST_SHOP.replace(".myshopify.com", "")}/customers/${customerId}`,
      gid: customerGid,
    },
    kindLabel: "Percentage discount code",
    makeGood: expect.stringMatching(/^20% code, /),
    value: "$50",
    error:
      "Shopify refused the request: Access denied for discountCodeBasicCreate field. Required access: Apps must have `write_discounts` access scope.",
    failedAt: new Date(sandbox.clock.now().getTime() - 2 * HOUR).toISOString(),
  });
  expect(newest?.error).not.toMatch(/^[A-Z_]+:/);
  expect(page.rows.map((r) => r.offerId)).toEqual([waiting]);

  expect((await dashboard(TEST_SHOP, {})).attention.failed.total).toBe(3);

  const capped = await failedMakeGoods(await shopContext(TEST_SHOP), 2);
  expect(capped.total).toBe(3);
  expect(capped.rows.map((r) => r.offerId)).toEqual([failed[2], failed[1]]);

  // Retried from the incident page: it leaves the list (whatever happens to it next).
  sandbox.admin.grants.grant(TEST_SHOP, ["write_discounts"]);
  expect(await retryIssue(TEST_SHOP, failed[1] ?? "", OWNER)).toBe(true);
  const after = await load();
  expect(after.failed).toMatchObject({ total: 2 });
  expect(after.failed.rows.map((r) => r.offerId)).toEqual([failed[2], failed[0]]);
  expect((await dashboard(TEST_SHOP, {})).attention.failed.total).toBe(2);

  const other = await load("/app/approvals", { shop: OTHER_SHOP });
  expect(other.failed).toMatchObject({ total: 1, rows: [{ offerId: otherFailed }] });
});
