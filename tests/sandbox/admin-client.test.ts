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
