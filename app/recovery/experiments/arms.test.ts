/** Arms in a grid cell (decision 0119): validation, the sticky per-customer draw, and decide(). */
import fc from "fast-check";
import { expect, test } from "vitest";
import { decide } from "../decide/decide";
import type { DecisionInput } from "../decide/types";
import {
  DEFAULT_GRID,
  gridCellSchema,
  gridSchema,
  giftVariantIds,
  templateKeyIssues,
  type GridCellInput,
} from "../grid";
import { holdoutDraw } from "../guardrails";
import { buildDecisionInput, buildIncident, GRID_V3 } from "../test-support/factories";
import { draftFromGrid, gridDraftSchema } from "../grid/editing";
import { armDraw, assignArm, cellExperiment } from "./arms";

const CODE: GridCellInput = {
  kind: "DISCOUNT_PERCENT",
  value: 15,
  expiryDays: 30,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
const CREDIT: GridCellInput = {
  kind: "STORE_CREDIT",
  value: 1_000,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
const EXPERIMENT: GridCellInput = { ...CODE, arms: [{ offer: CODE }, { label: "$10 credit", offer: CREDIT }] };

function gridWith(cell: GridCellInput): DecisionInput["gridVersion"] {
  return {
    ...GRID_V3,
    grid: gridSchema.parse({
      ...DEFAULT_GRID,
      cells: { ...DEFAULT_GRID.cells, major: { ...DEFAULT_GRID.cells.major, VIP: cell } },
    }),
  };
}

const issuesOf = (input: unknown) => {
  const r = gridCellSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
};

test("a cell without arms parses and decides exactly as before", () => {
  const parsed = gridCellSchema.parse(CODE);
  expect(parsed).toEqual({ ...CODE });
  expect("arms" in parsed).toBe(false);
  expect(cellExperiment(parsed)).toBeNull();
  const decision = decide(buildDecisionInput({ gridVersion: gridWith(CODE) }));
  expect(decision.kind === "OFFER" && decision.arm).toBeFalsy();
  expect(decision.explanation.some((l) => l.startsWith("Experiment"))).toBe(false);
});

test("arms are checked beside each field: count, each arm's make-good, no nesting, not with the preferred kind", () => {
  expect(issuesOf({ ...CODE, arms: [{ offer: CODE }] })).toEqual([
    { path: "arms", message: "an experiment needs at least 2 arms" },
  ]);
  expect(issuesOf({ ...CODE, arms: Array.from({ length: 5 }, () => ({ offer: CODE })) })).toEqual([
    { path: "arms", message: "an experiment has at most 4 arms" },
  ]);
  expect(issuesOf({ ...CODE, arms: [{ offer: CODE }, { offer: { ...CREDIT, value: 0 } }] })).toEqual([
    { path: "arms.1.offer.value", message: "amount must be more than zero" },
  ]);
  expect(issuesOf({ ...CODE, arms: [{ offer: EXPERIMENT }, { offer: CREDIT }] })).toEqual([
    { path: "arms.0.offer", message: "an arm is one make-good: no arms or preferred kind inside it" },
  ]);
  expect(issuesOf({ ...CODE, preferredKind: { STORE_CREDIT: 1_000 }, arms: EXPERIMENT.arms })).toEqual([
    { path: "arms", message: "a cell with an experiment cannot also use the customer's preferred kind: turn one off" },
  ]);
  expect(issuesOf({ ...CODE, arms: [{ label: " ", offer: CODE }, { offer: CREDIT }] })).toEqual([
    { path: "arms.0.label", message: "leave the label out or give it at least one character" },
  ]);
});

test("an arm naming an unknown message template is refused on save, and an arm's gift variant is priced", () => {
  const grid = gridWith({
    ...CODE,
    arms: [{ offer: { ...CODE, messageTemplateKey: "nope" } }, { offer: CREDIT }],
  }).grid;
  expect(templateKeyIssues(grid).map((i) => i.path.join("."))).toEqual([
    "cells.major.VIP.arms.0.offer.messageTemplateKey",
  ]);
  const gift = { kind: "GIFT_PRODUCT", value: { variantId: "gid://shopify/ProductVariant/55" }, approval: "AUTO" };
  expect(giftVariantIds(gridWith({ ...CODE, arms: [{ offer: CODE }, { offer: gift }] }).grid)).toContain(
    "gid://shopify/ProductVariant/55",
  );
});

test("the experiment key depends on the arms only, not on how their keys were written", () => {
  const a = cellExperiment(gridCellSchema.parse(EXPERIMENT))!;
  const reordered = {
    ...EXPERIMENT,
    arms: [
      {
        offer: {
          messageTemplateKey: "standard",
          expiryDays: 30,
          value: 15,
          kind: "DISCOUNT_PERCENT",
          approval: "AUTO",
        },
      },
      { offer: CREDIT, label: "$10 credit" },
    ],
  };
  expect(cellExperiment(gridCellSchema.parse(reordered))!.key).toBe(a.key);
  const changed = {
    ...EXPERIMENT,
    arms: [{ offer: CODE }, { label: "$10 credit", offer: { ...CREDIT, value: 1_100 } }],
  };
  expect(cellExperiment(gridCellSchema.parse(changed))!.key).not.toBe(a.key);
});

test("property: the arm is sticky per customer, whatever the incident", () => {
  const experiment = cellExperiment(gridCellSchema.parse(EXPERIMENT))!;
  fc.assert(
    fc.property(fc.string(), fc.uuid(), fc.uuid(), (customer, first, second) => {
      expect(assignArm(experiment, customer, first).index).toBe(assignArm(experiment, customer, second).index);
    }),
  );
});

test("property: arms are balanced across customers and independent of the holdout draw", () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1_000_000 }), (n, salt) => {
      const arms = Array.from({ length: n }, (_, i) => ({ offer: { ...CREDIT, value: 100 * (i + 1) } }));
      const experiment = cellExperiment(gridCellSchema.parse({ ...CODE, arms }))!;
      const customers = 2_000;
      const counts = Array.from({ length: n }, () => 0);
      const heldOutCounts = Array.from({ length: n }, () => 0);
      for (let c = 0; c < customers; c++) {
        const incident = `incident-${salt}-${c}`;
        const arm = assignArm(experiment, `gid://shopify/Customer/${salt}${c}`, incident).index;
        counts[arm]! += 1;
        if (holdoutDraw(incident) < 0.5) heldOutCounts[arm]! += 1;
      }
      // Each arm within 4.5 binomial standard errors of an equal share.
      const p = 1 / n;
      const se = Math.sqrt(customers * p * (1 - p));
      for (const count of counts) expect(Math.abs(count - customers * p)).toBeLessThan(4.5 * se);
      // Within each arm, about half the incidents would be held out at a 50% share: no correlation.
      counts.forEach((count, i) => {
        expect(Math.abs(heldOutCounts[i]! - count / 2)).toBeLessThan(4.5 * Math.sqrt(count / 4));
      });
    }),
    { numRuns: 20 },
  );
});

test("a guest is drawn per incident; the draw is a number in [0, 1)", () => {
  const experiment = cellExperiment(gridCellSchema.parse(EXPERIMENT))!;
  const arms = new Set(Array.from({ length: 40 }, (_, i) => assignArm(experiment, null, `guest-${i}`).index));
  expect(arms.size).toBe(2);
  fc.assert(fc.property(fc.string(), fc.string(), (k, u) => armDraw(k, u) >= 0 && armDraw(k, u) < 1));
});

test("decide() gives the customer's arm, says so in the explanation, and records it", () => {
  const gridVersion = gridWith(EXPERIMENT);
  const experiment = cellExperiment(gridVersion.grid.cells.major.VIP)!;
  // Find one customer per arm through the real draw, not a hard-coded guess.
  const customerFor = (arm: number) => {
    for (let i = 0; i < 200; i++) {
      const id = `gid://shopify/Customer/${i}`;
      if (assignArm(experiment, id, "x").index === arm) return id;
    }
    throw new Error(`no customer in arm ${arm} among 200`);
  };
  const b = decide(buildDecisionInput({ gridVersion, incident: buildIncident({ customerId: customerFor(1) }) }));
  expect(b).toMatchObject({
    kind: "OFFER",
    cell: { kind: "STORE_CREDIT", value: 1_000 },
    faceValueMinor: 1_000,
    arm: { experimentKey: experiment.key, arm: 1, label: "$10 credit", arms: 2 },
  });
  expect(b.explanation).toContain(
    "Experiment: Arm B (“$10 credit”) of the experiment in this cell (2 arms; each customer is randomised to one and keeps it while the experiment runs)",
  );
  const a = decide(buildDecisionInput({ gridVersion, incident: buildIncident({ customerId: customerFor(0) }) }));
  expect(a).toMatchObject({
    kind: "OFFER",
    cell: { kind: "DISCOUNT_PERCENT", value: 15 },
    arm: { arm: 0, label: null },
  });
  expect(a.explanation.some((l) => l.startsWith("Experiment: Arm A of the experiment in this cell"))).toBe(true);
});

test("a held-out incident of an experiment cell is recorded as the experiment's control group", () => {
  const gridVersion = gridWith(EXPERIMENT);
  const base = buildDecisionInput({ gridVersion });
  const decision = decide({ ...base, settings: { ...base.settings, holdoutShare: 1 } });
  expect(decision).toMatchObject({ kind: "HOLDOUT", arm: { arm: null, arms: 2 } });
  const plain = decide({ ...base, gridVersion: gridWith(CODE), settings: { ...base.settings, holdoutShare: 1 } });
  expect(plain.kind === "HOLDOUT" && plain.arm).toBeFalsy();
});

test("saving the grid editor's draft keeps a cell's arms as they were", () => {
  const grid = gridWith(EXPERIMENT).grid;
  const saved = gridDraftSchema("USD").parse(draftFromGrid(grid, "USD"));
  expect(saved.cells.major.VIP.arms).toEqual(grid.cells.major.VIP.arms);
  expect(saved).toEqual(grid);
});

// Timing arms ("now vs next morning").
const TIMING: GridCellInput = {
  ...CODE,
  arms: [
    { label: "Same day", offer: CODE },
    { label: "Next morning", offer: CODE, timing: "NEXT_MORNING" },
  ],
};

test("timing is part of an arm: NOW is the default (experiments before timings keep their key), a timing-only experiment is marked", () => {
  const plain = cellExperiment(gridCellSchema.parse(EXPERIMENT))!;
  const explicitNow = cellExperiment(
    gridCellSchema.parse({ ...EXPERIMENT, arms: EXPERIMENT.arms!.map((a) => ({ ...a, timing: "NOW" })) }),
  )!;
  expect(explicitNow.key).toBe(plain.key);
  expect(plain).toMatchObject({ timingOnly: false });
  expect(plain.arms.map((a) => a.timing)).toEqual(["NOW", "NOW"]);
  const timing = cellExperiment(gridCellSchema.parse(TIMING))!;
  expect(timing.timingOnly).toBe(true);
  expect(timing.arms.map((a) => a.timing)).toEqual(["NOW", "NEXT_MORNING"]);
  // Both arms next morning with different make-goods: not a timing experiment.
  const both = cellExperiment(
    gridCellSchema.parse({ ...EXPERIMENT, arms: EXPERIMENT.arms!.map((a) => ({ ...a, timing: "NEXT_MORNING" })) }),
  )!;
  expect(both.key).not.toBe(plain.key);
  expect(both.timingOnly).toBe(false);
  expect(issuesOf({ ...CODE, arms: [{ offer: CODE }, { offer: CODE, timing: "TOMORROW" }] })).toEqual([
    { path: "arms.1.timing", message: "timing is NOW or NEXT_MORNING" },
  ]);
});

test("decide(): a next-morning arm's offer is issued at 09:00 shop time the next day, said in the explanation; the same-day arm at once", () => {
  const gridVersion = gridWith(TIMING);
  const experiment = cellExperiment(gridVersion.grid.cells.major.VIP)!;
  const customerFor = (arm: number) => {
    for (let i = 0; i < 200; i++) {
      const id = `gid://shopify/Customer/${i}`;
      if (assignArm(experiment, id, "x").index === arm) return id;
    }
    throw new Error(`no customer in arm ${arm} among 200`);
  };
  // The factory's shop is in New York; now is 2026-03-12T14:00Z (10:00 EDT): the next morning is 13 March, 09:00 EDT.
  const later = decide(buildDecisionInput({ gridVersion, incident: buildIncident({ customerId: customerFor(1) }) }));
  expect(later).toMatchObject({
    kind: "OFFER",
    cell: { kind: "DISCOUNT_PERCENT", value: 15 },
    arm: { arm: 1, timing: "NEXT_MORNING", timingOnly: true },
    issueAfter: new Date("2026-03-13T13:00:00Z"),
  });
  expect(later.explanation).toContain(
    "Timing: this arm's make-good is issued the next morning, 09:00 shop time on 2026-03-13, not at once",
  );
  const now = decide(buildDecisionInput({ gridVersion, incident: buildIncident({ customerId: customerFor(0) }) }));
  expect(now).toMatchObject({ kind: "OFFER", arm: { arm: 0, timing: "NOW", timingOnly: true } });
  expect(now.kind === "OFFER" && now.issueAfter).toBeFalsy();
  const base = buildDecisionInput({ gridVersion });
  expect(decide({ ...base, settings: { ...base.settings, holdoutShare: 1 } })).toMatchObject({
    kind: "HOLDOUT",
    arm: { arm: null, timing: null, timingOnly: true },
  });
});

test("saving the grid editor's draft keeps a timing experiment's arms as they were", () => {
  const grid = gridWith(TIMING).grid;
  const saved = gridDraftSchema("USD").parse(draftFromGrid(grid, "USD"));
  expect(saved.cells.major.VIP.arms).toEqual(grid.cells.major.VIP.arms);
  expect(cellExperiment(saved.cells.major.VIP)!.key).toBe(cellExperiment(grid.cells.major.VIP)!.key);
});
