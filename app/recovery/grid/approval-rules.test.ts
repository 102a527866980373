/** The approval rules summary (decision 0122) and the matrix's severity and tier definitions, as tables. */
import { describe, expect, test } from "vitest";
import { DEFAULT_AUTHORITY_SETTINGS, type AuthoritySettings } from "../guardrails/authority";
import { DEFAULT_DECISION_SETTINGS, type DecisionSettings } from "../guardrails/settings";
import { DEFAULT_SEVERITY_SETTINGS, severitySettingsSchema } from "../severity/settings";
import { DEFAULT_TIER_SETTINGS, tierSettingsSchema } from "../tiers/tiers";
import { approvalRules, type ApprovalRulesInput } from "./approval-rules";
import { DEFAULT_GRID, INSTALL_GRID } from "./default-grid";
import { severityDefinitions, severityRaises, tierDefinitions } from "./definitions";
import { gridSchema, type Grid } from "./schema";

function input(
  change: {
    grid?: Grid;
    decision?: Partial<DecisionSettings>;
    limits?: Partial<AuthoritySettings["limits"]>;
    defaultLevel?: AuthoritySettings["defaultLevel"];
    escalateAfterHours?: number;
  } = {},
): ApprovalRulesInput {
  return {
    grid: change.grid ?? DEFAULT_GRID,
    decision: { ...DEFAULT_DECISION_SETTINGS, ...change.decision },
    authority: {
      limits: { ...DEFAULT_AUTHORITY_SETTINGS.limits, ...change.limits },
      defaultLevel: change.defaultLevel ?? "STAFF",
    },
    escalateAfterHours: change.escalateAfterHours ?? 4,
    expireAfterHours: 48,
    currency: "USD",
  };
}

/** The rules as the card reads them: each rule's text, and the cells rule's groups. */
function read(rulesInput: ApprovalRulesInput) {
  const rules = approvalRules(rulesInput);
  return {
    groups: Object.fromEntries((rules.find((r) => r.id === "CELLS")?.groups ?? []).map((g) => [g.approver, g.cells])),
    text: Object.fromEntries(rules.map((r) => [r.id, r.text])),
  };
}

const withOverride = gridSchema.parse({
  ...DEFAULT_GRID,
  overrides: {
    ...DEFAULT_GRID.overrides,
    DELIVERY_FAILURE: {
      major: {
        NEW: {
          kind: "DISCOUNT_PERCENT",
          value: 20,
          expiryDays: 60,
          approval: "MANAGER",
          messageTemplateKey: "standard",
        },
      },
    },
  },
});

const DEFAULT_GROUPS = {
  NOBODY: "Minor: every customer; Moderate: every customer; Major: New, Regular, Loyal",
  STAFF: "Major: VIP; Critical: New, Regular, Loyal",
  MANAGER: "Critical: VIP",
};

describe("who approves each base cell", () => {
  test.each([
    { name: "the default grid and settings", rules: input(), groups: DEFAULT_GROUPS },
    {
      name: "the install grid: its stage cells ask for no one else",
      rules: input({ grid: INSTALL_GRID }),
      groups: DEFAULT_GROUPS,
    },
    {
      // Major × Loyal is $20 store credit, routed AUTO: above a $19.99 ceiling it waits for staff.
      name: "a ceiling below a fixed-value cell",
      rules: input({ decision: { autoApproveCeilingMinor: 1_999 } }),
      groups: {
        NOBODY: "Minor: every customer; Moderate: every customer; Major: New, Regular",
        STAFF: "Major: Loyal, VIP; Critical: New, Regular, Loyal",
        MANAGER: "Critical: VIP",
      },
    },
    {
      name: "a ceiling equal to the cell's value lets it go out at once",
      rules: input({ decision: { autoApproveCeilingMinor: 2_000 } }),
      groups: DEFAULT_GROUPS,
    },
    {
      // $25 store credit in Major × VIP and Critical × Loyal: above staff's $20.
      name: "a staff limit below fixed-value cells",
      rules: input({ limits: { STAFF: 2_000 } }),
      groups: {
        NOBODY: DEFAULT_GROUPS.NOBODY,
        STAFF: "Critical: New, Regular",
        MANAGER: "Major: VIP; Critical: Loyal, VIP",
      },
    },
    {
      name: "a manager limit below Critical × VIP's $30",
      rules: input({ limits: { STAFF: 2_000, MANAGER: 2_800 } }),
      groups: {
        NOBODY: DEFAULT_GROUPS.NOBODY,
        STAFF: "Critical: New, Regular",
        MANAGER: "Major: VIP; Critical: Loyal",
        OWNER: "Critical: VIP",
      },
    },
  ])("$name", ({ rules, groups }) => {
    expect(read(rules).groups).toEqual(groups);
  });
});

describe("each rule in words", () => {
  test.each([
    {
      name: "defaults",
      rules: input(),
      text: {
        CEILING: "A make-good worth more than $50 waits for a staff member, even in a cell that goes out at once.",
        STAFF_LIMITS:
          "Approvals allowed: staff up to $50, managers up to $250, the owner any amount. Staff without a level of their own are staff.",
        ESCALATION:
          "A make-good nobody decides within 4 hours is sent on to managers; undecided after 48 hours, it expires.",
        CUSTOMER_LIMITS:
          "A customer's second make-good within 30 days, or a make-good that takes a customer past $200 in 365 days, needs a manager.",
        BUDGET: "Once this month's make-goods (issued and waiting) would pass $1,000, each new one needs a manager.",
      },
    },
    {
      name: "no budget, no customer limits, managers by default, escalation in half an hour",
      rules: input({
        decision: {
          monthlyBudgetMinor: null,
          cooldownDays: 0,
          yearlyCapPerCustomerMinor: null,
          autoApproveCeilingMinor: 1_250,
        },
        defaultLevel: "MANAGER",
        escalateAfterHours: 0.5,
      }),
      text: {
        CEILING: "A make-good worth more than $12.50 waits for a staff member, even in a cell that goes out at once.",
        STAFF_LIMITS:
          "Approvals allowed: staff up to $50, managers up to $250, the owner any amount. Staff without a level of their own are managers.",
        ESCALATION:
          "A make-good nobody decides within 30 minutes is sent on to managers; undecided after 48 hours, it expires.",
        CUSTOMER_LIMITS: "No per-customer limits: how many make-goods a customer had never asks for a manager.",
        BUDGET: "No monthly budget: the month's total never asks for a manager.",
      },
    },
    {
      name: "a one-day cooldown without a yearly cap, escalation after an hour",
      rules: input({ decision: { cooldownDays: 1, yearlyCapPerCustomerMinor: null }, escalateAfterHours: 1 }),
      text: {
        ESCALATION:
          "A make-good nobody decides within 1 hour is sent on to managers; undecided after 48 hours, it expires.",
        CUSTOMER_LIMITS: "A customer's second make-good within 1 day needs a manager.",
      },
    },
  ])("$name", ({ rules, text }) => {
    expect(read(rules).text).toMatchObject(text);
  });
});

test.each([
  { name: "the default grid", grid: DEFAULT_GRID, says: null },
  {
    name: "an override asking a manager where the base cell goes out at once",
    grid: withOverride,
    says: "1 cell set for",
  },
])("the cells rule counts override cells that ask for someone else: $name", ({ grid, says }) => {
  const cells = read(input({ grid })).text.CELLS;
  if (says === null) expect(cells).not.toContain("cell set for");
  else expect(cells).toContain(`${says} an incident type or a customer's lifecycle stage asks for someone else`);
});

test("every rule but the cells' (whose cells are its links) links to its fields on the Settings page", () => {
  const edits = approvalRules(input()).map((r) => [r.id, r.edits.map((e) => e.field)]);
  expect(Object.fromEntries(edits)).toEqual({
    CELLS: [],
    CEILING: ["decision.autoApproveCeilingMinor"],
    STAFF_LIMITS: ["authority.limits.STAFF", "authority.defaultLevel"],
    ESCALATION: ["offers.escalateAfterHours"],
    CUSTOMER_LIMITS: ["decision.cooldownDays", "decision.yearlyCapPerCustomerMinor"],
    BUDGET: ["decision.monthlyBudgetMinor"],
  });
});

describe("the matrix's headers", () => {
  test.each([
    {
      name: "default severity settings",
      settings: DEFAULT_SEVERITY_SETTINGS,
      definitions: {
        minor: "1 to 2 days late to ship; delivery 1 to 2 days late; a refund under 25% of the order",
        moderate: "3 to 5 days late to ship; delivery 3 to 6 days late; a refund of 25% to 75%",
        major:
          "6 to 9 days late to ship; delivery 7+ days late; a failed delivery; a refund over 75%; an order the store cancelled",
        critical: "10+ days late to ship",
      },
      raises:
        "One level up each for an order over $250 and for a customer with another incident within 90 days (never above Critical).",
    },
    {
      name: "levels skipped, one refund share, failures critical, no raises",
      settings: severitySettingsSchema.parse({
        lateFulfillment: { minor: 2, moderate: null, major: 3, critical: null },
        deliveryDelay: { minor: 1, moderate: null, major: null, critical: null },
        deliveryFailure: "critical",
        refund: { moderateFromPercent: 50, majorAbovePercent: 50 },
        merchantCancellation: "minor",
        repeatCustomerWindowDays: 0,
        highValueOrderMinor: null,
      }),
      definitions: {
        minor:
          "2 days late to ship; delivery 1+ days late; a refund under 50% of the order; an order the store cancelled",
        moderate: "a refund of 50% of the order",
        major: "3+ days late to ship; a refund over 50%",
        critical: "a failed delivery",
      },
      raises: "No raises: the severity is the rule's alone.",
    },
  ])("severity: $name", ({ settings, definitions, raises }) => {
    expect(severityDefinitions(settings)).toEqual(definitions);
    expect(severityRaises(settings, "USD")).toBe(raises);
  });

  test("a level nothing reaches says so", () => {
    const settings = severitySettingsSchema.parse({
      lateFulfillment: { minor: 1, moderate: null, major: null, critical: null },
      deliveryDelay: { minor: 1, moderate: null, major: null, critical: null },
      deliveryFailure: "major",
      merchantCancellation: "major",
    });
    expect(severityDefinitions(settings).critical).toBe("only by a raise below, or as staff report it");
  });

  test.each([
    {
      name: "defaults",
      settings: DEFAULT_TIER_SETTINGS,
      currency: "USD",
      definitions: {
        NEW: "guests, and at most 1 earlier order, below Loyal",
        REGULAR: "more than 1 earlier order, below Loyal",
        LOYAL: "from 5 orders or $400 spent, below VIP",
        VIP: "from 10 orders or $1,000 spent",
      },
    },
    {
      name: "a shop's own thresholds in euros",
      settings: tierSettingsSchema.parse({
        newMaxEarlierOrders: 0,
        loyal: { minOrders: 1, minSpendMinor: 12_550 },
        vip: { minOrders: 3, minSpendMinor: 50_000 },
      }),
      currency: "EUR",
      definitions: {
        NEW: "guests, and no earlier order, below Loyal",
        REGULAR: "an earlier order, below Loyal",
        LOYAL: "from 1 order or €125.50 spent, below VIP",
        VIP: "from 3 orders or €500 spent",
      },
    },
  ])("tiers: $name", ({ settings, currency, definitions }) => {
    expect(tierDefinitions(settings, currency)).toEqual(definitions);
  });
});
