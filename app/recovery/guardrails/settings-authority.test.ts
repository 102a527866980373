import { expect, test } from "vitest";
import { schemaLeaves } from "../../../tests/helpers/schema-leaves";
import { messageOverridesSchema } from "../messages/overrides";
import { emailSettingsSchema, recoverySettingsSchema, DEFAULT_RECOVERY_SETTINGS } from "../settings";
import { AUTHORITY_LEVELS, DEFAULT_AUTHORITY_SETTINGS, type AuthorityLevel } from "./authority";
import {
  GRID_AUTHORITY,
  hasAuthority,
  lockedFor,
  refusedChanges,
  ruleFor,
  settingChanges,
  SETTINGS_AUTHORITY,
} from "./settings-authority";

// The offer lifecycle's own fields (offerSettingsSchema lives in the models layer; the integration
// test tests/integration/settings-authority.test.ts walks that schema itself).
const recoveryAndMessagesLeaves = [
  ...schemaLeaves(recoverySettingsSchema),
  // The form sends a password; the store keeps it sealed. The table names the password.
  ...schemaLeaves(emailSettingsSchema, ["offers", "email"]).map((p) =>
    p === "offers.email.passwordSealed" ? "offers.email.password" : p,
  ),
  ...schemaLeaves(messageOverridesSchema, ["messages"]),
];

test("every recovery, mail server and message setting has a level in the table", () => {
  const unclassified = recoveryAndMessagesLeaves.filter((path) => ruleFor(path) === undefined);
  expect(unclassified).toEqual([]);
  expect(recoveryAndMessagesLeaves.length).toBeGreaterThan(60);
});

test("each path is in the table once, and only MANAGER or OWNER can change anything", () => {
  const paths = SETTINGS_AUTHORITY.map((rule) => rule.path);
  expect(new Set(paths).size).toBe(paths.length);
  for (const rule of SETTINGS_AUTHORITY) expect(["MANAGER", "OWNER"]).toContain(rule.level);
  expect(GRID_AUTHORITY).toBe("MANAGER");
});

test.each([
  ["decision.autoApproveCeilingMinor", "MANAGER"],
  ["decision.cooldownDays", "MANAGER"],
  ["decision.yearlyCapPerCustomerMinor", "MANAGER"],
  ["decision.unavailableKindFallback", "MANAGER"],
  ["decision.monthlyBudgetMinor", "OWNER"],
  ["authority.limits.MANAGER", "OWNER"],
  ["authority.members.1002", "OWNER"],
  ["authority.defaultLevel", "OWNER"],
  ["offers.escalateAfterHours", "OWNER"],
  ["offers.email.host", "MANAGER"],
  ["offers.email.password", "MANAGER"],
  ["messages.templates.standard.body", "MANAGER"],
  ["messages.problems.REFUND", "MANAGER"],
  ["tiers.vip.minSpendMinor", "MANAGER"],
  ["severity.lateFulfillment.critical", "MANAGER"],
  ["detection.excludedCustomerTags", "MANAGER"],
] as const)("%s needs %s", (path, level) => {
  expect(ruleFor(path)?.level).toBe(level);
});

test("a level has the authority of the levels below it", () => {
  const table: Array<[AuthorityLevel, AuthorityLevel, boolean]> = [
    ["STAFF", "MANAGER", false],
    ["STAFF", "OWNER", false],
    ["MANAGER", "MANAGER", true],
    ["MANAGER", "OWNER", false],
    ["OWNER", "MANAGER", true],
    ["OWNER", "OWNER", true],
  ];
  for (const [level, needed, ok] of table) expect(hasAuthority(level, needed)).toBe(ok);
});

test("the page locks what the viewer lacks the level for, and unknown paths for everyone below owner", () => {
  expect(lockedFor("STAFF", "decision.cooldownDays")).toBe("MANAGER");
  expect(lockedFor("STAFF", "decision.monthlyBudgetMinor")).toBe("OWNER");
  expect(lockedFor("MANAGER", "decision.cooldownDays")).toBeNull();
  expect(lockedFor("MANAGER", "authority.members.1002")).toBe("OWNER");
  expect(lockedFor("OWNER", "authority.members.1002")).toBeNull();
  expect(lockedFor("MANAGER", "decision.somethingNew")).toBe("OWNER");
  expect(lockedFor("OWNER", "decision.somethingNew")).toBeNull();
});

const settings = (patch: (s: typeof DEFAULT_RECOVERY_SETTINGS) => void) => {
  const copy = structuredClone(DEFAULT_RECOVERY_SETTINGS);
  patch(copy);
  return copy;
};

test("changes are found setting by setting, record keys included; identical documents have none", () => {
  expect(settingChanges(DEFAULT_RECOVERY_SETTINGS, structuredClone(DEFAULT_RECOVERY_SETTINGS))).toEqual([]);
  const after = settings((s) => {
    s.decision.cooldownDays = 0;
    s.decision.yearlyCapPerCustomerMinor = null;
    s.authority.members = { "1002": "MANAGER" };
    s.detection.weekendDays = [0];
  });
  expect(
    settingChanges(DEFAULT_RECOVERY_SETTINGS, after).map(({ path, before, after: now }) => [path, before, now]),
  ).toEqual([
    ["detection.weekendDays", DEFAULT_RECOVERY_SETTINGS.detection.weekendDays, [0]],
    ["decision.cooldownDays", 30, 0],
    ["decision.yearlyCapPerCustomerMinor", 20_000, null],
    ["authority.members.1002", undefined, "MANAGER"],
  ]);
});

test("prototype keys in a record are ordinary keys, never inherited values", () => {
  const before = { authority: { members: {} } };
  const after = { authority: { members: JSON.parse('{"constructor":"OWNER"}') as Record<string, string> } };
  expect(settingChanges(before, after).map((c) => [c.path, c.before, c.after])).toEqual([
    ["authority.members.constructor", undefined, "OWNER"],
  ]);
});

const exploit = settings((s) => {
  s.decision.autoApproveCeilingMinor = 1_000_000;
  s.decision.cooldownDays = 0;
  s.decision.yearlyCapPerCustomerMinor = null;
});

test.each(AUTHORITY_LEVELS)("the guardrail exploit at %s", (level) => {
  const refused = refusedChanges(level, settingChanges(DEFAULT_RECOVERY_SETTINGS, exploit), DEFAULT_AUTHORITY_SETTINGS);
  const expected = {
    // Staff may change none of it.
    STAFF: [
      "decision.cooldownDays:NEEDS_LEVEL",
      "decision.yearlyCapPerCustomerMinor:NEEDS_LEVEL",
      "decision.autoApproveCeilingMinor:NEEDS_LEVEL",
    ],
    // A manager may remove the per-customer limits, but not auto-approve above their own limit (250.00).
    MANAGER: ["decision.autoApproveCeilingMinor:ABOVE_OWN_LIMIT"],
    OWNER: [],
  }[level];
  expect(refused.map((r) => `${r.path}:${r.reason}`)).toEqual(expected);
});

test("a manager may set the auto-approve ceiling up to their own approval limit", () => {
  const within = settings((s) => {
    s.decision.autoApproveCeilingMinor = DEFAULT_AUTHORITY_SETTINGS.limits.MANAGER ?? 0;
  });
  expect(
    refusedChanges("MANAGER", settingChanges(DEFAULT_RECOVERY_SETTINGS, within), DEFAULT_AUTHORITY_SETTINGS),
  ).toEqual([]);
});

test("a manager may not set their own limit or the budget to unlimited", () => {
  const after = settings((s) => {
    s.authority.limits.MANAGER = null;
    s.authority.limits.OWNER = null;
    s.decision.monthlyBudgetMinor = null;
  });
  const refused = refusedChanges(
    "MANAGER",
    settingChanges(DEFAULT_RECOVERY_SETTINGS, after),
    DEFAULT_AUTHORITY_SETTINGS,
  );
  expect(refused).toEqual([
    { path: "decision.monthlyBudgetMinor", reason: "NEEDS_LEVEL", needed: "OWNER" },
    { path: "authority.limits.MANAGER", reason: "NEEDS_LEVEL", needed: "OWNER" },
  ]);
});
