/** After issue: the customer notification, follow-up, expiry and attribution of the next order. */
import { randomBytes } from "node:crypto";
import type { SMTPServer } from "smtp-server";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { decideIncident } from "../../app/services/decision.server";
import { issueOffer } from "../../app/services/issuing.server";
import { attributeNewOrder, enqueueAttribution } from "../../app/services/issuing/attribution.server";
import { expireOffer, followUp, notifyIssued } from "../../app/services/issuing/lifecycle.server";
import {
  emailSettingsInputSchema,
  emailSettingsToStore,
  type EmailSettings,
} from "../../app/services/notifications/email.server";
import { sealSecret, secretKeyFrom } from "../../app/secrets.server";
import { AMENDS_DECLARED_ACCESS, gid, LEVEL_1_ACCESS } from "../../sandbox";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { jobs } from "../helpers/db";
import { acceptDeliveries, resetSandbox, sandboxForTests, storeOrderRecord } from "../helpers/sandbox";
import { enableFlowTriggers, sendLifecycle } from "../helpers/flow";
import { startSmtpServer } from "../helpers/smtp";
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
  await enableFlowTriggers(SHOP);
});

async function issuedOffer() {
  const result = await decideIncident(SHOP, await createIncident(SHOP, { customerGid: gid("Customer", ada.id) }));
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error("no offer");
  await issueOffer(SHOP, result.offerId);
  return prisma.offer.findUniqueOrThrow({ where: { id: result.offerId } });
}

const flowCalls = (handle: string) =>
  sandbox.admin.calls.filter((c) => c.rootFields.includes("flowTriggerReceive") && c.variables?.handle === handle);

test("the issued offer's apology goes to Flow once, with the filled message and the code", async () => {
  const offer = await issuedOffer();
  expect(await notifyIssued(SHOP, offer.id)).toEqual({ flow: "SENT", email: "OFF", named: true });
  expect(await notifyIssued(SHOP, offer.id)).toEqual({ flow: "ALREADY_SENT", email: "OFF", named: true });
  const calls = flowCalls("recovery-offer-issued");
  expect(calls).toHaveLength(1);
  const payload = calls[0]!.variables!.payload as Record<string, unknown>;
  // Flow trigger keys are the extension's declared field keys (letters and spaces: app/shopify/flow/triggers.ts).
  expect(payload).toMatchObject({ customer_id: Number(ada.id), "Offer ID": offer.id, Code: offer.code });
  expect(String(payload.Message)).toContain(offer.code!);
  expect(String(payload.Message)).toContain("Ada");
});

test("follow-up: sent once when the customer has not bought again, skipped when they have", async () => {
  const offer = await issuedOffer();
  expect(await followUp(SHOP, offer.id)).toBe("SENT");
  expect(await followUp(SHOP, offer.id)).toBe("ALREADY_SENT");
  expect(flowCalls("recovery-follow-up-due")).toHaveLength(1);

  const second = await issuedOffer();
  await prisma.orderRecord.create({
    data: {
      shop: SHOP,
      orderGid: "gid://shopify/Order/77",
      name: "#77",
      customerGid: gid("Customer", ada.id),
      createdAt: new Date(OFFERS_NOW.getTime() + DAY),
      sourceUpdatedAt: OFFERS_NOW,
      currency: "USD",
      totalPrice: "30.00",
      lineItemCount: 1,
    },
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
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    discountCode: offer.code!,
  });
  const orderGid = await storeOrderRecord(SHOP, order, { totalPrice: "24.00" });
  await prisma.$transaction((tx) => enqueueAttribution(tx, SHOP, orderGid));
  expect((await jobs("attribute-order")).map((j) => j.payload)).toEqual([{ v: 1, shop: SHOP, orderGid }]);

  // At once, though Shopify's search index does not show the order yet: it is read by id.
  expect(await attributeNewOrder(SHOP, orderGid)).toEqual({ wonBack: 1, redeemed: 1 });
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
    status: "REDEEMED",
    redeemedOrderGid: orderGid,
    wonBackOrderGid: orderGid,
  });
  expect(await attributeNewOrder(SHOP, orderGid)).toEqual({ wonBack: 0, redeemed: 0 });
});

const SMTP_USER = "care@shop.example";
const SMTP_PASSWORD = "smtp-pässword-that-must-stay-sealed";
type SmtpOptions = NonNullable<ConstructorParameters<typeof SMTPServer>[0]>;

/** The shop's email settings as the settings form would store them: the password sealed. */
function storedEmail(port: number, password = SMTP_PASSWORD): EmailSettings {
  const input = emailSettingsInputSchema.parse({
    enabled: true,
    host: "127.0.0.1",
    port,
    user: SMTP_USER,
    password,
    from: "care@shop.example",
  });
  const result = emailSettingsToStore(SHOP, input, null);
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

async function saveEmailSettings(email: EmailSettings): Promise<void> {
  await prisma.shop.update({
    where: { shop: SHOP },
    data: {
      settings: { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null }, offers: { email } },
    },
  });
}

/**
 * A local SMTP server for one test that only takes mail after AUTH with the shop's user and
 * password, and the shop's settings pointing at it (`email` to store other settings).
 */
async function withSmtpServer(
  options: SmtpOptions,
  run: (port: number) => Promise<void>,
  email?: (port: number) => EmailSettings,
): Promise<void> {
  const onAuth: SmtpOptions["onAuth"] = (auth, _session, callback) => {
    if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
    else callback(new Error("invalid credentials"));
  };
  // Offers STARTTLS (test CA) and refuses a login before it.
  const smtp = await startSmtpServer({ authOptional: false, onAuth, ...options });
  try {
    await saveEmailSettings((email ?? storedEmail)(smtp.port));
    await run(smtp.port);
  } finally {
    await smtp.close();
  }
}

test("the shop's own wording (settings page) is what the customer gets", async () => {
  await prisma.shop.update({
    where: { shop: SHOP },
    data: {
      settings: {
        decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
        messages: {
          problems: { LATE_FULFILLMENT: "your parcel {{orderName}} left our warehouse late, entirely our fault." },
        },
      },
    },
  });
  const offer = await issuedOffer();
  await notifyIssued(SHOP, offer.id);
  const payload = flowCalls("recovery-offer-issued")[0]!.variables!.payload as Record<string, unknown>;
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: offer.incidentId } });
  expect(JSON.stringify(payload)).toContain(
    `your parcel ${incident.orderName} left our warehouse late, entirely our fault.`,
  );
});

test("without a Flow workflow on the trigger and without SMTP nothing is sent and nothing is read", async () => {
  const offer = await issuedOffer();
  await sendLifecycle({ shop: SHOP, trigger: "recovery-offer-issued", enabled: false });
  const before = sandbox.admin.calls.length;
  expect(await notifyIssued(SHOP, offer.id)).toEqual({ flow: "NOT_IN_USE", email: "OFF", named: false });
  expect(sandbox.admin.calls.length).toBe(before);
});

test("follow-up without a Flow workflow becomes a task for staff, once", async () => {
  const offer = await issuedOffer();
  await sendLifecycle({ shop: SHOP, trigger: "recovery-follow-up-due", enabled: false });
  expect(await followUp(SHOP, offer.id)).toBe("DUE_FOR_STAFF");
  expect(await followUp(SHOP, offer.id)).toBe("ALREADY_SENT");
  expect(flowCalls("recovery-follow-up-due")).toHaveLength(0);
  expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "FOLLOW_UP_DUE" } })).toBe(1);
});

test("with SMTP set up, the apology is also emailed once to the customer's address from Shopify", async () => {
  const received: Array<{ user: unknown; from: string; to: string[]; data: string }> = [];
  const onData: SmtpOptions["onData"] = (stream, session, callback) => {
    let data = "";
    stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
    stream.on("end", () => {
      received.push({
        user: session.user,
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        data,
      });
      callback();
    });
  };
  await withSmtpServer({ onData }, async () => {
    const offer = await issuedOffer();

    expect(await notifyIssued(SHOP, offer.id)).toEqual({ flow: "SENT", email: "SENT", named: true });
    expect(await notifyIssued(SHOP, offer.id)).toEqual({ flow: "ALREADY_SENT", email: "ALREADY_SENT", named: true });

    expect(received).toHaveLength(1);
    // Signed in with the password opened from the stored settings.
    expect(received[0]).toMatchObject({ user: SMTP_USER, from: "care@shop.example", to: ["ada@example.com"] });
    expect(received[0]!.data).toContain(offer.code!);
    expect(received[0]!.data).toContain("Ada");
    const events = await prisma.incidentEvent.findMany({ where: { shop: SHOP, kind: "OFFER_EMAILED" } });
    expect(events).toHaveLength(1);
    // The address itself is not kept.
    expect(JSON.stringify(events)).not.toContain("ada@example.com");
  });
});

test("a shop that has not approved names and emails: the make-good issues, the apology goes without a name, SMTP is off", async () => {
  // Shopify refuses the protected fields (null with an error) when the app is approved for level 1 only.
  sandbox.store.shop(SHOP).protectedData = LEVEL_1_ACCESS;
  const received: string[] = [];
  const onData: SmtpOptions["onData"] = (stream, _session, callback) => {
    stream.on("data", (chunk: Buffer) => received.push(chunk.toString("utf8")));
    stream.on("end", () => callback());
  };
  await withSmtpServer({ onData }, async () => {
    const offer = await issuedOffer();
    expect(offer).toMatchObject({ status: "ISSUED", code: expect.any(String) });

    expect(await notifyIssued(SHOP, offer.id)).toEqual({ flow: "SENT", email: "PROTECTED_DATA_DENIED", named: false });
    const payload = flowCalls("recovery-offer-issued")[0]!.variables!.payload as Record<string, unknown>;
    expect(String(payload.Message)).toContain(offer.code!);
    expect(String(payload.Message)).not.toContain("Ada");
    expect(String(payload.Message)).toMatch(/^Hi there/);
    expect(received).toEqual([]);
    const row = await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.protectedDataDeniedAt).toEqual(expect.any(Date));

    // Once Shopify approves the fields, the next read is clean and the note goes away.
    sandbox.store.shop(SHOP).protectedData = AMENDS_DECLARED_ACCESS;
    const next = await issuedOffer();
    expect(await notifyIssued(SHOP, next.id)).toEqual({ flow: "SENT", email: "SENT", named: true });
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).protectedDataDeniedAt).toBeNull();
  });
});

test("a mail server that refuses the message leaves the apology unsent and retryable", async () => {
  const onRcptTo: SmtpOptions["onRcptTo"] = (_address, _session, callback) => {
    callback(new Error("mailbox unavailable"));
  };
  await withSmtpServer({ onRcptTo }, async () => {
    const offer = await issuedOffer();

    await expect(notifyIssued(SHOP, offer.id)).rejects.toMatchObject({ code: "EMAIL_FAILED" });
    expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "OFFER_EMAILED" } })).toBe(0);
    // Flow went first and is not held back by the mail server; the job's retry sends only the mail.
    expect(flowCalls("recovery-offer-issued")).toHaveLength(1);
    await expect(notifyIssued(SHOP, offer.id)).rejects.toMatchObject({ code: "EMAIL_FAILED" });
    expect(flowCalls("recovery-offer-issued")).toHaveLength(1);
  });
});

test("a wrong stored password is refused by the mail server and leaves the apology retryable", async () => {
  await withSmtpServer(
    {},
    async () => {
      const offer = await issuedOffer();

      await expect(notifyIssued(SHOP, offer.id)).rejects.toMatchObject({ code: "EMAIL_FAILED" });
      expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "OFFER_EMAILED" } })).toBe(0);
    },
    (port) => storedEmail(port, "not-the-password"),
  );
});

test("the SMTP password is stored sealed: it appears nowhere in the shop's settings in the database", async () => {
  await saveEmailSettings(storedEmail(2525));
  const rows = await prisma.$queryRaw<
    Array<{ settings: string }>
  >`SELECT settings::text AS settings FROM "Shop" WHERE shop = ${SHOP}`;
  expect(rows).toHaveLength(1);
  const json = rows[0]!.settings;
  expect(json).toContain("passwordSealed");
  expect(json).not.toContain(SMTP_PASSWORD);
  expect(json).not.toContain(JSON.stringify(SMTP_PASSWORD).slice(1, -1));
  expect(json).not.toContain(Buffer.from(SMTP_PASSWORD).toString("base64"));
  expect(json).not.toMatch(/"password"/);
});

test.each([
  [
    "sealed for another shop",
    () => sealSecret(SMTP_PASSWORD, "other-shop.myshopify.com/offers.email.password"),
    /altered or belongs to another shop/,
  ],
  [
    "sealed with another key",
    () => sealSecret(SMTP_PASSWORD, `${SHOP}/offers.email.password`, secretKeyFrom(randomBytes(32))),
    /sealed with another key/,
  ],
  ["not a sealed value", () => SMTP_PASSWORD, /not in the v1 format/],
])(
  "a stored password %s fails the email with a clear error, sends nothing and leaks nothing",
  async (_name, sealed, reason) => {
    let connections = 0;
    const onConnect: SmtpOptions["onConnect"] = (_session, callback) => {
      connections++;
      callback();
    };
    await withSmtpServer(
      { onConnect },
      async () => {
        const offer = await issuedOffer();

        const error = await notifyIssued(SHOP, offer.id).then(
          () => null,
          (e: unknown) => e as Error & { code?: string },
        );
        expect(error).toMatchObject({ name: "EmailError", code: "EMAIL_FAILED" });
        expect(error!.message).toMatch(/the stored SMTP password cannot be read/);
        expect(error!.message).toMatch(reason);
        expect(error!.message).not.toContain(SMTP_PASSWORD);
        expect(connections).toBe(0);
        // Left retryable, like any other send failure: re-entering the password fixes it.
        expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "OFFER_EMAILED" } })).toBe(0);
      },
      (port) => ({ ...storedEmail(port), passwordSealed: sealed() }),
    );
  },
);
