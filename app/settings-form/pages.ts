/**
 * The settings pages (decision 0126): the index at /app/settings lists these sections, each on its
 * own page /app/settings/<slug>. Every link to a setting goes through settingsHref, so a field
 * path ("decision.autoApproveCeilingMinor") lands on the page that shows it, focused.
 */
import type { SettingsValues } from "./values";

export const SETTINGS_PAGES = [
  {
    slug: "detection",
    title: "Detection",
    description: "When Amends opens an incident: handling time, shipping days, which failures and orders count.",
  },
  {
    slug: "severity",
    title: "Severity & tiers",
    description: "How bad each failure is, which customers are new, loyal or VIP, and their lifecycle stages.",
  },
  {
    slug: "guardrails",
    title: "Guardrails & budget",
    description: "The comparison group, limits per customer, the auto-approve ceiling and the monthly budget.",
  },
  {
    slug: "approvals",
    title: "Approvals & staff",
    description: "How long offers wait, what each level may approve, and each staff member's level.",
  },
  {
    slug: "messages",
    title: "Customer messages",
    description: "The apology and acknowledgement texts customers receive.",
  },
  {
    slug: "notifications",
    title: "Notifications & email",
    description: "Shopify's notifications, your own mail server and the weekly digest.",
  },
  {
    slug: "measurement",
    title: "Measurement",
    description: "How Amends measures whether a make-good worked, and when it checks in with the customer.",
  },
] as const;

export type SettingsPageSlug = (typeof SETTINGS_PAGES)[number]["slug"];

export function isSettingsPage(slug: unknown): slug is SettingsPageSlug {
  return SETTINGS_PAGES.some((page) => page.slug === slug);
}

export function settingsPage(slug: SettingsPageSlug) {
  // isSettingsPage guards every slug that reaches here.
  return SETTINGS_PAGES.find((page) => page.slug === slug) ?? SETTINGS_PAGES[0];
}

/**
 * Which page shows a field, by the longest matching path prefix. The stored sections do not map
 * one to one: "offers" is spread over approvals, messages, notifications and measurement, and the
 * incident types Amends acts on sit with detection.
 */
const PREFIXES: ReadonlyArray<[string, SettingsPageSlug]> = [
  ["detection", "detection"],
  ["decision.enabledIncidentTypes", "detection"],
  ["severity", "severity"],
  ["tiers", "severity"],
  ["lifecycle", "severity"],
  ["decision", "guardrails"],
  ["authority", "approvals"],
  ["offers.escalateAfterHours", "approvals"],
  ["offers.expireAfterHours", "approvals"],
  ["messages", "messages"],
  ["offers.acknowledgeWithinMinutes", "messages"],
  ["offers", "notifications"],
  ["attribution", "measurement"],
  ["offers.followUpAfterHours", "measurement"],
];

/** The page showing the field at a path, or null for a path no page shows. */
export function settingsPageOf(path: string): SettingsPageSlug | null {
  let best: [string, SettingsPageSlug] | null = null;
  for (const entry of PREFIXES) {
    const [prefix] = entry;
    if ((path === prefix || path.startsWith(`${prefix}.`)) && (!best || prefix.length > best[0].length)) best = entry;
  }
  return best ? best[1] : null;
}

/** The link to a setting: its page with the field's path as the fragment, or the index for an unknown path. */
export function settingsHref(path: string): string {
  const page = settingsPageOf(path);
  return page ? `/app/settings/${page}#${path}` : "/app/settings";
}

const WEEKDAY_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const count = (text: string) =>
  text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean).length;
const moneyOr = (amount: string, currency: string, none: string) => (amount === "" ? none : `${amount} ${currency}`);

/** One line of the current values of a page, for the index. */
export function settingsPageSummary(slug: SettingsPageSlug, values: SettingsValues, currency: string): string {
  switch (slug) {
    case "detection": {
      const d = values.detection;
      const days =
        d.weekendDays.length === 0
          ? "ships every day"
          : `no shipping ${d.weekendDays.map((day) => WEEKDAY_SHORT[day]).join(", ")}`;
      return [
        `Late after ${plural(Number(d.handlingDays), "business day")}`,
        days,
        plural(count(d.holidays), "holiday"),
        `acts on ${plural(values.decision.enabledIncidentTypes.length, "incident type")}`,
      ].join(" · ");
    }
    case "severity": {
      const { tiers } = values;
      return [
        `Late to ship is minor from ${plural(Number(values.severity.lateFulfillment.minor), "day")}`,
        `new up to ${plural(Number(tiers.newMaxEarlierOrders), "earlier order")}`,
        `loyal from ${plural(Number(tiers.loyal.minOrders), "order")}`,
        `VIP from ${plural(Number(tiers.vip.minOrders), "order")}`,
      ].join(" · ");
    }
    case "guardrails": {
      const d = values.decision;
      return [
        `${d.holdoutShare}% held out`,
        `auto-approve up to ${moneyOr(d.autoApproveCeilingMinor, currency, "any amount")}`,
        `budget ${moneyOr(d.monthlyBudgetMinor, currency, "none")}${d.monthlyBudgetMinor === "" ? "" : " a month"}`,
      ].join(" · ");
    }
    case "approvals": {
      const { offers, authority } = values;
      const members = Object.values(authority.members).filter((level) => level !== "DEFAULT").length;
      return [
        `Escalate after ${plural(Number(offers.escalateAfterHours), "hour")}`,
        `expire after ${plural(Number(offers.expireAfterHours), "hour")}`,
        `staff approve up to ${moneyOr(authority.limits.STAFF, currency, "any amount")}`,
        `managers up to ${moneyOr(authority.limits.MANAGER, currency, "any amount")}`,
        members === 0 ? "no member levels set" : `${plural(members, "member level")} set`,
      ].join(" · ");
    }
    case "messages":
      return [
        `Acknowledge within ${plural(Number(values.offers.acknowledgeWithinMinutes), "minute")}`,
        `${plural(Object.keys(values.messages.templates).length, "apology template")}`,
      ].join(" · ");
    case "notifications": {
      const o = values.offers;
      return [
        `Shopify notifications: store credit ${o.notifyStoreCredit ? "on" : "off"}, gift card ${o.notifyGiftCard ? "on" : "off"}`,
        o.email.enabled ? `email through ${o.email.host}` : "own mail server off",
        o.digestEmailTo === "" ? "no weekly digest" : `digest to ${o.digestEmailTo}`,
      ].join(" · ");
    }
    case "measurement":
      return [
        `Attribution window ${plural(Number(values.attribution.windowDays), "day")}`,
        `results read every ${plural(Number(values.attribution.readoutIncidents), "incident")}`,
        `follow-up after ${plural(Number(values.offers.followUpAfterHours), "hour")}`,
      ].join(" · ");
  }
}
