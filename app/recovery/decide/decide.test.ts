import fc from "fast-check";
import { expect, test } from "vitest";
import { DEFAULT_GRID, type GridCell } from "../grid";
import { holdoutDraw } from "../guardrails";
import { classifyTier } from "../tiers";
import type { MeasuredSignal } from "../incidents";
import { approvalRank, CANCEL_REASONS, INCIDENT_TYPES, SEVERITIES, TIERS, type IncidentType } from "../vocabulary";
import { buildDecisionInput, buildIncident, GRID_V3 } from "../test-support/factories";
import { decide } from "./decide";
import { GUARDRAILS, type DecisionInput } from "./types";

/** The example of decision 0099 §6: v3 of a grid whose major x VIP cell is a 20% code, 60 days, AUTO. */
const exampleGrid = {
  ...GRID_V3,
  grid: {
    ...DEFAULT_GRID,
    cells: {
      ...DEFAULT_GRID.cells,
      major: {
        ...DEFAULT_GRID.cells.major,
        VIP: {
          kind: "DISCOUNT_PERCENT",
          value: 20,
          expiryDays: 60,
          approval: "AUTO",
          messageTemplateKey: "personal",
        } as GridCell,
      },
    },
  },
};

test("a VIP's major late order gets the grid's offer, auto-approved, explained like decision 0099's example", () => {
  const decision = decide(buildDecisionInput({ gridVersion: exampleGrid }));
  expect(decision).toMatchObject({
    kind: "OFFER",
    faceValueMinor: 4_000,
    approval: "AUTO",
    gridVersion: 3,
    approvalSources: [],
  });
  expect(decision.summary).toBe(
    "major: 6 business days late to ship; VIP: $1,240 spent in 14 orders; grid v3 says 20% code, 60-day expiry; within budget; auto-approved",
  );
  if (decision.kind === "OFFER") expect(decision.expiresAt?.toISOString()).toBe("2026-05-12T03:59:59.999Z"); // 11 May, 23:59:59.999 New York
  expect(decision.explanation).toContain(
    "Grid v3 (major x VIP): 20% code, 60-day expiry, approval AUTO; valued at $40: 20% of $200",
  );
});

test("the explanation has one line per guardrail, in the documented order (decision 0099 §6)", () => {
  const decision = decide(buildDecisionInput());
  expect(decision.checks.map((c) => c.guardrail)).toEqual([...GUARDRAILS]);
  const guardrailLines = decision.explanation.filter((line) => /^\d\. /.test(line));
  expect(guardrailLines.map((line) => line.slice(0, 2))).toEqual(["1.", "2.", "3.", "4.", "5."]);
  expect(decision.explanation).toEqual([
    "Incident: major, 6 business days late to ship (LATE_FULFILLMENT)",
    "Customer: VIP: $1,240 spent in 14 orders",
    "1. Eligibility: passed (type enabled, not a test, not excluded, not cancelled by the customer or as fraud, not yet compensated)",
    expect.stringMatching(/^2\. Holdout: draw 0\.\d{4} is not below the 0% share: gets the make-good$/),
    "Grid v3 (major x VIP): $25 store credit, 90-day expiry, approval STAFF; face value $25",
    "3. Customer limits: no offer in the last 30 days; $25 of the $200 yearly cap: passed",
    "4. Offer cap: $25 is within the $50 auto-approve ceiling: passed",
    "5. Budget: brings this month to $589 of $1,000: within budget",
    "Approval: needs STAFF approval (grid)",
  ]);
});

test.each([
  [
    "type disabled",
    { settings: { ...buildDecisionInput().settings, enabledIncidentTypes: ["REFUND"] } },
    "TYPE_DISABLED",
  ],
  [
    "test order",
    { incident: buildIncident({ excluded: { testOrder: true, orderExcluded: false, customerExcluded: false } }) },
    "TEST_ORDER",
  ],
  [
    "order excluded",
    { incident: buildIncident({ excluded: { testOrder: false, orderExcluded: true, customerExcluded: false } }) },
    "ORDER_EXCLUDED",
  ],
  [
    "customer excluded",
    { incident: buildIncident({ excluded: { testOrder: false, orderExcluded: false, customerExcluded: true } }) },
    "CUSTOMER_EXCLUDED",
  ],
  ["fraud", { incident: buildIncident({ cancelReason: "fraud" }) }, "FRAUD"],
  ["customer cancellation", { incident: buildIncident({ cancelReason: "customer" }) }, "CUSTOMER_CANCELLATION"],
  ["already compensated", { incident: buildIncident({ alreadyCompensated: true }) }, "ALREADY_COMPENSATED"],
] as [string, Partial<DecisionInput>, string][])("ineligible: %s", (_name, overrides, reason) => {
  const decision = decide(buildDecisionInput(overrides));
  expect(decision).toMatchObject({ kind: "INELIGIBLE", reason });
  expect(decision.checks).toEqual([expect.objectContaining({ guardrail: "ELIGIBILITY", outcome: "STOP" })]);
});

test("a held-out incident gets no offer and says why", () => {
  const input = buildDecisionInput({ settings: { ...buildDecisionInput().settings, holdoutShare: 0.5 } });
  const heldId = Array.from({ length: 50 }, (_, i) => `incident-${i}`).find((id) => holdoutDraw(id) < 0.5) ?? "";
  const decision = decide({ ...input, incident: buildIncident({ id: heldId }) });
  expect(decision).toMatchObject({ kind: "HOLDOUT", holdoutShare: 0.5, gridVersion: 3 });
  expect(decision.summary).toMatch(/holdout \(control group\): no offer$/);
});

test("a customer's standing assignment wins over the incident's own draw, both ways", () => {
  const input = buildDecisionInput({ settings: { ...buildDecisionInput().settings, holdoutShare: 0.5 } });
  const ids = Array.from({ length: 50 }, (_, i) => `incident-${i}`);
  const held = ids.find((id) => holdoutDraw(id) < 0.5) ?? "";
  const free = ids.find((id) => holdoutDraw(id) >= 0.5) ?? "";
  const standing = (holdout: boolean) => ({
    incidentId: "earlier",
    holdout,
    detectedAt: new Date("2026-02-20T12:00:00Z"),
  });
  const kept = decide({ ...input, incident: buildIncident({ id: free }), standing: standing(true) });
  expect(kept.kind).toBe("HOLDOUT");
  expect(kept.explanation[3]).toMatch(
    /^2\. Holdout: the customer is in the holdout since an incident detected 2026-02-20/,
  );
  const treated = decide({ ...input, incident: buildIncident({ id: held }), standing: standing(false) });
  expect(treated.kind).toBe("OFFER");
  expect(treated.explanation[3]).toMatch(
    /^2\. Holdout: the customer gets make-goods since an incident detected 2026-02-20/,
  );
});

test("a NONE cell is an apology only", () => {
  const incident = buildIncident({
    type: "REFUND",
    measure: { kind: "REFUND_SHARE", refundedMinor: 2_000, orderTotalMinor: 24_000 },
    severity: "minor",
  });
  const decision = decide(buildDecisionInput({ incident }));
  expect(decision).toMatchObject({ kind: "NO_OFFER", reason: "GRID_SAYS_NONE", cell: { kind: "NONE" } });
  expect(decision.summary).toBe(
    "minor: 8% of the order refunded; VIP: $1,240 spent in 14 orders; grid v3 says apology only",
  );
});

test("store credit cannot go to a guest", () => {
  const credit: GridCell = {
    kind: "STORE_CREDIT",
    value: 2_000,
    expiryDays: 90,
    approval: "AUTO",
    messageTemplateKey: "standard",
  };
  const grid = { ...GRID_V3, grid: { ...DEFAULT_GRID, overrides: { LATE_FULFILLMENT: { major: { NEW: credit } } } } };
  const decision = decide(
    buildDecisionInput({ gridVersion: grid, tier: classifyTier(null), incident: buildIncident({ customerId: null }) }),
  );
  expect(decision).toMatchObject({ kind: "NO_OFFER", reason: "NEEDS_CUSTOMER_ACCOUNT" });
});

test.each(SEVERITIES)(
  "with the default grid a guest at %s severity gets a code, never a credit it cannot hold",
  (severity) => {
    const decision = decide(
      buildDecisionInput({ tier: classifyTier(null), incident: buildIncident({ severity, customerId: null }) }),
    );
    expect(decision).toMatchObject({ kind: "OFFER", cell: { kind: "DISCOUNT_PERCENT" } });
  },
);

test.each([
  ["major", "LOYAL", { amountSpentMinor: 50_000, numberOfOrders: 6 }, 2_000],
  ["major", "VIP", { amountSpentMinor: 124_000, numberOfOrders: 14 }, 2_500],
  ["critical", "LOYAL", { amountSpentMinor: 50_000, numberOfOrders: 6 }, 2_500],
  ["critical", "VIP", { amountSpentMinor: 124_000, numberOfOrders: 14 }, 3_000],
] as const)(
  "with the default grid a %s incident of a %s customer gets store credit",
  (severity, tier, value, credit) => {
    const assessed = classifyTier(value);
    expect(assessed.tier).toBe(tier);
    const decision = decide(
      buildDecisionInput({ tier: assessed, incident: buildIncident({ severity, orderSubtotalMinor: 8_000 }) }),
    );
    expect(decision).toMatchObject({
      kind: "OFFER",
      cell: { kind: "STORE_CREDIT", value: credit },
      faceValueMinor: credit,
      approval: DEFAULT_GRID.cells[severity][tier].approval,
    });
  },
);

const routed = (overrides: Partial<DecisionInput>) => {
  const decision = decide(buildDecisionInput({ gridVersion: exampleGrid, ...overrides }));
  if (decision.kind !== "OFFER") throw new Error(`expected an offer, got ${decision.kind}`);
  return decision;
};

test("guardrails raise the approval route and never refuse", () => {
  const now = new Date("2026-03-12T14:00:00Z");
  expect(
    routed({
      state: {
        customerOffers: [{ issuedAt: new Date("2026-03-01T00:00:00Z"), faceValueMinor: 1_000 }],
        monthToDateIssuedMinor: 0,
        committedMinor: 0,
      },
    }),
  ).toMatchObject({ approval: "MANAGER", approvalSources: ["CUSTOMER_LIMITS"] });
  expect(
    routed({
      state: {
        customerOffers: [{ issuedAt: new Date("2025-06-01T00:00:00Z"), faceValueMinor: 17_000 }],
        monthToDateIssuedMinor: 0,
        committedMinor: 0,
      },
      now,
    }),
  ).toMatchObject({ approval: "MANAGER", approvalSources: ["CUSTOMER_LIMITS"] });
  expect(routed({ incident: buildIncident({ orderSubtotalMinor: 30_000 }) })).toMatchObject({
    faceValueMinor: 6_000,
    approval: "STAFF",
    approvalSources: ["OFFER_CAP"],
  });
  expect(
    routed({ state: { customerOffers: [], monthToDateIssuedMinor: 90_000, committedMinor: 8_000 } }),
  ).toMatchObject({ approval: "MANAGER", approvalSources: ["BUDGET"] });
});

test("an offer above the ceiling on a MANAGER cell stays MANAGER", () => {
  // The default critical x VIP cell: $30 store credit, MANAGER; above a $20 ceiling.
  const settings = { ...buildDecisionInput().settings, autoApproveCeilingMinor: 2_000 };
  const decision = decide(buildDecisionInput({ settings, incident: buildIncident({ severity: "critical" }) }));
  expect(decision).toMatchObject({
    kind: "OFFER",
    approval: "MANAGER",
    approvalSources: ["GRID", "OFFER_CAP"],
    faceValueMinor: 3_000,
  });
});

test("a guest skips the per-customer limits with a line saying so", () => {
  const decision = decide(
    buildDecisionInput({ tier: classifyTier(null), incident: buildIncident({ customerId: null }) }),
  );
  expect(decision.explanation).toContain("3. Customer limits: guest checkout, no customer history to limit: passed");
});

test("a gift product is valued at the price supplied at decision time", () => {
  const gift: GridCell = {
    kind: "GIFT_PRODUCT",
    value: { variantId: "gid://shopify/ProductVariant/42", quantity: 1 },
    expiryDays: null,
    approval: "STAFF",
    messageTemplateKey: "personal",
  };
  const grid = { ...GRID_V3, grid: { ...DEFAULT_GRID, overrides: { DELIVERY_FAILURE: { major: { VIP: gift } } } } };
  const incident = buildIncident({
    type: "DELIVERY_FAILURE",
    measure: { kind: "DELIVERY_FAILED", cause: "RETURNED_TO_SENDER", attempts: 1 },
  });
  const decision = decide(
    buildDecisionInput({ gridVersion: grid, incident, variantPrices: { "gid://shopify/ProductVariant/42": 3_500 } }),
  );
  expect(decision).toMatchObject({ kind: "OFFER", faceValueMinor: 3_500, expiresAt: null, approval: "STAFF" });
  expect(decision.summary).toContain("major: parcel returned to sender");
});

const cellArb: fc.Arbitrary<GridCell> = fc.oneof(
  fc.record({
    kind: fc.constant("DISCOUNT_PERCENT" as const),
    value: fc.integer({ min: 1, max: 100 }),
    expiryDays: fc.integer({ min: 1, max: 365 }),
    approval: fc.constantFrom("AUTO" as const, "STAFF" as const, "MANAGER" as const),
    messageTemplateKey: fc.constant("standard"),
  }),
  fc.record({
    kind: fc.constantFrom("DISCOUNT_FIXED" as const, "STORE_CREDIT" as const),
    value: fc.integer({ min: 1, max: 50_000 }),
    expiryDays: fc.integer({ min: 1, max: 365 }),
    approval: fc.constantFrom("AUTO" as const, "STAFF" as const, "MANAGER" as const),
    messageTemplateKey: fc.constant("standard"),
  }),
  fc.record({
    kind: fc.constant("NONE" as const),
    value: fc.constant(null),
    expiryDays: fc.constant(null),
    approval: fc.constant("AUTO" as const),
    messageTemplateKey: fc.constant("standard"),
  }),
);

/** A measure that fits the incident type, scaled by `n`. */
function measured(type: IncidentType, n: number): MeasuredSignal {
  switch (type) {
    case "LATE_FULFILLMENT":
      return { type, measure: { kind: "BUSINESS_DAYS_LATE", days: n } };
    case "DELIVERY_DELAY":
      return { type, measure: { kind: "DAYS_LATE", days: n } };
    case "DELIVERY_FAILURE":
      return { type, measure: { kind: "DELIVERY_FAILED", cause: "REPEATED_ATTEMPTS", attempts: n } };
    case "REFUND":
      return { type, measure: { kind: "REFUND_SHARE", refundedMinor: n * 100, orderTotalMinor: 3_000 } };
    case "MERCHANT_CANCELLATION":
      return { type, measure: { kind: "CANCELLED", reason: "inventory" } };
    case "MANUAL":
      return { type, measure: { kind: "STAFF_CHOSEN", severity: "major", category: "WRONG_ITEM" } };
  }
}

const inputArb: fc.Arbitrary<DecisionInput> = fc
  .record({
    id: fc.uuid(),
    type: fc.constantFrom(...INCIDENT_TYPES),
    severity: fc.constantFrom(...SEVERITIES),
    days: fc.integer({ min: 1, max: 30 }),
    subtotal: fc.nat(200_000),
    guest: fc.boolean(),
    cancelReason: fc.option(fc.constantFrom(...CANCEL_REASONS), { nil: null }),
    flags: fc
      .tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean())
      .map(([a, b, c, d]) => [a && b, b && c, c && d, d && a] as const),
    tierCustomer: fc.record({ amountSpentMinor: fc.nat(300_000), numberOfOrders: fc.nat(30) }),
    cell: cellArb,
    tier: fc.constantFrom(...TIERS),
    holdoutShare: fc.constantFrom(0, 0.1, 0.25, 0.5),
    offers: fc.array(
      fc.record({
        issuedAt: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 2, 12) }).map((ms) => new Date(ms)),
        faceValueMinor: fc.nat(20_000),
      }),
      { maxLength: 4 },
    ),
    issued: fc.nat(150_000),
    committed: fc.nat(50_000),
  })
  .map((r) => {
    const base = buildDecisionInput();
    const [testOrder, orderExcluded, customerExcluded, alreadyCompensated] = r.flags;
    return {
      ...base,
      incident: buildIncident({
        id: r.id,
        ...measured(r.type, r.days),
        severity: r.severity,
        orderSubtotalMinor: r.subtotal,
        customerId: r.guest ? null : "gid://shopify/Customer/7",
        cancelReason: r.cancelReason,
        excluded: { testOrder, orderExcluded, customerExcluded },
        alreadyCompensated,
      }),
      tier: r.guest ? classifyTier(null) : classifyTier(r.tierCustomer),
      gridVersion: {
        ...GRID_V3,
        grid: { ...DEFAULT_GRID, overrides: { [r.type]: { [r.severity]: { [r.tier]: r.cell } } } },
      },
      settings: { ...base.settings, holdoutShare: r.holdoutShare },
      state: { customerOffers: r.offers, monthToDateIssuedMinor: r.issued, committedMinor: r.committed },
    };
  });

test("property: the same inputs give the same decision, also on a structured clone", () => {
  fc.assert(
    fc.property(inputArb, (input) => {
      const first = decide(input);
      expect(decide(input)).toEqual(first);
      expect(decide(structuredClone(input))).toEqual(first);
    }),
  );
});

test("property: no offer for fraud or customer cancellations", () => {
  fc.assert(
    fc.property(inputArb, fc.constantFrom("fraud" as const, "customer" as const), (input, reason) => {
      const decision = decide({ ...input, incident: { ...input.incident, cancelReason: reason } });
      expect(decision.kind).toBe("INELIGIBLE");
    }),
  );
});

test("property: guardrails only ever raise the grid's approval route, and explain every step taken", () => {
  fc.assert(
    fc.property(inputArb, (input) => {
      const decision = decide(input);
      expect(decision.checks.map((c) => c.guardrail)).toEqual(GUARDRAILS.slice(0, decision.checks.length));
      if (decision.kind !== "OFFER") return;
      expect(approvalRank(decision.approval)).toBeGreaterThanOrEqual(approvalRank(decision.cell.approval));
      for (const check of decision.checks)
        if (check.requires)
          expect(approvalRank(decision.approval)).toBeGreaterThanOrEqual(approvalRank(check.requires));
      if (decision.approval === "AUTO") {
        expect(decision.faceValueMinor).toBeLessThanOrEqual(input.settings.autoApproveCeilingMinor);
        expect(
          input.state.monthToDateIssuedMinor + input.state.committedMinor + decision.faceValueMinor,
        ).toBeLessThanOrEqual(input.settings.monthlyBudgetMinor ?? Infinity);
      }
    }),
  );
});

const cardCell: GridCell = {
  kind: "GIFT_CARD",
  value: 2_500,
  expiryDays: null,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
const creditCell: GridCell = {
  kind: "STORE_CREDIT",
  value: 2_000,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
const gridWith = (cell: GridCell) => ({
  ...exampleGrid,
  grid: {
    ...exampleGrid.grid,
    cells: { ...exampleGrid.grid.cells, major: { ...exampleGrid.grid.cells.major, VIP: cell } },
  },
});

test("a gift card the shop no longer grants the scopes for falls back to a code of the same value, and says why", () => {
  const decision = decide(
    buildDecisionInput({
      gridVersion: gridWith(cardCell),
      unavailableKinds: { GIFT_CARD: { code: "SCOPES_MISSING", scopes: ["write_gift_cards"] } },
    }),
  );
  expect(decision).toMatchObject({
    kind: "OFFER",
    faceValueMinor: 2_500,
    cell: { kind: "DISCOUNT_FIXED", value: 2_500, expiryDays: 90, approval: "AUTO" },
    fallbackFrom: { kind: "GIFT_CARD", unavailable: { code: "SCOPES_MISSING", scopes: ["write_gift_cards"] } },
  });
  expect(decision.explanation).toContain(
    "Grid v3 (major x VIP): $25 gift card, no expiry, approval AUTO; face value $25; gift card unavailable: the shop does not grant Amends the write_gift_cards access scope; falls back to $25 code, 90-day expiry (same value)",
  );
  expect(decision.summary).toContain("gift card unavailable on this shop");
});

test("the merchant's fallback kind is used when it can be issued, a fixed code when it cannot", () => {
  const classic = { STORE_CREDIT: { code: "CLASSIC_CUSTOMER_ACCOUNTS" } } as const;
  const toCard = decide(
    buildDecisionInput({
      gridVersion: gridWith(creditCell),
      settings: { ...buildDecisionInput().settings, unavailableKindFallback: "GIFT_CARD" },
      unavailableKinds: classic,
    }),
  );
  expect(toCard).toMatchObject({ kind: "OFFER", cell: { kind: "GIFT_CARD", value: 2_000, expiryDays: 60 } });
  expect(toCard.explanation.join("\n")).toContain(
    "store credit unavailable: the shop uses classic customer accounts, where store credit cannot be spent; falls back to $20 gift card, 60-day expiry (same value)",
  );
  const cardToo = decide(
    buildDecisionInput({
      gridVersion: gridWith(creditCell),
      settings: { ...buildDecisionInput().settings, unavailableKindFallback: "GIFT_CARD" },
      unavailableKinds: { ...classic, GIFT_CARD: { code: "SCOPES_MISSING", scopes: ["write_customers"] } },
    }),
  );
  expect(cardToo).toMatchObject({ kind: "OFFER", cell: { kind: "DISCOUNT_FIXED", value: 2_000 } });
});

test("with NONE as the fallback, store credit that cannot be spent is no offer at all: nothing is valued against the budget", () => {
  const decision = decide(
    buildDecisionInput({
      gridVersion: gridWith(creditCell),
      settings: { ...buildDecisionInput().settings, unavailableKindFallback: "NONE" },
      unavailableKinds: { STORE_CREDIT: { code: "CLASSIC_CUSTOMER_ACCOUNTS" } },
    }),
  );
  expect(decision).toMatchObject({ kind: "NO_OFFER", reason: "KIND_UNAVAILABLE" });
  expect(decision.checks.map((c) => c.guardrail)).not.toContain("BUDGET");
  expect(decision.explanation.join("\n")).toContain("no fallback kind can be issued: apology message only");
});

test("an available kind is issued as the grid says, whatever else is unavailable", () => {
  const decision = decide(
    buildDecisionInput({
      gridVersion: gridWith(cardCell),
      unavailableKinds: { STORE_CREDIT: { code: "CLASSIC_CUSTOMER_ACCOUNTS" } },
    }),
  );
  expect(decision).toMatchObject({ kind: "OFFER", cell: { kind: "GIFT_CARD" } });
  expect(decision.kind === "OFFER" && decision.fallbackFrom).toBeFalsy();
});
