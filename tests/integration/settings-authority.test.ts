/**
 * The settings authority table (app/recovery/guardrails/settings-authority.ts) as the settings page
 * and the grid editor enforce it: every setting at every level through the real route action and
 * database, the exploits of issue 14, and the audit trail each change leaves.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { currentGrid } from "../../app/models/grid.server";
import { offerSettingsSchema } from "../../app/models/shop-settings.server";
import { DEFAULT_GRID, INSTALL_GRID, gridCellSchema, type AuthorityLevel } from "../../app/recovery";
import { draftFromGrid, type GridDraft } from "../../app/recovery/grid/editing";
import {
  AUTHORITY_HINTS,
  hasAuthority,
  lockedFor,
  ruleFor,
  SETTINGS_AUTHORITY,
} from "../../app/recovery/guardrails/settings-authority";
import { messageOverridesSchema } from "../../app/recovery/messages/overrides";
import { emailSettingsInputSchema, recoverySettingsSchema } from "../../app/recovery/settings";
import { action as gridAction } from "../../app/routes/app.grid/route";
import { action, loader } from "../../app/routes/app.settings/route";
import type { SettingsValues } from "../../app/settings-form";
import { actionAnswer, adminRequest, call } from "../helpers/admin-request";
import { clearStoreAndDatabase, sandboxForTests } from "../helpers/sandbox";
import { schemaLeaves } from "../helpers/schema-leaves";
import { TEST_SHOP } from "../helpers/webhooks";

const OWNER = "1001";
const SUPPORT = "1002";

const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", ianaTimezone: "UTC" });
});

type Loaded = Awaited<ReturnType<typeof loader>>;
type Result = { status: number; body: Record<string, unknown> };

async function load(userId: string): Promise<Loaded> {
  const result = await call(() =>
    loader({ request: adminRequest("/app/settings", { userId }), params: {}, context: {} }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

async function save(sections: Record<string, unknown>, userId: string): Promise<Result> {
  const form = { intent: "save", payload: JSON.stringify(sections) };
  return actionAnswer(
    await call(() => action({ request: adminRequest("/app/settings", { userId, form }), params: {}, context: {} })),
  );
}

async function gridPost(form: Record<string, string>, userId: string): Promise<Result> {
  return actionAnswer(
    await call(() => gridAction({ request: adminRequest("/app/grid", { userId, form }), params: {}, context: {} })),
  );
}

const stored = async () => (await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).settings;
const audits = () => prisma.auditEntry.findMany({ where: { shop: TEST_SHOP }, orderBy: { at: "asc" } });

/** A mail server without a stored password, so single fields can change on their own. */
const BASE_EMAIL = {
  enabled: true,
  host: "smtp.shop.example",
  port: 587,
  secure: false,
  user: "care",
  from: "care@shop.example",
};

/** The support member at `level`, with a mail server saved. */
async function baseSettings(level: AuthorityLevel): Promise<void> {
  await prisma.shop.update({
    where: { shop: TEST_SHOP },
    data: { settings: { authority: { members: { [SUPPORT]: level } }, offers: { email: BASE_EMAIL } } },
  });
}

type Edit = (v: SettingsValues) => void;
/** One case per setting on the page: the field's path and a valid change of it. */
const CASES: Array<[string, Edit]> = [
  ["detection.handlingDays", (v) => void (v.detection.handlingDays = "3")],
  ["detection.weekendDays", (v) => void (v.detection.weekendDays = [0])],
  ["detection.holidays", (v) => void (v.detection.holidays = "2026-12-25")],
  ["detection.excludedOrderTags", (v) => void (v.detection.excludedOrderTags = "wholesale")],
  ["detection.excludedCustomerTags", (v) => void (v.detection.excludedCustomerTags = "staff")],
  ["detection.attemptedDeliveryThreshold", (v) => void (v.detection.attemptedDeliveryThreshold = "3")],
  ["detection.cancellationReasons", (v) => void (v.detection.cancellationReasons = ["inventory"])],
  ["detection.countReturnRefunds", (v) => void (v.detection.countReturnRefunds = true)],
  ["severity.lateFulfillment.minor", (v) => void (v.severity.lateFulfillment.minor = "2")],
  ["severity.lateFulfillment.moderate", (v) => void (v.severity.lateFulfillment.moderate = "4")],
  ["severity.lateFulfillment.major", (v) => void (v.severity.lateFulfillment.major = "7")],
  ["severity.lateFulfillment.critical", (v) => void (v.severity.lateFulfillment.critical = "11")],
  ["severity.deliveryDelay.minor", (v) => void (v.severity.deliveryDelay.minor = "2")],
  ["severity.deliveryDelay.moderate", (v) => void (v.severity.deliveryDelay.moderate = "4")],
  ["severity.deliveryDelay.major", (v) => void (v.severity.deliveryDelay.major = "8")],
  ["severity.deliveryDelay.critical", (v) => void (v.severity.deliveryDelay.critical = "9")],
  ["severity.deliveryFailure", (v) => void (v.severity.deliveryFailure = "critical")],
  ["severity.refund.moderateFromPercent", (v) => void (v.severity.refund.moderateFromPercent = "30")],
  ["severity.refund.majorAbovePercent", (v) => void (v.severity.refund.majorAbovePercent = "80")],
  ["severity.merchantCancellation", (v) => void (v.severity.merchantCancellation = "critical")],
  ["severity.repeatCustomerWindowDays", (v) => void (v.severity.repeatCustomerWindowDays = "60")],
  ["severity.highValueOrderMinor", (v) => void (v.severity.highValueOrderMinor = "300.00")],
  ["tiers.newMaxEarlierOrders", (v) => void (v.tiers.newMaxEarlierOrders = "2")],
  ["tiers.loyal.minOrders", (v) => void (v.tiers.loyal.minOrders = "6")],
  ["tiers.loyal.minSpendMinor", (v) => void (v.tiers.loyal.minSpendMinor = "450.00")],
  ["tiers.vip.minOrders", (v) => void (v.tiers.vip.minOrders = "11")],
  ["tiers.vip.minSpendMinor", (v) => void (v.tiers.vip.minSpendMinor = "1100.00")],
  ["lifecycle.lapsedAfterDays", (v) => void (v.lifecycle.lapsedAfterDays = "90")],
  ["lifecycle.frequentMinEarlierOrders", (v) => void (v.lifecycle.frequentMinEarlierOrders = "6")],
  ["decision.enabledIncidentTypes", (v) => void (v.decision.enabledIncidentTypes = ["REFUND"])],
  ["decision.holdoutShare", (v) => void (v.decision.holdoutShare = "20")],
  ["decision.cooldownDays", (v) => void (v.decision.cooldownDays = "10")],
  ["decision.yearlyCapPerCustomerMinor", (v) => void (v.decision.yearlyCapPerCustomerMinor = "300.00")],
  ["decision.autoApproveCeilingMinor", (v) => void (v.decision.autoApproveCeilingMinor = "100.00")],
  ["decision.monthlyBudgetMinor", (v) => void (v.decision.monthlyBudgetMinor = "2000.00")],
  ["decision.unavailableKindFallback", (v) => void (v.decision.unavailableKindFallback = "NONE")],
  ["authority.limits.STAFF", (v) => void (v.authority.limits.STAFF = "60.00")],
  ["authority.limits.MANAGER", (v) => void (v.authority.limits.MANAGER = "300.00")],
  ["authority.defaultLevel", (v) => void (v.authority.defaultLevel = "MANAGER")],
  ["authority.members.1003", (v) => void (v.authority.members["1003"] = "MANAGER")],
  ["attribution.windowDays", (v) => void (v.attribution.windowDays = "60")],
  ["attribution.readoutIncidents", (v) => void (v.attribution.readoutIncidents = "500")],
  ["offers.escalateAfterHours", (v) => void (v.offers.escalateAfterHours = "6")],
  ["offers.expireAfterHours", (v) => void (v.offers.expireAfterHours = "72")],
  ["offers.followUpAfterHours", (v) => void (v.offers.followUpAfterHours = "60")],
  ["offers.acknowledgeWithinMinutes", (v) => void (v.offers.acknowledgeWithinMinutes = "30")],
  ["offers.notifyStoreCredit", (v) => void (v.offers.notifyStoreCredit = false)],
  ["offers.notifyGiftCard", (v) => void (v.offers.notifyGiftCard = false)],
  ["offers.digestEmailTo", (v) => void (v.offers.digestEmailTo = "owner@shop.example")],
  ["offers.email.enabled", (v) => void (v.offers.email.enabled = false)],
  ["offers.email.host", (v) => void (v.offers.email.host = "smtp.other.example")],
  ["offers.email.port", (v) => void (v.offers.email.port = "465")],
  ["offers.email.secure", (v) => void (v.offers.email.secure = true)],
  ["offers.email.user", (v) => void (v.offers.email.user = "care2")],
  ["offers.email.password", (v) => void (v.offers.email.password = "hunter2-secret")],
  ["offers.email.from", (v) => void (v.offers.email.from = "hello@shop.example")],
  ["offers.email.replyTo", (v) => void (v.offers.email.replyTo = "replies@shop.example")],
  [
    "messages.templates.standard.subject",
    (v) => void ((v.messages.templates.standard ?? { subject: "" }).subject = "Sorry about {{orderName}}"),
  ],
  [
    "messages.templates.standard.body",
    (v) => void ((v.messages.templates.standard ?? { body: "" }).body = "Hi {{firstName}},\n\n{{offer}}"),
  ],
  ["messages.problems.REFUND", (v) => void (v.messages.problems.REFUND = "we refunded {{orderName}}.")],
  ["messages.offers.STORE_CREDIT", (v) => void (v.messages.offers.STORE_CREDIT = "Here is {{amount}} of credit.")],
  ["messages.acknowledgement.subject", (v) => void (v.messages.acknowledgement.subject = "About {{orderName}}")],
  ["messages.acknowledgement.body", (v) => void (v.messages.acknowledgement.body = "Hi {{firstName}}, {{problem}}")],
  ["messages.acknowledgements.REFUND", (v) => void (v.messages.acknowledgements.REFUND = "we saw {{orderName}}.")],
];

/** Stored settings the page does not show, so no form can change them. */
const NOT_ON_THE_PAGE = [
  "attribution.giftOrderTags",
  "attribution.replacementOrderTags",
  "attribution.freeDraftOrdersAreReplacements",
];

test("every setting Shop.settings can hold has a level in the table, and every rule has a case here", () => {
  const leaves = [
    ...schemaLeaves(recoverySettingsSchema),
    ...schemaLeaves(offerSettingsSchema.omit({ email: true }), ["offers"]),
    ...schemaLeaves(emailSettingsInputSchema, ["offers", "email"]),
    ...schemaLeaves(messageOverridesSchema, ["messages"]),
  ];
  expect(leaves.filter((path) => ruleFor(path) === undefined)).toEqual([]);
  const covered = new Set([...CASES.map(([path]) => ruleFor(path)?.path), ...NOT_ON_THE_PAGE]);
  expect(SETTINGS_AUTHORITY.map((rule) => rule.path).filter((path) => !covered.has(path))).toEqual([]);
});

const refusalText = (needed: AuthorityLevel) =>
  needed === "OWNER"
    ? `${AUTHORITY_HINTS.OWNER}: only the owner can change this`
    : `${AUTHORITY_HINTS.MANAGER}: only a manager or the owner can change this`;

test.each(["STAFF", "MANAGER", "OWNER"] as const)(
  "each setting at %s: changed when the table allows it, refused beside the field otherwise",
  async (level) => {
    await load(OWNER);
    await load(SUPPORT);
    for (const [path, edit] of CASES) {
      await baseSettings(level);
      const before = await stored();
      const page = await load(SUPPORT);
      const values = structuredClone(page.values);
      edit(values);
      const section = path.split(".")[0] as keyof SettingsValues;
      const result = await save({ [section]: values[section] }, SUPPORT);
      const needed = ruleFor(path)?.level ?? "OWNER";
      if (hasAuthority(level, needed)) {
        expect(result.status, `${level} changes ${path}: ${JSON.stringify(result.body)}`).toBe(200);
        const entry = (await audits()).at(-1);
        expect(Object.keys((entry?.after ?? {}) as object), path).toEqual([path]);
      } else {
        expect(result, `${level} changes ${path}`).toEqual({
          status: 403,
          body: expect.objectContaining({ ok: false, fieldErrors: { [path]: refusalText(needed) } }),
        });
        expect(await stored(), path).toEqual(before);
      }
      // The page (which knows the viewer's level) disables exactly what would be refused.
      expect(page.viewer.level).toBe(level);
      expect(lockedFor(level, path)).toBe(hasAuthority(level, needed) ? null : needed);
      await prisma.auditEntry.deleteMany();
    }
  },
);

test("staff cannot remove the guardrails: ceiling, cooldown and yearly cap are refused and nothing is written", async () => {
  await load(OWNER);
  const page = await load(SUPPORT);
  expect(page.viewer.level).toBe("STAFF");
  const result = await save(
    {
      decision: {
        ...page.values.decision,
        autoApproveCeilingMinor: "10000.00",
        cooldownDays: "0",
        yearlyCapPerCustomerMinor: "",
      },
    },
    SUPPORT,
  );
  expect(result.status).toBe(403);
  expect(result.body.fieldErrors).toEqual({
    "decision.cooldownDays": refusalText("MANAGER"),
    "decision.yearlyCapPerCustomerMinor": refusalText("MANAGER"),
    "decision.autoApproveCeilingMinor": refusalText("MANAGER"),
  });
  expect(await stored()).toEqual({});
  expect(await audits()).toEqual([]);

  // Nor repoint the mail server or rewrite what customers read.
  const smtp = await save(
    {
      offers: {
        ...page.values.offers,
        email: { ...page.values.offers.email, enabled: true, host: "10.0.0.1", from: "x@y.example", port: "25" },
      },
    },
    SUPPORT,
  );
  expect(smtp.status).toBe(403);
  expect(Object.keys(smtp.body.fieldErrors as object)).toEqual(
    expect.arrayContaining(["offers.email.host", "offers.email.port", "offers.email.enabled"]),
  );
  const message = await save(
    { messages: { ...page.values.messages, problems: { ...page.values.messages.problems, REFUND: "Click here" } } },
    SUPPORT,
  );
  expect(message.status).toBe(403);
  expect(await stored()).toEqual({});
});

test("an unchanged field never needs authority: staff saving a section as it is stored is fine and audits nothing", async () => {
  await load(OWNER);
  await baseSettings("STAFF");
  const page = await load(SUPPORT);
  const result = await save({ decision: page.values.decision, authority: page.values.authority }, SUPPORT);
  expect(result).toEqual({ status: 200, body: { intent: "save", ok: true, saved: ["decision", "authority"] } });
  expect(await audits()).toEqual([]);
});

test("a manager cannot make their own limit or the budget unlimited, nor auto-approve above their own limit", async () => {
  await load(OWNER);
  await baseSettings("MANAGER");
  const page = await load(SUPPORT);
  const limits = await save(
    { authority: { ...page.values.authority, limits: { ...page.values.authority.limits, MANAGER: "" } } },
    SUPPORT,
  );
  expect(limits.status).toBe(403);
  expect(limits.body.fieldErrors).toEqual({ "authority.limits.MANAGER": refusalText("OWNER") });
  const budget = await save({ decision: { ...page.values.decision, monthlyBudgetMinor: "" } }, SUPPORT);
  expect(budget.body.fieldErrors).toEqual({ "decision.monthlyBudgetMinor": refusalText("OWNER") });
  const promote = await save({ authority: { ...page.values.authority, members: { [SUPPORT]: "OWNER" } } }, SUPPORT);
  expect(promote.body.fieldErrors).toEqual({ [`authority.members.${SUPPORT}`]: refusalText("OWNER") });
  const ceiling = await save({ decision: { ...page.values.decision, autoApproveCeilingMinor: "250.01" } }, SUPPORT);
  expect(ceiling.status).toBe(403);
  expect(ceiling.body.fieldErrors).toEqual({
    "decision.autoApproveCeilingMinor": `${AUTHORITY_HINTS.OWNER}: this is above your own approval limit of $250`,
  });
  // The guardrails themselves are a manager's to tune.
  const guardrails = await save(
    {
      decision: {
        ...page.values.decision,
        autoApproveCeilingMinor: "250.00",
        cooldownDays: "0",
        yearlyCapPerCustomerMinor: "",
      },
    },
    SUPPORT,
  );
  expect(guardrails.status).toBe(200);
  // The owner may do what the manager may not.
  const owner = await load(OWNER);
  expect(
    (
      await save(
        { decision: { ...owner.values.decision, monthlyBudgetMinor: "", autoApproveCeilingMinor: "900.00" } },
        OWNER,
      )
    ).status,
  ).toBe(200);
});

test("each change is audited with who, level and before/after of the changed fields only; the page lists it", async () => {
  await load(SUPPORT);
  const page = await load(OWNER);
  const result = await save(
    {
      decision: { ...page.values.decision, cooldownDays: "0", monthlyBudgetMinor: "" },
      offers: { ...page.values.offers, email: { ...BASE_EMAIL, port: "587", replyTo: "", password: "hunter2-secret" } },
    },
    OWNER,
  );
  expect(result.status).toBe(200);
  const [entry, ...rest] = await audits();
  expect(rest).toEqual([]);
  expect(entry).toMatchObject({
    actor: OWNER,
    actorName: "Olivia Owner",
    actorRole: "OWNER",
    action: "settings.update",
    before: {
      "decision.cooldownDays": 30,
      "decision.monthlyBudgetMinor": 100_000,
      "offers.email.enabled": null,
      "offers.email.host": null,
      "offers.email.password": null,
    },
    after: {
      "decision.cooldownDays": 0,
      "decision.monthlyBudgetMinor": null,
      "offers.email.enabled": true,
      "offers.email.host": "smtp.shop.example",
      "offers.email.password": "changed",
    },
  });
  expect(Object.keys(entry?.after as object)).not.toContain("decision.holdoutShare");
  // Never the password, in plain text or sealed.
  const sealed = ((await stored()) as { offers: { email: { passwordSealed: string } } }).offers.email.passwordSealed;
  expect(JSON.stringify(entry)).not.toContain("hunter2-secret");
  expect(JSON.stringify(entry)).not.toContain(sealed);

  const history = (await load(OWNER)).history;
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({ who: "Olivia Owner (Owner)", what: "Settings" });
  expect(history[0]?.changes).toEqual(
    expect.arrayContaining([
      { label: "Cooldown per customer", before: "30", after: "0" },
      { label: "Monthly budget", before: "$1,000", after: "none" },
      { label: "SMTP password", before: "none", after: "changed" },
    ]),
  );
});

const gridSave = (draft: GridDraft, baseVersion: number, userId: string) =>
  gridPost({ intent: "save", payload: JSON.stringify({ baseVersion, draft }) }, userId);

test("a grid save needs a manager and is audited; a cell naming 'constructor' is refused beside it", async () => {
  await load(OWNER);
  await baseSettings("STAFF");
  await currentGrid(TEST_SHOP);
  const draft = structuredClone(draftFromGrid(INSTALL_GRID, "USD"));
  draft.cells.minor.NEW = { ...draft.cells.minor.NEW, messageTemplateKey: "constructor" };
  expect((await gridSave(draft, 1, SUPPORT)).status).toBe(403);

  await baseSettings("MANAGER");
  const refused = await gridSave(draft, 1, SUPPORT);
  expect(refused.status).toBe(400);
  expect(refused.body.fieldErrors).toEqual({
    "cells.minor.NEW.messageTemplateKey":
      'There is no message template "constructor": choose standard, personal, welcome_back or loyal_perk',
  });
  expect((await currentGrid(TEST_SHOP)).version).toBe(1);

  draft.cells.minor.NEW = { ...draft.cells.minor.NEW, messageTemplateKey: "personal" };
  expect((await gridSave(draft, 1, SUPPORT)).status).toBe(200);
  const [entry] = await audits();
  expect(entry).toMatchObject({
    actor: SUPPORT,
    actorName: "Sam Support",
    actorRole: "MANAGER",
    action: "grid.save",
    subject: "v2",
    before: { "cells.minor.NEW": expect.objectContaining({ messageTemplateKey: "standard" }) },
    after: { "cells.minor.NEW": expect.objectContaining({ messageTemplateKey: "personal" }) },
  });
  expect((await load(OWNER)).history[0]).toMatchObject({
    who: "Sam Support (Manager)",
    what: "Compensation grid",
    changes: [expect.objectContaining({ label: "Grid: Minor × New" })],
  });
});

test("an old grid version naming an unknown template still reads but cannot be restored", async () => {
  await load(OWNER);
  const bad = structuredClone(DEFAULT_GRID);
  bad.cells.major.VIP = gridCellSchema.parse({ kind: "NONE", messageTemplateKey: "constructor" });
  await prisma.gridVersion.create({
    data: { shop: TEST_SHOP, version: 1, grid: bad as object, createdBy: "before the fix", createdAt: new Date() },
  });
  await prisma.gridVersion.create({
    data: { shop: TEST_SHOP, version: 2, grid: DEFAULT_GRID as object, createdBy: "fixed", createdAt: new Date() },
  });
  const restored = await gridPost({ intent: "restore", version: "1" }, OWNER);
  expect(restored.status).toBe(400);
  expect((restored.body.fieldErrors as { version: string }).version).toMatch(/cannot be restored.*"constructor"/);
  expect((await currentGrid(TEST_SHOP)).version).toBe(2);
});

test("a mail server staff may not change is refused before anything checks it, and the stored one stays", async () => {
  await load(SUPPORT);
  const owner = await load(OWNER);
  const email = { ...owner.values.offers.email, ...BASE_EMAIL, port: "587", replyTo: "", password: "hunter2-secret" };
  expect((await save({ offers: { ...owner.values.offers, email } }, OWNER)).status).toBe(200);
  const before = await stored();

  const page = await load(SUPPORT);
  // Another host without the password would be a 400 ("Enter the password again") if it were checked at all.
  const moved = await save(
    { offers: { ...page.values.offers, email: { ...page.values.offers.email, host: "10.0.0.1", port: "25" } } },
    SUPPORT,
  );
  expect(moved).toEqual({
    status: 403,
    body: expect.objectContaining({
      fieldErrors: { "offers.email.host": refusalText("MANAGER"), "offers.email.port": refusalText("MANAGER") },
    }),
  });
  expect(await stored()).toEqual(before);
});
