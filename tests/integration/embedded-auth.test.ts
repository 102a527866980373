import { http, HttpResponse } from "msw";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loader } from "../../app/routes/app";
import { truncateAll } from "../helpers/db";
import { mswServer } from "../helpers/msw";
import { sessionToken } from "../helpers/session-token";
import { TEST_SHOP } from "../helpers/webhooks";

beforeEach(truncateAll);

function adminRequest(token: string) {
  const host = Buffer.from(`${TEST_SHOP}/admin`).toString("base64url");
  const url = `https://amends.test/app?embedded=1&shop=${TEST_SHOP}&host=${host}&id_token=${token}`;
  return new Request(url, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36" } });
}

function shopifyAnswers() {
  const exchanges: string[] = [];
  mswServer.use(
    http.post(`https://${TEST_SHOP}/admin/oauth/access_token`, async ({ request }) => {
      const body = (await request.json()) as { requested_token_type: string; client_secret: string };
      expect(body.client_secret).toBe("test-api-secret");
      const online = body.requested_token_type.endsWith(":online-access-token");
      exchanges.push(online ? "online" : "offline");
      return HttpResponse.json(
        online
          ? {
              access_token: "online-token",
              scope: "read_orders,read_customers",
              expires_in: 86_400,
              associated_user_scope: "read_orders",
              associated_user: { id: 42, first_name: "Ada", last_name: "Staff", email: "ada@example.com", account_owner: false, locale: "en", collaborator: false, email_verified: true },
            }
          : { access_token: "offline-token", scope: "read_orders,read_customers" },
      );
    }),
    http.post(`https://${TEST_SHOP}/admin/api/2026-10/graphql.json`, async ({ request }) => {
      expect(request.headers.get("x-shopify-access-token")).toBeTruthy();
      return HttpResponse.json({
        data: { shop: { name: "Test Shop", ianaTimezone: "Europe/Berlin", currencyCode: "EUR", plan: { publicDisplayName: "Basic", partnerDevelopment: false, shopifyPlus: false } } },
      });
    }),
  );
  return exchanges;
}

test("a valid session token is exchanged for offline and online tokens, and the shop is recorded", async () => {
  const exchanges = shopifyAnswers();

  const result = await loader({ request: adminRequest(sessionToken()), params: {}, context: {} });

  expect(result).toEqual({ apiKey: "test-api-key", embedded: true, shop: TEST_SHOP });
  expect(exchanges).toEqual(["offline", "online"]);
  const sessions = await prisma.session.findMany({ orderBy: { isOnline: "asc" } });
  expect(sessions.map((s) => [s.isOnline, s.userId])).toEqual([[false, null], [true, 42n]]);
  expect(await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
    installState: "INSTALLED",
    timezone: "Europe/Berlin",
    currency: "EUR",
    plan: "Basic",
    scopes: "read_orders,read_customers",
  });
});

test("a session token signed with another secret is refused and nothing is stored", async () => {
  shopifyAnswers();

  const response = await Promise.resolve(loader({ request: adminRequest(sessionToken({ secret: "forged" })), params: {}, context: {} })).catch(
    (e: unknown) => e,
  );

  expect(response).toBeInstanceOf(Response);
  expect([401, 302]).toContain((response as Response).status);
  expect(await prisma.session.count()).toBe(0);
  expect(await prisma.shop.count()).toBe(0);
});
