/**
 * The settings page's use cases: what the form shows and saving it.
 *
 * Shop.settings is one JSON document: the recovery sections at the top level (recoverySettingsSchema),
 * `offers` (offerSettingsSchema) and `messages` (the shop's own wording, messageOverridesSchema).
 * A save replaces only the sections the page submitted, validates them with those real schemas and
 * writes the whole document in one update under a row lock, so two people saving different sections
 * at once both keep their change. Top-level keys this page does not know are kept untouched (another
 * part of the app may own them); unknown keys inside a section are dropped by the schemas.
 *
 * Who may change what (docs/decisions/0200-settings-page.md): staff authority (levels, limits,
 * default level) and the monthly budget need MANAGER or OWNER authority; granting OWNER, or changing
 * the level of someone who is OWNER, needs OWNER. Everything else any staff member may tune.
 */
import { unavailableKindNotes, type UnavailableKindNote } from "./issuing/kind-availability.server";
import type { Prisma } from "@prisma/client";
import type { z } from "zod";
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import type { FieldErrors } from "../forms";
import { budgetMonthOf, readBudgetMonth } from "../models/budget.server";
import { flowTriggerInUse } from "../models/flow-triggers.server";
import {
  DEFAULT_RECOVERY_SETTINGS,
  memberAuthority,
  type AuthorityLevel,
  type AuthoritySettings,
  type RecoverySettings,
} from "../recovery";
import { messageOverridesSchema, NO_MESSAGE_OVERRIDES, onlyChangedTexts } from "../recovery/messages/overrides";
import {
  formToDocument,
  friendlyMessage,
  SECTIONS,
  settingsValues,
  type OfferSettingsView,
  type Section,
  type SettingsValues,
} from "../settings-form";
import type { StaffIdentity } from "./approvals.server";
import { FOLLOW_UP_TRIGGER, OFFER_ISSUED_TRIGGER } from "../shopify/flow/triggers";
import {
  emailHostRefusal,
  emailSettingsInputSchema,
  emailSettingsToStore,
  EmailError,
  sendTestEmail,
  type EmailSettings,
} from "./notifications/email.server";
import {
  offerSettingsSchema,
  parseShopSettings,
  RECOVERY_SECTIONS,
  shopContext,
  shopContextOf,
  type OfferSettings,
  type RecoverySection,
} from "../models/shop-settings.server";

const isRecoverySection = (section: Section): section is RecoverySection => section in RECOVERY_SECTIONS;

function offersView(offers: OfferSettings): OfferSettingsView {
  const { email, ...rest } = offers;
  if (!email) return { ...rest, email: null };
  // The sealed password stays on the server: the page only learns that one is kept.
  const { passwordSealed, ...visible } = email;
  return {
    ...rest,
    email: {
      ...visible,
      user: visible.user ?? null,
      replyTo: visible.replyTo ?? null,
      passwordStored: Boolean(passwordSealed),
    },
  };
}

export interface StaffRow {
  userId: string;
  name: string;
  email: string | null;
  accountOwner: boolean;
  /** The level stored for the member, or null when they follow the default level. */
  storedLevel: AuthorityLevel | null;
  /** What applies now (the account owner is always OWNER). */
  level: AuthorityLevel;
}

export interface SettingsForm {
  values: SettingsValues;
  defaults: SettingsValues;
  shop: { timeZone: string; currency: string };
  budget: {
    month: string;
    issuedMinor: number;
    committedMinor: number;
    spentMinor: number;
    budgetMinor: number | null;
  };
  staff: StaffRow[];
  /** The signed-in member's authority, and whether it may change authority levels and the budget. */
  viewer: { userId: string; level: AuthorityLevel; canManage: boolean; isOwner: boolean };
  email: OfferSettingsView["email"];
  flow: { offerIssuedInUse: boolean; followUpInUse: boolean };
  /** When Shopify last refused customer names/emails to Amends on this shop (ISO), else null: SMTP is off meanwhile. */
  protectedDataDeniedAt: string | null;
  /** For the message preview: one fixed "now" so the server and the browser render alike. */
  now: string;
  /** Kinds this shop cannot be given now (scopes, customer accounts), and what is given instead. */
  unavailableKinds: UnavailableKindNote[];
}

async function knownStaff(shop: string, authority: AuthoritySettings): Promise<StaffRow[]> {
  const sessions = await prisma.session.findMany({
    where: { shop, isOnline: true, userId: { not: null } },
    select: { userId: true, firstName: true, lastName: true, email: true, accountOwner: true, expires: true },
    orderBy: { expires: "desc" },
  });
  const rows = new Map<string, StaffRow>();
  for (const s of sessions) {
    const userId = String(s.userId);
    if (rows.has(userId)) continue; // the newest session names the member
    const name = [s.firstName, s.lastName].filter(Boolean).join(" ") || `Staff member ${userId}`;
    rows.set(userId, {
      userId,
      name,
      email: s.email,
      accountOwner: s.accountOwner,
      storedLevel: authority.members[userId] ?? null,
      level: memberAuthority(userId, authority, s.accountOwner).level,
    });
  }
  // Members given a level who have not opened Amends lately keep their row, so the level can be changed back.
  for (const [userId, level] of Object.entries(authority.members)) {
    if (!rows.has(userId))
      rows.set(userId, {
        userId,
        name: `Staff member ${userId}`,
        email: null,
        accountOwner: false,
        storedLevel: level,
        level,
      });
  }
  return [...rows.values()].sort(
    (a, b) => Number(b.accountOwner) - Number(a.accountOwner) || a.name.localeCompare(b.name),
  );
}

function viewerAuthority(staff: StaffIdentity, authority: AuthoritySettings) {
  const level = memberAuthority(staff.userId, authority, staff.accountOwner ?? false).level;
  return { userId: staff.userId, level, canManage: level !== "STAFF", isOwner: level === "OWNER" };
}

export async function settingsForm(shop: string, staff: StaffIdentity): Promise<SettingsForm> {
  const row = await prisma.shop.findUnique({ where: { shop } });
  const ctx = shopContextOf(shop, row);
  const { timeZone, currency } = ctx;
  const stored = parseShopSettings(shop, row?.settings);
  const now = clock().now();
  const month = budgetMonthOf(now, timeZone);
  const [figures, staffRows, offerIssuedInUse, followUpInUse] = await Promise.all([
    readBudgetMonth(prisma, shop, month),
    knownStaff(shop, stored.recovery.authority),
    flowTriggerInUse(shop, OFFER_ISSUED_TRIGGER),
    flowTriggerInUse(shop, FOLLOW_UP_TRIGGER),
  ]);
  const view = offersView(stored.offers);
  return {
    values: settingsValues(stored.recovery, view, stored.messages, currency),
    defaults: settingsValues(
      DEFAULT_RECOVERY_SETTINGS,
      offersView(offerSettingsSchema.parse({})),
      NO_MESSAGE_OVERRIDES,
      currency,
    ),
    shop: { timeZone, currency },
    budget: {
      month,
      issuedMinor: figures.issuedMinor,
      committedMinor: figures.committedMinor,
      spentMinor: figures.issuedMinor + figures.committedMinor,
      budgetMinor: stored.recovery.decision.monthlyBudgetMinor,
    },
    staff: staffRows,
    viewer: viewerAuthority(staff, stored.recovery.authority),
    email: view.email,
    flow: { offerIssuedInUse, followUpInUse },
    protectedDataDeniedAt: row?.protectedDataDeniedAt?.toISOString() ?? null,
    now: now.toISOString(),
    unavailableKinds: unavailableKindNotes(ctx, stored.recovery.decision.unavailableKindFallback),
  };
}

export type SaveSettingsResult =
  { ok: true; saved: Section[] } | { ok: false; status: 400 | 403; fieldErrors: FieldErrors; message: string };

/** "detection.weekendDays.2" -> "detection.weekendDays": list items are one field on the page. */
function fieldPath(section: string, path: readonly PropertyKey[]): string {
  const parts = [section, ...path.map(String)];
  while (parts.length > 1 && /^\d+$/.test(parts[parts.length - 1] ?? "")) parts.pop();
  // A member's level is shown per row; the record's key is the member id.
  return parts.join(".");
}

function collect(errors: FieldErrors, section: string, error: z.ZodError, currency: string): void {
  for (const issue of error.issues) {
    const path = fieldPath(section, issue.path);
    errors[path] ??= friendlyMessage(issue, path, currency);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why the member may not make this authority or budget change; null when they may. */
function authorityRefusal(
  viewer: ReturnType<typeof viewerAuthority>,
  before: RecoverySettings,
  after: RecoverySettings,
): FieldErrors | null {
  const errors: FieldErrors = {};
  const managerOnly = "Only a manager or the account owner can change this";
  if (!viewer.canManage) {
    if (before.decision.monthlyBudgetMinor !== after.decision.monthlyBudgetMinor)
      errors["decision.monthlyBudgetMinor"] = managerOnly;
    if (!same(before.authority.limits, after.authority.limits)) errors["authority.limits"] = managerOnly;
    if (before.authority.defaultLevel !== after.authority.defaultLevel) errors["authority.defaultLevel"] = managerOnly;
    if (!same(before.authority.members, after.authority.members)) errors["authority.members"] = managerOnly;
    return Object.keys(errors).length > 0 ? errors : null;
  }
  if (viewer.isOwner) return null;
  // A manager may not make anyone an owner, nor change what an owner is.
  const ownerOnly = "Only an owner can grant or change the Owner level";
  const ids = new Set([...Object.keys(before.authority.members), ...Object.keys(after.authority.members)]);
  for (const id of ids) {
    const was = before.authority.members[id];
    const now = after.authority.members[id];
    if (was !== now && (was === "OWNER" || now === "OWNER")) errors[`authority.members.${id}`] = ownerOnly;
  }
  if (
    before.authority.defaultLevel !== after.authority.defaultLevel &&
    (after.authority.defaultLevel === "OWNER" || before.authority.defaultLevel === "OWNER")
  ) {
    errors["authority.defaultLevel"] = ownerOnly;
  }
  if (before.authority.limits.OWNER !== after.authority.limits.OWNER) errors["authority.limits.OWNER"] = ownerOnly;
  return Object.keys(errors).length > 0 ? errors : null;
}

/**
 * Validate the submitted sections with the real schemas and store them; sections not submitted
 * keep their stored values. Nothing is written unless every submitted section is valid and the
 * member may make the change.
 */
export async function saveSettings(shop: string, staff: StaffIdentity, input: unknown): Promise<SaveSettingsResult> {
  // Resolved before the row lock is taken (a slow DNS answer must not hold it); checked again at every send.
  const emailHost = submittedEmailHost(input);
  const hostRefusal = emailHost ? await emailHostRefusal(emailHost) : null;
  return prisma.$transaction(async (tx) => {
    // The row lock makes read-modify-write safe against a colleague saving another section at the same moment.
    await tx.$queryRaw`SELECT shop FROM "Shop" WHERE shop = ${shop} FOR UPDATE`;
    const row = await tx.shop.findUnique({ where: { shop } });
    const { currency } = shopContextOf(shop, row);
    const stored = parseShopSettings(shop, row?.settings);

    const converted = formToDocument(input, currency);
    if (!converted.ok)
      return { ok: false, status: 400, fieldErrors: converted.fieldErrors, message: "Some settings need fixing" };
    const submitted = SECTIONS.filter((section) => section in converted.sections);

    const errors: FieldErrors = {};
    const recovery = { ...stored.recovery } as Record<RecoverySection, unknown>;
    let offers = stored.offers;
    let messages = stored.messages;
    for (const section of submitted) {
      const value = converted.sections[section];
      if (isRecoverySection(section)) {
        const parsed = RECOVERY_SECTIONS[section].safeParse(value);
        if (parsed.success) recovery[section] = parsed.data;
        else collect(errors, section, parsed.error, currency);
      } else if (section === "offers") {
        const next = offersToStore(shop, value as Record<string, unknown>, stored.offers.email, errors, currency);
        if (next) offers = next;
      } else {
        const parsed = messageOverridesSchema.safeParse(value);
        if (parsed.success) messages = onlyChangedTexts(parsed.data);
        else collect(errors, section, parsed.error, currency);
      }
    }
    if (hostRefusal && submitted.includes("offers")) errors["offers.email.host"] ??= hostRefusal;
    if (Object.keys(errors).length > 0)
      return { ok: false, status: 400, fieldErrors: errors, message: "Some settings need fixing" };

    const next = recovery as RecoverySettings;
    const refusal = authorityRefusal(viewerAuthority(staff, stored.recovery.authority), stored.recovery, next);
    if (refusal)
      return {
        ok: false,
        status: 403,
        fieldErrors: refusal,
        message: "Only a manager or the account owner can change staff authority and the monthly budget",
      };

    const document = { ...stored.raw, ...next, offers, messages } as unknown as Prisma.InputJsonValue;
    await tx.shop.upsert({ where: { shop }, create: { shop, settings: document }, update: { settings: document } });
    return { ok: true, saved: submitted };
  });
}

/** The mail server host the form submitted, if any (the form's offers.email.host). */
function submittedEmailHost(input: unknown): string | null {
  const offers = (input as { offers?: { email?: { host?: unknown } | null } } | null)?.offers;
  const host = offers?.email?.host;
  return typeof host === "string" && host.trim() !== "" ? host.trim() : null;
}

/** The offers section: the real schema for the hours and toggles, the email through emailSettingsToStore (which seals the password). */
function offersToStore(
  shop: string,
  value: Record<string, unknown>,
  existing: EmailSettings | null,
  errors: FieldErrors,
  currency: string,
): OfferSettings | null {
  const { email: emailInput, ...rest } = value;
  const parsed = offerSettingsSchema.safeParse({ ...rest, email: null });
  if (!parsed.success) collect(errors, "offers", parsed.error, currency);
  let email: EmailSettings | null = null;
  if (emailInput) {
    const input = emailSettingsInputSchema.safeParse(emailInput);
    if (!input.success) {
      collect(errors, "offers.email", input.error, currency);
    } else {
      const result = emailSettingsToStore(shop, input.data, existing);
      if (result.ok) email = result.settings;
      else errors[`offers.email.${result.field}`] = result.message;
    }
  }
  return parsed.success ? { ...parsed.data, email } : null;
}

export type TestEmailResult = { ok: true; to: string } | { ok: false; message: string };

/** A test message through the saved mail server settings (what customers' messages will use). */
export async function sendSettingsTestEmail(shop: string, to: string): Promise<TestEmailResult> {
  const { email } = (await shopContext(shop)).offers;
  if (!email) return { ok: false, message: "Save a mail server first, then send a test." };
  try {
    await sendTestEmail(shop, email, to);
    return { ok: true, to };
  } catch (error) {
    if (error instanceof EmailError) return { ok: false, message: `The test message was not sent: ${error.message}` };
    throw error;
  }
}
