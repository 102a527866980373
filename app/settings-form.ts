/**
 * The settings page's form, shared by the page (its state) and the settings service (turning a
 * submitted form into the stored document). Field names are the stored document's paths
 * ("decision.monthlyBudgetMinor"), so an error the real schema reports lands on the field that
 * caused it; what the merchant types differs from what is stored only in units: money as decimals
 * of the shop currency, the holdout share as a percentage, tags and holidays as text.
 */
import type { z } from "zod";
import type { FieldErrors } from "./forms";
import {
  AUTHORITY_LEVELS,
  INCIDENT_TYPES,
  SEVERITIES,
  fromMinorUnits,
  renderMessage,
  templateErrors,
  toMinorUnits,
  type AuthorityLevel,
  type GridCell,
  type IncidentType,
  type RecoverySettings,
  type Severity,
} from "./recovery";
import {
  catalogWithOverrides,
  effectiveMessages,
  OFFER_PLACEHOLDERS,
  OFFER_TEXT_KEYS,
  PROBLEM_PLACEHOLDERS,
  SUBJECT_PLACEHOLDERS,
  TEMPLATE_KEYS,
  TEMPLATE_PLACEHOLDERS,
  type MessageOverrides,
  type OfferTextKey,
} from "./recovery/messages/overrides";

export const SECTIONS = [
  "detection",
  "severity",
  "tiers",
  "decision",
  "authority",
  "attribution",
  "offers",
  "messages",
] as const;
export type Section = (typeof SECTIONS)[number];

type Ladder = { minor: string; moderate: string; major: string; critical: string };

export interface EmailValues {
  enabled: boolean;
  host: string;
  port: string;
  secure: boolean;
  user: string;
  /** Empty: keep the stored password (the page never receives it). */
  password: string;
  from: string;
  replyTo: string;
}

export interface SettingsValues {
  detection: {
    handlingDays: string;
    weekendDays: number[];
    holidays: string;
    excludedOrderTags: string;
    excludedCustomerTags: string;
    attemptedDeliveryThreshold: string;
    cancellationReasons: string[];
    countReturnRefunds: boolean;
  };
  severity: {
    lateFulfillment: Ladder;
    deliveryDelay: Ladder;
    deliveryFailure: Severity;
    refund: { moderateFromPercent: string; majorAbovePercent: string };
    merchantCancellation: Severity;
    repeatCustomerWindowDays: string;
    highValueOrderMinor: string;
  };
  tiers: {
    newMaxEarlierOrders: string;
    loyal: { minOrders: string; minSpendMinor: string };
    vip: { minOrders: string; minSpendMinor: string };
  };
  decision: {
    enabledIncidentTypes: string[];
    holdoutShare: string;
    cooldownDays: string;
    yearlyCapPerCustomerMinor: string;
    autoApproveCeilingMinor: string;
    monthlyBudgetMinor: string;
  };
  authority: {
    limits: Record<AuthorityLevel, string>;
    defaultLevel: AuthorityLevel;
    /** Member id -> level; "DEFAULT" follows the default level (not stored). */
    members: Record<string, AuthorityLevel | "DEFAULT">;
  };
  attribution: { windowDays: string };
  offers: {
    escalateAfterHours: string;
    expireAfterHours: string;
    followUpAfterHours: string;
    notifyStoreCredit: boolean;
    notifyGiftCard: boolean;
    email: EmailValues;
  };
  messages: {
    templates: Record<string, { subject: string; body: string }>;
    problems: Record<string, string>;
    offers: Record<string, string>;
  };
}

/** Fields holding money (minor units stored, decimals typed). */
export const MONEY_FIELDS = new Set([
  "severity.highValueOrderMinor",
  "tiers.loyal.minSpendMinor",
  "tiers.vip.minSpendMinor",
  "decision.yearlyCapPerCustomerMinor",
  "decision.autoApproveCeilingMinor",
  "decision.monthlyBudgetMinor",
  "authority.limits.STAFF",
  "authority.limits.MANAGER",
  "authority.limits.OWNER",
]);
export const PERCENT_SHARE_FIELD = "decision.holdoutShare";

/** The stored email settings as the page may see them: never the password, only whether one is kept. */
export interface EmailSummary {
  enabled: boolean;
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  from: string;
  replyTo: string | null;
  passwordStored: boolean;
}

export interface OfferSettingsView {
  escalateAfterHours: number;
  expireAfterHours: number;
  followUpAfterHours: number;
  notifyStoreCredit: boolean;
  notifyGiftCard: boolean;
  email: EmailSummary | null;
}

const money = (minor: number | null, currency: string) => (minor === null ? "" : fromMinorUnits(minor, currency));
const text = (value: number | null) => (value === null ? "" : String(value));
const ladder = (l: {
  minor: number;
  moderate: number | null;
  major: number | null;
  critical: number | null;
}): Ladder => ({
  minor: text(l.minor),
  moderate: text(l.moderate),
  major: text(l.major),
  critical: text(l.critical),
});

/** "10" for a 0.1 share, without float noise (0.07 * 100 = 7.000000000000001). */
export function shareToPercent(share: number): string {
  return String(Math.round(share * 10_000) / 100);
}

export function settingsValues(
  recovery: RecoverySettings,
  offers: OfferSettingsView,
  messages: MessageOverrides,
  currency: string,
): SettingsValues {
  const { detection, severity, tiers, decision, authority, attribution } = recovery;
  const texts = effectiveMessages(messages);
  return {
    detection: {
      handlingDays: text(detection.handlingDays),
      weekendDays: [...detection.weekendDays].sort(),
      holidays: detection.holidays.join(", "),
      excludedOrderTags: detection.excludedOrderTags.join(", "),
      excludedCustomerTags: detection.excludedCustomerTags.join(", "),
      attemptedDeliveryThreshold: text(detection.attemptedDeliveryThreshold),
      cancellationReasons: [...detection.cancellationReasons],
      countReturnRefunds: detection.countReturnRefunds,
    },
    severity: {
      lateFulfillment: ladder(severity.lateFulfillment),
      deliveryDelay: ladder(severity.deliveryDelay),
      deliveryFailure: severity.deliveryFailure,
      refund: {
        moderateFromPercent: text(severity.refund.moderateFromPercent),
        majorAbovePercent: text(severity.refund.majorAbovePercent),
      },
      merchantCancellation: severity.merchantCancellation,
      repeatCustomerWindowDays: text(severity.repeatCustomerWindowDays),
      highValueOrderMinor: money(severity.highValueOrderMinor, currency),
    },
    tiers: {
      newMaxEarlierOrders: text(tiers.newMaxEarlierOrders),
      loyal: { minOrders: text(tiers.loyal.minOrders), minSpendMinor: money(tiers.loyal.minSpendMinor, currency) },
      vip: { minOrders: text(tiers.vip.minOrders), minSpendMinor: money(tiers.vip.minSpendMinor, currency) },
    },
    decision: {
      enabledIncidentTypes: [...decision.enabledIncidentTypes],
      holdoutShare: shareToPercent(decision.holdoutShare),
      cooldownDays: text(decision.cooldownDays),
      yearlyCapPerCustomerMinor: money(decision.yearlyCapPerCustomerMinor, currency),
      autoApproveCeilingMinor: money(decision.autoApproveCeilingMinor, currency),
      monthlyBudgetMinor: money(decision.monthlyBudgetMinor, currency),
    },
    authority: {
      limits: {
        STAFF: money(authority.limits.STAFF, currency),
        MANAGER: money(authority.limits.MANAGER, currency),
        OWNER: money(authority.limits.OWNER, currency),
      },
      defaultLevel: authority.defaultLevel,
      members: { ...authority.members },
    },
    attribution: { windowDays: text(attribution.windowDays) },
    offers: {
      escalateAfterHours: text(offers.escalateAfterHours),
      expireAfterHours: text(offers.expireAfterHours),
      followUpAfterHours: text(offers.followUpAfterHours),
      notifyStoreCredit: offers.notifyStoreCredit,
      notifyGiftCard: offers.notifyGiftCard,
      email: {
        enabled: offers.email?.enabled ?? false,
        host: offers.email?.host ?? "",
        port: String(offers.email?.port ?? 587),
        secure: offers.email?.secure ?? false,
        user: offers.email?.user ?? "",
        password: "",
        from: offers.email?.from ?? "",
        replyTo: offers.email?.replyTo ?? "",
      },
    },
    messages: {
      templates: Object.fromEntries(
        TEMPLATE_KEYS.map((key) => [
          key,
          { subject: texts.templates[key]?.subject ?? "", body: texts.templates[key]?.body ?? "" },
        ]),
      ),
      problems: Object.fromEntries(INCIDENT_TYPES.map((type) => [type, texts.problems[type]])),
      offers: Object.fromEntries(OFFER_TEXT_KEYS.map((key) => [key, texts.offers[key]])),
    },
  };
}

/** Sections whose values differ: what the page submits, so saving one section cannot touch another. */
export function changedSections(initial: SettingsValues, current: SettingsValues): Section[] {
  return SECTIONS.filter((section) => JSON.stringify(initial[section]) !== JSON.stringify(current[section]));
}

// ---------------------------------------------------------------------------------------------
// From the form to the stored document's shape (before the real schemas check ranges and rules)

/** Collects field errors while converting; the first problem of a field wins. */
class Conversion {
  readonly errors: FieldErrors = {};
  fail(path: string, message: string): undefined {
    this.errors[path] ??= message;
    return undefined;
  }
}

function asString(value: unknown): string {
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}

function numberField(
  c: Conversion,
  path: string,
  value: unknown,
  options: { whole?: boolean; optional?: boolean } = {},
): number | null | undefined {
  const raw = asString(value).replaceAll(",", "");
  if (raw === "") return options.optional ? null : c.fail(path, "Enter a number");
  if (!/^-?\d+(\.\d+)?$/.test(raw)) return c.fail(path, "Enter a number, like 12 or 2.5");
  const n = Number(raw);
  if (options.whole && !Number.isInteger(n)) return c.fail(path, "Enter a whole number");
  return n;
}

function moneyField(
  c: Conversion,
  path: string,
  value: unknown,
  currency: string,
  optional: boolean,
): number | null | undefined {
  const raw = asString(value).replaceAll(",", "");
  if (raw === "") return optional ? null : c.fail(path, "Enter an amount");
  if (raw.startsWith("-")) return c.fail(path, "Enter an amount of zero or more");
  try {
    return toMinorUnits(raw, currency);
  } catch {
    return c.fail(path, `Enter an amount in ${currency}, like ${fromMinorUnits(2_500, currency)}`);
  }
}

function listField(value: unknown): string[] {
  return asString(value)
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function ladderToDocument(c: Conversion, path: string, value: unknown) {
  const l = record(value);
  return {
    minor: numberField(c, `${path}.minor`, l.minor, { whole: true }),
    moderate: numberField(c, `${path}.moderate`, l.moderate, { whole: true, optional: true }),
    major: numberField(c, `${path}.major`, l.major, { whole: true, optional: true }),
    critical: numberField(c, `${path}.critical`, l.critical, { whole: true, optional: true }),
  };
}

/** The submitted email fields in the shape emailSettingsInputSchema reads; null: no mail server. */
function emailToDocument(c: Conversion, value: unknown): Record<string, unknown> | null {
  const e = record(value);
  const host = asString(e.host);
  const enabled = e.enabled === true;
  if (!enabled && host === "" && asString(e.from) === "") return null;
  if (host === "") c.fail("offers.email.host", "Enter the mail server's host name, like smtp.example.com");
  const from = asString(e.from);
  if (!/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(from.replace(/^.*<(.*)>$/, "$1")))
    c.fail("offers.email.from", "Enter the address customers see, like care@yourstore.com");
  const replyTo = asString(e.replyTo);
  return {
    enabled,
    host,
    port: numberField(c, "offers.email.port", e.port, { whole: true }),
    secure: e.secure === true,
    ...(asString(e.user) ? { user: asString(e.user) } : {}),
    // Passwords may begin or end with spaces: only the other fields are trimmed.
    password: typeof e.password === "string" ? e.password : "",
    from,
    ...(replyTo ? { replyTo } : {}),
  };
}

function sectionToDocument(c: Conversion, section: Section, value: unknown, currency: string): unknown {
  const v = record(value);
  switch (section) {
    case "detection":
      return {
        handlingDays: numberField(c, "detection.handlingDays", v.handlingDays, { whole: true }),
        weekendDays: arrayOf(v.weekendDays).map(Number),
        holidays: listField(v.holidays),
        excludedOrderTags: listField(v.excludedOrderTags),
        excludedCustomerTags: listField(v.excludedCustomerTags),
        attemptedDeliveryThreshold: numberField(
          c,
          "detection.attemptedDeliveryThreshold",
          v.attemptedDeliveryThreshold,
          { whole: true },
        ),
        cancellationReasons: arrayOf(v.cancellationReasons),
        countReturnRefunds: v.countReturnRefunds === true,
      };
    case "severity": {
      const refund = record(v.refund);
      return {
        lateFulfillment: ladderToDocument(c, "severity.lateFulfillment", v.lateFulfillment),
        deliveryDelay: ladderToDocument(c, "severity.deliveryDelay", v.deliveryDelay),
        deliveryFailure: v.deliveryFailure,
        refund: {
          moderateFromPercent: numberField(c, "severity.refund.moderateFromPercent", refund.moderateFromPercent, {
            whole: true,
          }),
          majorAbovePercent: numberField(c, "severity.refund.majorAbovePercent", refund.majorAbovePercent, {
            whole: true,
          }),
        },
        merchantCancellation: v.merchantCancellation,
        repeatCustomerWindowDays: numberField(c, "severity.repeatCustomerWindowDays", v.repeatCustomerWindowDays, {
          whole: true,
        }),
        highValueOrderMinor: moneyField(c, "severity.highValueOrderMinor", v.highValueOrderMinor, currency, true),
      };
    }
    case "tiers": {
      const tier = (name: "loyal" | "vip") => {
        const t = record(v[name]);
        return {
          minOrders: numberField(c, `tiers.${name}.minOrders`, t.minOrders, { whole: true }),
          minSpendMinor: moneyField(c, `tiers.${name}.minSpendMinor`, t.minSpendMinor, currency, false),
        };
      };
      return {
        newMaxEarlierOrders: numberField(c, "tiers.newMaxEarlierOrders", v.newMaxEarlierOrders, { whole: true }),
        loyal: tier("loyal"),
        vip: tier("vip"),
      };
    }
    case "decision": {
      const percent = numberField(c, PERCENT_SHARE_FIELD, v.holdoutShare);
      return {
        enabledIncidentTypes: arrayOf(v.enabledIncidentTypes),
        // Two decimals of a percent are plenty; rounding keeps 12.5% from becoming 0.12500000000000001.
        holdoutShare: typeof percent === "number" ? Math.round(percent * 100) / 10_000 : percent,
        cooldownDays: numberField(c, "decision.cooldownDays", v.cooldownDays, { whole: true }),
        yearlyCapPerCustomerMinor: moneyField(
          c,
          "decision.yearlyCapPerCustomerMinor",
          v.yearlyCapPerCustomerMinor,
          currency,
          true,
        ),
        autoApproveCeilingMinor: moneyField(
          c,
          "decision.autoApproveCeilingMinor",
          v.autoApproveCeilingMinor,
          currency,
          false,
        ),
        monthlyBudgetMinor: moneyField(c, "decision.monthlyBudgetMinor", v.monthlyBudgetMinor, currency, true),
      };
    }
    case "authority": {
      const limits = record(v.limits);
      const members: Record<string, unknown> = {};
      for (const [id, level] of Object.entries(record(v.members))) if (level !== "DEFAULT") members[id] = level;
      return {
        limits: Object.fromEntries(
          AUTHORITY_LEVELS.map((level) => [
            level,
            moneyField(c, `authority.limits.${level}`, limits[level], currency, true),
          ]),
        ),
        defaultLevel: v.defaultLevel,
        members,
      };
    }
    case "attribution":
      return { windowDays: numberField(c, "attribution.windowDays", v.windowDays, { whole: true }) };
    case "offers":
      return {
        escalateAfterHours: numberField(c, "offers.escalateAfterHours", v.escalateAfterHours),
        expireAfterHours: numberField(c, "offers.expireAfterHours", v.expireAfterHours),
        followUpAfterHours: numberField(c, "offers.followUpAfterHours", v.followUpAfterHours),
        notifyStoreCredit: v.notifyStoreCredit === true,
        notifyGiftCard: v.notifyGiftCard === true,
        email: emailToDocument(c, v.email),
      };
    case "messages": {
      const templates = record(v.templates);
      return {
        templates: Object.fromEntries(
          TEMPLATE_KEYS.map((key) => [
            key,
            { subject: asString(record(templates[key]).subject), body: asString(record(templates[key]).body) },
          ]),
        ),
        problems: Object.fromEntries(INCIDENT_TYPES.map((type) => [type, asString(record(v.problems)[type])])),
        offers: Object.fromEntries(OFFER_TEXT_KEYS.map((key) => [key, asString(record(v.offers)[key])])),
      };
    }
  }
}

export type SubmittedSections = Partial<Record<Section, unknown>>;

/**
 * The submitted sections converted to the stored units; keys that are not sections are dropped.
 * Ranges and cross-field rules are left to the real schemas.
 */
export function formToDocument(
  input: unknown,
  currency: string,
): { ok: true; sections: SubmittedSections } | { ok: false; fieldErrors: FieldErrors } {
  const c = new Conversion();
  const sections: SubmittedSections = {};
  const submitted = record(input);
  for (const section of SECTIONS) {
    if (section in submitted) sections[section] = sectionToDocument(c, section, submitted[section], currency);
  }
  return Object.keys(c.errors).length > 0 ? { ok: false, fieldErrors: c.errors } : { ok: true, sections };
}

/**
 * Zod's issue as a sentence for the field, in the units the merchant typed: "Enter at most
 * 50%" for the holdout share, money bounds in the shop currency.
 */
export function friendlyMessage(issue: z.core.$ZodIssue, path: string, currency: string): string {
  const show = (bound: number | bigint) => {
    const n = Number(bound);
    if (MONEY_FIELDS.has(path)) return fromMinorUnits(n, currency);
    if (path === PERCENT_SHARE_FIELD) return `${shareToPercent(n)}%`;
    return String(n);
  };
  if (issue.code === "too_small" && issue.origin === "number")
    return `Enter ${issue.inclusive === false ? "more than" : "at least"} ${show(issue.minimum)}`;
  if (issue.code === "too_big" && issue.origin === "number")
    return `Enter ${issue.inclusive === false ? "less than" : "at most"} ${show(issue.maximum)}`;
  if (issue.code === "too_big" && issue.origin === "array")
    return path === "detection.weekendDays"
      ? "At least one day a week must be a business day"
      : `Choose at most ${show(issue.maximum)}`;
  if (issue.code === "invalid_value" || issue.code === "invalid_type") return "Choose one of the options";
  if (issue.code === "too_big" && issue.origin === "string") return `Keep it under ${show(issue.maximum)} characters`;
  return issue.message;
}

export const LEVEL_LABELS: Record<AuthorityLevel, string> = { STAFF: "Staff", MANAGER: "Manager", OWNER: "Owner" };
export const SEVERITY_OPTIONS = SEVERITIES.map((s) => ({ label: s[0]?.toUpperCase() + s.slice(1), value: s }));

// ---------------------------------------------------------------------------------------------
// The live message preview

/** A sample offer of each kind, for the message preview. */
function sampleCell(kind: OfferTextKey): GridCell {
  const base = { approval: "AUTO" as const, messageTemplateKey: "standard" };
  switch (kind) {
    case "DISCOUNT_PERCENT":
      return { ...base, kind, value: 15, expiryDays: 60 };
    case "DISCOUNT_FIXED":
      return { ...base, kind, value: 1_000, expiryDays: 60 };
    case "STORE_CREDIT":
      return { ...base, kind, value: 1_500, expiryDays: 90 };
    case "GIFT_CARD":
      return { ...base, kind, value: 2_000, expiryDays: 365 };
    case "GIFT_CARD_NO_EXPIRY":
      return { ...base, kind: "GIFT_CARD", value: 2_000, expiryDays: null };
    case "GIFT_PRODUCT":
      return { ...base, kind, value: { variantId: "gid://shopify/ProductVariant/1", quantity: 1 }, expiryDays: null };
    case "NONE":
      return { ...base, kind, value: null, expiryDays: null };
  }
}

const SAMPLE_CODE: Partial<Record<OfferTextKey, string>> = {
  DISCOUNT_PERCENT: "SORRY-7KQ2",
  DISCOUNT_FIXED: "SORRY-7KQ2",
  GIFT_CARD: "GC-4F7Q-9K2M",
  GIFT_CARD_NO_EXPIRY: "GC-4F7Q-9K2M",
};

type Preview = { ok: true; subject: string; body: string } | { ok: false; problem: string };

/** The apology as a customer would get it, from what is typed now; the same pure function the sender uses. */
export function previewMessage(
  messages: SettingsValues["messages"],
  sample: { templateKey: string; incidentType: IncidentType; offerKey: OfferTextKey },
  shop: { currency: string; timeZone: string },
  now: Date,
): Preview {
  const template = messages.templates[sample.templateKey] ?? { subject: "", body: "" };
  const problem = messages.problems[sample.incidentType] ?? "";
  const offer = messages.offers[sample.offerKey] ?? "";
  const problems = [
    ...templateErrors(template.subject, SUBJECT_PLACEHOLDERS),
    ...templateErrors(template.body, TEMPLATE_PLACEHOLDERS),
    ...templateErrors(problem, PROBLEM_PLACEHOLDERS),
    ...templateErrors(offer, OFFER_PLACEHOLDERS[sample.offerKey]),
  ];
  if (problems[0]) return { ok: false, problem: problems[0] };
  const overrides: MessageOverrides = {
    templates: { [sample.templateKey]: template },
    problems: { [sample.incidentType]: problem },
    offers: { [sample.offerKey]: offer },
  };
  const cell = sampleCell(sample.offerKey);
  const expiresAt = cell.expiryDays === null ? null : new Date(now.getTime() + cell.expiryDays * 86_400_000);
  const rendered = renderMessage(
    {
      locale: "en",
      templateKey: sample.templateKey,
      incidentType: sample.incidentType,
      firstName: "Ana",
      orderName: "#1042",
      offer: { cell, code: SAMPLE_CODE[sample.offerKey] ?? null, expiresAt },
      shop,
    },
    catalogWithOverrides(overrides),
  );
  return { ok: true, subject: rendered.subject, body: rendered.body };
}
