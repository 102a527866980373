/**
 * Access and refresh tokens are sealed at rest (decision 0019) through the app's real session
 * storage: token exchange and refresh store them sealed, rows written in plain text before still
 * work and are sealed when loaded, and a sealed token moved to another row does not open.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loader as appLoader } from "../../app/routes/app";
import { openSecret } from "../../app/secrets.server";
import { backgroundAdmin } from "../../app/shopify/admin.server";
import { ReauthRequiredError } from "../../app/shopify/offline-token.server";
import { isSealedToken, tokenContext } from "../../app/shopify/sealed-session-storage.server";
import { shopInfo } from "../../app/shopify/operations/shop-info";
import { HOUR } from "../../sandbox";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { sessionToken } from "../helpers/session-token";
import { TEST_SHOP } from "../helpers/webhooks";

const SHOP = TEST_SHOP;
const OTHER = "amends-sealed-other.myshopify.com";
const NOW = new Date("2026-11-02T15:00:00Z");
const sandbox = sandboxForTests();

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  for (const shop of [SHOP, OTHER]) {
    sandbox.store.addShop({ domain: shop, currency: "USD", plan: "Basic", ianaTimezone: "UTC" });
    await prisma.shop.create({ data: { shop, timezone: "UTC", currency: "USD" } });
  }
});

const row = (id: string) => prisma.session.findUniqueOrThrow({ where: { id } });
const opened = (id: string, field: "accessToken" | "refreshToken", stored: string | null) =>
  openSecret(stored ?? "", tokenContext(id, field));

/** Every text column of every Session row, as the database holds it. */
async function sessionTable(): Promise<string> {
  const rows = await prisma.$queryRaw<Array<{ row: string }>>`SELECT row_to_json(s)::text AS row FROM "Session" s`;
  return rows.map((r) => r.row).join("\n");
}

test("token exchange stores the offline and online tokens sealed: no token is in the Session table in clear, and they still work", async () => {
  const host = Buffer.from(`${SHOP}/admin`).toString("base64url");
  const request = new Request(
    `https://amends.test/app?embedded=1&shop=${SHOP}&host=${host}&id_token=${sessionToken({ userId: "1002" })}`,
    { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36" } },
  );
  await appLoader({ request, params: {}, context: {} });

  const offline = await row(`offline_${SHOP}`);
  expect(isSealedToken(offline.accessToken)).toBe(true);
  expect(isSealedToken(offline.refreshToken ?? "")).toBe(true);
  const accessToken = opened(offline.id, "accessToken", offline.accessToken);
  const refreshToken = opened(offline.id, "refreshToken", offline.refreshToken);
  expect(sandbox.tokens.check(SHOP, accessToken)).toBe("ok");
  expect(refreshToken).toMatch(/^shprt_/);

  const table = await sessionTable();
  expect(table).not.toContain(accessToken);
  expect(table).not.toContain(refreshToken);
  expect(table).not.toMatch(/shp(at|ua|rt|ca)_/);
  await expect((await backgroundAdmin(SHOP)).run(shopInfo)).resolves.toMatchObject({ shop: { currencyCode: "USD" } });
});

test("a refreshed token pair is stored sealed too", async () => {
  const installed = await installOfflineSession(SHOP);
  const admin = await backgroundAdmin(SHOP);
  sandbox.clock.advance(2 * HOUR);
  await admin.run(shopInfo);
  const offline = await row(`offline_${SHOP}`);
  const accessToken = opened(offline.id, "accessToken", offline.accessToken);
  expect(accessToken).not.toBe(installed.accessToken);
  expect(sandbox.tokens.check(SHOP, accessToken)).toBe("ok");
  expect(await sessionTable()).not.toMatch(/shp(at|ua|rt|ca)_/);
});

test("a row written in plain text before sealing still works, and is sealed in place when it is loaded", async () => {
  const installed = await installOfflineSession(SHOP);
  expect((await row(`offline_${SHOP}`)).accessToken).toBe(installed.accessToken);

  await expect((await backgroundAdmin(SHOP)).run(shopInfo)).resolves.toMatchObject({ shop: { currencyCode: "USD" } });
  const offline = await row(`offline_${SHOP}`);
  expect(isSealedToken(offline.accessToken)).toBe(true);
  expect(opened(offline.id, "accessToken", offline.accessToken)).toBe(installed.accessToken);
  expect(opened(offline.id, "refreshToken", offline.refreshToken)).toBe(installed.refreshToken);
  expect(await sessionTable()).not.toContain(installed.accessToken);
});

test("a sealed token copied into another shop's row does not open there: that shop has no usable session", async () => {
  await installOfflineSession(SHOP);
  await (await backgroundAdmin(SHOP)).run(shopInfo); // loads the row, which seals it
  const sealed = await row(`offline_${SHOP}`);
  await installOfflineSession(OTHER);
  await prisma.session.update({
    where: { id: `offline_${OTHER}` },
    data: { accessToken: sealed.accessToken, refreshToken: sealed.refreshToken },
  });
  await expect((await backgroundAdmin(OTHER)).run(shopInfo)).rejects.toThrow(ReauthRequiredError);
  // The shop the token belongs to is unaffected.
  await expect((await backgroundAdmin(SHOP)).run(shopInfo)).resolves.toMatchObject({ shop: { currencyCode: "USD" } });
});
