/** After issue: the customer notification, follow-up, expiry and attribution of the next order. */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { decideIncident } from "../../app/services/decision.server";
import { issueOffer } from "../../app/services/issuing.server";
import { attributeNewOrder, enqueueAttribution, expireOffer, followUp, notifyIssued } from "../../app/services/issuing/lifecycle.server";
import { gid } from "../../sandbox";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { jobs } from "../helpers/db";
import { acceptDeliveries, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-offers-lifecycle.myshopify.com";
const DAY = 86_400_000;
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let ada: Customer;
let mug: ProductVariant;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "30.00", sku: "MUG" }] }).variants[0]!;
  await createShopRow(SHOP, { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null } });
});

async function issuedOffer() {
  const result = await decideIncident(SHOP, await createIncident(SHOP, { customerGid: gid("Customer", ada.id) }));
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error("no offer");
  await issueOffer(SHOP, result.offerId);
  return prisma.offer.findUniqueOrThrow({ where: { id: result.offerId } });
}

const flowCalls = (handle: string) => sandbox.admin.calls.filter((c) => c.rootFields.includes("flowTriggerReceive") && c.variables?.handle === handle);

test("the issued offer's apology goes to Flow once, with the filled message and the code", async () => {
  const offer = await issuedOffer();
  expect(await notifyIssued(SHOP, offer.id)).toBe(true);
  expect(await notifyIssued(SHOP, offer.id)).toBe(false);
  const calls = flowCalls("recovery-offer-issued");
  expect(calls).toHaveLength(1);
  const payload = calls[0]!.variables!.payload as Record<string, unknown>;
  expect(payload).toMatchObject({ customer_id: Number(ada.id), offer_id: offer.id, code: offer.code });
  expect(String(payload.message)).toContain(offer.code!);
  expect(String(payload.message)).toContain("Ada");
});

test("follow-up: sent once when the customer has not bought again, skipped when they have", async () => {
  const offer = await issuedOffer();
  expect(await followUp(SHOP, offer.id)).toBe("SENT");
  expect(await followUp(SHOP, offer.id)).toBe("ALREADY_SENT");
  expect(flowCalls("recovery-follow-up-due")).toHaveLength(1);

  const second = await issuedOffer();
  await prisma.orderRecord.create({
    data: { shop: SHOP, orderGid: "gid://shopify/Order/77", name: "#77", customerGid: gid("Customer", ada.id), createdAt: new Date(OFFERS_NOW.getTime() + DAY), sourceUpdatedAt: OFFERS_NOW, currency: "USD", totalPrice: "30.00", lineItemCount: 1 },
  });
  expect(await followUp(SHOP, second.id)).toBe("SKIPPED_BOUGHT_AGAIN");
  expect(flowCalls("recovery-follow-up-due")).toHaveLength(1);
});

test("an issued offer whose expiry passed unused becomes UNUSED", async () => {
  const offer = await issuedOffer();
  expect(await expireOffer(SHOP, offer.id)).toBe("NOT_YET");
  sandbox.clock.freeze(new Date(offer.expiresAt!.getTime() + 1_000));
  expect(await expireOffer(SHOP, offer.id)).toBe("UNUSED");
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({ status: "UNUSED" });
  expect(await expireOffer(SHOP, offer.id)).toBe("NOTHING_TO_DO");
});

test("the customer's next order using the code is attributed: won back and redeemed, once", async () => {
  const offer = await issuedOffer();
  sandbox.clock.freeze(new Date(OFFERS_NOW.getTime() + 2 * DAY));
  const order = await sandbox.activity.placeOrder(SHOP, { customerId: ada.id, lines: [{ variantId: mug.id, quantity: 1 }], discountCode: offer.code! });
  const orderGid = gid("Order", order.id);
  await prisma.orderRecord.create({
    data: { shop: SHOP, orderGid, name: order.name, customerGid: gid("Customer", ada.id), createdAt: order.createdAt, sourceUpdatedAt: order.createdAt, currency: "USD", totalPrice: "24.00", lineItemCount: 1 },
  });
  await prisma.$transaction((tx) => enqueueAttribution(tx, SHOP, orderGid));
  expect((await jobs("attribute-order")).map((j) => j.payload)).toEqual([{ v: 1, shop: SHOP, orderGid }]);

  expect(await attributeNewOrder(SHOP, orderGid)).toEqual({ wonBack: 1, redeemed: 1 });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({ status: "REDEEMED", redeemedOrderGid: orderGid, wonBackOrderGid: orderGid });
  expect(await attributeNewOrder(SHOP, orderGid)).toEqual({ wonBack: 0, redeemed: 0 });
});

/** A local SMTP server for one test, and the shop's settings pointing at it. */
async function withSmtpServer(options: ConstructorParameters<typeof SMTPServer>[0], run: () => Promise<void>): Promise<void> {
  const smtp = new SMTPServer({ authOptional: true, disabledCommands: ["STARTTLS"], logger: false, ...options });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  try {
    await prisma.shop.update({
      where: { shop: SHOP },
      data: { settings: { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null }, offers: { email: { enabled: true, host: "127.0.0.1", port, from: "care@shop.example" } } } },
    });
    await run();
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}

test("with SMTP set up, the apology is also emailed once to the customer's address from Shopify", async () => {
  const received: Array<{ from: string; to: string[]; data: string }> = [];
  const onData: NonNullable<ConstructorParameters<typeof SMTPServer>[0]>["onData"] = (stream, session, callback) => {
    let data = "";
    stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
    stream.on("end", () => {
      received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), data });
      callback();
    });
  };
  await withSmtpServer({ onData }, async () => {
    const offer = await issuedOffer();

    expect(await notifyIssued(SHOP, offer.id)).toBe(true);
    expect(await notifyIssued(SHOP, offer.id)).toBe(false);

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: "care@shop.example", to: ["ada@example.com"] });
    expect(received[0]!.data).toContain(offer.code!);
    expect(received[0]!.data).toContain("Ada");
    const events = await prisma.incidentEvent.findMany({ where: { shop: SHOP, kind: "OFFER_EMAILED" } });
    expect(events).toHaveLength(1);
    // The address itself is not kept.
    expect(JSON.stringify(events)).not.toContain("ada@example.com");
  });
});

test("a mail server that refuses the message leaves the apology unsent and retryable", async () => {
  const onRcptTo: NonNullable<ConstructorParameters<typeof SMTPServer>[0]>["onRcptTo"] = (_address, _session, callback) => {
    callback(new Error("mailbox unavailable"));
  };
  await withSmtpServer({ onRcptTo }, async () => {
    const offer = await issuedOffer();

    await expect(notifyIssued(SHOP, offer.id)).rejects.toMatchObject({ code: "EMAIL_FAILED" });
    expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "OFFER_EMAILED" } })).toBe(0);
  });
});
