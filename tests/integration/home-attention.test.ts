/**
 * The app home's "Needs attention" card and setup guide (issue 17 item 1, decision 0120), through
 * the dashboard's real loader and action: each item absent, then present, never another shop's;
 * the failed make-good's Retry through the incident page's action (the one path); the guide's steps.
 */
import { randomUUID } from "node:crypto";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action as approvalsAction } from "../../app/routes/app.approvals";
import { action, loader } from "../../app/routes/app._index";
import { action as incidentAction } from "../../app/routes/app.incidents.$id/route.server";
import { markReauthRequired } from "../../app/models/shop.server";
import { endOfLocalDay, localDate } from "../../app/recovery";
import { decideIncident } from "../../app/services/decision.server";
import { HOUR, gid } from "../../sandbox";
import { actionAnswer, adminRequest, call } from "../helpers/admin-request";
import { jobRunner } from "../helpers/job-runner";
import { resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { createIncident, createShopRow, OFFERS_NOW, type IncidentOverrides } from "./offers-fixtures";

const OTHER_SHOP = "amends-other-home.myshopify.com";
const SETTINGS = {
  decision: { holdoutShare: 0, autoApproveCeilingMinor: 1_000, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
};
const OWNER = "1001";

const sandbox = sandboxForTests();

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", plan: "Basic" });
  sandbox.store.addShop({ domain: OTHER_SHOP, currency: "USD", plan: "Basic" });
});

type LoaderData = Exclude<Awaited<ReturnType<typeof loader>>, Response>;

async function load(shop = TEST_SHOP): Promise<LoaderData> {
  const result = await call(() => loader({ request: adminRequest("/app", { shop }), params: {}, context: {} }));
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

/** The dashboard's action answers plain objects (no status of its own). */
async function homeAction(form: Record<string, string>, shop = TEST_SHOP): Promise<unknown> {
  return call(() => action({ request: adminRequest("/app", { shop, form }), params: {}, context: {} }));
}

async function customerOf(shop: string): Promise<string> {
  const customer = sandbox.activity.createCustomer(shop, {
    firstName: "Ada",
    lastName: "Home",
    email: `${randomUUID()}@example.com`,
  });
  return gid("Customer", customer.id);
}

/** An offer waiting for STAFF approval (20% of the order: above the $10 auto-approve ceiling). */
async function pendingOffer(shop: string, overrides: IncidentOverrides = {}): Promise<string> {
  const incidentId = await createIncident(shop, { customerGid: await customerOf(shop), ...overrides });
  const result = await decideIncident(shop, incidentId);
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error("no offer");
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: result.offerId } })).status).toBe("PENDING_APPROVAL");
  return result.offerId;
}

/** Approved, then refused by Shopify while issuing (write_discounts taken back): FAILED, waiting for a Retry. */
async function failedOffer(shop: string): Promise<{ offerId: string; incidentId: string }> {
  sandbox.admin.grants.revoke(shop, ["write_discounts"]);
  const offerId = await pendingOffer(shop);
  const approved = actionAnswer(
    await call(() =>
      approvalsAction({
        request: adminRequest("/app/approvals", { shop, userId: OWNER, form: { intent: "approve", offerId } }),
        params: {},
        context: {},
      }),
    ),
  );
  expect(approved.status).toBe(200);
  await jobRunner(sandbox).runDue();
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  expect(offer.status).toBe("FAILED");
  sandbox.admin.grants.grant(shop, ["write_discounts"]);
  return { offerId, incidentId: offer.incidentId };
}

async function followUpDue(shop: string, offerId: string): Promise<void> {
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  await prisma.incidentEvent.create({
    data: { shop, incidentId: offer.incidentId, kind: "FOLLOW_UP_DUE", at: OFFERS_NOW, data: { offerId } },
  });
}

async function lowRating(shop: string, score = 1): Promise<void> {
  const incidentId = await createIncident(shop, { manual: true });
  await prisma.rating.create({ data: { shop, incidentId, score, channel: "WEB", ratedAt: OFFERS_NOW } });
}

/** Everything the card can show, for a shop. */
async function everythingNeedsAttention(shop: string) {
  const failed = await failedOffer(shop);
  const waiting = [await pendingOffer(shop), await pendingOffer(shop)];
  await followUpDue(shop, failed.offerId);
  await lowRating(shop);
  // Opened once first: a member's first sign-in exchanges a new token, which clears the mark (afterAuth).
  await load(shop);
  await markReauthRequired(shop, "REFRESH_REFUSED: Shopify answered 401", new Date(OFFERS_NOW.getTime() - HOUR));
  return { failed, waiting };
}

test("nothing needs attention: the card is clear, every count zero", async () => {
  await createShopRow(TEST_SHOP, SETTINGS);
  // What the card must not count: a decided offer, a rating of 3, a follow-up already done.
  const decided = await pendingOffer(TEST_SHOP);
  await prisma.offer.update({ where: { id: decided }, data: { status: "REJECTED" } });
  await lowRating(TEST_SHOP, 3);
  await followUpDue(TEST_SHOP, decided);
  const due = await prisma.incidentEvent.findFirstOrThrow({ where: { kind: "FOLLOW_UP_DUE" } });
  await prisma.incidentEvent.create({
    data: {
      shop: TEST_SHOP,
      incidentId: due.incidentId,
      kind: "FOLLOW_UP_DONE",
      at: OFFERS_NOW,
      data: { dueEventId: due.id },
    },
  });
  // Another shop with everything: none of it shows here.
  await createShopRow(OTHER_SHOP, SETTINGS);
  await everythingNeedsAttention(OTHER_SHOP);

  const { attention } = await load();

  expect(attention).toEqual({
    now: OFFERS_NOW.toISOString(),
    waiting: { count: 0, oldest: null },
    followUps: { due: 0, lowRatings: 0 },
    failed: { total: 0, rows: [] },
    reauth: null,
    clear: true,
  });
});

test("each item shows with its count: offers waiting with the oldest against the same-day goal, follow-ups, low ratings, failed make-goods, lost access; never another shop's", async () => {
  await createShopRow(TEST_SHOP, SETTINGS);
  await createShopRow(OTHER_SHOP, SETTINGS);
  const mine = await everythingNeedsAttention(TEST_SHOP);
  // The other shop: one more waiting offer and one more low rating than this one, and no lost access.
  await pendingOffer(OTHER_SHOP);
  await pendingOffer(OTHER_SHOP);
  await pendingOffer(OTHER_SHOP);
  await lowRating(OTHER_SHOP);
  await lowRating(OTHER_SHOP);
  const otherFailed = await failedOffer(OTHER_SHOP);

  const { attention, timeZone } = await load();

  // createIncident's failures happened 6 days ago: long past the same-day goal (the end of that day, shop time).
  const occurredAt = new Date(OFFERS_NOW.getTime() - 6 * 86_400_000);
  expect(attention.waiting).toEqual({
    count: 2,
    oldest: {
      occurredAt: occurredAt.toISOString(),
      sameDayDeadline: endOfLocalDay(localDate(occurredAt, timeZone), timeZone).toISOString(),
      pastSameDayGoal: true,
    },
  });
  expect(attention.followUps).toEqual({ due: 1, lowRatings: 1 });
  expect(attention.failed.total).toBe(1);
  expect(attention.failed.rows).toEqual([
    expect.objectContaining({
      offerId: mine.failed.offerId,
      incidentId: mine.failed.incidentId,
      error: expect.stringMatching(/write_discounts/),
    }),
  ]);
  expect(attention.reauth).toEqual({
    since: new Date(OFFERS_NOW.getTime() - HOUR).toISOString(),
    reason: "REFRESH_REFUSED: Shopify answered 401",
  });
  expect(attention.clear).toBe(false);

  const other = (await load(OTHER_SHOP)).attention;
  expect(other).toMatchObject({
    waiting: { count: 3 },
    followUps: { due: 0, lowRatings: 2 },
    failed: { total: 1, rows: [{ offerId: otherFailed.offerId }] },
    reauth: null,
  });
});

test("an offer that failed today is within the same-day goal until the end of the shop's day", async () => {
  await createShopRow(TEST_SHOP, SETTINGS);
  await pendingOffer(TEST_SHOP);
  await prisma.incident.updateMany({
    where: { shop: TEST_SHOP },
    data: { occurredAt: new Date(OFFERS_NOW.getTime() - 2 * HOUR) },
  });

  const { attention, timeZone } = await load();

  // The sandbox shop's day (America/New_York): 15:00 UTC is 10:00 there, the failure 08:00.
  expect(timeZone).toBe("America/New_York");
  expect(attention.waiting.oldest).toEqual({
    occurredAt: new Date(OFFERS_NOW.getTime() - 2 * HOUR).toISOString(),
    sameDayDeadline: "2026-11-03T04:59:59.999Z",
    pastSameDayGoal: false,
  });
  expect(endOfLocalDay(localDate(OFFERS_NOW, timeZone), timeZone).toISOString()).toBe("2026-11-03T04:59:59.999Z");
});

test("Retry from the home card goes through the incident page's action: another shop cannot, the make-good leaves the card", async () => {
  await createShopRow(TEST_SHOP, SETTINGS);
  await createShopRow(OTHER_SHOP, SETTINGS);
  const { offerId, incidentId } = await failedOffer(TEST_SHOP);
  const retry = (shop: string) =>
    call(() =>
      incidentAction({
        request: adminRequest(`/app/incidents/${incidentId}`, { shop, form: { intent: "retryIssue", offerId } }),
        params: { id: incidentId },
        context: {},
      }),
    );

  // Signed in to another shop: as unknown as a made-up id, and nothing moves.
  expect(actionAnswer(await retry(OTHER_SHOP)).status).toBe(404);
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).status).toBe("FAILED");
  expect((await load()).attention.failed.total).toBe(1);

  expect(await retry(TEST_SHOP)).toMatchObject({ ok: true });
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).status).not.toBe("FAILED");
  const { attention } = await load();
  expect(attention.failed).toEqual({ total: 0, rows: [] });
  expect(attention.clear).toBe(true);
});

test("the setup guide: steps tick as their work shows or when marked done; a made-up step is refused", async () => {
  await createShopRow(TEST_SHOP); // settings never saved
  const steps = async () => (await load()).onboarding?.steps.map((s) => [s.key, s.done]);
  expect(await steps()).toEqual([
    ["defaults", false],
    ["grid", false],
    ["firstIncident", false],
  ]);

  expect(await homeAction({ intent: "completeStep", step: "grid" })).toEqual({ ok: true, message: "Step marked done" });
  expect(await homeAction({ intent: "completeStep", step: "firstIncident" })).toMatchObject({
    ok: false,
    fieldErrors: { step: expect.any(String) },
  });
  expect(await steps()).toEqual([
    ["defaults", false],
    ["grid", true],
    ["firstIncident", false],
  ]);

  // Settings saved once (the settings page writes the whole document), and a first incident.
  await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { settings: { ...SETTINGS } } });
  await homeAction({ intent: "completeStep", step: "grid" });
  await createIncident(TEST_SHOP);
  expect(await steps()).toEqual([
    ["defaults", true],
    ["grid", true],
    ["firstIncident", true],
  ]);
  // Marking done touched only the guide's own key.
  expect((await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).settings).toMatchObject({
    ...SETTINGS,
    onboarding: { completed: ["grid"] },
  });

  expect(await homeAction({ intent: "dismissOnboarding" })).toMatchObject({ ok: true });
  expect((await load()).onboarding).toBeNull();
  // Another shop's guide is its own.
  await createShopRow(OTHER_SHOP);
  expect((await load(OTHER_SHOP)).onboarding?.steps.every((s) => !s.done)).toBe(true);
});
