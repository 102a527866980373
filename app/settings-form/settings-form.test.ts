import { expect, test } from "vitest";
import { changedSections, formToDocument, previewMessage, shareToPercent } from ".";
import { defaultFormValues } from "./test-values";

const defaults = (currency = "USD") => defaultFormValues(currency);

test("money shows as decimals of the shop currency and the holdout share as a percentage", () => {
  expect(defaults().decision).toMatchObject({
    monthlyBudgetMinor: "1000.00",
    holdoutShare: "10",
    yearlyCapPerCustomerMinor: "200.00",
  });
  expect(defaults("JPY").decision.monthlyBudgetMinor).toBe("100000");
  expect(shareToPercent(0.07)).toBe("7");
  expect(shareToPercent(0.125)).toBe("12.5");
});

test("the form converts back to stored units; only submitted sections come back, unknown keys are dropped", () => {
  const values = defaults();
  const result = formToDocument(
    {
      decision: { ...values.decision, holdoutShare: "7", monthlyBudgetMinor: "1,250.5", yearlyCapPerCustomerMinor: "" },
      extra: {},
    },
    "USD",
  );
  expect(result).toEqual({
    ok: true,
    sections: {
      decision: expect.objectContaining({
        holdoutShare: 0.07,
        monthlyBudgetMinor: 125_050,
        yearlyCapPerCustomerMinor: null,
        cooldownDays: 30,
      }),
    },
  });
});

test("values that are not numbers or amounts are field errors named by their path", () => {
  const values = defaults();
  const result = formToDocument(
    {
      detection: { ...values.detection, handlingDays: "two" },
      tiers: { ...values.tiers, vip: { minOrders: "1.5", minSpendMinor: "" } },
      decision: { ...values.decision, autoApproveCeilingMinor: "-5" },
    },
    "USD",
  );
  expect(result).toEqual({
    ok: false,
    fieldErrors: {
      "detection.handlingDays": "Enter a number, like 12 or 2.5",
      "tiers.vip.minOrders": "Enter a whole number",
      "tiers.vip.minSpendMinor": "Enter an amount",
      "decision.autoApproveCeilingMinor": "Enter an amount of zero or more",
    },
  });
});

test("tags and holidays are typed as comma-separated text", () => {
  const values = defaults();
  const result = formToDocument(
    { detection: { ...values.detection, excludedOrderTags: " a, b ,,c\n d", holidays: "2026-12-25, 2027-01-01" } },
    "USD",
  );
  expect(result.ok && result.sections.detection).toMatchObject({
    excludedOrderTags: ["a", "b", "c", "d"],
    holidays: ["2026-12-25", "2027-01-01"],
  });
});

test("an email section left blank means no mail server", () => {
  const values = defaults();
  const result = formToDocument({ offers: values.offers }, "USD");
  expect(result.ok && result.sections.offers).toMatchObject({ email: null });
});

test("changed sections are the ones whose values differ", () => {
  const initial = defaults();
  expect(changedSections(initial, initial)).toEqual([]);
  expect(changedSections(initial, { ...initial, attribution: { ...initial.attribution, windowDays: "60" } })).toEqual([
    "attribution",
  ]);
});

test("the preview renders what is typed, and says what is wrong instead when a text cannot be filled", () => {
  const { messages } = defaults();
  const sample = {
    templateKey: "standard",
    incidentType: "LATE_FULFILLMENT" as const,
    offerKey: "DISCOUNT_PERCENT" as const,
  };
  const shop = { currency: "USD", timeZone: "UTC" };
  const now = new Date("2026-03-01T12:00:00Z");
  const preview = previewMessage(
    {
      ...messages,
      offers: { ...messages.offers, DISCOUNT_PERCENT: "Take {{amount}} off with {{code}} until {{expiry}}." },
    },
    sample,
    shop,
    now,
  );
  expect(preview).toMatchObject({ ok: true, subject: "We're sorry about your order #1042" });
  expect(preview.ok && preview.body).toContain("Take 15% off with SORRY-7KQ2 until April 30, 2026.");
  expect(
    previewMessage(
      { ...messages, problems: { ...messages.problems, LATE_FULFILLMENT: "late {{oops}}" } },
      sample,
      shop,
      now,
    ),
  ).toEqual({
    ok: false,
    problem: expect.stringContaining("Unknown placeholder {{oops}}"),
  });
});
