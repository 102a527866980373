/**
 * Expiring offline tokens (docs/decisions/0013), through the real library against the sandbox,
 * whose tokens expire on its clock: token exchange asks for expiring tokens; background calls
 * refresh before expiry and once after a 401; a refused refresh marks the shop, stops its jobs at
 * once, shows on the dashboard, and a new authentication clears it.
 */
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { http, HttpResponse } from "msw";
import { beforeEach, expect, test, vi } from "vitest";
import { prisma } from "../../app/db.server";
import { isTerminal } from "../../app/queue/errors";
import { enqueue } from "../../app/queue/enqueue.server";
import { action as dashboardAction, loader as dashboardLoader } from "../../app/routes/app._index";
import { loader as appLoader } from "../../app/routes/app";
import { AdminApiError } from "../../app/shopify/admin-errors";
import { backgroundAdmin } from "../../app/shopify/admin.server";
import { ReauthRequiredError } from "../../app/shopify/offline-token.server";
import { tokenContext } from "../../app/shopify/sealed-session-storage.server";
import { openSecret } from "../../app/secrets.server";
import { shopInfo } from "../../app/shopify/operations/shop-info";
import { DAY, HOUR } from "../../sandbox";
import { INVALID_TOKEN_BODY } from "../../sandbox/admin/handlers";
import { adminRequest, call } from "../helpers/admin-request";
import { jobs } from "../helpers/db";
import { jobRunner } from "../helpers/job-runner";
import { mswServer } from "../helpers/msw";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { sessionToken } from "../helpers/session-token";
import { TEST_SHOP } from "../helpers/webhooks";

const SHOP = TEST_SHOP;
const NOW = new Date("2026-11-02T15:00:00Z");
const ENDPOINT = `https://${SHOP}/admin/api/2026-10/graphql.json`;

const sandbox = sandboxForTests();

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic", ianaTimezone: "UTC" });
});

async function shopRow() {
  await prisma.shop.create({ data: { shop: SHOP, timezone: "UTC", currency: "USD" } });
}

const offlineSession = () => prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
const outcomes = () => sandbox.admin.calls.map((c) => c.outcome);
const tokenRequests = () => sandbox.tokens.requests.map((r) => `${r.grant}:${r.requestedTokenType}:${r.outcome}`);

test("token exchange asks for an expiring offline token and stores its expiry and refresh token", async () => {
  const host = Buffer.from(`${SHOP}/admin`).toString("base64url");
  const token = sessionToken({ userId: "1002" });
  const request = new Request(`https://amends.test/app?embedded=1&shop=${SHOP}&host=${host}&id_token=${token}`, {
    headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36" },
  });
  await appLoader({ request, params: {}, context: {} });

  const offline = sandbox.tokens.requests.find((r) => r.requestedTokenType === "offline");
  expect(offline).toMatchObject({ grant: "token-exchange", expiring: "1", outcome: "issued" });
  const session = await offlineSession();
  // Sealed at rest (decision 0019); opened, it is Shopify's refresh token.
  expect(openSecret(session.refreshToken!, tokenContext(session.id, "refreshToken"))).toMatch(/^shprt_/);
  // Stored on the app clock (the sandbox's): one hour and 90 days from its now.
  expect(Math.abs(session.expires!.getTime() - (NOW.getTime() + HOUR))).toBeLessThan(1_000);
  expect(Math.abs(session.refreshTokenExpires!.getTime() - (NOW.getTime() + 90 * DAY))).toBeLessThan(1_000);
  // And background work can use it.
  await expect((await backgroundAdmin(SHOP)).run(shopInfo)).resolves.toMatchObject({ shop: { currencyCode: "USD" } });
});

test("a background call reads the offline session from the database once, not again inside the library", async () => {
  await shopRow();
  await installOfflineSession(SHOP);
  const admin = await backgroundAdmin(SHOP);
  const loads = vi.spyOn(PrismaSessionStorage.prototype, "loadSession");
  try {
    await admin.run(shopInfo);
    await admin.run(shopInfo);
    expect(loads.mock.calls).toEqual([[`offline_${SHOP}`], [`offline_${SHOP}`]]);
  } finally {
    loads.mockRestore();
  }
  expect(outcomes()).toEqual(["ok", "ok"]);
});

test("a job that runs past the token's expiry refreshes it before calling, and the calls succeed", async () => {
  await shopRow();
  const installed = await installOfflineSession(SHOP);
  const admin = await backgroundAdmin(SHOP);
  await admin.run(shopInfo);

  // Two hours on: the token the job started with has expired in the sandbox.
  sandbox.clock.advance(2 * HOUR);
  expect(sandbox.tokens.check(SHOP, installed.accessToken)).toBe("expired");
  await admin.run(shopInfo);

  expect(outcomes()).toEqual(["ok", "ok"]);
  expect(tokenRequests()).toEqual(["refresh_token:offline:issued"]);
  const session = await offlineSession();
  expect(session.accessToken).not.toBe(installed.accessToken);
  expect(session.refreshToken).not.toBe(installed.refreshToken);
  // The library dates the token from real time and storage shifts it onto the app clock a moment
  // later, so the stored expiry can be a few milliseconds early; within a second is exact enough.
  expect(Math.abs(session.expires!.getTime() - (NOW.getTime() + 3 * HOUR))).toBeLessThan(1_000);

  // Days on, again and again (the demo's clock): each refresh rotates the pair and keeps working.
  for (let day = 0; day < 5; day++) {
    sandbox.clock.advance(10 * DAY);
    await admin.run(shopInfo);
  }
  expect(outcomes().every((o) => o === "ok")).toBe(true);
  expect(tokenRequests()).toHaveLength(6);
});

test("a token within five minutes of expiry is refreshed before the call, not after a 401", async () => {
  await shopRow();
  await installOfflineSession(SHOP);
  const admin = await backgroundAdmin(SHOP);
  // 50 minutes on the sandbox clock (whatever real time says): still good, no refresh.
  sandbox.clock.advance(50 * 60_000);
  await admin.run(shopInfo);
  expect(tokenRequests()).toEqual([]);

  sandbox.clock.advance(6 * 60_000);
  await admin.run(shopInfo);

  expect(outcomes()).toEqual(["ok", "ok"]);
  expect(tokenRequests()).toEqual(["refresh_token:offline:issued"]);
});

test("a token revoked mid-job: the 401 is answered by one refresh and the call is repeated once", async () => {
  await shopRow();
  const installed = await installOfflineSession(SHOP);
  const admin = await backgroundAdmin(SHOP);
  await admin.run(shopInfo);

  sandbox.tokens.revokeAccessToken(installed.accessToken);
  await expect(admin.run(shopInfo)).resolves.toMatchObject({ shop: { currencyCode: "USD" } });

  expect(outcomes()).toEqual(["ok", "unauthorized", "ok"]);
  expect(tokenRequests()).toEqual(["refresh_token:offline:issued"]);
  expect(await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ reauthRequiredAt: null });
});

test("a second 401 after the refresh is not answered with another refresh: terminal, shop not marked", async () => {
  await shopRow();
  await installOfflineSession(SHOP);
  let requests = 0;
  mswServer.use(
    http.post(ENDPOINT, () => {
      requests += 1;
      return HttpResponse.json(INVALID_TOKEN_BODY, { status: 401 });
    }),
  );

  const error = await (await backgroundAdmin(SHOP)).run(shopInfo).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AdminApiError);
  expect(error).toMatchObject({ code: "HTTP", status: 401, retryable: false });
  expect(requests).toBe(2);
  expect(tokenRequests()).toEqual(["refresh_token:offline:issued"]);
  expect(await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ reauthRequiredAt: null });
});

test("a refused refresh marks the shop; its jobs then end at once without calling Shopify or retrying", async () => {
  await shopRow();
  await installOfflineSession(SHOP);
  // The merchant revoked Amends's access: the access token and its refresh token are dead.
  sandbox.tokens.revokeShop(SHOP);

  const error = await (await backgroundAdmin(SHOP)).run(shopInfo).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(ReauthRequiredError);
  expect(error).toMatchObject({ code: "REAUTH_REQUIRED", retryable: false });
  expect(isTerminal(error)).toBe(true);
  expect(outcomes()).toEqual(["unauthorized"]);
  expect(tokenRequests()).toEqual(["refresh_token:offline:refused"]);
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
  expect(row.reauthRequiredAt).toEqual(NOW);
  expect(row.reauthReason).toMatch(/^REFRESH_REFUSED: /);

  // Later jobs for the shop: completed at once (terminal), no request, no refresh, no retry.
  await prisma.$transaction(async (tx) => {
    await enqueue(tx, "reconcile-shop", { v: 1, shop: SHOP });
    for (const n of [1, 2, 3])
      await enqueue(tx, "detect-order", { v: 1, shop: SHOP, orderGid: `gid://shopify/Order/${n}`, reason: "test" });
  });
  const runner = jobRunner(sandbox);
  expect((await runner.runDue()).sort()).toEqual(["detect-order", "detect-order", "detect-order", "reconcile-shop"]);
  expect(await jobs()).toEqual([]);
  expect(outcomes()).toEqual(["unauthorized"]);
  expect(tokenRequests()).toHaveLength(1);
  await expect(backgroundAdmin(SHOP)).rejects.toBeInstanceOf(ReauthRequiredError);
});

test("a refresh token unused for 90 days: the shop is marked without a request", async () => {
  await shopRow();
  await installOfflineSession(SHOP);
  sandbox.clock.advance(91 * DAY);

  const error = await (await backgroundAdmin(SHOP)).run(shopInfo).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(ReauthRequiredError);
  expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).reauthReason).toMatch(
    /^REFRESH_TOKEN_EXPIRED: /,
  );
  expect(outcomes()).toEqual([]);
  expect(tokenRequests()).toEqual([]);
});

type DashboardData = Exclude<Awaited<ReturnType<typeof dashboardLoader>>, Response>;

async function loadDashboard(): Promise<DashboardData> {
  const result = await call<unknown>(() =>
    dashboardLoader({ request: adminRequest("/app", { shop: SHOP }), params: {}, context: {} }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result as DashboardData;
}

test("the dashboard shows the shop needs re-authentication; restoring access clears it and background work resumes", async () => {
  // Installed by opening the app (token exchange, an online session for the member).
  expect((await loadDashboard()).attention.reauth).toBeNull();
  // Later Shopify refuses to renew the offline token, while the member's online session is still valid.
  sandbox.tokens.revokeOfflineAccess(SHOP);
  sandbox.clock.advance(2 * HOUR);
  await expect((await backgroundAdmin(SHOP)).run(shopInfo)).rejects.toBeInstanceOf(ReauthRequiredError);

  const data = await loadDashboard();
  expect(data.attention.reauth).toEqual({
    since: new Date(NOW.getTime() + 2 * HOUR).toISOString(),
    reason: expect.stringMatching(/^REFRESH_REFUSED: /),
  });

  // "Restore access": a new token exchange, whose afterAuth clears the mark and queues a catch-up sweep.
  const result = await call(() =>
    dashboardAction({
      request: adminRequest("/app", { shop: SHOP, form: { intent: "restoreAccess" } }),
      params: {},
      context: {},
    }),
  );
  expect(result).toMatchObject({ ok: true });
  expect(await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({
    reauthRequiredAt: null,
    reauthReason: null,
  });
  expect((await jobs()).map((j) => j.task_identifier)).toEqual(["reconcile-shop"]);
  expect((await loadDashboard()).attention.reauth).toBeNull();
  await expect((await backgroundAdmin(SHOP)).run(shopInfo)).resolves.toMatchObject({ shop: { currencyCode: "USD" } });
});
