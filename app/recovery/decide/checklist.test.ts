import { expect, test } from "vitest";
import { holdoutDraw } from "../guardrails";
import { buildDecisionInput, buildIncident } from "../test-support/factories";
import { decisionChecklist, legacyExplanation, type ChecklistItem } from "./checklist";
import { decide } from "./decide";
import { parseDecisionWhy, type DecisionWhy } from "./why";

/** A VIP's major late order, auto-approved within every guardrail: each row changes what it is about. */
const OFFER: DecisionWhy = {
  v: 1,
  kind: "OFFER",
  currency: "USD",
  incidentType: "LATE_FULFILLMENT",
  severity: "major",
  customer: { tier: "VIP", guest: false, amountSpentMinor: 124_000, numberOfOrders: 14 },
  stage: null,
  ineligible: null,
  holdout: { held: false, source: "DRAW", draw: 0.7712, share: 0.1, since: null },
  experiment: null,
  cell: { source: "GRID", severity: "major", tier: "VIP", gridVersion: 3, kind: "DISCOUNT_PERCENT" },
  preferred: null,
  fallback: null,
  noOffer: null,
  offer: { kind: "DISCOUNT_PERCENT", faceValueMinor: 4_000 },
  limits: {
    guest: false,
    cooldownDays: 30,
    cooldownHit: false,
    lastOfferOn: null,
    capMinor: 20_000,
    afterMinor: 4_000,
    capHit: false,
  },
  offerCap: { valueMinor: 4_000, ceilingMinor: 5_000, over: false },
  budget: { budgetMinor: 100_000, afterMinor: 58_900, within: true, atReservation: false },
  approval: { route: "AUTO", sources: [] },
  timing: null,
};

const OFFER_ITEMS: Array<[string, ChecklistItem["status"], string]> = [
  ["eligibility", "PASS", "Eligible for a make-good"],
  ["holdout", "PASS", "Not in the random comparison group"],
  ["cell", "NOTE", "Percentage discount code"],
  ["cooldown", "PASS", "No other make-good for this customer in the last 30 days"],
  ["yearly-limit", "PASS", "Within this customer's yearly limit"],
  ["offer-cap", "PASS", "Within the auto-approve ceiling"],
  ["budget", "PASS", "Within the monthly budget"],
  ["approval", "NOTE", "No approval needed: issued at once"],
];

const rows = (why: DecisionWhy) =>
  decisionChecklist(why).items.map((i): [string, ChecklistItem["status"], string] => [i.key, i.status, i.text]);
const replace = (key: string, row: [ChecklistItem["status"], string]) =>
  OFFER_ITEMS.map((r): [string, ChecklistItem["status"], string] => (r[0] === key ? [key, ...row] : r));

test.each<[string, Partial<DecisionWhy>, Array<[string, ChecklistItem["status"], string]>]>([
  ["an offer within every guardrail", {}, OFFER_ITEMS],
  [
    "not eligible: the checklist stops at the first check",
    { kind: "INELIGIBLE", ineligible: "CUSTOMER_CANCELLATION", holdout: null, cell: null, offer: null },
    [["eligibility", "FAIL", "Not eligible for a make-good: order cancelled by the customer"]],
  ],
  [
    "held out by its own draw",
    {
      kind: "HOLDOUT",
      holdout: { held: true, source: "DRAW", draw: 0.0412, share: 0.1, since: null },
      cell: null,
      offer: null,
      limits: null,
      offerCap: null,
      budget: null,
      approval: null,
    },
    [
      ["eligibility", "PASS", "Eligible for a make-good"],
      ["holdout", "FAIL", "In the random comparison group: no make-good, so Amends can measure what make-goods change"],
    ],
  ],
  [
    "held out as the comparison group of the cell's experiment",
    {
      kind: "HOLDOUT",
      holdout: { held: true, source: "CUSTOMER", draw: 0.6, share: 0.1, since: "2026-02-20" },
      experiment: { letter: null, label: null, arms: 2 },
      cell: null,
      offer: null,
      limits: null,
      offerCap: null,
      budget: null,
      approval: null,
    },
    [
      ["eligibility", "PASS", "Eligible for a make-good"],
      [
        "holdout",
        "FAIL",
        "In the random comparison group (kept from this customer's incident of 2026-02-20): no make-good, so Amends can measure what make-goods change",
      ],
      ["experiment", "NOTE", "This cell runs an experiment (2 arms): this incident is its comparison group"],
    ],
  ],
  [
    "another make-good within the cooldown",
    {
      limits: { ...(OFFER.limits as object), cooldownHit: true, lastOfferOn: "2026-04-20" } as DecisionWhy["limits"],
      approval: { route: "MANAGER", sources: ["CUSTOMER_LIMITS"] },
    },
    replace("cooldown", ["FAIL", "Another make-good for this customer in the last 30 days: a manager approves"]).map(
      (r) => (r[0] === "approval" ? ["approval", "NOTE", "Waits for a manager's approval"] : r),
    ),
  ],
  [
    "over the customer's yearly limit",
    {
      limits: { ...(OFFER.limits as object), capHit: true, afterMinor: 21_000 } as DecisionWhy["limits"],
      approval: { route: "MANAGER", sources: ["CUSTOMER_LIMITS"] },
    },
    replace("yearly-limit", ["FAIL", "Over this customer's yearly limit: a manager approves"]).map((r) =>
      r[0] === "approval" ? ["approval", "NOTE", "Waits for a manager's approval"] : r,
    ),
  ],
  [
    "a guest has no customer limits; no yearly limit set is said so",
    { limits: { guest: true }, customer: { tier: "NEW", guest: true, amountSpentMinor: 0, numberOfOrders: 0 } },
    OFFER_ITEMS.filter((r) => r[0] !== "cooldown").map((r) =>
      r[0] === "yearly-limit" ? ["limits", "PASS", "Guest checkout: no customer history to limit"] : r,
    ),
  ],
  [
    "above the auto-approve ceiling",
    {
      offerCap: { valueMinor: 6_000, ceilingMinor: 5_000, over: true },
      approval: { route: "STAFF", sources: ["OFFER_CAP"] },
    },
    replace("offer-cap", ["FAIL", "Above the auto-approve ceiling: someone approves"]).map((r) =>
      r[0] === "approval" ? ["approval", "NOTE", "Waits for a staff member's approval"] : r,
    ),
  ],
  [
    "over the monthly budget",
    {
      budget: { budgetMinor: 100_000, afterMinor: 104_000, within: false, atReservation: false },
      approval: { route: "MANAGER", sources: ["BUDGET"] },
    },
    replace("budget", ["FAIL", "Over the monthly budget: a manager approves"]).map((r) =>
      r[0] === "approval" ? ["approval", "NOTE", "Waits for a manager's approval"] : r,
    ),
  ],
  [
    "the budget gone at reservation (concurrent decisions)",
    {
      budget: { budgetMinor: 100_000, afterMinor: 98_000, within: false, atReservation: true },
      approval: { route: "MANAGER", sources: ["BUDGET"] },
    },
    replace("budget", [
      "FAIL",
      "Over the monthly budget when reserved (other make-goods took the rest): a manager approves",
    ]).map((r) => (r[0] === "approval" ? ["approval", "NOTE", "Waits for a manager's approval"] : r)),
  ],
  [
    "no monthly budget set",
    { budget: { budgetMinor: null, afterMinor: 58_900, within: true, atReservation: false } },
    replace("budget", ["PASS", "No monthly budget set"]),
  ],
  [
    "the customer's preferred kind used instead of the cell's",
    {
      preferred: { outcome: "USED", preferred: "STORE_CREDIT" },
      offer: { kind: "STORE_CREDIT", faceValueMinor: 4_000 },
    },
    [
      ...OFFER_ITEMS.slice(0, 3),
      ["preferred", "NOTE", "The customer prefers store credit: given instead of the cell's own make-good"],
      ...OFFER_ITEMS.slice(3),
    ],
  ],
  [
    "a preferred kind the cell sets no equivalent of",
    { preferred: { outcome: "NO_EQUIVALENT", preferred: "GIFT_CARD" } },
    [
      ...OFFER_ITEMS.slice(0, 3),
      ["preferred", "NOTE", "The customer prefers a gift card, but this cell sets none: the cell's own make-good"],
      ...OFFER_ITEMS.slice(3),
    ],
  ],
  [
    "a lapsed customer's stage cell",
    {
      stage: { stage: "LAPSED", cellApplied: true },
      cell: { source: "STAGE", severity: "major", tier: "VIP", gridVersion: 3, kind: "DISCOUNT_PERCENT" },
    },
    [
      ...OFFER_ITEMS.slice(0, 2),
      ["stage", "NOTE", "Customer stage lapsed: the grid's lapsed cell applies"],
      ...OFFER_ITEMS.slice(2),
    ],
  ],
  [
    "a stage without a cell here",
    { stage: { stage: "RETURNING", cellApplied: false } },
    [
      ...OFFER_ITEMS.slice(0, 2),
      ["stage", "NOTE", "Customer stage returning: no cell of its own here, the base cell applies"],
      ...OFFER_ITEMS.slice(2),
    ],
  ],
  [
    "an experiment's arm with the next-morning timing",
    {
      experiment: { letter: "B", label: "Gift card", arms: 2 },
      timing: { issueOn: "2026-05-13", hour: 9 },
    },
    [
      ...OFFER_ITEMS.slice(0, 2),
      ["experiment", "NOTE", "This cell runs an experiment: arm B (“Gift card”) of 2, the one this customer keeps"],
      ...OFFER_ITEMS.slice(2),
      ["timing", "NOTE", "Issued the next morning, 09:00 shop time on 2026-05-13 (this experiment arm's timing)"],
    ],
  ],
  [
    "a kind the shop cannot issue falls back",
    {
      fallback: { from: "STORE_CREDIT", to: "DISCOUNT_FIXED", why: "CLASSIC_CUSTOMER_ACCOUNTS" },
      offer: { kind: "DISCOUNT_FIXED", faceValueMinor: 4_000 },
    },
    [
      ...OFFER_ITEMS.slice(0, 3),
      [
        "fallback",
        "FAIL",
        "This shop cannot issue store credit: fixed-amount discount code instead, of the same value",
      ],
      ...OFFER_ITEMS.slice(3),
    ],
  ],
  [
    "no make-good: the cell says apology only",
    {
      kind: "NO_OFFER",
      noOffer: "GRID_SAYS_NONE",
      cell: { source: "GRID", severity: "minor", tier: "NEW", gridVersion: 3, kind: "NONE" },
      offer: null,
      limits: null,
      offerCap: null,
      budget: null,
      approval: null,
    },
    [
      ["eligibility", "PASS", "Eligible for a make-good"],
      ["holdout", "PASS", "Not in the random comparison group"],
      ["cell", "NOTE", "Apology only (no offer)"],
      ["no-offer", "NOTE", "The cell gives an apology message only"],
    ],
  ],
])("decisionChecklist: %s", (_name, overrides, expected) => {
  const checklist = rows({ ...OFFER, ...overrides });
  expect(checklist).toEqual(expected);
  // Staff words only: no enum word reaches the page.
  const text = JSON.stringify(decisionChecklist({ ...OFFER, ...overrides }));
  expect(text.replace(/"(key|status|scope|severity|tier)":"[^"]*"/g, "")).not.toMatch(
    /LATE_FULFILLMENT|DISCOUNT_PERCENT|STORE_CREDIT|DISCOUNT_FIXED|\bREGULAR\b|\bMANAGER\b|\bSTAFF\b|\bAUTO\b/,
  );
});

test("the cell links by its title and address; an override's cell is its incident type's", () => {
  const cell = decisionChecklist(OFFER).items.find((i) => i.key === "cell")?.cell;
  expect(cell).toEqual({
    title: "Major × VIP",
    address: { scope: "BASE", severity: "major", tier: "VIP" },
    gridVersion: 3,
  });
  const override = decisionChecklist({ ...OFFER, cell: { ...OFFER.cell!, source: "OVERRIDE" } }).items.find(
    (i) => i.key === "cell",
  )?.cell;
  expect(override?.title).toBe("Major × VIP · Late to ship");
  expect(override?.address.scope).toBe("LATE_FULFILLMENT");
});

test("the raw figures go to Details, not into the checks", () => {
  const { items, details } = decisionChecklist(OFFER);
  expect(items.map((i) => i.text).join(" ")).not.toMatch(/0\.7712|\$/);
  expect(details).toEqual([
    { label: "Incident", value: "Late to ship, major severity" },
    { label: "Customer", value: "VIP: $1,240 spent in 14 orders" },
    { label: "Comparison group", value: "Draw 0.7712; the group takes draws below 0.10 (10%)" },
    { label: "Grid", value: "Version 3" },
    { label: "Customer's last 12 months", value: "$40 of the $200 yearly limit, with this make-good" },
    { label: "Make-good value", value: "$40; auto-approve ceiling $50" },
    { label: "Monthly budget", value: "$589 of $1,000 this month, with this make-good" },
    { label: "Make-good", value: "Percentage discount code, worth $40" },
  ]);
});

test("decide() records the steps it took as data, which the stored record reads back", () => {
  const offer = decide(buildDecisionInput());
  expect(offer.why).toMatchObject({
    kind: "OFFER",
    ineligible: null,
    holdout: { held: false, source: "DRAW", share: 0 },
    cell: { source: "GRID", severity: "major", tier: "VIP", gridVersion: 3, kind: "STORE_CREDIT" },
    limits: { guest: false, cooldownHit: false, capHit: false, capMinor: 20_000, afterMinor: 2_500 },
    offerCap: { valueMinor: 2_500, ceilingMinor: 5_000, over: false },
    budget: { budgetMinor: 100_000, afterMinor: 58_900, within: true, atReservation: false },
    approval: { route: "STAFF", sources: ["GRID"] },
    offer: { kind: "STORE_CREDIT", faceValueMinor: 2_500 },
  });
  // Stored as JSON (the DECIDED event) and read back unchanged.
  expect(parseDecisionWhy(JSON.parse(JSON.stringify(offer.why)))).toEqual(offer.why);

  const ineligible = decide(buildDecisionInput({ incident: buildIncident({ cancelReason: "fraud" }) }));
  expect(ineligible.why).toMatchObject({ kind: "INELIGIBLE", ineligible: "FRAUD", holdout: null, cell: null });

  const input = buildDecisionInput({ settings: { ...buildDecisionInput().settings, holdoutShare: 0.5 } });
  const heldId = Array.from({ length: 50 }, (_, i) => `incident-${i}`).find((id) => holdoutDraw(id) < 0.5) ?? "";
  const held = decide({ ...input, incident: buildIncident({ id: heldId }) });
  expect(held.why).toMatchObject({ kind: "HOLDOUT", holdout: { held: true, source: "DRAW", share: 0.5 }, cell: null });
  expect(held.why.holdout?.draw).toBe(holdoutDraw(heldId));
});

test("a record this version cannot read is null (the page then shows the stored lines)", () => {
  expect(parseDecisionWhy(undefined)).toBeNull();
  expect(parseDecisionWhy({ ...OFFER, v: 2 })).toBeNull();
  expect(parseDecisionWhy({ ...OFFER, kind: "MAYBE" })).toBeNull();
});

test("an older decision's lines lose their numbering and enum words", () => {
  expect(
    legacyExplanation([
      "Incident: minor, 3 business days late to ship (LATE_FULFILLMENT)",
      "2. Holdout: draw 0.7712 is not below the 10% share: gets the make-good",
      "Grid v3 (minor x REGULAR): 10% code, approval AUTO; valued at $5",
      "3. Customer limits: an offer on 2026-04-20 is within the 30-day cooldown: needs MANAGER",
    ]),
  ).toEqual([
    "Incident: minor, 3 business days late to ship (late to ship)",
    "Holdout: draw 0.7712 is not below the 10% share: gets the make-good",
    "Grid v3 (minor × Regular): 10% code, approval automatic; valued at $5",
    "Customer limits: an offer on 2026-04-20 is within the 30-day cooldown: needs manager",
  ]);
});
