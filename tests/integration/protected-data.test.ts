/**
 * Protected customer data by design (docs/decisions/0015): raw webhook bodies are dropped once
 * processed, so no personal field of a payload (name, email, phone, address) survives anywhere in
 * the database; FAILED bodies are kept for a bounded time and erased on customers/redact; the reads
 * ask no protected field they do not need; a refused protected field does not fail the call.
 */
import { parse, visit } from "graphql";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { failedBodyRetentionMs, purgeOldBodies } from "../../app/models/webhook-delivery.server";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { backgroundAdmin } from "../../app/shopify/admin.server";
import { AdminApiError } from "../../app/shopify/admin-errors";
import { defineOperation } from "../../app/shopify/operation";
import { customerContact } from "../../app/shopify/operations/customer-contact";
import { customerValue } from "../../app/shopify/operations/customer-value";
import { ORDER_FOR_RECOVERY_QUERY } from "../../app/shopify/operations/order-for-recovery";
import { gid, LEVEL_1_ACCESS } from "../../sandbox";
import { AMENDS_SUBSCRIPTIONS, COMPLIANCE_TOPICS } from "../../sandbox/webhooks/topics";
import { columnsHolding } from "../helpers/db";
import { clearStoreAndDatabase, installOfflineSession, sandboxForTests } from "../helpers/sandbox";
import { examplePayload, sendWebhook, TEST_SHOP } from "../helpers/webhooks";
import { z } from "zod";

const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
});

/** The order, refund and fulfillment topics Amends subscribes to: the ones that carry customer data. */
const TOPICS = AMENDS_SUBSCRIPTIONS.filter(
  (topic) => !topic.startsWith("app/") && !(COMPLIANCE_TOPICS as readonly string[]).includes(topic),
);

const ADDRESS_CONTAINERS = new Set(["shipping_address", "billing_address", "default_address", "destination"]);
const ADDRESS_FIELDS = ["first_name", "last_name", "name", "address1", "address2", "zip", "phone"];
const PERSON_FIELDS = ["first_name", "last_name", "email", "phone"];
const ANYWHERE = ["email", "contact_email", "phone"];

/** Every name, email, phone and street address string in a REST payload (Shopify's docs examples are full of them). */
function personalValues(value: unknown, fields: string[] = ANYWHERE, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) personalValues(v, fields, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (fields.includes(key) && typeof v === "string" && v.trim().length >= 4) found.add(v);
      const next = ADDRESS_CONTAINERS.has(key) ? ADDRESS_FIELDS : key === "customer" ? PERSON_FIELDS : ANYWHERE;
      personalValues(v, next, found);
    }
  }
  return found;
}

async function deliver(topic: string, body: object | string) {
  const webhookId = `${topic}-${Math.random()}`;
  const response = await sendWebhook({ topic, body, webhookId });
  expect(response.status).toBe(200);
  return prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
}

test("after processing, no name, email, phone or address of any payload survives anywhere in the database", async () => {
  const payloads = TOPICS.map((topic) => ({ topic, body: examplePayload(topic) }));
  const personal = [...new Set(payloads.flatMap((p) => [...personalValues(p.body)]))];
  // Shopify's examples carry plenty: names, emails, phones and street addresses.
  expect(personal.length).toBeGreaterThan(8);

  const rows = [];
  for (const p of payloads) rows.push(await deliver(p.topic, p.body));
  // Stored, not yet processed: the scan sees them (in the inbox's raw bodies), so it can see them at all.
  expect(await columnsHolding(personal)).toEqual(["public.WebhookDelivery.rawBody"]);

  for (const row of rows) expect((await processDelivery(row.id)).kind).toBe("PROCESSED");

  expect(await columnsHolding(personal)).toEqual([]);
  // The typed facts stay.
  expect(await prisma.orderRecord.count()).toBe(1);
  expect(await prisma.refundRecord.count()).toBe(1);
  const deliveries = await prisma.webhookDelivery.findMany();
  expect(deliveries.map((d) => [d.status, d.rawBody])).toEqual(TOPICS.map(() => ["PROCESSED", null]));
});

test("a delivery with no handler is stored without its body", async () => {
  const row = await deliver("customers/update", examplePayload("customers/update"));
  expect(row).toMatchObject({ status: "IGNORED", rawBody: null });
});

test("a FAILED delivery keeps its body for diagnosis, and only until the retention ends", async () => {
  const row = await deliver("orders/create", { ...examplePayload("orders/create"), line_items: "not a list" });
  expect(await processDelivery(row.id)).toMatchObject({ kind: "FAILED" });
  const failed = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
  expect(failed.rawBody).toContain("not a list");

  const received = failed.receivedAt.getTime();
  // Configurable (WEBHOOK_BODY_RETENTION_DAYS): a shorter period drops it sooner.
  expect(await purgeOldBodies(new Date(received + failedBodyRetentionMs(2) - 60_000), 2)).toBe(0);
  expect(failedBodyRetentionMs()).toBe(7 * 24 * 60 * 60 * 1000);
  expect(await purgeOldBodies(new Date(received + failedBodyRetentionMs() - 60_000))).toBe(0);
  expect(await purgeOldBodies(new Date(received + failedBodyRetentionMs(2) + 60_000), 2)).toBe(1);
  expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).rawBody).toBeNull();
});

test("customers/redact erases the body of a FAILED delivery about the customer, which was never linked to them", async () => {
  const body = examplePayload("orders/create");
  const customer = body.customer as { id: number; admin_graphql_api_id: string };
  const row = await deliver("orders/create", { ...body, line_items: "not a list" });
  expect(await processDelivery(row.id)).toMatchObject({ kind: "FAILED" });
  const unrelated = await deliver("orders/create", {
    ...body,
    line_items: "not a list",
    customer: { ...customer, id: 42, admin_graphql_api_id: "gid://shopify/Customer/42" },
    admin_graphql_api_id: "gid://shopify/Order/43",
  });
  await processDelivery(unrelated.id);

  const redact = await deliver("customers/redact", {
    shop_domain: TEST_SHOP,
    customer: { id: String(customer.admin_graphql_api_id.split("/").pop()) },
    orders_to_redact: [],
  });
  expect(await processDelivery(redact.id)).toMatchObject({ kind: "PROCESSED" });
  expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).rawBody).toBeNull();
  expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: unrelated.id } })).rawBody).not.toBeNull();
});

/** Fields of the documents that are protected customer fields (the sandbox's list mirrors Shopify's). */
function protectedSelections(document: string): string[] {
  const found: string[] = [];
  const personal =
    /^(firstName|lastName|displayName|email|phone|defaultEmailAddress|defaultPhoneNumber|shippingAddress|billingAddress|defaultAddress|address1|address2|zip)$/;
  visit(parse(document), { Field: (node) => void (personal.test(node.name.value) && found.push(node.name.value)) });
  return found;
}

test("the order read and the tier read ask for no name, email, phone or address (Level 1)", () => {
  expect(protectedSelections(ORDER_FOR_RECOVERY_QUERY)).toEqual([]);
  expect(protectedSelections(customerValue.document)).toEqual([]);
  // Name and email are asked only to address a message, at send time.
  expect(protectedSelections(customerContact.document)).toEqual(["firstName", "defaultEmailAddress"]);
});

test("a refused protected field comes back null when the operation declares it; anywhere else it fails as before", async () => {
  sandbox.store.addShop({ domain: TEST_SHOP, protectedData: LEVEL_1_ACCESS });
  const ada = sandbox.activity.createCustomer(TEST_SHOP, { firstName: "Ada", lastName: "L", email: "ada@example.com" });
  await installOfflineSession(TEST_SHOP);
  const admin = await backgroundAdmin(TEST_SHOP);
  const id = gid("Customer", ada.id);

  await expect(admin.runWithDenials(customerContact, { id, withEmail: true })).resolves.toEqual({
    data: { customer: { id, locale: expect.any(String), firstName: null, defaultEmailAddress: null } },
    denied: ["customer.firstName", "customer.defaultEmailAddress.emailAddress"],
  });
  // Without SMTP the email is not even asked for.
  await expect(admin.runWithDenials(customerContact, { id, withEmail: false })).resolves.toEqual({
    data: { customer: { id, locale: expect.any(String), firstName: null } },
    denied: ["customer.firstName"],
  });
  // The tier read is Level 1: nothing refused.
  await expect(admin.runWithDenials(customerValue, { id })).resolves.toMatchObject({ denied: [] });

  const undeclared = defineOperation({
    document: `query AmendsUndeclaredName($id: ID!) { customer(id: $id) { id firstName } }`,
    variables: z.object({ id: z.string() }),
    data: z.object({ customer: z.object({ id: z.string(), firstName: z.string().nullable() }).nullable() }),
  });
  const error = await admin.run(undeclared, { id }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AdminApiError);
  expect(error).toMatchObject({ code: "GRAPHQL_ERRORS", graphqlErrors: [{ path: ["customer", "firstName"] }] });
});

test("customers/redact also erases the free text written about the customer's orders (refund notes)", async () => {
  const refund = await deliver("refunds/create", {
    ...examplePayload("refunds/create"),
    note: "Refund for Jane at home",
  });
  expect(await processDelivery(refund.id)).toMatchObject({ kind: "PROCESSED" });
  const { order_id: orderId } = examplePayload("refunds/create") as { order_id: number };
  expect(await prisma.refundRecord.findFirstOrThrow()).toMatchObject({ note: "Refund for Jane at home" });

  const redact = await deliver("customers/redact", {
    shop_domain: TEST_SHOP,
    customer: { id: "7" },
    orders_to_redact: [orderId],
  });
  expect(await processDelivery(redact.id)).toMatchObject({ kind: "PROCESSED" });
  expect(await prisma.refundRecord.findFirstOrThrow()).toMatchObject({ note: null });
  expect(await columnsHolding(["Refund for Jane"])).toEqual([]);
});
