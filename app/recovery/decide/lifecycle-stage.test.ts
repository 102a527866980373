/** decide() with a lifecycle stage (decision 0115): the stage's cell, and an explanation that says why. */
import { expect, test } from "vitest";
import { DEFAULT_GRID, INSTALL_GRID } from "../grid";
import { classifyLifecycle, DEFAULT_LIFECYCLE_SETTINGS, type LifecycleFacts } from "../lifecycle";
import { classifyTier } from "../tiers";
import { buildDecisionInput, buildIncident, GRID_V3 } from "../test-support/factories";
import { decide } from "./decide";
import type { DecisionInput } from "./types";

const NOW = buildDecisionInput().now;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const INSTALL_V1 = { ...GRID_V3, version: 1, grid: INSTALL_GRID };

function withStage(facts: Partial<LifecycleFacts>, over: Partial<DecisionInput> = {}): DecisionInput {
  const f: LifecycleFacts = {
    guest: false,
    numberOfOrders: 1,
    orderAt: daysAgo(7),
    previousOrderAt: null,
    seenSince: daysAgo(30),
    ...facts,
  };
  return buildDecisionInput({
    gridVersion: INSTALL_V1,
    tier: classifyTier(
      f.guest ? null : { amountSpentMinor: 4_000 * f.numberOfOrders, numberOfOrders: f.numberOfOrders },
    ),
    lifecycle: { assessment: classifyLifecycle(f, DEFAULT_LIFECYCLE_SETTINGS), settings: DEFAULT_LIFECYCLE_SETTINGS },
    ...over,
  });
}

test("a first-order customer gets the welcome-back offer, and the explanation says so", () => {
  const decision = decide(withStage({ numberOfOrders: 1 }));
  expect(decision).toMatchObject({
    kind: "OFFER",
    cellSource: "STAGE",
    cell: { kind: "DISCOUNT_PERCENT", value: 20, messageTemplateKey: "welcome_back" },
  });
  expect(decision.explanation).toContain("Lifecycle: first order with the shop");
  expect(decision.explanation).toContain("Playbook: the grid's first order cell applies: the welcome-back offer");
  expect(decision.explanation.some((l) => l.startsWith("Grid v1 first order cell (major x NEW): 20% code"))).toBe(true);
  expect(decision.summary).toContain("first order with the shop");
});

test("a frequent buyer gets the exclusive perk", () => {
  const decision = decide(
    withStage({ numberOfOrders: 6, previousOrderAt: daysAgo(20) }, { incident: buildIncident({ severity: "minor" }) }),
  );
  expect(decision).toMatchObject({
    kind: "OFFER",
    cellSource: "STAGE",
    cell: { kind: "STORE_CREDIT", value: 800, messageTemplateKey: "loyal_perk" },
  });
  expect(decision.explanation).toContain("Lifecycle: frequent buyer: 5 earlier orders (at least 4)");
  expect(decision.explanation).toContain("Playbook: the grid's frequent buyer cell applies: the exclusive perk");
});

test("a returning customer has no stage cell in the defaults: the base cell, and the explanation says so", () => {
  const decision = decide(withStage({ numberOfOrders: 2, previousOrderAt: daysAgo(40) }));
  expect(decision).toMatchObject({ kind: "OFFER", cellSource: "GRID", cell: INSTALL_GRID.cells.major.NEW });
  expect(decision.explanation).toContain("Playbook: no returning cells in this grid: the base cell applies");
});

test("an incident type's override wins over the stage's cell", () => {
  const refund = buildIncident({
    type: "REFUND",
    measure: { kind: "REFUND_SHARE", refundedMinor: 2_000, orderTotalMinor: 24_000 },
    severity: "minor",
  });
  const decision = decide(withStage({ numberOfOrders: 1 }, { incident: refund }));
  expect(decision).toMatchObject({ kind: "NO_OFFER", reason: "GRID_SAYS_NONE" });
  expect(decision.explanation).toContain("Playbook: the REFUND override applies before any first order cell");
});

test("a guest has no stage: the base cell", () => {
  const decision = decide(withStage({ guest: true }, { incident: buildIncident({ customerId: null }) }));
  expect(decision).toMatchObject({ kind: "OFFER", cellSource: "GRID" });
  expect(decision.explanation).toContain("Lifecycle: no lifecycle stage (guest checkout: no order history)");
});

test("a grid saved before stages decides a first-order customer exactly as without a stage, apart from the stage line", () => {
  const old = { ...GRID_V3, grid: DEFAULT_GRID };
  const staged = decide(withStage({ numberOfOrders: 1 }, { gridVersion: old }));
  const { lifecycle: _unused, ...rest } = withStage({ numberOfOrders: 1 }, { gridVersion: old });
  const plain = decide(rest);
  const { explanation: a, summary: _s1, why: stagedWhy, ...stagedRest } = staged;
  const { explanation: b, summary: _s2, why: plainWhy, ...plainRest } = plain;
  expect(stagedRest).toEqual(plainRest);
  // The record names the stage, whose cell did not apply; the rest is the same.
  expect(stagedWhy.stage).toEqual({ stage: "FIRST_ORDER", cellApplied: false });
  expect({ ...stagedWhy, stage: null }).toEqual(plainWhy);
  expect(a.filter((l) => !l.startsWith("Lifecycle:") && !l.startsWith("Playbook:"))).toEqual(b);
});
