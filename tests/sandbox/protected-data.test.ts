/**
 * Protected customer data per shop, as Shopify enforces an app's approval: unapproved fields come
 * back null with Shopify's error at their path (HTTP 200), unapproved objects are refused below
 * level 1, and webhook payloads are redacted the same way (no delivery at all at level "none").
 */
import { appTomlScopes } from "../helpers/app-scopes";
import { beforeEach, describe, expect, test } from "vitest";
import { ControlledClock } from "../../sandbox/clock";
import { createAdminApi } from "../../sandbox/admin";
import { adminRequest, buildFixture, type Fixture } from "../../sandbox/admin/test-fixtures";
import {
  AMENDS_DECLARED_ACCESS,
  FULL_ACCESS,
  LEVEL_1_ACCESS,
  NO_ACCESS,
  type ProtectedDataAccess,
} from "../../sandbox/protected-data";
import { orderPayload, WebhookSender } from "../../sandbox/webhooks";
import { mswServer } from "../helpers/msw";

let fx: Fixture;

beforeEach(() => {
  fx = buildFixture();
  mswServer.use(...createAdminApi(fx.store, { scopes: appTomlScopes() }).handlers);
});

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const NOT_APPROVED = /^This app is not approved to access the Customer object\./;

const CUSTOMER_QUERY = `query AmendsCustomerContact($id: ID!) {
  customer(id: $id) { id locale firstName defaultEmailAddress { emailAddress } defaultAddress { city zip } }
}`;

interface Answer {
  data: { customer: Record<string, unknown> | null } | null;
  errors?: Array<{ message: string; path: Array<string | number>; extensions: { code: string } }>;
}

async function readCustomer(access: ProtectedDataAccess | undefined): Promise<Answer> {
  if (access) fx.shop.protectedData = access;
  const res = await adminRequest(CUSTOMER_QUERY, { id: gid("Customer", fx.customers.ada.id) });
  expect(res.status).toBe(200);
  return res.body as unknown as Answer;
}

describe("Admin API reads", () => {
  test("by default (what Amends declares: name and email) the address is refused and the rest answered", async () => {
    const body = await readCustomer(undefined);
    expect(body.data?.customer).toMatchObject({
      firstName: "Ada",
      defaultEmailAddress: { emailAddress: "ada@example.com" },
      defaultAddress: { city: "Springfield", zip: null },
    });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(NOT_APPROVED),
        path: ["customer", "defaultAddress", "zip"],
        extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
      }),
    ]);
  });

  test("level 1: name and email are null, each with an error at its path; ids and locale still answer", async () => {
    const body = await readCustomer(LEVEL_1_ACCESS);
    expect(body.data?.customer).toMatchObject({
      id: gid("Customer", fx.customers.ada.id),
      locale: "en",
      firstName: null,
      // emailAddress is non-null in the schema: its null takes the whole CustomerEmailAddress with it.
      defaultEmailAddress: null,
    });
    expect(body.errors?.map((e) => e.path)).toEqual([
      ["customer", "firstName"],
      ["customer", "defaultEmailAddress", "emailAddress"],
      ["customer", "defaultAddress", "zip"],
    ]);
  });

  test("level 2 with every field approved answers everything", async () => {
    const body = await readCustomer(FULL_ACCESS);
    expect(body.errors).toBeUndefined();
    expect(body.data?.customer).toMatchObject({ firstName: "Ada", defaultAddress: { zip: expect.any(String) } });
  });

  test("no protected customer data at all: the customer and the order are refused", async () => {
    const body = await readCustomer(NO_ACCESS);
    expect(body.data).toEqual({ customer: null });
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ["customer"], message: expect.stringMatching(NOT_APPROVED) }),
    ]);
    const order = await adminRequest(`query AmendsOrder($id: ID!) { order(id: $id) { id } }`, {
      id: gid("Order", fx.orders.delayed.id),
    });
    expect(order.body).toMatchObject({ data: { order: null }, errors: [{ path: ["order"] }] });
  });
});

describe("webhook payloads", () => {
  async function deliver(access: ProtectedDataAccess) {
    const received: string[] = [];
    const clock = new ControlledClock();
    const sender = new WebhookSender({
      secret: "s",
      apiVersion: "2026-10",
      clock,
      protectedData: () => access,
      deliver: async (request) => {
        received.push(await request.text());
        return new Response(null, { status: 200 });
      },
    });
    const record = await sender.send(fx.shop.domain, "orders/create", orderPayload(fx.shop, fx.orders.delayed));
    return { record, received };
  }

  test("the declared access (name, email) nulls street address, zip and phone, and keeps names and emails", async () => {
    const { received } = await deliver(AMENDS_DECLARED_ACCESS);
    const body = JSON.parse(received[0]!) as {
      shipping_address: object;
      customer: { default_address: object };
      email: string | null;
    };
    expect(body.shipping_address).toMatchObject({
      first_name: "Ada",
      city: "Springfield",
      address1: null,
      zip: null,
      phone: null,
    });
    expect(body.customer).toMatchObject({ first_name: "Ada", email: "ada@example.com" });
    expect(body.customer.default_address).toMatchObject({ address1: null, zip: null });
    expect(body.email).toBe("ada@example.com");
  });

  test("level 1: no name, email, phone or address anywhere in the payload; ids and the order name stay", async () => {
    const full = JSON.stringify(orderPayload(fx.shop, fx.orders.delayed));
    const { received } = await deliver(LEVEL_1_ACCESS);
    const sent = received[0]!;
    const { ada } = fx.customers;
    for (const personal of [
      ada.firstName,
      ada.lastName,
      ada.email,
      ada.defaultAddress.address1,
      ada.defaultAddress.zip,
    ])
      expect(full.includes(`"${personal}"`) && !sent.includes(`"${personal}"`)).toBe(true);
    const body = JSON.parse(sent) as { line_items: Array<{ name: string }> };
    expect(body).toMatchObject({ name: fx.orders.delayed.name, customer: { id: Number(ada.id) } });
    // A line item's name is the product's, not a person's: it stays.
    expect(body.line_items[0]!.name).toEqual(expect.any(String));
  });

  test("no access: order topics are not delivered at all (the subscription is refused)", async () => {
    const { record, received } = await deliver(NO_ACCESS);
    expect(record.state).toBe("unsubscribed");
    expect(received).toEqual([]);
  });
});
