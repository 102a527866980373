import { expect, test } from "vitest";
import { DEFAULT_GRID } from "../grid";
import { recoverySettingsSchema } from "../settings";
import { sampleLateOrderOffer } from "./sample";

const grid = { version: 1, grid: DEFAULT_GRID, createdAt: new Date(0), createdBy: "system" };
const shop = { currency: "USD", timeZone: "America/New_York" };
const now = new Date("2026-11-23T15:00:00Z");

test("the sample is the real decision for a 3-days-late order of a returning customer, never held out", () => {
  const settings = recoverySettingsSchema.parse({ decision: { holdoutShare: 0.5 } });
  const sample = sampleLateOrderOffer({ settings, gridVersion: grid, shop, now });
  expect(sample.scenario).toMatch(/\$80 .*3 business days late/);
  expect(sample.holdoutShare).toBe(0.5);
  expect(sample.decision.kind).toBe("OFFER");
  expect(sample.decision.explanation[0]).toMatch(/^Incident: moderate, /);
  expect(sample.decision.explanation.join("\n")).toMatch(/grid v1/i);
});

test("it follows the shop's settings: a late order type switched off gives an ineligible sample", () => {
  const settings = recoverySettingsSchema.parse({ decision: { enabledIncidentTypes: ["REFUND"] } });
  expect(sampleLateOrderOffer({ settings, gridVersion: grid, shop, now }).decision).toMatchObject({
    kind: "INELIGIBLE",
    reason: "TYPE_DISABLED",
  });
});

test("unknown keys next to the settings (the dashboard's onboarding state) do not break parsing", () => {
  const parsed = recoverySettingsSchema.safeParse({
    onboarding: { dismissedAt: "2026-11-23T00:00:00.000Z" },
    decision: { holdoutShare: 0.2 },
  });
  expect(parsed.success).toBe(true);
  expect(parsed.data?.decision.holdoutShare).toBe(0.2);
});
