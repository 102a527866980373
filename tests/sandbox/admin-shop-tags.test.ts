/** Shop.orderTags and Shop.customerTags (the settings' tag pickers, decision 0126), as strict as Shopify. */
import { expect, test } from "vitest";
import { adminRequest, FIXTURE_SHOP } from "../../sandbox/admin/test-fixtures";
import { SHOP_TAGS_QUERY, shopTags } from "../../app/shopify/operations/shop-tags";
import { api, fx, adminFixtureEachTest } from "../helpers/admin-fixture";

adminFixtureEachTest();

type TagsData = { shop: { orderTags: { nodes: string[] }; customerTags: { nodes: string[] } } | null };

test("every distinct tag in use on the shop's orders and on its customers, sorted, a letter-case twin once", async () => {
  const [first, second] = [...fx.shop.orders.values()];
  if (!first || !second) throw new Error("the fixture has two orders");
  first.tags = ["wholesale", "amends-exclude"];
  second.tags = ["Wholesale", "gift"];
  fx.customers.bob.tags = ["staff"];
  const res = await adminRequest<TagsData>(SHOP_TAGS_QUERY);
  expect(res.body.errors).toBeUndefined();
  expect(shopTags.data.parse(res.body.data)).toEqual({
    shop: {
      orderTags: { nodes: ["amends-exclude", "gift", "wholesale"] },
      customerTags: { nodes: ["staff", "vip"] },
    },
  });
  // The figure the operations README gives.
  expect(res.body.extensions?.cost?.requestedQueryCost).toBe(505);
});

test("first is required and at most 250, as on any connection", async () => {
  const missing = await adminRequest(`query AmendsProbe { shop { orderTags { nodes } } }`);
  expect(missing.body.errors?.[0]?.extensions?.code).toBe("missingRequiredArguments");
  const tooMany = await adminRequest(`query AmendsProbe { shop { customerTags(first: 251) { nodes } } }`);
  expect(tooMany.body.errors?.[0]?.message).toBe("The page size must be between 0 and 250");
});

test("customer tags need read_customers: without it the read is refused with Shopify's error", async () => {
  api.grants.revoke(FIXTURE_SHOP, ["read_customers", "write_customers"]);
  const res = await adminRequest<TagsData>(SHOP_TAGS_QUERY);
  expect(res.body.errors?.[0]).toMatchObject({
    message: "Access denied for customerTags field. Required access: `read_customers` access scope.",
    extensions: { code: "ACCESS_DENIED" },
  });
});
