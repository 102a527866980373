import { expect, test } from "vitest";
import { DEFAULT_RECOVERY_SETTINGS, recoverySettingsSchema } from "./settings";

test("an empty document is a complete configuration with the documented defaults (decision 0099)", () => {
  expect(DEFAULT_RECOVERY_SETTINGS.detection).toMatchObject({
    handlingDays: 2,
    weekendDays: [6, 0],
    attemptedDeliveryThreshold: 2,
  });
  expect(DEFAULT_RECOVERY_SETTINGS.severity.lateFulfillment).toEqual({ minor: 1, moderate: 3, major: 6, critical: 10 });
  expect(DEFAULT_RECOVERY_SETTINGS.severity.repeatCustomerWindowDays).toBe(90);
  expect(DEFAULT_RECOVERY_SETTINGS.tiers.vip).toEqual({ minOrders: 10, minSpendMinor: 100_000 });
  expect(DEFAULT_RECOVERY_SETTINGS.decision).toMatchObject({ holdoutShare: 0.1, cooldownDays: 30 });
  expect(DEFAULT_RECOVERY_SETTINGS.attribution.windowDays).toBe(90);
});

test("a partial document keeps the defaults for what it leaves out", () => {
  const settings = recoverySettingsSchema.parse({ decision: { holdoutShare: 0 }, detection: { handlingDays: 3 } });
  expect(settings.decision).toMatchObject({ holdoutShare: 0, cooldownDays: 30 });
  expect(settings.detection).toMatchObject({ handlingDays: 3, excludedOrderTags: ["amends-exclude"] });
});

test("bad values are reported with their path", () => {
  const result = recoverySettingsSchema.safeParse({
    decision: { holdoutShare: 0.9 },
    detection: { holidays: ["2026-02-30"] },
  });
  expect(result.error?.issues.map((issue) => issue.path)).toEqual([
    ["detection", "holidays", 0],
    ["decision", "holdoutShare"],
  ]);
});
