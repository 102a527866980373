/**
 * Issue 16, part 1 (decision 0113): the acknowledgement at detection, through the real pipeline.
 * The sandbox store's activity sends its webhooks through the real route, the deliveries are
 * processed and every job they lead to runs on the sandbox clock (tests/helpers/job-runner.ts).
 * The sandbox's flowTriggerReceive checks each payload against the extension's declared fields; a
 * local SMTP server takes the shop's mail.
 */
import { randomUUID } from "node:crypto";
import type { SMTPServer } from "smtp-server";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, gridSchema, SEVERITIES, TIERS } from "../../app/recovery";
import { dashboard } from "../../app/services/dashboard.server";
import { notifyIncidentDetected } from "../../app/services/flow-incident.server";
import { emailSettingsInputSchema, emailSettingsToStore } from "../../app/services/notifications/email.server";
import { DAY, gid } from "../../sandbox";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { enableFlowTriggers } from "../helpers/flow";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { startSmtpServer } from "../helpers/smtp";

const SHOP = "amends-acknowledge.myshopify.com";
const OTHER = "amends-acknowledge-other.myshopify.com";
// A Monday, well before the real clock (see tests/helpers/job-runner.ts).
const NOW = new Date("2025-03-03T15:00:00Z");
const MINUTE = 60_000;
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";
const SMTP_USER = "care@shop.example";
const SMTP_PASSWORD = "ack-smtp-password";
// Half the incidents held out, so the standing assignments below decide who is in which group.
const DECISION = { holdoutShare: 0.5, cooldownDays: 0, yearlyCapPerCustomerMinor: null };

type SmtpOptions = NonNullable<ConstructorParameters<typeof SMTPServer>[0]>;

const sandbox = sandboxForTests();
let runner: JobRunner;
let ada: Customer;
let bea: Customer;
let mug: ProductVariant;

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  runner = jobRunner(sandbox);
  for (const shop of [SHOP, OTHER]) {
    sandbox.store.addShop({ domain: shop, currency: "USD", ianaTimezone: "UTC" });
    await prisma.shop.create({ data: { shop, timezone: "UTC", currency: "USD", settings: { decision: DECISION } } });
    await installOfflineSession(shop, { scope: SCOPES });
  }
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  bea = sandbox.activity.createCustomer(SHOP, { firstName: "Bea", lastName: "Baker", email: "bea@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
  // Every make-good waits for a staff member: the acknowledgement must not wait for it.
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

async function setSettings(settings: Record<string, unknown>, shop = SHOP): Promise<void> {
  await prisma.shop.update({ where: { shop }, data: { settings: { decision: DECISION, ...settings } as object } });
}

/** The mail server settings as the settings page stores them (password sealed). */
function email(port: number) {
  const input = emailSettingsInputSchema.parse({
    enabled: true,
    host: "127.0.0.1",
    port,
    user: SMTP_USER,
    password: SMTP_PASSWORD,
    from: SMTP_USER,
  });
  const stored = emailSettingsToStore(SHOP, input, null);
  if (!stored.ok) throw new Error(stored.message);
  return stored.settings;
}

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** A tiny reading of nodemailer's plain-text message: the subject header and the (quoted-printable) body. */
function readMail(raw: string, to: string[]): Mail {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const unfolded = head.replace(/\r\n[ \t]+/g, " ");
  const subject = /^Subject: (.*)$/m.exec(unfolded)?.[1] ?? "";
  const body = rest.join("\r\n\r\n");
  const text = /Content-Transfer-Encoding: quoted-printable/i.test(head)
    ? Buffer.from(
        body
          .replace(/=\r\n/g, "")
          .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      ).toString("utf8")
    : body;
  return { to, subject, text: text.replace(/\r\n/g, "\n").trim() };
}

/** A local mail server taking the shop's mail after AUTH; `refuseFirst` turns the first recipient away. */
async function withSmtp(run: (received: Mail[]) => Promise<void>, refuseFirst = 0): Promise<void> {
  const received: Mail[] = [];
  let refused = 0;
  const onAuth: SmtpOptions["onAuth"] = (auth, _session, callback) => {
    if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
    else callback(new Error("invalid credentials"));
  };
  const onRcptTo: SmtpOptions["onRcptTo"] = (_address, _session, callback) => {
    if (refused < refuseFirst) {
      refused += 1;
      callback(new Error("mailbox busy"));
    } else callback();
  };
  const onData: SmtpOptions["onData"] = (stream, session, callback) => {
    let data = "";
    stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
    stream.on("end", () => {
      received.push(
        readMail(
          data,
          session.envelope.rcptTo.map((r) => r.address),
        ),
      );
      callback();
    });
  };
  const smtp = await startSmtpServer({ authOptional: false, onAuth, onRcptTo, onData });
  try {
    await setSettings({ offers: { email: email(smtp.port) } });
    await run(received);
  } finally {
    await smtp.close();
  }
}

/** An earlier incident of the customer that went through the draw: their group stays in force (decision 0111). */
async function standingAssignment(customer: Customer, holdout: boolean): Promise<void> {
  await prisma.incident.create({
    data: {
      shop: SHOP,
      orderGid: `gid://shopify/Order/9${customer.id}`,
      orderName: `#9${customer.id}`,
      customerGid: gid("Customer", customer.id),
      type: "REFUND",
      severity: "minor",
      measure: { kind: "REFUND_SHARE", refundedMinor: 500, orderTotalMinor: 4_000 },
      evidence: { orderTotalMinor: 4_000, orderSubtotalMinor: 4_000 },
      occurredAt: new Date(NOW.getTime() - 2 * DAY),
      detectedAt: new Date(NOW.getTime() - 2 * DAY),
      decision: holdout ? "HOLDOUT" : "OFFER",
      holdout,
      state: "CLOSED",
    },
  });
}

/** A store cancellation (reason inventory) of the customer's order, or of a guest's, through the pipeline. */
async function cancelledOrder(customer: Customer | "guest") {
  const order = await sandbox.activity.placeOrder(SHOP, {
    ...(customer === "guest" ? { guest: true as const } : { customerId: customer.id }),
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await runner.settle();
  await sandbox.activity.cancel(SHOP, order.id, { reason: "inventory" });
  return order;
}

const ackCalls = () =>
  sandbox.admin.calls
    .filter((c) => c.rootFields.includes("flowTriggerReceive") && c.variables?.handle === "recovery-incident-detected")
    .map((c) => c.variables!.payload as Record<string, unknown>);

const incidentOf = (orderId: number | string) =>
  prisma.incident.findFirstOrThrow({
    where: { shop: SHOP, orderGid: gid("Order", String(orderId)), type: "MERCHANT_CANCELLATION" },
    include: { offers: true, events: true },
  });

/** The text with the customer's name and order name taken out: what must be the same for everyone. */
const neutral = (text: string, name: string, orderName: string) =>
  text.replaceAll(name, "NAME").replaceAll(orderName, "ORDER");

test("a held-out customer and a treated one get the same acknowledgement on Flow and SMTP, at detection, before any approval", async () => {
  await enableFlowTriggers(SHOP, ["recovery-incident-detected"]);
  await standingAssignment(ada, false);
  await standingAssignment(bea, true);
  await withSmtp(async (received) => {
    const adaOrder = await cancelledOrder(ada);
    const beaOrder = await cancelledOrder(bea);
    await runner.settle();

    const treated = await incidentOf(adaOrder.id);
    const heldOut = await incidentOf(beaOrder.id);
    expect(treated).toMatchObject({ decision: "OFFER", holdout: false });
    expect(heldOut).toMatchObject({ decision: "HOLDOUT", holdout: true });
    // The make-good still waits for a staff member; the acknowledgement did not wait for it.
    expect(treated.offers.map((o) => o.status)).toEqual(["PENDING_APPROVAL"]);

    const calls = ackCalls();
    expect(calls.map((p) => p.customer_id).sort()).toEqual([Number(ada.id), Number(bea.id)].sort());
    const forAda = calls.find((p) => p.customer_id === Number(ada.id))!;
    const forBea = calls.find((p) => p.customer_id === Number(bea.id))!;
    expect(forAda.Acknowledgement).toContain("Hi Ada,");
    expect(forAda.Acknowledgement).toContain(treated.orderName);
    expect(forBea.Acknowledgement).toContain("Hi Bea,");
    expect(neutral(String(forAda.Acknowledgement), "Ada", treated.orderName)).toBe(
      neutral(String(forBea.Acknowledgement), "Bea", heldOut.orderName),
    );
    expect(neutral(String(forAda["Acknowledgement subject"]), "Ada", treated.orderName)).toBe(
      neutral(String(forBea["Acknowledgement subject"]), "Bea", heldOut.orderName),
    );
    // Nothing in it gives away the make-good (or its absence).
    const offer = treated.offers[0]!;
    for (const p of [forAda, forBea]) {
      expect(String(p.Acknowledgement)).not.toMatch(/code|credit|gift|discount|offer|% off/i);
      if (offer.code) expect(JSON.stringify(p)).not.toContain(offer.code);
    }

    expect(received.map((m) => m.to).sort()).toEqual([["ada@example.com"], ["bea@example.com"]]);
    const mailToAda = received.find((m) => m.to[0] === "ada@example.com")!;
    const mailToBea = received.find((m) => m.to[0] === "bea@example.com")!;
    // The mail says what the Flow trigger carries, word for word.
    expect(mailToAda.text).toBe(forAda.Acknowledgement);
    expect(mailToAda.subject).toBe(forAda["Acknowledgement subject"]);
    expect(mailToBea.text).toBe(forBea.Acknowledgement);
    expect(neutral(mailToAda.text, "Ada", treated.orderName)).toBe(neutral(mailToBea.text, "Bea", heldOut.orderName));

    // Same timing: both first contacts are the same time after their detection, inside the target.
    const contactAfter = (incident: typeof treated) =>
      Math.min(
        ...incident.events
          .filter((e) => e.kind === "INCIDENT_NOTIFIED" || e.kind === "INCIDENT_ACK_EMAILED")
          .map((e) => e.at.getTime()),
      ) - incident.detectedAt.getTime();
    expect(contactAfter(treated)).toBe(contactAfter(heldOut));
    expect(contactAfter(treated)).toBeLessThanOrEqual(15 * MINUTE);
    for (const incident of [treated, heldOut]) {
      expect(incident.events.filter((e) => e.kind === "INCIDENT_NOTIFIED")).toHaveLength(1);
      expect(incident.events.filter((e) => e.kind === "INCIDENT_ACK_EMAILED")).toHaveLength(1);
    }
    // The address is not kept.
    expect(JSON.stringify(treated.events)).not.toContain("ada@example.com");
  });
});

test("a retry sends only what did not go out: Flow once, the mail once", async () => {
  await enableFlowTriggers(SHOP, ["recovery-incident-detected"]);
  await withSmtp(async (received) => {
    const order = await cancelledOrder(ada);
    // The mail server turns the first attempt away: the job fails and would be retried.
    await expect(runner.settle()).rejects.toMatchObject({ code: "EMAIL_FAILED" });
    const incident = await incidentOf(order.id);
    expect(ackCalls()).toHaveLength(1);
    expect(received).toHaveLength(0);

    // The retry (what the notify-incident task runs).
    expect(await notifyIncidentDetected(SHOP, incident.id)).toEqual({
      flow: "ALREADY_SENT",
      email: "SENT",
      named: true,
    });
    expect(await notifyIncidentDetected(SHOP, incident.id)).toEqual({
      flow: "ALREADY_SENT",
      email: "ALREADY_SENT",
      named: true,
    });
    expect(ackCalls()).toHaveLength(1);
    expect(received).toHaveLength(1);
    const events = await prisma.incidentEvent.findMany({ where: { shop: SHOP, incidentId: incident.id } });
    expect(events.filter((e) => e.kind === "INCIDENT_NOTIFIED")).toHaveLength(1);
    expect(events.filter((e) => e.kind === "INCIDENT_ACK_EMAILED")).toHaveLength(1);
  }, 1);
});

test("with only the mail server on (no Flow workflow) the acknowledgement still goes out by SMTP", async () => {
  await withSmtp(async (received) => {
    const order = await cancelledOrder(ada);
    await runner.settle();
    expect(ackCalls()).toHaveLength(0);
    expect(received.map((m) => m.to)).toEqual([["ada@example.com"]]);
    const incident = await incidentOf(order.id);
    expect(incident.events.map((e) => e.kind)).toContain("INCIDENT_ACK_EMAILED");
  });
});

test("an incident without a customer gets no acknowledgement on any channel; a customer's in the same run does", async () => {
  await enableFlowTriggers(SHOP, ["recovery-incident-detected"]);
  await withSmtp(async (received) => {
    const guestOrder = await cancelledOrder("guest");
    const adaOrder = await cancelledOrder(ada);
    await runner.settle();
    const guest = await incidentOf(guestOrder.id);
    expect(guest.customerGid).toBeNull();
    expect(guest.events.filter((e) => e.kind.startsWith("INCIDENT_"))).toEqual([]);
    // Only Ada's incident was acknowledged, on both channels.
    expect(ackCalls().map((p) => p.customer_id)).toEqual([Number(ada.id)]);
    expect(received.map((m) => m.to)).toEqual([["ada@example.com"]]);
    expect((await incidentOf(adaOrder.id)).events.map((e) => e.kind)).toContain("INCIDENT_ACK_EMAILED");
  });
});

/** One incident detected `ago` before now, with first-contact markers `contacts` minutes after detection. */
async function seeded(
  shop: string,
  detectedAt: Date,
  contacts: Array<[kind: string, minutes: number]>,
  customer = true,
): Promise<void> {
  const id = randomUUID();
  await prisma.incident.create({
    data: {
      id,
      shop,
      orderGid: `gid://shopify/Order/${id.slice(0, 8)}`,
      orderName: `#${id.slice(0, 4)}`,
      customerGid: customer ? gid("Customer", ada.id) : null,
      type: "LATE_FULFILLMENT",
      severity: "minor",
      measure: { kind: "BUSINESS_DAYS_LATE", days: 1 },
      evidence: { orderTotalMinor: 4_000, orderSubtotalMinor: 4_000 },
      occurredAt: detectedAt,
      detectedAt,
      events: {
        create: contacts.map(([kind, minutes]) => ({
          shop,
          kind,
          at: new Date(detectedAt.getTime() + minutes * MINUTE),
          data: {},
        })),
      },
    },
  });
}

test("the dashboard's time to first contact equals the figures worked out by hand", async () => {
  const now = sandbox.clock.now();
  const earlier = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);
  // Acknowledged after 2, 5, 10 and 30 minutes; one by Flow at 20 and mail at 8 (first contact: 8).
  await seeded(SHOP, earlier(600), [["INCIDENT_NOTIFIED", 2]]);
  await seeded(SHOP, earlier(500), [["INCIDENT_ACK_EMAILED", 5]]);
  await seeded(SHOP, earlier(400), [["INCIDENT_NOTIFIED", 10]]);
  await seeded(SHOP, earlier(300), [["INCIDENT_NOTIFIED", 30]]);
  await seeded(SHOP, earlier(200), [
    ["INCIDENT_NOTIFIED", 20],
    ["INCIDENT_ACK_EMAILED", 8],
  ]);
  // Never acknowledged, target long past: missed. Detected 5 minutes ago, no contact yet: pending.
  await seeded(SHOP, earlier(120), [["DECIDED", 1]]);
  await seeded(SHOP, earlier(5), []);
  // Not counted: a guest order's incident, another shop's, and one before the range.
  await seeded(SHOP, earlier(100), [], false);
  await seeded(OTHER, earlier(100), [["INCIDENT_NOTIFIED", 1]]);
  await seeded(SHOP, new Date(now.getTime() - 10 * DAY), [["INCIDENT_NOTIFIED", 90]]);

  const range = { from: "2025-03-02", to: "2025-03-03" };
  // Minutes, sorted: 2, 5, 8, 10, 30. Median 8; 90th percentile at rank 0.9 * 4 = 3.6: 10 + 0.6 * 20 = 22.
  // Within 15 minutes: 4 of the 5 acknowledged plus the 1 missed = 4 / 6.
  expect((await dashboard(SHOP, range)).firstContact).toEqual({
    targetMinutes: 15,
    incidents: 7,
    acknowledged: 5,
    withinTarget: 4,
    missed: 1,
    pending: 1,
    medianMinutes: 8,
    p90Minutes: 22,
    shareWithinTarget: 4 / 6,
  });

  // The shop's own target: within 9 minutes, 3 of 6.
  await setSettings({ offers: { acknowledgeWithinMinutes: 9 } });
  expect((await dashboard(SHOP, range)).firstContact).toMatchObject({
    targetMinutes: 9,
    withinTarget: 3,
    shareWithinTarget: 0.5,
  });
});
