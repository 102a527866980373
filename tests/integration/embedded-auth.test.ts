import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loader } from "../../app/routes/app";
import { appTomlScopes } from "../helpers/app-scopes";
import { truncateAll } from "../helpers/db";
import { sandboxForTests } from "../helpers/sandbox";
import { sessionToken } from "../helpers/session-token";
import { TEST_SHOP } from "../helpers/webhooks";

const sandbox = sandboxForTests();
sandbox.store.addShop({
  domain: TEST_SHOP,
  name: "Test Shop",
  currency: "EUR",
  ianaTimezone: "Europe/Berlin",
  plan: "Basic",
});

beforeEach(async () => {
  await truncateAll();
  sandbox.admin.reset();
});

function adminRequest(token: string) {
  const host = Buffer.from(`${TEST_SHOP}/admin`).toString("base64url");
  const url = `https://amends.test/app?embedded=1&shop=${TEST_SHOP}&host=${host}&id_token=${token}`;
  return new Request(url, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36" } });
}

test("a valid session token is exchanged for offline and online tokens, and the shop is recorded", async () => {
  const result = await loader({ request: adminRequest(sessionToken({ userId: "1002" })), params: {}, context: {} });

  expect(result).toEqual({ apiKey: "test-api-key", embedded: true, shop: TEST_SHOP, waitingDataRequests: 0 });
  const sessions = await prisma.session.findMany({ orderBy: { isOnline: "asc" } });
  expect(sessions.map((s) => [s.isOnline, s.userId, s.firstName])).toEqual([
    [false, null, null],
    [true, 1002n, "Sam"],
  ]);
  expect(await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
    installState: "INSTALLED",
    timezone: "Europe/Berlin",
    currency: "EUR",
    plan: "Basic",
    // The grant the sandbox gives on install: shopify.app.toml's scopes.
    scopes: appTomlScopes(),
    // Read at install: store credit is offered only with new customer accounts.
    customerAccountsV2: true,
    customerAccountsCheckedAt: expect.any(Date),
  });
  expect(sandbox.admin.calls.map((c) => c.operationName)).toEqual(["AmendsShopInfo"]);
});

test("a session token signed with another secret is refused and nothing is stored", async () => {
  const response = await Promise.resolve(
    loader({ request: adminRequest(sessionToken({ secret: "forged" })), params: {}, context: {} }),
  ).catch((e: unknown) => e);

  expect(response).toBeInstanceOf(Response);
  expect([401, 302]).toContain((response as Response).status);
  expect(await prisma.session.count()).toBe(0);
  expect(await prisma.shop.count()).toBe(0);
  expect(sandbox.admin.calls).toHaveLength(0);
});
