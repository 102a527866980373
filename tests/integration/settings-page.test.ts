/** The settings page's loader and action through the real authenticate.admin (sandbox token exchange). */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { DEFAULT_MESSAGES, renderMessage } from "../../app/recovery";
import { action, loader } from "../../app/routes/app.settings/route";
import { loader as sectionLoader } from "../../app/routes/app.settings.$section/route";
import { shopContext } from "../../app/models/shop-settings.server";
import { catalogWithOverrides } from "../../app/recovery/messages/overrides";
import { protectedDataNote } from "../../app/settings-form";
import { actionAnswer, adminRequest, anonymousRequest, call } from "../helpers/admin-request";
import { clearStoreAndDatabase, installOfflineSession, sandboxForTests } from "../helpers/sandbox";
import { startSmtpServer } from "../helpers/smtp";
import { TEST_SHOP } from "../helpers/webhooks";
import { sendLifecycle } from "../helpers/flow";
import { FLOW_TRIGGERS, INCIDENT_DETECTED_TRIGGER, OFFER_ISSUED_TRIGGER } from "../../app/shopify/flow/triggers";

const OTHER_SHOP = "amends-other.myshopify.com";
const OWNER = "1001";
const SUPPORT = "1002";

const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", ianaTimezone: "America/New_York" });
  sandbox.store.addShop({ domain: OTHER_SHOP, currency: "EUR", ianaTimezone: "Europe/Paris" });
});

type Loaded = Awaited<ReturnType<typeof loader>>;

async function load(options: { shop?: string; userId?: string } = {}): Promise<Loaded> {
  const result = await call(() => loader({ request: adminRequest("/app/settings", options), params: {}, context: {} }));
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

async function post(
  form: Record<string, string>,
  options: { shop?: string; userId?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const result = await call(() =>
    action({ request: adminRequest("/app/settings", { ...options, form }), params: {}, context: {} }),
  );
  return actionAnswer(result);
}

const save = (sections: Record<string, unknown>, options: { shop?: string; userId?: string } = {}) =>
  post({ intent: "save", payload: JSON.stringify(sections) }, options);

async function storedSettings(shop = TEST_SHOP): Promise<Record<string, unknown>> {
  return (await prisma.shop.findUniqueOrThrow({ where: { shop } })).settings as Record<string, unknown>;
}

async function setStored(settings: Record<string, unknown>, shop = TEST_SHOP): Promise<void> {
  await prisma.shop.update({ where: { shop }, data: { settings: settings as object } });
}

test("without a session the page is not served", async () => {
  const loaded = await call(() => loader({ request: anonymousRequest("/app/settings"), params: {}, context: {} }));
  const acted = await call(() => action({ request: anonymousRequest("/app/settings"), params: {}, context: {} }));
  for (const result of [loaded, acted]) {
    expect(result).toBeInstanceOf(Response);
    expect([302, 401, 410]).toContain((result as Response).status);
  }
});

test("each Flow trigger shows whether a workflow uses it, the incident trigger included", async () => {
  // Flow's callbacks are accepted only for a shop that installed the app.
  await installOfflineSession(TEST_SHOP);
  for (const [trigger, enabled] of [
    [INCIDENT_DETECTED_TRIGGER, true],
    [OFFER_ISSUED_TRIGGER, true],
    [OFFER_ISSUED_TRIGGER, false],
  ] as const) {
    const answer = await sendLifecycle({
      shop: TEST_SHOP,
      trigger: FLOW_TRIGGERS[trigger].name,
      enabled,
      timestamp: new Date(Date.now() + (enabled ? 0 : 1000)).toISOString(),
    });
    expect(answer.status).toBe(204);
  }
  const page = await load();
  expect(page.flow.triggers).toEqual(
    Object.values(FLOW_TRIGGERS).map((t) => ({
      handle: t.handle,
      name: t.name,
      inUse: t.handle === INCIDENT_DETECTED_TRIGGER,
    })),
  );
});

test("a shop that changed nothing sees the defaults, its time zone, currency, budget use and staff", async () => {
  await load({ userId: SUPPORT });
  const page = await load({ userId: OWNER });
  expect(page.values).toEqual(page.defaults);
  expect(page.values.detection).toMatchObject({
    handlingDays: "2",
    weekendDays: [0, 6],
    excludedOrderTags: "amends-exclude",
  });
  expect(page.values.decision).toMatchObject({
    holdoutShare: "10",
    cooldownDays: "30",
    monthlyBudgetMinor: "1000.00",
    autoApproveCeilingMinor: "50.00",
  });
  expect(page.values.offers).toMatchObject({
    escalateAfterHours: "4",
    expireAfterHours: "48",
    followUpAfterHours: "48",
    notifyStoreCredit: true,
  });
  expect(page.shop).toEqual({ timeZone: "America/New_York", currency: "USD" });
  expect(page.budget).toMatchObject({ spentMinor: 0, budgetMinor: 100_000 });
  // Every trigger Amends declares, none used by a workflow yet.
  expect(page.flow.triggers.map((t) => t.handle)).toEqual(Object.keys(FLOW_TRIGGERS));
  expect(page.flow.triggers.every((t) => !t.inUse)).toBe(true);
  expect(page.viewer).toMatchObject({ userId: OWNER, level: "OWNER", canManage: true });
  expect(page.viewerEmail).toBe("owner@sandbox.example");
  expect(page.staff).toEqual([
    expect.objectContaining({ userId: OWNER, name: "Olivia Owner", accountOwner: true, level: "OWNER" }),
    expect.objectContaining({
      userId: SUPPORT,
      name: "Sam Support",
      accountOwner: false,
      level: "STAFF",
      storedLevel: null,
    }),
  ]);
  expect(page.values.messages.templates.standard).toEqual(DEFAULT_MESSAGES.en.templates.standard);
});

test("a stored document missing keys shows defaults for them and its own values for the rest", async () => {
  await load();
  await setStored({
    detection: { handlingDays: 4 },
    decision: { monthlyBudgetMinor: null },
    offers: { followUpAfterHours: 72 },
  });
  const page = await load();
  expect(page.values.detection).toMatchObject({
    handlingDays: "4",
    weekendDays: [0, 6],
    attemptedDeliveryThreshold: "2",
  });
  expect(page.values.decision).toMatchObject({ monthlyBudgetMinor: "", holdoutShare: "10" });
  expect(page.values.offers).toMatchObject({ followUpAfterHours: "72", escalateAfterHours: "4" });
  expect(page.values.severity).toEqual(page.defaults.severity);
  expect(page.budget.budgetMinor).toBeNull();
});

test("good input is saved in stored units; the other sections and unknown top-level keys stay as they were", async () => {
  const page = await load({ userId: OWNER });
  await setStored({ decision: { monthlyBudgetMinor: 55_000, cooldownDays: 14 }, onboarding: { dismissedBy: "1001" } });
  const detection = {
    ...page.values.detection,
    handlingDays: "3",
    weekendDays: [0],
    excludedOrderTags: "wholesale, vip-handled",
    bogus: "dropped",
  };
  const result = await save({ detection, notASection: { x: 1 } }, { userId: OWNER });
  expect(result).toEqual({ status: 200, body: { intent: "save", ok: true, saved: ["detection"] } });
  const stored = await storedSettings();
  expect(stored.detection).toMatchObject({
    handlingDays: 3,
    weekendDays: [0],
    excludedOrderTags: ["wholesale", "vip-handled"],
  });
  expect(stored.detection).not.toHaveProperty("bogus");
  expect(stored).not.toHaveProperty("notASection");
  expect(stored.decision).toMatchObject({ monthlyBudgetMinor: 55_000, cooldownDays: 14 });
  expect(stored.onboarding).toEqual({ dismissedBy: "1001" });

  // A second save of another section keeps the first one.
  const again = await load({ userId: OWNER });
  expect(
    (
      await save(
        { decision: { ...again.values.decision, holdoutShare: "12.5", autoApproveCeilingMinor: "75.50" } },
        { userId: OWNER },
      )
    ).status,
  ).toBe(200);
  const after = await storedSettings();
  expect(after.decision).toMatchObject({
    holdoutShare: 0.125,
    autoApproveCeilingMinor: 7_550,
    monthlyBudgetMinor: 55_000,
    cooldownDays: 14,
  });
  expect(after.detection).toMatchObject({ handlingDays: 3, weekendDays: [0] });
  expect((await load()).values.decision).toMatchObject({ holdoutShare: "12.5", autoApproveCeilingMinor: "75.50" });
});

test("where Shopify refused customer names and emails, the page says SMTP is off and why; none otherwise", async () => {
  const clean = await load({ userId: OWNER });
  expect(clean.protectedDataDeniedAt).toBeNull();
  expect(protectedDataNote(clean.protectedDataDeniedAt, clean.shop.timeZone)).toBeNull();

  await prisma.shop.update({
    where: { shop: TEST_SHOP },
    data: { protectedDataDeniedAt: new Date("2026-11-03T15:30:00Z") },
  });
  const page = await load({ userId: OWNER });
  expect(page.protectedDataDeniedAt).toBe("2026-11-03T15:30:00.000Z");
  const note = protectedDataNote(page.protectedDataDeniedAt, page.shop.timeZone);
  expect(note?.title).toMatch(/Email from your mail server is off/);
  // In the shop's own time zone (New York): 10:30 AM.
  expect(note?.body).toMatch(/Nov 3, 2026, 10:30/);
  expect(note?.body).toMatch(/without the customer's name/);
});

test("bad input answers field errors beside each field and writes nothing", async () => {
  const page = await load({ userId: OWNER });
  await setStored({ detection: { handlingDays: 5 } });
  const before = await storedSettings();
  const result = await save(
    {
      detection: { ...page.values.detection, handlingDays: "99", weekendDays: [0, 1, 2, 3, 4, 5, 6] },
      decision: {
        ...page.values.decision,
        holdoutShare: "60",
        monthlyBudgetMinor: "lots",
        autoApproveCeilingMinor: "10.001",
      },
      severity: { ...page.values.severity, lateFulfillment: { minor: "5", moderate: "3", major: "", critical: "" } },
    },
    { userId: OWNER },
  );
  expect(result.status).toBe(400);
  expect(result.body).toMatchObject({ intent: "save", ok: false });
  // Conversion errors come first; the range checks follow once every value is a number.
  expect(result.body.fieldErrors).toEqual({
    "decision.monthlyBudgetMinor": "Enter an amount in USD, like 25.00",
    "decision.autoApproveCeilingMinor": "Enter an amount in USD, like 25.00",
  });
  const ranges = await save(
    {
      detection: { ...page.values.detection, handlingDays: "99", weekendDays: [0, 1, 2, 3, 4, 5, 6] },
      decision: { ...page.values.decision, holdoutShare: "60" },
      severity: { ...page.values.severity, lateFulfillment: { minor: "5", moderate: "3", major: "", critical: "" } },
    },
    { userId: OWNER },
  );
  expect(ranges.status).toBe(400);
  expect(ranges.body.fieldErrors).toEqual({
    "detection.handlingDays": "Enter at most 60",
    "detection.weekendDays": "At least one day a week must be a business day",
    "decision.holdoutShare": "Enter at most 50%",
    "severity.lateFulfillment": "each level must start at more days than the level below it",
  });
  expect(await storedSettings()).toEqual(before);
});

test("a session of another shop neither sees nor changes this shop's settings", async () => {
  await load({ userId: OWNER });
  await setStored({ detection: { handlingDays: 7 }, decision: { monthlyBudgetMinor: 12_300 } });
  const other = await load({ shop: OTHER_SHOP, userId: OWNER });
  expect(other.values.detection.handlingDays).toBe("2");
  expect(other.shop).toEqual({ timeZone: "Europe/Paris", currency: "EUR" });
  expect(other.values.decision.monthlyBudgetMinor).toBe("1000.00");

  expect(
    (await save({ detection: { ...other.values.detection, handlingDays: "1" } }, { shop: OTHER_SHOP, userId: OWNER }))
      .status,
  ).toBe(200);
  expect((await storedSettings()).detection).toEqual({ handlingDays: 7 });
  expect(((await storedSettings(OTHER_SHOP)).detection as Record<string, unknown>).handlingDays).toBe(1);
});

test("staff change no setting; a manager tunes the guardrails but not the budget or authority; the owner grants levels", async () => {
  const owner = await load({ userId: OWNER });
  const support = await load({ userId: SUPPORT });
  expect(support.viewer).toMatchObject({ level: "STAFF", canManage: false });

  const refused = await save(
    { decision: { ...support.values.decision, monthlyBudgetMinor: "5000" } },
    { userId: SUPPORT },
  );
  expect(refused.status).toBe(403);
  expect(refused.body.fieldErrors).toEqual({
    "decision.monthlyBudgetMinor": "Needs the account owner: only the owner can change this",
  });
  const selfPromotion = await save(
    { authority: { ...support.values.authority, members: { [SUPPORT]: "MANAGER" } } },
    { userId: SUPPORT },
  );
  expect(selfPromotion.status).toBe(403);
  expect(selfPromotion.body.fieldErrors).toEqual({
    [`authority.members.${SUPPORT}`]: "Needs the account owner: only the owner can change this",
  });
  // The guardrails move money: staff may not loosen them either (issue 14).
  const cooldown = await save({ decision: { ...support.values.decision, cooldownDays: "45" } }, { userId: SUPPORT });
  expect(cooldown.status).toBe(403);
  expect(await storedSettings()).toEqual({});

  // The owner makes them a manager; as a manager they tune the guardrails but not the budget nor levels.
  expect(
    (await save({ authority: { ...owner.values.authority, members: { [SUPPORT]: "MANAGER" } } }, { userId: OWNER }))
      .status,
  ).toBe(200);
  const manager = await load({ userId: SUPPORT });
  expect(manager.viewer).toMatchObject({ level: "MANAGER", canManage: true, isOwner: false });
  expect(
    (await save({ decision: { ...manager.values.decision, cooldownDays: "45" } }, { userId: SUPPORT })).status,
  ).toBe(200);
  expect(
    (await save({ decision: { ...manager.values.decision, monthlyBudgetMinor: "2500" } }, { userId: SUPPORT })).status,
  ).toBe(403);
  const ownerGrant = await save(
    { authority: { ...manager.values.authority, members: { [SUPPORT]: "OWNER" } } },
    { userId: SUPPORT },
  );
  expect(ownerGrant.status).toBe(403);
  expect(ownerGrant.body.fieldErrors).toEqual({
    [`authority.members.${SUPPORT}`]: "Needs the account owner: only the owner can change this",
  });
  const stored = await storedSettings();
  expect(stored.authority).toMatchObject({ members: { [SUPPORT]: "MANAGER" } });
  expect(stored.decision).toMatchObject({ monthlyBudgetMinor: 100_000, cooldownDays: 45 });
});

const emailForm = (overrides: Record<string, unknown> = {}) => ({
  enabled: true,
  host: "smtp.shop.example",
  port: "587",
  secure: false,
  user: "care",
  password: "hunter2-secret",
  from: "care@shop.example",
  replyTo: "",
  ...overrides,
});

test("the SMTP password is stored sealed and never reaches the page; changing the server asks for it again", async () => {
  const page = await load({ userId: OWNER });
  expect((await save({ offers: { ...page.values.offers, email: emailForm() } }, { userId: OWNER })).status).toBe(200);
  const stored = JSON.stringify(await storedSettings());
  expect(stored).not.toContain("hunter2-secret");
  expect(stored).toContain("passwordSealed");

  const after = await load({ userId: OWNER });
  expect(JSON.stringify(after)).not.toContain("hunter2-secret");
  expect(JSON.stringify(after)).not.toContain("passwordSealed");
  expect(after.email).toMatchObject({ host: "smtp.shop.example", passwordStored: true });
  expect(after.values.offers.email.password).toBe("");

  // An empty password keeps the stored one for the same server and user...
  expect(
    (
      await save(
        { offers: { ...after.values.offers, email: { ...after.values.offers.email, from: "hello@shop.example" } } },
        { userId: OWNER },
      )
    ).status,
  ).toBe(200);
  expect(JSON.stringify(await storedSettings())).toContain("passwordSealed");
  // ...but not for another server: that would send the stored password to whoever edits the host.
  const moved = await save(
    { offers: { ...after.values.offers, email: { ...after.values.offers.email, host: "smtp.elsewhere.example" } } },
    { userId: OWNER },
  );
  expect(moved.status).toBe(400);
  expect(moved.body.fieldErrors).toEqual({
    "offers.email.password": "Enter the password again: the mail server, port, security or user name changed.",
  });
  expect(((await storedSettings()).offers as { email: { host: string } }).email.host).toBe("smtp.shop.example");

  const missing = await save(
    { offers: { ...after.values.offers, email: emailForm({ host: "", from: "nobody" }) } },
    { userId: OWNER },
  );
  expect(missing.body.fieldErrors).toMatchObject({
    "offers.email.host": expect.stringContaining("host name"),
    "offers.email.from": expect.stringContaining("address"),
  });
});

test("message texts: only changes are stored, placeholders are checked, and the shop's wording is what gets rendered", async () => {
  const page = await load({ userId: OWNER });
  const messages = page.values.messages;
  const bad = await save(
    {
      messages: {
        ...messages,
        templates: { ...messages.templates, standard: { subject: "Sorry {{frist}}", body: "Hello {{firstName}}" } },
      },
    },
    { userId: OWNER },
  );
  expect(bad.status).toBe(400);
  expect(bad.body.fieldErrors).toEqual({
    "messages.templates.standard.subject": expect.stringContaining("Unknown placeholder {{frist}}"),
    "messages.templates.standard.body": "Include {{offer}}: the customer needs it",
  });
  const noCode = await save(
    { messages: { ...messages, offers: { ...messages.offers, DISCOUNT_PERCENT: "Here is {{amount}} off." } } },
    { userId: OWNER },
  );
  expect(noCode.body.fieldErrors).toEqual({
    "messages.offers.DISCOUNT_PERCENT": "Include {{code}}: the customer needs it",
  });

  const body = "Dear {{firstName}},\n\n{{problem}}\n\n{{offer}}";
  expect(
    (
      await save(
        {
          messages: {
            ...messages,
            templates: {
              ...messages.templates,
              standard: { subject: messages.templates.standard?.subject ?? "", body },
            },
          },
        },
        { userId: OWNER },
      )
    ).status,
  ).toBe(200);
  expect((await storedSettings()).messages).toEqual({
    templates: { standard: { subject: DEFAULT_MESSAGES.en.templates.standard?.subject, body } },
    problems: {},
    offers: {},
    acknowledgements: {},
  });

  const rendered = renderMessage(
    {
      locale: "en",
      templateKey: "standard",
      incidentType: "REFUND",
      firstName: "Ana",
      orderName: "#1001",
      offer: {
        cell: { kind: "NONE", value: null, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" },
        code: null,
        expiresAt: null,
      },
      shop: { currency: "USD", timeZone: "UTC" },
    },
    // What the notification service reads: the shop offer context carries the wording.
    catalogWithOverrides((await shopContext(TEST_SHOP)).messages),
  );
  expect(rendered.body.startsWith("Dear Ana,\n\nsomething about your order #1001")).toBe(true);
});

async function withSmtp(run: (port: number, received: string[]) => Promise<void>): Promise<void> {
  const received: string[] = [];
  const smtp = await startSmtpServer({
    authOptional: true,
    disabledCommands: ["AUTH"],
    onRcptTo: (address, _session, callback) => {
      received.push(address.address);
      callback();
    },
    onData: (stream, _session, callback) => {
      stream.resume();
      stream.on("end", () => callback());
    },
  });
  try {
    await run(smtp.port, received);
  } finally {
    await smtp.close();
  }
}

test("a test email goes through the saved mail server; a failure comes back as a message", async () => {
  const page = await load({ userId: OWNER });
  expect((await post({ intent: "testEmail", testTo: "owner@sandbox.example" }, { userId: OWNER })).body).toEqual({
    intent: "testEmail",
    ok: false,
    message: "Save a mail server first, then send a test.",
  });
  expect((await post({ intent: "testEmail", testTo: "not an address" }, { userId: OWNER })).status).toBe(400);

  await withSmtp(async (port, received) => {
    const email = emailForm({ host: "127.0.0.1", port: String(port), user: "", password: "" });
    expect((await save({ offers: { ...page.values.offers, email } }, { userId: OWNER })).status).toBe(200);
    expect((await post({ intent: "testEmail", testTo: "owner@sandbox.example" }, { userId: OWNER })).body).toEqual({
      intent: "testEmail",
      ok: true,
      to: "owner@sandbox.example",
    });
    expect(received).toEqual(["owner@sandbox.example"]);
  });
  // The server is gone now: the member is told why nothing was sent.
  const failed = await post({ intent: "testEmail", testTo: "owner@sandbox.example" }, { userId: OWNER });
  expect(failed.body).toMatchObject({
    intent: "testEmail",
    ok: false,
    message: expect.stringContaining("The test message was not sent"),
  });
});

test("the settings page lists the kinds this shop cannot be given, and saves the fallback kind", async () => {
  expect((await load({ userId: OWNER })).unavailableKinds).toEqual([]);
  await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { customerAccountsV2: false } });
  const loaded = await load({ userId: OWNER });
  expect(loaded.values.decision.unavailableKindFallback).toBe("DISCOUNT_FIXED");
  expect(loaded.unavailableKinds).toEqual([
    expect.objectContaining({ kind: "STORE_CREDIT", fallback: "fixed-amount discount code" }),
  ]);
  const saved = await save(
    { decision: { ...loaded.values.decision, unavailableKindFallback: "NONE" } },
    { userId: OWNER },
  );
  expect(saved.status).toBe(200);
  expect((await shopContext(TEST_SHOP)).recovery.decision.unavailableKindFallback).toBe("NONE");
  expect((await load({ userId: OWNER })).unavailableKinds).toEqual([
    expect.objectContaining({ kind: "STORE_CREDIT", fallback: "apology message only" }),
  ]);
});

async function loadSection(section: string, options: { shop?: string; userId?: string } = {}) {
  return call(() =>
    sectionLoader({ request: adminRequest(`/app/settings/${section}`, options), params: { section }, context: {} }),
  );
}

test("a settings page that does not exist is 404; only the Detection page reads the shop's tags, live", async () => {
  const missing = await loadSection("history");
  expect(missing).toBeInstanceOf(Response);
  expect((missing as Response).status).toBe(404);

  sandbox.activity.createCustomer(TEST_SHOP, {
    firstName: "Sam",
    lastName: "Staff",
    email: "sam@example.com",
    tags: ["staff", "vip"],
  });
  sandbox.activity.createCustomer(OTHER_SHOP, {
    firstName: "Other",
    lastName: "Shop",
    email: "o@example.com",
    tags: ["elsewhere"],
  });
  const reads = () => sandbox.admin.calls.filter((c) => c.operationName === "AmendsShopTags").length;
  expect(await loadSection("guardrails")).toEqual({ slug: "guardrails", tags: null });
  expect(reads()).toBe(0);
  expect(await loadSection("detection")).toEqual({
    slug: "detection",
    tags: { order: [], customer: ["staff", "vip"], unavailable: false },
  });
  expect(reads()).toBe(1);
});

test("tags Shopify will not give leave the pickers empty and say so, and the page still loads", async () => {
  sandbox.admin.grants.set(TEST_SHOP, ["read_orders"]);
  expect(await loadSection("detection")).toEqual({
    slug: "detection",
    tags: { order: [], customer: [], unavailable: true },
  });
});
