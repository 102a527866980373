/**
 * The sandbox Admin API refuses what Shopify refuses, with Shopify's shapes:
 * HTTP-level refusals (token, shop, version), and documents that do not fit
 * the real 2026-10 schema, which must execute nothing.
 */
import { describe, expect, test } from "vitest";
import { SHOP_INFO_QUERY, shopInfoData } from "../../app/shopify/operations/shop-info";
import { createAdminApi, INVALID_TOKEN_BODY, NOT_MODELLED } from "../../sandbox/admin";
import { adminRequest, FIXTURE_SHOP, FIXTURE_TOKEN } from "../../sandbox/admin/test-fixtures";
import { mswServer } from "../helpers/msw";
import { appTomlScopes } from "../helpers/app-scopes";
import { api, fx, adminFixtureEachTest } from "../helpers/admin-fixture";

adminFixtureEachTest();

describe("HTTP", () => {
  test("no access token is 401 with Shopify's body", async () => {
    const res = await adminRequest("{ shop { name } }", undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID_TOKEN_BODY);
    expect(api.calls.map((c) => c.outcome)).toEqual(["unauthorized"]);
  });

  test("a configured token must match", async () => {
    // The escape hatch itself under test: a pinned token is the only one accepted for that shop.
    const pinned = createAdminApi(fx.store, { scopes: appTomlScopes(), accessTokens: { [FIXTURE_SHOP]: "right" } });
    mswServer.use(...pinned.handlers);
    expect((await adminRequest("{ shop { name } }", undefined, { token: "wrong" })).status).toBe(401);
    expect((await adminRequest("{ shop { name } }", undefined, { token: "right" })).status).toBe(200);
  });

  test("an unknown shop or another API version is 404", async () => {
    expect((await adminRequest("{ shop { name } }", undefined, { shop: "nobody.myshopify.com" })).status).toBe(404);
    expect((await adminRequest("{ shop { name } }", undefined, { version: "2025-01" })).status).toBe(404);
  });

  test("a body without a query is 400", async () => {
    const res = await fetch(`https://${FIXTURE_SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": FIXTURE_TOKEN },
      body: JSON.stringify({ variables: {} }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { query: "Required parameter missing or invalid" } });
  });

  test("the app's own shop query passes validation and parses with the app's zod schema", async () => {
    const res = await adminRequest(SHOP_INFO_QUERY);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(shopInfoData.parse(res.body.data)).toEqual({
      shop: {
        name: "Amends Test",
        ianaTimezone: "America/New_York",
        currencyCode: "USD",
        plan: { publicDisplayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
        customerAccountsV2: { customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS" },
      },
    });
    expect(res.body.extensions?.cost).toEqual({
      requestedQueryCost: 3,
      actualQueryCost: 3,
      // Standard plan: 100 points/s, a bucket of 20 s; the clock is frozen, so nothing has been restored yet.
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1997, restoreRate: 100 },
    });
  });
});

describe("documents that do not fit the schema", () => {
  test("a field the type does not have", async () => {
    const res = await adminRequest("query AmendsBad {\n  shop { timezone }\n}");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      errors: [
        {
          message: "Field 'timezone' doesn't exist on type 'Shop'",
          locations: [{ line: 2, column: 10 }],
          path: ["query AmendsBad", "shop", "timezone"],
          extensions: { code: "undefinedField", typeName: "Shop", fieldName: "timezone" },
        },
      ],
    });
    expect(api.calls[0]).toMatchObject({ operationName: undefined, outcome: "invalid", cost: null });
  });

  test("an argument the field does not take, and a missing required one", async () => {
    const res = await adminRequest(`{ customer(gid: "gid://shopify/Customer/1") { id } order { id } }`);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: "Field 'customer' doesn't accept argument 'gid'",
        extensions: { code: "argumentNotAccepted", name: "customer", typeName: "Field", argumentName: "gid" },
      }),
      expect.objectContaining({
        message: "Field 'customer' is missing required arguments: id",
        extensions: expect.objectContaining({ code: "missingRequiredArguments" }),
      }),
      expect.objectContaining({ message: "Field 'order' is missing required arguments: id" }),
    ]);
  });

  test("a literal of the wrong type, including Shopify's own scalars", async () => {
    const res = await adminRequest(`{ orders(first: "ten") { nodes { id } } }`);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: `Argument 'first' on Field 'orders' has an invalid value ("ten"). Expected type 'Int'.`,
        extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: "first" },
      }),
    ]);
    const dates = await adminRequest(
      `mutation { storeCreditAccountCredit(id: "gid://shopify/Customer/1", creditInput: {creditAmount: {amount: "5", currencyCode: USD}, expiresAt: "next week"}) { userErrors { code } } }`,
    );
    expect(dates.body.errors?.[0]).toMatchObject({
      extensions: { code: "argumentLiteralsIncompatible", argumentName: "creditInput" },
    });
  });

  test("a selection on a scalar, and an object without one", async () => {
    const res = await adminRequest(`{ shop { name { first } plan } }`);
    expect(res.body.errors?.map((e) => e.message)).toEqual([
      "Selections can't be made on scalars (field 'name' returns String! but has selections [first])",
      "Field must have selections (field 'plan' returns ShopPlan! but has no selections. Did you mean 'plan { ... }'?)",
    ]);
  });

  test("variables: declared type mismatch, bad value, missing required value", async () => {
    const mismatch = await adminRequest(`query Q($id: String!) { customer(id: $id) { id } }`, {
      id: "gid://shopify/Customer/1",
    });
    expect(mismatch.body.errors?.[0]).toMatchObject({
      message: "Type mismatch on variable $id and argument id (String! / ID!)",
      extensions: { code: "variableMismatch", variableName: "id", argumentName: "id" },
    });
    const badValue = await adminRequest(`query Q($first: Int!) { orders(first: $first) { nodes { id } } }`, {
      first: "many",
    });
    expect(badValue.body.errors?.[0]).toMatchObject({
      message: "Variable $first of type Int! was provided invalid value",
      extensions: { code: "INVALID_VARIABLE", value: "many" },
    });
    const missing = await adminRequest(`query Q($id: ID!) { customer(id: $id) { id } }`, {});
    expect(missing.body.errors?.[0]).toMatchObject({
      message: "Variable $id of type ID! was provided invalid value",
      extensions: {
        code: "INVALID_VARIABLE",
        value: null,
        problems: [{ path: [], explanation: "Expected value to not be null" }],
      },
    });
    const badDate = await adminRequest(
      `query Q($q: DateTime) { orders(first: 1, query: "x") { nodes { id } } shop { name } } `,
      { q: "soon" },
    );
    expect(badDate.body.errors?.[0]?.extensions?.code).toBe("variableNotUsed");
  });

  test("a custom scalar inside an input variable is checked", async () => {
    const res = await adminRequest(
      `mutation M($input: GiftCardCreateInput!) { giftCardCreate(input: $input) { giftCard { id } userErrors { code } } }`,
      {
        input: { initialAmount: { amount: "10", currencyCode: "USD" }, expiresOn: "31/12/2027" },
      },
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: "Variable $input of type GiftCardCreateInput! was provided invalid value for expiresOn",
        extensions: {
          code: "INVALID_VARIABLE",
          value: expect.anything(),
          problems: [{ path: ["expiresOn"], explanation: 'Could not coerce value "31/12/2027" to Date' }],
        },
      }),
    ]);
    expect(fx.shop.giftCards.size).toBe(0);
  });

  test("parse errors read like graphql-ruby's", async () => {
    expect((await adminRequest("{ shop { name } } }")).body).toEqual({
      errors: [{ message: 'Parse error on "}" (RCURLY) at [1, 19]', locations: [{ line: 1, column: 19 }] }],
    });
    expect((await adminRequest("{ shop { name }")).body.errors?.[0]?.message).toBe("Unexpected end of document");
  });

  test("a mutation with one wrong field executes nothing and takes no points", async () => {
    const res = await adminRequest(
      `mutation { giftCardCreate(input: {initialAmount: {amount: "25", currencyCode: USD}}) { giftCard { id balance { amount } code } userErrors { field } } }`,
    );
    expect(res.body.errors?.[0]?.message).toBe("Field 'code' doesn't exist on type 'GiftCard'");
    expect(res.body.data).toBeUndefined();
    expect(fx.shop.giftCards.size).toBe(0);
    expect(api.rateLimits.status(FIXTURE_SHOP).currentlyAvailable).toBe(2000);
  });
});

describe("gaps are loud", () => {
  test("a root field the sandbox does not model is an error, not a null", async () => {
    const res = await adminRequest(`{ collections(first: 1) { nodes { id } } shop { name } }`);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("does not model QueryRoot.collections"),
        path: ["collections"],
        extensions: { code: NOT_MODELLED },
      }),
    ]);
    expect(res.body.data).toBeNull();
  });

  test("so is a field of a modelled type, and an input the sandbox would have to ignore", async () => {
    const order = `gid://shopify/Order/${fx.orders.unfulfilled.id}`;
    const res = await adminRequest(`{ order(id: "${order}") { id riskLevel: paymentGatewayNames } }`);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining("Order.paymentGatewayNames"),
      extensions: { code: NOT_MODELLED },
    });
    const input = await adminRequest(
      `mutation { giftCardCreate(input: {initialAmount: {amount: "5", currencyCode: USD}, templateSuffix: "birthday"}) { userErrors { code } } }`,
    );
    expect(input.body.errors?.[0]?.message).toContain("GiftCardCreateInput.templateSuffix");
    expect(fx.shop.giftCards.size).toBe(0);
  });

  test("a malformed GID gets Shopify's coercion error", async () => {
    const res = await adminRequest(`{ customer(id: "42") { id } }`);
    expect(res.body.errors?.[0]).toMatchObject({
      message: "Invalid global id '42'",
      path: ["customer"],
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    });
  });
});
