/** A grid cell's "customer's preferred kind" option in decide() (decision 0114). */
import fc from "fast-check";
import { expect, test } from "vitest";
import { DEFAULT_GRID, gridCellSchema, gridSchema, type GridCell, type GridCellInput } from "../grid";
import { holdoutDraw } from "../guardrails";
import type { RedeemedOffer, RedemptionHistory } from "../preference";
import { buildDecisionInput, buildIncident, GRID_V3 } from "../test-support/factories";
import { OFFER_KINDS, type OfferKind } from "../vocabulary";
import { decide } from "./decide";
import type { DecisionInput } from "./types";

const CUSTOMER = "gid://shopify/Customer/7";
const NOW = buildDecisionInput().now;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

/** 15% code, 60 days, AUTO; for a customer who uses credit or gift cards, $10 of either. */
const OPTION_CELL: GridCellInput = {
  kind: "DISCOUNT_PERCENT",
  value: 15,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "personal",
  preferredKind: { STORE_CREDIT: 1_000, GIFT_CARD: 1_000 },
};

/** GRID_V3 with its major x VIP cell (the factories' incident and customer) replaced. */
function gridWith(cell: GridCellInput): DecisionInput["gridVersion"] {
  return {
    ...GRID_V3,
    grid: gridSchema.parse({
      ...DEFAULT_GRID,
      cells: { ...DEFAULT_GRID.cells, major: { ...DEFAULT_GRID.cells.major, VIP: cell } },
    }),
  };
}

let counter = 0;
const redeemed = (kind: OfferKind, days: number, customerId: string | null = CUSTOMER): RedeemedOffer => ({
  offerId: `offer-${++counter}`,
  customerId,
  kind,
  redeemedAt: daysAgo(days),
});
const history = (...redemptions: RedeemedOffer[]): RedemptionHistory => ({ redemptions, redactedAt: null });

const input = (overrides: Partial<DecisionInput> = {}) =>
  buildDecisionInput({ gridVersion: gridWith(OPTION_CELL), ...overrides });

test("a customer who spent store credit last time gets the cell's store credit equivalent, and the explanation says why", () => {
  const decision = decide(
    input({ redemptionHistory: history(redeemed("DISCOUNT_PERCENT", 90), redeemed("STORE_CREDIT", 20)) }),
  );
  expect(decision).toMatchObject({
    kind: "OFFER",
    cell: { kind: "STORE_CREDIT", value: 1_000, expiryDays: 60, approval: "AUTO", messageTemplateKey: "personal" },
    faceValueMinor: 1_000,
    approval: "AUTO",
    preferredFrom: { kind: "DISCOUNT_PERCENT", preferred: "STORE_CREDIT" },
  });
  if (decision.kind !== "OFFER") return;
  // The offer records a make-good, not the cell's option.
  expect(decision.cell).not.toHaveProperty("preferredKind");
  expect(decision.explanation).toEqual(
    expect.arrayContaining([
      "Grid v3 (major x VIP): 15% code, 60-day expiry, or the customer's preferred kind: $10 store credit, $10 gift card",
      "Preferred kind: They used store credit last time, so this make-good is store credit: $10 store credit, 60-day expiry, approval AUTO; face value $10",
      "3. Customer limits: no offer in the last 30 days; $10 of the $200 yearly cap: passed",
      "4. Offer cap: $10 is within the $50 auto-approve ceiling: passed",
    ]),
  );
  expect(decision.summary).toContain("grid v3 says $10 store credit, 60-day expiry (the customer's preferred kind)");
});

test.each<[string, Partial<DecisionInput>, string]>([
  ["no history", {}, "They have not redeemed a make-good before, so this make-good is the cell's own"],
  [
    "codes redeemed before: the cell's own kind",
    { redemptionHistory: history(redeemed("DISCOUNT_FIXED", 10)) },
    "They used a discount code last time, so this make-good is a discount code",
  ],
  [
    "another customer's store credit",
    { redemptionHistory: history(redeemed("STORE_CREDIT", 10, "gid://shopify/Customer/8")) },
    "They have not redeemed a make-good before, so this make-good is the cell's own",
  ],
  [
    "erased at their request",
    { redemptionHistory: { redemptions: [redeemed("STORE_CREDIT", 10)], redactedAt: daysAgo(5) } },
    "The customer's data was erased at their request: nothing they redeemed before is used, so this make-good is the cell's own",
  ],
  [
    "store credit cannot be spent on this shop",
    {
      redemptionHistory: history(redeemed("STORE_CREDIT", 10)),
      unavailableKinds: { STORE_CREDIT: { code: "CLASSIC_CUSTOMER_ACCOUNTS" } },
    },
    "They used store credit last time, but store credit is unavailable (the shop uses classic customer accounts, where store credit cannot be spent), so this make-good is the cell's own",
  ],
])("the cell's own 15%% code: %s", (_name, overrides, because) => {
  const decision = decide(input(overrides));
  expect(decision).toMatchObject({
    kind: "OFFER",
    cell: { kind: "DISCOUNT_PERCENT", value: 15 },
    faceValueMinor: 3_000,
  });
  expect(decision).not.toHaveProperty("preferredFrom");
  expect(decision.explanation).toContain(
    `Preferred kind: ${because}: 15% code, 60-day expiry, approval AUTO; valued at $30: 15% of $200`,
  );
});

test("a preferred kind the cell sets no equivalent for: the cell's own kind, saying so", () => {
  const decision = decide(
    input({
      gridVersion: gridWith({ ...OPTION_CELL, preferredKind: { STORE_CREDIT: 1_000 } }),
      redemptionHistory: history(redeemed("GIFT_CARD", 3)),
    }),
  );
  expect(decision).toMatchObject({ kind: "OFFER", cell: { kind: "DISCOUNT_PERCENT" } });
  expect(decision.explanation).toContain(
    "Preferred kind: They used a gift card last time, but this cell sets no gift card equivalent, so this make-good is the cell's own: 15% code, 60-day expiry, approval AUTO; valued at $30: 15% of $200",
  );
});

test("the guardrails see the equivalent's value: $60 of store credit is above the auto-approve ceiling, the 15% code is not", () => {
  const gridVersion = gridWith({ ...OPTION_CELL, preferredKind: { STORE_CREDIT: 6_000 } });
  const own = decide(input({ gridVersion }));
  expect(own).toMatchObject({ kind: "OFFER", faceValueMinor: 3_000, approval: "AUTO" });
  const preferred = decide(input({ gridVersion, redemptionHistory: history(redeemed("STORE_CREDIT", 3)) }));
  expect(preferred).toMatchObject({
    kind: "OFFER",
    cell: { kind: "STORE_CREDIT", value: 6_000 },
    faceValueMinor: 6_000,
    approval: "STAFF",
    approvalSources: ["OFFER_CAP"],
  });
  // And the budget: this month is at $564 of $1,000, so $60 passes where $500 would not.
  const big = decide(
    input({
      gridVersion: gridWith({ ...OPTION_CELL, preferredKind: { GIFT_CARD: 50_000 } }),
      redemptionHistory: history(redeemed("GIFT_CARD", 3)),
    }),
  );
  expect(big).toMatchObject({ kind: "OFFER", faceValueMinor: 50_000, approval: "MANAGER" });
  expect(big.explanation).toContain("5. Budget: would bring this month to $1,064 of $1,000: needs MANAGER");
});

test("a gift product cell's credit equivalent expires after 90 days; its gift card equivalent never does", () => {
  const gift: GridCellInput = {
    kind: "GIFT_PRODUCT",
    value: { variantId: "gid://shopify/ProductVariant/5", quantity: 1 },
    approval: "AUTO",
    messageTemplateKey: "standard",
    preferredKind: { STORE_CREDIT: 1_500, GIFT_CARD: 1_500 },
  };
  const base = { gridVersion: gridWith(gift), variantPrices: { "gid://shopify/ProductVariant/5": 1_200 } };
  expect(decide(input({ ...base, redemptionHistory: history(redeemed("STORE_CREDIT", 1)) }))).toMatchObject({
    cell: { kind: "STORE_CREDIT", value: 1_500, expiryDays: 90 },
  });
  expect(decide(input({ ...base, redemptionHistory: history(redeemed("GIFT_CARD", 1)) }))).toMatchObject({
    cell: { kind: "GIFT_CARD", value: 1_500, expiryDays: null },
  });
});

test("a guest gets the cell's own kind", () => {
  const decision = decide(input({ incident: buildIncident({ customerId: null }) }));
  expect(decision).toMatchObject({ kind: "OFFER", cell: { kind: "DISCOUNT_PERCENT" } });
  expect(decision.explanation).toContain(
    "Preferred kind: A guest checkout has no make-goods redeemed before, so this make-good is the cell's own: 15% code, 60-day expiry, approval AUTO; valued at $30: 15% of $200",
  );
});

test("a grid without the option decides as before: its explanation does not mention a preferred kind", () => {
  const before = decide(buildDecisionInput());
  const withHistory = decide(buildDecisionInput({ redemptionHistory: history(redeemed("GIFT_CARD", 1)) }));
  expect(withHistory).toEqual(before);
  expect(before.explanation.join("\n")).not.toMatch(/preferred/i);
});

const historyArb = fc.record({
  redemptions: fc.array(
    fc.record({
      offerId: fc.uuid(),
      customerId: fc.constantFrom<string | null>(CUSTOMER, "gid://shopify/Customer/8", null),
      kind: fc.constantFrom(...OFFER_KINDS),
      redeemedAt: fc.integer({ min: -3, max: 400 }).map(daysAgo),
    }),
    { maxLength: 15 },
  ),
  redactedAt: fc.option(fc.integer({ min: 0, max: 400 }).map(daysAgo), { nil: null }),
});

test("property: the make-good is the cell's own kind or one of the equivalents, of a kind the customer redeemed", () => {
  fc.assert(
    fc.property(historyArb, (redemptionHistory) => {
      const decision = decide(input({ redemptionHistory }));
      if (decision.kind !== "OFFER") return false;
      if (decision.cell.kind === "DISCOUNT_PERCENT") return decision.faceValueMinor === 3_000;
      const kind = decision.cell.kind as OfferKind;
      return (
        redemptionHistory.redactedAt === null &&
        decision.faceValueMinor === 1_000 &&
        redemptionHistory.redemptions.some((r) => r.customerId === CUSTOMER && r.kind === kind && r.redeemedAt <= NOW)
      );
    }),
  );
});

test("property: a held-out customer stays held out whatever they redeemed", () => {
  const settings = { ...buildDecisionInput().settings, holdoutShare: 0.5 };
  const held = Array.from({ length: 50 }, (_, i) => `incident-${i}`).filter((id) => holdoutDraw(id) < 0.5);
  expect(held.length).toBeGreaterThan(0);
  fc.assert(
    fc.property(historyArb, fc.constantFrom(...held), (redemptionHistory, id) => {
      const decision = decide(input({ settings, incident: buildIncident({ id }), redemptionHistory }));
      return decision.kind === "HOLDOUT";
    }),
  );
});

test("the stored grid: an old cell (no option) reads as before; the option refuses the cell's own kind and an empty set", () => {
  const old = { kind: "DISCOUNT_PERCENT", value: 10, expiryDays: 30, approval: "AUTO", messageTemplateKey: "standard" };
  expect(gridCellSchema.parse(old)).toEqual(old);
  expect(gridSchema.parse(JSON.parse(JSON.stringify(DEFAULT_GRID)))).toEqual(DEFAULT_GRID);
  const ownKind = gridCellSchema.safeParse({
    ...OPTION_CELL,
    preferredKind: { DISCOUNT_CODE: 20, STORE_CREDIT: 1_000 },
  });
  expect(ownKind.success ? [] : ownKind.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    [
      "preferredKind.DISCOUNT_CODE",
      "this cell already gives a discount code: leave this empty, the cell's own value applies",
    ],
  ]);
  const empty = gridCellSchema.safeParse({ ...OPTION_CELL, preferredKind: {} });
  expect(empty.success ? [] : empty.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["preferredKind", "set the equivalent of at least one other kind, or turn the option off"],
  ]);
  const bad = gridCellSchema.safeParse({ ...OPTION_CELL, preferredKind: { GIFT_CARD: 0 } });
  expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join("."))).toEqual(["preferredKind.GIFT_CARD"]);
  const parsed: GridCell = gridCellSchema.parse(OPTION_CELL);
  expect(parsed).toEqual(OPTION_CELL);
});
