/**
 * customers/redact leaves nothing behind: a customer with a unique string in every personal field
 * goes through every flow (orders with tags and a discount code, a carrier message, a hold note, a
 * refund note, incidents, offers approved with a note and rejected with a reason, a manual report,
 * a FAILED, an IGNORED and a not yet processed delivery, a data request's export), the sandbox
 * sends customers/redact through the real webhook route, and then no text, json or array column of
 * any table (the app's and the job queue's) holds any of those strings. Metrics still run.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, gridSchema, SEVERITIES, TIERS } from "../../app/recovery";
import { approveOffer, rejectOffer } from "../../app/services/approvals.server";
import { issueOffer } from "../../app/services/issuing.server";
import { recoveryMetrics } from "../../app/services/metrics.server";
import { openManualIncident } from "../../app/services/detection.server";
import { exportedModels } from "../../app/services/privacy/inventory";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { DAY, gid } from "../../sandbox";
import { columnsHolding } from "../helpers/db";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { enableFlowTriggers } from "../helpers/flow";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { examplePayload, sendWebhook } from "../helpers/webhooks";

const SHOP = "amends-privacy.myshopify.com";
const NOW = new Date("2025-03-03T15:00:00Z");
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";

const sandbox = sandboxForTests();
let runner: JobRunner;

/** One unique string per personal field; none of them is anywhere after redaction. */
const HIDDEN = {
  firstName: "Zorblaxine",
  lastName: "Quintavius",
  email: "zorblaxine.quintavius@hidden.example",
  address: "742 Hiddenvale Crescent",
  customerTag: "HIDDEN-CUSTOMER-TAG-7731",
  orderTag: "HIDDEN-ORDER-TAG-4412",
  orderNote: "HIDDEN-ORDER-NOTE-1184",
  discountCode: "HIDDENCODE5531",
  carrierMessage: "Left with neighbour of Zorblaxine HIDDEN-CARRIER-9981",
  failureMessage: "Returned to sender: Zorblaxine unknown at HIDDEN-FAILURE-4470",
  holdNotes: "HIDDEN-HOLD-NOTE-2231: Zorblaxine asked to wait",
  refundNote: "HIDDEN-REFUND-NOTE-6612 for Zorblaxine",
  manualNote: "HIDDEN-MANUAL-NOTE-3307: Zorblaxine phoned, in tears",
  approvalNote: "HIDDEN-APPROVAL-NOTE-5520 (Zorblaxine is a regular)",
  rejectionReason: "HIDDEN-REJECTION-REASON-8843 Zorblaxine abused codes",
};

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  runner = jobRunner(sandbox);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  await prisma.shop.create({
    data: {
      shop: SHOP,
      timezone: "UTC",
      currency: "USD",
      settings: { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null } },
    },
  });
  await installOfflineSession(SHOP, { scope: SCOPES });
  await enableFlowTriggers(SHOP);
  // Every make-good waits for staff approval, so one can be approved with a note and one rejected.
  const cell = {
    kind: "DISCOUNT_PERCENT",
    value: 10,
    expiryDays: 30,
    approval: "STAFF",
    messageTemplateKey: "standard",
  };
  const row = Object.fromEntries(TIERS.map((t) => [t, cell]));
  await saveGrid(
    SHOP,
    gridSchema.parse({ ...DEFAULT_GRID, cells: Object.fromEntries(SEVERITIES.map((s) => [s, row])), overrides: {} }),
    "test",
  );
});

test("after customers/redact, none of the customer's unique strings is left in any column of any table", async () => {
  const customer = sandbox.activity.createCustomer(SHOP, {
    firstName: HIDDEN.firstName,
    lastName: HIDDEN.lastName,
    email: HIDDEN.email,
    tags: [HIDDEN.customerTag],
    address: { address1: HIDDEN.address },
  });
  const mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] })
    .variants[0]!;
  sandbox.activity.createDiscount(SHOP, { code: HIDDEN.discountCode, value: { percentage: 0.05 } });

  // Order A: tags, a note, a discount code; shipped, then a carrier delay with a message.
  const orderA = await sandbox.activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    discountCode: HIDDEN.discountCode,
    tags: [HIDDEN.orderTag],
    note: HIDDEN.orderNote,
  });
  await runner.settle();
  const parcel = await sandbox.activity.fulfill(SHOP, orderA.id, {
    trackingCompany: "UPS",
    trackingNumber: "1Z1",
    estimatedDeliveryAt: new Date(NOW.getTime() + 3 * DAY),
  });
  await runner.settle();
  await sandbox.activity.addFulfillmentEvent(SHOP, orderA.id, parcel.id, {
    status: "delayed",
    message: HIDDEN.carrierMessage,
    estimatedDeliveryAt: new Date(NOW.getTime() + 6 * DAY),
  });
  await runner.settle();

  // Order B: held with a note, then refunded with a note.
  const orderB = await sandbox.activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle();
  await sandbox.activity.placeOnHold(SHOP, orderB.id, { reason: "OTHER", notes: HIDDEN.holdNotes });
  await runner.settle();
  await sandbox.activity.refund(SHOP, orderB.id, { amount: "20.00", note: HIDDEN.refundNote });
  await runner.settle();

  // Order C: shipped, then the carrier could not deliver it, with a message.
  const orderC = await sandbox.activity.placeOrder(SHOP, {
    customerId: customer.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle();
  const parcelC = await sandbox.activity.fulfill(SHOP, orderC.id, { trackingCompany: "UPS", trackingNumber: "1Z3" });
  await runner.settle();
  await sandbox.activity.addFulfillmentEvent(SHOP, orderC.id, parcelC.id, {
    status: "failure",
    message: HIDDEN.failureMessage,
  });
  await runner.settle();

  // Staff report a complaint on order A by hand.
  await openManualIncident(SHOP, gid("Order", orderA.id), {
    category: "DAMAGED_ITEM",
    severity: "major",
    note: HIDDEN.manualNote,
    reportedBy: "1002",
  });
  await runner.settle();

  const incidents = await prisma.incident.findMany({ where: { shop: SHOP }, include: { offers: true } });
  expect(incidents.map((i) => i.type).sort()).toEqual(["DELIVERY_DELAY", "DELIVERY_FAILURE", "MANUAL", "REFUND"]);
  const pendingOf = (type: string) =>
    incidents.find((i) => i.type === type)!.offers.find((o) => o.status === "PENDING_APPROVAL")!;
  await approveOffer(
    SHOP,
    pendingOf("DELIVERY_DELAY").id,
    { userId: "1001", accountOwner: true },
    { note: HIDDEN.approvalNote },
  );
  await rejectOffer(SHOP, pendingOf("REFUND").id, { userId: "1001", accountOwner: true }, HIDDEN.rejectionReason);
  await runner.runDue();
  const issued = await prisma.offer.findFirstOrThrow({ where: { shop: SHOP, status: "ISSUED" } });
  expect(issued.code).toBeTruthy();

  // A delivery that FAILED (kept for diagnosis), one IGNORED (no handler), one not yet processed.
  const customerJson = {
    id: Number(customer.id),
    admin_graphql_api_id: gid("Customer", customer.id),
    email: HIDDEN.email,
  };
  const order = examplePayload("orders/updated");
  const failedId = `failed-${Math.random()}`;
  await sendWebhook({
    topic: "orders/updated",
    shop: SHOP,
    webhookId: failedId,
    body: { ...order, customer: customerJson, note: HIDDEN.orderNote, line_items: "not a list" },
  });
  const failed = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: failedId } });
  expect(await processDelivery(failed.id)).toMatchObject({ kind: "FAILED" });
  await sendWebhook({
    topic: "customers/update",
    shop: SHOP,
    body: { ...customerJson, first_name: HIDDEN.firstName, tags: HIDDEN.customerTag },
  });
  const waitingId = `waiting-${Math.random()}`;
  await sendWebhook({
    topic: "orders/updated",
    shop: SHOP,
    webhookId: waitingId,
    body: { ...order, customer: customerJson, note: HIDDEN.orderNote },
  });
  const waiting = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: waitingId } });
  // Its job has not run yet (a busy queue): the body waits in the inbox.
  await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE payload->>'deliveryId' = ${waiting.id}`;

  // A data request first: its export holds everything above until someone downloads it.
  await sandbox.activity.requestCustomerData(SHOP, customer.id);
  await runner.runDue();
  const request = await prisma.complianceRequest.findFirstOrThrow({ where: { kind: "CUSTOMER_DATA_REQUEST" } });
  expect(JSON.stringify(request.export)).toContain(HIDDEN.refundNote);
  // The export holds every model the inventory marks exported, every row of it (this shop has one
  // customer, so all its order, incident and offer rows are theirs), and the kept summary counts them.
  // A model marked exported that the export leaves out fails here.
  const document = request.export as Record<string, unknown[]>;
  const summary = request.result as Record<string, number>;
  const shopRows = (model: string) =>
    (prisma as unknown as Record<string, { count(a: object): Promise<number> }>)[
      model.charAt(0).toLowerCase() + model.slice(1)
    ]!.count({
      // A hold names no order (its record keeps none), so it is no one's.
      where: { shop: SHOP, ...(model === "FulfillmentHoldRecord" ? { orderGid: { not: null } } : {}) },
    });
  for (const { model, link } of exportedModels()) {
    expect(document[link.as], model).toEqual(expect.any(Array));
    expect(summary[link.as], model).toBe(document[link.as]!.length);
    if (model !== "WebhookDelivery") expect(document[link.as]!.length, model).toBe(await shopRows(model));
    else expect(document[link.as]!.length, model).toBeGreaterThan(0);
  }
  expect(Object.keys(summary).sort()).toEqual(
    exportedModels()
      .map((e) => e.link.as)
      .sort(),
  );

  // Two make-goods are approved but not issued yet when the redaction arrives: the failed
  // delivery's is being issued (Shopify has made its code, Amends has not recorded it yet), the
  // manual report's is still waiting for its issue job. Each holds its code as its issue key.
  const approved = [pendingOf("DELIVERY_FAILURE"), pendingOf("MANUAL")];
  for (const offer of approved) await approveOffer(SHOP, offer.id, { userId: "1001", accountOwner: true });
  const [inFlight, waitingToIssue] = await Promise.all(
    approved.map((o) => prisma.offer.findUniqueOrThrow({ where: { id: o.id } })),
  );
  expect([inFlight!.status, waitingToIssue!.status]).toEqual(["APPROVED", "APPROVED"]);

  const hidden = [...Object.values(HIDDEN), issued.code!, inFlight!.issueKey, waitingToIssue!.issueKey];
  // The scan sees them before redaction (so it can see them at all).
  const before = await columnsHolding(hidden);
  expect(before).toEqual(
    expect.arrayContaining([
      "public.ComplianceRequest.export",
      "public.Incident.evidence",
      "public.Offer.issueKey",
      "public.CustomerValue.tags",
      "public.FulfillmentEventRecord.message",
      "public.IncidentEvent.data",
      "public.Offer.code",
      "public.OfferTransition.note",
      "public.OrderRecord.discountCodes",
      "public.OrderRecord.tags",
      "public.RefundRecord.note",
      "public.WebhookDelivery.rawBody",
    ]),
  );

  const metricsBefore = await recoveryMetrics(SHOP, {
    from: new Date("2025-03-01T00:00:00Z"),
    to: new Date("2025-04-01T00:00:00Z"),
  });

  const redact = async () => {
    await sandbox.activity.redactCustomer(SHOP, customer.id);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({
      where: { shop: SHOP, topic: "customers/redact", processedAt: null },
    });
    expect(await processDelivery(delivery.id)).toMatchObject({ kind: "PROCESSED" });
  };
  // The redaction arrives between Shopify making the in-flight offer's code and Amends recording it.
  const outcome = await issueOffer(SHOP, inFlight!.id, { afterShopify: redact });
  expect(outcome).toMatchObject({ outcome: "ISSUED" });
  // The other one's issue job runs after the redaction.
  await runner.runDue();
  const [afterInFlight, afterWaiting] = await Promise.all(
    approved.map((o) => prisma.offer.findUniqueOrThrow({ where: { id: o.id } })),
  );
  expect(afterInFlight).toMatchObject({ status: "ISSUED", code: null, customerGid: null });
  expect(afterWaiting).toMatchObject({ status: "FAILED", code: null, customerGid: null });

  expect(await columnsHolding(hidden)).toEqual([]);
  expect(await prisma.complianceRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
    export: null,
  });
  // Counts, amounts and outcomes stay: the metrics read the same on the redacted rows.
  const metricsAfter = await recoveryMetrics(SHOP, {
    from: new Date("2025-03-01T00:00:00Z"),
    to: new Date("2025-04-01T00:00:00Z"),
  });
  expect(metricsAfter.incidentCount).toBe(metricsBefore.incidentCount);
  // The in-flight make-good was issued during the redaction: counted, without its code.
  expect(metricsAfter.issuedCount).toBe(metricsBefore.issuedCount + 1);
  expect(metricsAfter.consumption).toEqual({
    ...metricsBefore.consumption,
    issued: metricsBefore.consumption.issued + 1,
    open: metricsBefore.consumption.open + 1,
  });
  expect(metricsAfter.rootCauses.byType).toEqual(metricsBefore.rootCauses.byType);
  expect(await prisma.offer.count({ where: { shop: SHOP, customerGid: { not: null } } })).toBe(0);
  expect(await prisma.incident.count({ where: { shop: SHOP, customerGid: { not: null } } })).toBe(0);
});
