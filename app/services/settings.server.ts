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
 * Who may change what is one table, app/recovery/guardrails/settings-authority.ts (decision 0017):
 * a save is compared with what is stored, setting by setting; a change the member lacks the level
 * for answers 403 with the reason beside each refused field and writes nothing. Every save that
 * changes something leaves an audit entry (who, level, before/after of the changed settings only)
 * in the same transaction.
 */
import { unavailableKindNotes, type UnavailableKindNote } from "./issuing/kind-availability.server";
import type { Prisma } from "@prisma/client";
import type { z } from "zod";
import { clock } from "../clock.server";
import { prisma } from "../db.server";
import type { FieldErrors } from "../forms";
import { budgetMonthOf, readBudgetMonth } from "../models/budget.server";
import { shopChanged } from "../models/shop-snapshot.server";
import { flowTriggersInUse } from "../models/flow-triggers.server";
import {
  DEFAULT_RECOVERY_SETTINGS,
  memberAuthority,
  type AuthorityLevel,
  type AuthoritySettings,
  type RecoverySettings,
} from "../recovery";
import {
  effectiveMessages,
  messageOverridesSchema,
  NO_MESSAGE_OVERRIDES,
  onlyChangedTexts,
  type MessageOverrides,
} from "../recovery/messages/overrides";
import {
  AUTHORITY_HINTS,
  lockedFor,
  refusedChanges,
  ruleFor,
  settingChanges,
  SETTINGS_AUDIT_ACTION,
  type AuthorityRefusal,
} from "../recovery/guardrails/settings-authority";
import { formatMoney } from "../recovery";
import { recentAudit, recordAudit } from "../models/audit.server";
import { HISTORY_ACTIONS, historyRows, type HistoryRow } from "../settings-form/history";
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
import type { TriggerHandle } from "../shopify/flow/triggers";
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
  /** Every Flow trigger of Amends, in use or not by a workflow of the shop. */
  flow: { triggers: Array<{ handle: TriggerHandle; name: string; inUse: boolean }> };
  /** When Shopify last refused customer names/emails to Amends on this shop (ISO), else null: SMTP is off meanwhile. */
  protectedDataDeniedAt: string | null;
  /** For the message preview: one fixed "now" so the server and the browser render alike. */
  now: string;
  /** Kinds this shop cannot be given now (scopes, customer accounts), and what is given instead. */
  unavailableKinds: UnavailableKindNote[];
  /** The latest settings and grid changes: who, when, what, before and after. */
  history: HistoryRow[];
}

/** How many changes the settings page lists. */
export const HISTORY_SHOWN = 20;

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
  const [figures, staffRows, flowTriggers, audit] = await Promise.all([
    readBudgetMonth(prisma, shop, month),
    knownStaff(shop, stored.recovery.authority),
    flowTriggersInUse(shop),
    recentAudit(prisma, shop, { actions: HISTORY_ACTIONS, take: HISTORY_SHOWN }),
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
    flow: { triggers: flowTriggers },
    protectedDataDeniedAt: row?.protectedDataDeniedAt?.toISOString() ?? null,
    now: now.toISOString(),
    unavailableKinds: unavailableKindNotes(ctx, stored.recovery.decision.unavailableKindFallback),
    history: historyRows(audit, currency, timeZone),
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

/** Each refused field with the reason beside it (the table in app/recovery/guardrails/settings-authority.ts). */
function refusalErrors(refused: AuthorityRefusal[], currency: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const r of refused)
    errors[r.path] =
      r.reason === "ABOVE_OWN_LIMIT"
        ? `${AUTHORITY_HINTS.OWNER}: this is above your own approval limit of ${formatMoney(r.limitMinor, currency)}`
        : r.needed === "OWNER"
          ? `${AUTHORITY_HINTS.OWNER}: only the owner can change this`
          : `${AUTHORITY_HINTS.MANAGER}: only a manager or the owner can change this`;
  return errors;
}

/**
 * Validate the submitted sections with the real schemas and store them; sections not submitted
 * keep their stored values. Nothing is written unless every submitted section is valid and the
 * member may make the change.
 */
export async function saveSettings(
  shop: string,
  staff: StaffIdentity & { name?: string },
  input: unknown,
): Promise<SaveSettingsResult> {
  // Resolved before the row lock is taken (a slow DNS answer must not hold it); checked again at every
  // send. Only a member who may change the mail server gets a name looked up.
  const emailHost = submittedEmailHost(input);
  const hostRefusal = emailHost && (await mayChangeMailServer(shop, staff)) ? await emailHostRefusal(emailHost) : null;
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

    const viewer = viewerAuthority(staff, stored.recovery.authority);
    const errors: FieldErrors = {};
    // Mail server fields the member may not change: refused before anything looks at the host.
    let mailRefused: string[] = [];
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
        const submittedOffers = value as Record<string, unknown>;
        // A member who may not change the mail server keeps the stored one: a host or port they
        // typed is refused below and never checked, resolved or tried.
        const keepEmail = lockedFor(viewer.level, "offers.email.host") !== null;
        if (keepEmail) mailRefused = mailServerChanges(submittedOffers.email, stored.offers.email);
        const next = offersToStore(shop, submittedOffers, stored.offers.email, errors, currency, keepEmail);
        if (next) offers = next;
      } else {
        const parsed = messageOverridesSchema.safeParse(value);
        if (parsed.success) messages = onlyChangedTexts(parsed.data);
        else collect(errors, section, parsed.error, currency);
      }
    }
    if (hostRefusal && submitted.includes("offers") && mailRefused.length === 0)
      errors["offers.email.host"] ??= hostRefusal;
    if (Object.keys(errors).length > 0)
      return { ok: false, status: 400, fieldErrors: errors, message: "Some settings need fixing" };

    const next = recovery as RecoverySettings;
    // Compared with what is stored, so an unchanged field never needs authority.
    const changes = settingChanges(
      settingsForComparison(stored.recovery, stored.offers, stored.messages),
      settingsForComparison(next, offers, messages, stored.offers.email),
    );
    const refused = [
      ...refusedChanges(viewer.level, changes, stored.recovery.authority),
      ...mailRefused.map((path) => ({ path, reason: "NEEDS_LEVEL" as const, needed: ruleFor(path)?.level ?? "OWNER" })),
    ];
    if (refused.length > 0)
      return {
        ok: false,
        status: 403,
        fieldErrors: refusalErrors(refused, currency),
        message: "Some of these settings need more authority than yours: nothing was saved",
      };

    const document = { ...stored.raw, ...next, offers, messages } as unknown as Prisma.InputJsonValue;
    shopChanged(shop);
    await tx.shop.upsert({ where: { shop }, create: { shop, settings: document }, update: { settings: document } });
    if (changes.length > 0)
      await recordAudit(tx, {
        shop,
        actor: { userId: staff.userId, name: staff.name ?? null, level: viewer.level },
        action: SETTINGS_AUDIT_ACTION,
        subject: "settings",
        before: Object.fromEntries(changes.map((c) => [c.path, c.before ?? null])),
        after: Object.fromEntries(changes.map((c) => [c.path, c.after ?? null])),
        at: clock().now(),
      });
    return { ok: true, saved: submitted };
  });
}

/** Whether the member may change (and so test) the shop's mail server: MANAGER and up (docs/decisions/0017). */
export async function mayChangeMailServer(shop: string, staff: StaffIdentity): Promise<boolean> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  const viewer = viewerAuthority(staff, parseShopSettings(shop, row?.settings).recovery.authority);
  return lockedFor(viewer.level, "offers.email.host") === null;
}

/** The mail server host the form submitted, if any (the form's offers.email.host). */
function submittedEmailHost(input: unknown): string | null {
  const offers = (input as { offers?: { email?: { host?: unknown } | null } } | null)?.offers;
  const host = offers?.email?.host;
  return typeof host === "string" && host.trim() !== "" ? host.trim() : null;
}

/**
 * A settings document in the shape the authority table compares: the recovery sections, the offer
 * settings with the mail server's password as a word, never its sealed value ("stored", or
 * "changed" when a new one was typed: `previousEmail` is the stored server it replaces), and the
 * messages as the customer reads them (the shop's wording where it has one, the default elsewhere).
 */
export function settingsForComparison(
  recovery: RecoverySettings,
  offers: OfferSettings,
  messages: MessageOverrides,
  previousEmail?: EmailSettings | null,
): Record<string, unknown> {
  const { email, ...lifecycle } = offers;
  let comparableEmail: Record<string, unknown> | null = null;
  if (email) {
    const { passwordSealed, ...server } = email;
    const password = !passwordSealed
      ? null
      : previousEmail === undefined || previousEmail?.passwordSealed === passwordSealed
        ? "stored"
        : "changed";
    comparableEmail = { ...server, password };
  }
  const texts = effectiveMessages(messages);
  return {
    ...recovery,
    offers: { ...lifecycle, email: comparableEmail },
    messages: {
      templates: texts.templates,
      problems: texts.problems,
      offers: texts.offers,
      acknowledgement: texts.acknowledgement,
      acknowledgements: texts.acknowledgements,
    },
  };
}

/** The mail server fields (stored paths) a submitted server changes against the stored one; a typed password is a change. */
function mailServerChanges(submitted: unknown, existing: EmailSettings | null): string[] {
  const input = typeof submitted === "object" && submitted !== null ? (submitted as Record<string, unknown>) : null;
  if (!input && !existing) return [];
  const fields = ["enabled", "host", "port", "secure", "user", "from", "replyTo"] as const;
  const changed: string[] = fields
    .filter((field) => (input?.[field] ?? null) !== (existing?.[field] ?? null))
    .map((field) => `offers.email.${field}`);
  if (typeof input?.password === "string" && input.password !== "") changed.push("offers.email.password");
  return changed;
}

/** The offers section: the real schema for the hours and toggles, the email through emailSettingsToStore (which seals the password). */
function offersToStore(
  shop: string,
  value: Record<string, unknown>,
  existing: EmailSettings | null,
  errors: FieldErrors,
  currency: string,
  keepEmail = false,
): OfferSettings | null {
  const { email: emailInput, ...rest } = value;
  const parsed = offerSettingsSchema.safeParse({ ...rest, email: null });
  if (!parsed.success) collect(errors, "offers", parsed.error, currency);
  let email: EmailSettings | null = keepEmail ? existing : null;
  if (emailInput && !keepEmail) {
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
