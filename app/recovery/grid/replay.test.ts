import { expect, test } from "vitest";
import type { DecisionIncident } from "../decide";
import { DEFAULT_DECISION_SETTINGS, type DecisionSettings } from "../guardrails";
import { buildIncident } from "../test-support/factories";
import type { TierAssessment } from "../tiers";
import type { Tier } from "../vocabulary";
import { DEFAULT_GRID } from "./default-grid";
import { replayGrid, type ReplayIncident } from "./replay";
import type { Grid, GridCell, GridVersion } from "./schema";

const shop = { currency: "USD", timeZone: "UTC" };
const settings: DecisionSettings = {
  ...DEFAULT_DECISION_SETTINGS,
  holdoutShare: 0,
  monthlyBudgetMinor: null,
  autoApproveCeilingMinor: 5_000,
  yearlyCapPerCustomerMinor: null,
};
const version = (grid: Grid): GridVersion => ({
  version: 1,
  grid,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  createdBy: "test",
});
const tier = (t: Tier): TierAssessment => ({ tier: t, guest: false, amountSpentMinor: 0, numberOfOrders: 3 });
const allCells = (cell: GridCell): Grid => ({
  ...DEFAULT_GRID,
  overrides: {},
  cells: Object.fromEntries(
    Object.entries(DEFAULT_GRID.cells).map(([s, row]) => [
      s,
      Object.fromEntries(Object.keys(row).map((t) => [t, cell])),
    ]),
  ) as Grid["cells"],
});

let n = 0;
function incident(
  overrides: Partial<DecisionIncident> & { tier?: Tier; knownIneligible?: boolean } = {},
): ReplayIncident {
  n += 1;
  const { tier: t = "REGULAR", knownIneligible = false, ...rest } = overrides;
  const detectedAt = new Date(Date.UTC(2026, 9, 1) + n * 86_400_000);
  return {
    incident: buildIncident({
      id: `incident-${String(n).padStart(4, "0")}`,
      customerId: `gid://shopify/Customer/${n}`,
      detectedAt,
      orderSubtotalMinor: 10_000,
      ...rest,
    }),
    tier: tier(t),
    knownIneligible,
  };
}

const fixture: ReplayIncident[] = [
  incident({ severity: "minor" }),
  incident({ severity: "major", tier: "VIP" }),
  incident({ severity: "critical", tier: "LOYAL" }),
  incident({
    severity: "minor",
    type: "REFUND",
    measure: { kind: "REFUND_SHARE", refundedMinor: 1_000, orderTotalMinor: 10_000 },
  } as Partial<DecisionIncident>),
  incident({ knownIneligible: true }),
];

test.each([
  // Default grid: 10% of a $100 basket, $25 store credit for major×VIP (STAFF) and critical×LOYAL (STAFF),
  // refund minor apology only.
  [
    "the default grid",
    DEFAULT_GRID,
    settings,
    {
      incidents: 5,
      offers: 3,
      faceValueMinor: 1_000 + 2_500 + 2_500,
      autoApproved: 1,
      needsApproval: 2,
      holdouts: 0,
      noOffer: 1,
      ineligible: 1,
    },
  ],
  [
    "$60 store credit everywhere: all above the $50 ceiling",
    allCells({ kind: "STORE_CREDIT", value: 6_000, expiryDays: 30, approval: "AUTO", messageTemplateKey: "standard" }),
    settings,
    { offers: 4, faceValueMinor: 24_000, autoApproved: 0, needsApproval: 4, noOffer: 0 },
  ],
  [
    "apology only everywhere",
    allCells({ kind: "NONE", value: null, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" }),
    settings,
    { offers: 0, faceValueMinor: 0, noOffer: 4, ineligible: 1 },
  ],
  ["everyone in the holdout", DEFAULT_GRID, { ...settings, holdoutShare: 0.5 }, { holdouts: expect.any(Number) }],
  [
    "a $30 budget: the third offer in the month goes to a manager",
    allCells({
      kind: "DISCOUNT_FIXED",
      value: 1_000,
      expiryDays: 30,
      approval: "AUTO",
      messageTemplateKey: "standard",
    }),
    { ...settings, monthlyBudgetMinor: 3_000 },
    { offers: 4, faceValueMinor: 4_000, autoApproved: 3, needsApproval: 1 },
  ],
] as const)("replaying %s", (_name, grid, s, expected) => {
  expect(replayGrid({ incidents: fixture, gridVersion: version(grid), settings: s, shop })).toMatchObject(expected);
});

test("one customer's second incident inside the cooldown needs a manager in the replay", () => {
  const customerId = "gid://shopify/Customer/42";
  const twice = [incident({ customerId, severity: "minor" }), incident({ customerId, severity: "minor" })];
  expect(replayGrid({ incidents: twice, gridVersion: version(DEFAULT_GRID), settings, shop })).toMatchObject({
    offers: 2,
    autoApproved: 1,
    needsApproval: 1,
  });
});

test("the holdout draw depends on the incident only: both grids hold out the same incidents", () => {
  const many = Array.from({ length: 40 }, () => incident());
  const s = { ...settings, holdoutShare: 0.3 };
  const a = replayGrid({ incidents: many, gridVersion: version(DEFAULT_GRID), settings: s, shop });
  const b = replayGrid({
    incidents: many,
    gridVersion: version(
      allCells({ kind: "NONE", value: null, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" }),
    ),
    settings: s,
    shop,
  });
  expect(a.holdouts).toBe(b.holdouts);
  expect(a.holdouts).toBeGreaterThan(0);
});
