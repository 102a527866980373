import { expect, test } from "vitest";
import { isSettingsPage, SETTINGS_PAGES, settingsHref, settingsPageOf, settingsPageSummary } from ".";
import { defaultFormValues, offersView } from "./test-values";

const defaults = () => defaultFormValues("USD", offersView({ notifyGiftCard: false }));

test.each([
  // The links other pages make (the grid's approval rules and matrix, the setup guide).
  ["decision.autoApproveCeilingMinor", "guardrails"],
  ["decision.monthlyBudgetMinor", "guardrails"],
  ["decision.cooldownDays", "guardrails"],
  ["decision.yearlyCapPerCustomerMinor", "guardrails"],
  ["authority.limits.STAFF", "approvals"],
  ["authority.defaultLevel", "approvals"],
  ["authority.members.1002", "approvals"],
  ["offers.escalateAfterHours", "approvals"],
  ["offers.expireAfterHours", "approvals"],
  ["severity.lateFulfillment.minor", "severity"],
  ["tiers.newMaxEarlierOrders", "severity"],
  ["lifecycle.lapsedAfterDays", "severity"],
  // A stored section spread over several pages: the longest prefix wins.
  ["decision.enabledIncidentTypes", "detection"],
  ["detection.holidays", "detection"],
  ["offers.acknowledgeWithinMinutes", "messages"],
  ["messages.templates.STORE_CREDIT.body", "messages"],
  ["offers.followUpAfterHours", "measurement"],
  ["attribution.windowDays", "measurement"],
  ["offers.email.host", "notifications"],
  ["offers.notifyGiftCard", "notifications"],
  ["offers.digestEmailTo", "notifications"],
  // Whole segments only, and nothing for paths no page shows.
  ["decisionX.cooldownDays", null],
  ["offersX", null],
  ["", null],
  ["unknown.path", null],
] as const)("the field %s is on the %s page", (path, page) => {
  expect(settingsPageOf(path)).toBe(page);
  expect(settingsHref(path)).toBe(page ? `/app/settings/${page}#${path}` : "/app/settings");
});

/** Every leaf path of the form's values ("detection.weekendDays", "messages.templates.X.body"). */
function leafPaths(node: unknown, prefix = ""): string[] {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [prefix];
  return Object.entries(node).flatMap(([key, value]) => leafPaths(value, prefix ? `${prefix}.${key}` : key));
}

test("every field of the form is on exactly one page", () => {
  const paths = leafPaths(defaults());
  expect(paths.length).toBeGreaterThan(40);
  for (const path of paths) expect([path, settingsPageOf(path)]).toEqual([path, expect.any(String)]);
  expect(new Set(paths.map(settingsPageOf))).toEqual(new Set(SETTINGS_PAGES.map((p) => p.slug)));
});

test.each([
  ["detection", true],
  ["measurement", true],
  ["history", false],
  ["Detection", false],
  [undefined, false],
])("%s is a settings page: %s", (slug, expected) => {
  expect(isSettingsPage(slug)).toBe(expected);
});

test("each page's summary line says its current values", () => {
  const values = defaults();
  const line = (slug: Parameters<typeof settingsPageSummary>[0]) => settingsPageSummary(slug, values, "USD");
  expect(line("detection")).toMatch(
    /^Late after 2 business days · no shipping Sun, Sat · 0 holidays · acts on \d+ incident types$/,
  );
  expect(line("guardrails")).toBe("10% held out · auto-approve up to 50.00 USD · budget 1000.00 USD a month");
  expect(line("notifications")).toBe(
    "Shopify notifications: store credit on, gift card off · own mail server off · no weekly digest",
  );
  expect(line("measurement")).toMatch(
    /^Attribution window \d+ days · results read every \d+ incidents · follow-up after 48 hours$/,
  );
  expect(line("approvals")).toMatch(
    /^Escalate after 4 hours · expire after 48 hours · staff approve up to 50.00 USD · managers up to 250.00 USD · no member levels set$/,
  );

  values.decision.monthlyBudgetMinor = "";
  values.offers.email = { ...values.offers.email, enabled: true, host: "smtp.example.com" };
  values.offers.digestEmailTo = "owner@example.com";
  values.authority.members = { "1002": "MANAGER" };
  values.detection.holidays = "2026-12-25, 2027-01-01";
  expect(line("guardrails")).toBe("10% held out · auto-approve up to 50.00 USD · budget none");
  expect(line("notifications")).toContain("email through smtp.example.com · digest to owner@example.com");
  expect(line("approvals")).toContain("1 member level set");
  expect(line("detection")).toContain("2 holidays");
});
