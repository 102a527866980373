/**
 * From the submitted form to the stored document's shape: units converted back (money to minor
 * units, the percentage to a share, text to lists), each problem reported at its field's path.
 * Ranges and cross-field rules are left to the real schemas; friendlyMessage words their issues
 * in the units the merchant typed.
 */
import type { z } from "zod";
import type { FieldErrors } from "../forms";
import { INCIDENT_TYPES, LIMITED_LEVELS, fromMinorUnits, toMinorUnits } from "../recovery";
import { OFFER_TEXT_KEYS, TEMPLATE_KEYS } from "../recovery/messages/overrides";
import { MONEY_FIELDS, PERCENT_SHARE_FIELD, SECTIONS, shareToPercent, type Section } from "./values";

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
        // A choice from a list: the section's schema checks it.
        unavailableKindFallback: v.unavailableKindFallback,
      };
    }
    case "authority": {
      const limits = record(v.limits);
      const members: Record<string, unknown> = {};
      for (const [id, level] of Object.entries(record(v.members))) if (level !== "DEFAULT") members[id] = level;
      return {
        limits: Object.fromEntries(
          LIMITED_LEVELS.map((level) => [
            level,
            moneyField(c, `authority.limits.${level}`, limits[level], currency, true),
          ]),
        ),
        defaultLevel: v.defaultLevel,
        members,
      };
    }
    case "lifecycle":
      return {
        lapsedAfterDays: numberField(c, "lifecycle.lapsedAfterDays", v.lapsedAfterDays, { whole: true }),
        frequentMinEarlierOrders: numberField(c, "lifecycle.frequentMinEarlierOrders", v.frequentMinEarlierOrders, {
          whole: true,
        }),
      };
    case "attribution":
      return {
        windowDays: numberField(c, "attribution.windowDays", v.windowDays, { whole: true }),
        readoutIncidents: numberField(c, "attribution.readoutIncidents", v.readoutIncidents, { whole: true }),
      };
    case "offers":
      return {
        escalateAfterHours: numberField(c, "offers.escalateAfterHours", v.escalateAfterHours),
        expireAfterHours: numberField(c, "offers.expireAfterHours", v.expireAfterHours),
        followUpAfterHours: numberField(c, "offers.followUpAfterHours", v.followUpAfterHours),
        acknowledgeWithinMinutes: numberField(c, "offers.acknowledgeWithinMinutes", v.acknowledgeWithinMinutes, {
          whole: true,
        }),
        notifyStoreCredit: v.notifyStoreCredit === true,
        notifyGiftCard: v.notifyGiftCard === true,
        email: emailToDocument(c, v.email),
        // Empty: no digest email (decision 0118); the schema checks the address and says so beside the field.
        digestEmailTo: asString(v.digestEmailTo) || null,
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
        acknowledgement: {
          subject: asString(record(v.acknowledgement).subject),
          body: asString(record(v.acknowledgement).body),
        },
        acknowledgements: Object.fromEntries(
          INCIDENT_TYPES.map((type) => [type, asString(record(v.acknowledgements)[type])]),
        ),
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
