/**
 * The real client path: Shopify's own Admin GraphQL client (@shopify/shopify-api)
 * and the app's background Admin client (unauthenticated.admin) talk to the sandbox
 * unchanged: same URL, headers, body, and error handling.
 */
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, GraphqlQueryError, LogSeverity, Session, shopifyApi } from "@shopify/shopify-api";
import { beforeEach, expect, test } from "vitest";
import { shopInfo } from "../../app/shopify/operations/shop-info";
import { createAdminApi, type AdminApi } from "../../sandbox/admin";
import { buildFixture, FIXTURE_SHOP, FIXTURE_TOKEN, type Fixture } from "../../sandbox/admin/test-fixtures";
import { mswServer } from "../helpers/msw";
import { appTomlScopes } from "../helpers/app-scopes";

let fx: Fixture;
let api: AdminApi;

beforeEach(() => {
  fx = buildFixture();
  // Not about tokens (the request path is): one fixed never-expiring token instead of exchange and refresh.
  api = createAdminApi(fx.store, { scopes: appTomlScopes(), accessTokens: { [FIXTURE_SHOP]: FIXTURE_TOKEN } });
  mswServer.use(...api.handlers);
});

const shopify = shopifyApi({
  apiKey: "test-api-key",
  apiSecretKey: "test-api-secret",
  scopes: ["read_orders"],
  hostName: "amends.test",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => undefined },
});

function client(accessToken = FIXTURE_TOKEN) {
  const session = new Session({
    id: `offline_${FIXTURE_SHOP}`,
    shop: FIXTURE_SHOP,
    state: "state",
    isOnline: false,
    accessToken,
  });
  return new shopify.clients.Graphql({ session });
}

test("@shopify/shopify-api's client reads and writes through the sandbox", async () => {
  const shop = await client().request<{ shop: { name: string; currencyCode: string } }>(
    `query AmendsShop { shop { name currencyCode } }`,
  );
  expect(shop.data).toEqual({ shop: { name: "Amends Test", currencyCode: "USD" } });
  expect(shop.extensions?.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1 });

  const credit = await client().request(
    `mutation AmendsCredit($id: ID!, $input: StoreCreditAccountCreditInput!) { storeCreditAccountCredit(id: $id, creditInput: $input) { storeCreditAccountTransaction { amount { amount } } userErrors { code } } }`,
    {
      variables: {
        id: `gid://shopify/Customer/${fx.customers.ada.id}`,
        input: { creditAmount: { amount: "12.50", currencyCode: "USD" } },
      },
    },
  );
  expect(credit.data).toEqual({
    storeCreditAccountCredit: { storeCreditAccountTransaction: { amount: { amount: "12.5" } }, userErrors: [] },
  });
  expect(api.calls.map((c) => [c.operationName, c.outcome])).toEqual([
    ["AmendsShop", "ok"],
    ["AmendsCredit", "ok"],
  ]);
});

test("a schema error and THROTTLED surface as the library's GraphqlQueryError, with Shopify's body", async () => {
  const invalid = await client()
    .request(`query AmendsBad { shop { timezone } }`)
    .catch((e: unknown) => e);
  expect(invalid).toBeInstanceOf(GraphqlQueryError);
  expect((invalid as GraphqlQueryError).body?.errors).toMatchObject({
    graphQLErrors: [
      { message: "Field 'timezone' doesn't exist on type 'Shop'", extensions: { code: "undefinedField" } },
    ],
  });

  api.rateLimits.configure(FIXTURE_SHOP, { maximumAvailable: 10, restoreRate: 1, currentlyAvailable: 0 });
  const throttled = await client()
    .request(`query AmendsShop { shop { name } }`)
    .catch((e: unknown) => e);
  expect(throttled).toBeInstanceOf(GraphqlQueryError);
  expect((throttled as GraphqlQueryError).body?.errors).toMatchObject({
    graphQLErrors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
  });
});

test("a wrong token is the library's 401 error", async () => {
  const error = await client("shpat_wrong")
    .request(`{ shop { name } }`)
    .catch((e: unknown) => e);
  expect(String(error)).toMatch(/401|Unauthorized|Invalid API key/);
});

test("the app's own path: the background client on a stored offline session runs the app's operation", async () => {
  const { sessionStorage } = await import("../../app/shopify.server");
  const { backgroundAdmin } = await import("../../app/shopify/admin.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${FIXTURE_SHOP}`,
      shop: FIXTURE_SHOP,
      state: "",
      isOnline: false,
      accessToken: FIXTURE_TOKEN,
      scope: "read_orders,read_customers",
    }),
  );
  const info = await (await backgroundAdmin(FIXTURE_SHOP)).run(shopInfo);
  expect(info.shop).toEqual({
    name: "Amends Test",
    ianaTimezone: "America/New_York",
    currencyCode: "USD",
    plan: { publicDisplayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
    customerAccountsV2: { customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS" },
  });
  expect(api.calls.at(-1)).toMatchObject({ operationName: "AmendsShopInfo", outcome: "ok" });
});

test("the app's AdminClient refuses a result whose search terms Shopify ignored or cut (extensions.search), through the library's client", async () => {
  const { AdminClient } = await import("../../app/shopify/admin-client.server");
  const { defineOperation } = await import("../../app/shopify/operation");
  const { giftCardsForReconcile } = await import("../../app/shopify/operations/gift-cards-for-reconcile");
  const { z } = await import("zod");
  const library = client();
  const admin = new AdminClient({
    transport: {
      async graphql(query, options) {
        return new Response(JSON.stringify(await library.request(query, { variables: options?.variables })));
      },
    },
    sleep: async () => undefined,
  });
  const rawSearch = defineOperation({
    document: `query AmendsRawCardSearch($query: String!) { giftCards(first: 5, query: $query) { nodes { id } } }`,
    variables: z.object({ query: z.string() }),
    data: z.object({ giftCards: z.object({ nodes: z.array(z.object({ id: z.string() })) }) }),
  });
  const customer = fx.customers.ada.id;
  const { StoreActivity } = await import("../../sandbox/activity");
  const card = new StoreActivity(fx.store).createGiftCard(FIXTURE_SHOP, {
    code: "searchcard000001",
    initialValue: "10.00",
    customerId: customer,
  });
  card.createdAt = new Date("2026-11-01T00:00:00Z");

  // What the three operations used to send: the time is cut off, the filter widened.
  await expect(
    admin.run(rawSearch, { query: `customer_id:${customer} created_at:>=2026-11-02T10:00:00Z` }),
  ).rejects.toMatchObject({ code: "SEARCH_TERMS_IGNORED", retryable: false, operation: "AmendsRawCardSearch" });
  // A field the resource does not know is ignored too.
  await expect(admin.run(rawSearch, { query: `customer_id:${customer} colour:red` })).rejects.toMatchObject({
    code: "SEARCH_TERMS_IGNORED",
  });
  // Built by app/shopify/search-query.ts: accepted.
  await expect(
    admin.run(giftCardsForReconcile, { customerId: `gid://shopify/Customer/${customer}`, since: new Date(0) }),
  ).resolves.toMatchObject({ giftCards: { nodes: expect.any(Array) } });
});
