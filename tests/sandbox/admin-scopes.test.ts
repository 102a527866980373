/**
 * Access scopes, enforced from the schema's notes as Shopify does: a field the shop's grant does
 * not cover comes back null with an ACCESS_DENIED error, and a refused mutation changes nothing.
 */
import { expect, test } from "vitest";
import { createAdminApi } from "../../sandbox/admin";
import { adminRequest, FIXTURE_SHOP } from "../../sandbox/admin/test-fixtures";
import { GIFT_CARD_CREATE_MUTATION } from "../../app/shopify/operations/gift-card-create";
import { ORDER_FOR_RECOVERY_QUERY } from "../../app/shopify/operations/order-for-recovery";
import { api, fx, adminFixtureEachTest } from "../helpers/admin-fixture";

adminFixtureEachTest();

const giftCardInput = (customerId: string | null) => ({
  input: {
    initialAmount: { amount: "25.00", currencyCode: "USD" },
    customerId,
    expiresOn: null,
    note: "offer-1",
    code: "AMENDSGIFT0001",
  },
});
type GiftCardData = { giftCardCreate: { giftCard: { id: string } | null } | null };

test("giftCardCreate for a customer is refused without write_customers, and makes no card", async () => {
  api.grants.set(FIXTURE_SHOP, ["read_customers", "write_gift_cards"]);
  const res = await adminRequest<GiftCardData>(
    GIFT_CARD_CREATE_MUTATION,
    giftCardInput(`gid://shopify/Customer/${fx.customers.ada.id}`),
  );
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual({ giftCardCreate: null });
  expect(res.body.errors).toEqual([
    {
      message: "Access denied for customerId field. Required access: `write_customers` access scope.",
      locations: [expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) })],
      path: ["giftCardCreate"],
      extensions: {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/api/usage/access-scopes",
        requiredAccess: "`write_customers` access scope.",
      },
    },
  ]);
  expect(fx.shop.giftCards.size).toBe(0);
});

test("the same grant may create a card for no one: the note is about the customer link only", async () => {
  api.grants.set(FIXTURE_SHOP, ["read_customers", "write_gift_cards"]);
  const res = await adminRequest<GiftCardData>(GIFT_CARD_CREATE_MUTATION, giftCardInput(null));
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.giftCardCreate?.giftCard?.id).toMatch(/^gid:\/\/shopify\/GiftCard\/\d+$/);
});

test("with the app's configured scopes (write_customers included) the gift card for a customer is made", async () => {
  const res = await adminRequest<GiftCardData>(
    GIFT_CARD_CREATE_MUTATION,
    giftCardInput(`gid://shopify/Customer/${fx.customers.ada.id}`),
  );
  expect(res.body.errors).toBeUndefined();
  expect(fx.shop.giftCards.size).toBe(1);
});

test("a merchant revoking write_gift_cards stops giftCardCreate at the mutation itself", async () => {
  api.grants.revoke(FIXTURE_SHOP, ["write_gift_cards"]);
  const res = await adminRequest<GiftCardData>(GIFT_CARD_CREATE_MUTATION, giftCardInput(null));
  expect(res.body.data).toEqual({ giftCardCreate: null });
  expect(res.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
    ["Access denied for giftCardCreate field. Required access: `write_gift_cards` access scope.", "ACCESS_DENIED"],
  ]);
  expect(fx.shop.giftCards.size).toBe(0);
});

test("a type's own note applies where it is returned: order(id:) needs read_orders", async () => {
  api.grants.set(FIXTURE_SHOP, ["read_customers", "read_products"]);
  const res = await adminRequest<{ order: unknown }>(ORDER_FOR_RECOVERY_QUERY, {
    id: `gid://shopify/Order/${fx.orders.unfulfilled.id}`,
  });
  expect(res.body.data).toEqual({ order: null });
  expect(res.body.errors?.[0]).toMatchObject({
    message:
      "Access denied for order field. Required access: `read_orders` access scope, `read_marketplace_orders` access scope or `read_quick_sale` access scope.",
    path: ["order"],
    extensions: { code: "ACCESS_DENIED" },
  });
});

test("a nested field the grant does not cover is null with its own error; the rest answers", async () => {
  api.grants.revoke(FIXTURE_SHOP, ["read_customers", "write_customers"]);
  const res = await adminRequest<{ order: { name: string; customer: unknown } | null }>(
    `query AmendsProbe($id: ID!) { order(id: $id) { name customer { id } } }`,
    { id: `gid://shopify/Order/${fx.orders.unfulfilled.id}` },
  );
  expect(res.body.data?.order).toEqual({ name: fx.orders.unfulfilled.name, customer: null });
  expect(res.body.errors?.map((e) => [e.message, e.path])).toEqual([
    ["Access denied for customer field. Required access: `read_customers` access scope.", ["order", "customer"]],
  ]);
});

test("a write scope brings its read scope", async () => {
  api.grants.set(FIXTURE_SHOP, ["write_orders"]);
  const res = await adminRequest<{ order: { name: string } | null }>(
    `query AmendsProbe($id: ID!) { order(id: $id) { name } }`,
    { id: `gid://shopify/Order/${fx.orders.unfulfilled.id}` },
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.order?.name).toBe(fx.orders.unfulfilled.name);
});

test("createAdminApi without the granted scopes is refused rather than lenient", () => {
  expect(() => createAdminApi(fx.store)).toThrow(/needs options.scopes/);
});
