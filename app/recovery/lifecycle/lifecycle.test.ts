/** The lifecycle stage classifier (decision 0115): a table of cases, then properties. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  classifyLifecycle,
  DEFAULT_LIFECYCLE_SETTINGS,
  describeLifecycle,
  LIFECYCLE_STAGES,
  lifecycleSettingsSchema,
  type LifecycleFacts,
} from "./lifecycle";

const ORDER_AT = new Date("2026-11-20T10:00:00Z");
const daysBefore = (n: number) => new Date(ORDER_AT.getTime() - n * 86_400_000);
const SETTINGS = { lapsedAfterDays: 180, frequentMinEarlierOrders: 4 };
const facts = (over: Partial<LifecycleFacts>): LifecycleFacts => ({
  guest: false,
  numberOfOrders: 1,
  orderAt: ORDER_AT,
  previousOrderAt: null,
  seenSince: daysBefore(30),
  ...over,
});

describe("classifyLifecycle", () => {
  test.each([
    ["a guest has no stage", facts({ guest: true, numberOfOrders: 0 }), null],
    ["the customer's only order is a first order", facts({ numberOfOrders: 1 }), "FIRST_ORDER"],
    ["a count of 0 (not yet counted) is a first order", facts({ numberOfOrders: 0 }), "FIRST_ORDER"],
    ["one earlier order, 20 days before", facts({ numberOfOrders: 2, previousOrderAt: daysBefore(20) }), "RETURNING"],
    [
      "previous order exactly at the threshold is not lapsed",
      facts({ numberOfOrders: 2, previousOrderAt: daysBefore(180) }),
      "RETURNING",
    ],
    [
      "previous order one day past the threshold",
      facts({ numberOfOrders: 2, previousOrderAt: daysBefore(181) }),
      "LAPSED",
    ],
    ["4 earlier orders, recent: frequent", facts({ numberOfOrders: 5, previousOrderAt: daysBefore(10) }), "FREQUENT"],
    ["3 earlier orders: still returning", facts({ numberOfOrders: 4, previousOrderAt: daysBefore(10) }), "RETURNING"],
    [
      "a frequent buyer who stayed away is lapsed",
      facts({ numberOfOrders: 12, previousOrderAt: daysBefore(400) }),
      "LAPSED",
    ],
    [
      "an unseen previous order older than a long-enough window is lapsed",
      facts({ numberOfOrders: 2, seenSince: daysBefore(200) }),
      "LAPSED",
    ],
    [
      "an unseen previous order within a short window: not provably lapsed",
      facts({ numberOfOrders: 2, seenSince: daysBefore(30) }),
      "RETURNING",
    ],
    ["no window known and no previous order seen", facts({ numberOfOrders: 6, seenSince: null }), "FREQUENT"],
    [
      "a seen previous order counts even when the count lags",
      facts({ numberOfOrders: 1, previousOrderAt: daysBefore(3) }),
      "RETURNING",
    ],
  ] as const)("%s", (_name, input, stage) => {
    expect(classifyLifecycle(input, SETTINGS).stage).toBe(stage);
  });

  test("the thresholds are the shop's", () => {
    const f = facts({ numberOfOrders: 3, previousOrderAt: daysBefore(40) });
    expect(classifyLifecycle(f, { lapsedAfterDays: 30, frequentMinEarlierOrders: 4 }).stage).toBe("LAPSED");
    expect(classifyLifecycle(f, { lapsedAfterDays: 60, frequentMinEarlierOrders: 2 }).stage).toBe("FREQUENT");
    expect(classifyLifecycle(f, { lapsedAfterDays: 60, frequentMinEarlierOrders: 3 }).stage).toBe("RETURNING");
  });

  test("the explanation says which stage and why", () => {
    const say = (f: LifecycleFacts) => describeLifecycle(classifyLifecycle(f, SETTINGS), SETTINGS);
    expect(say(facts({ numberOfOrders: 1 }))).toBe("first order with the shop");
    expect(say(facts({ guest: true }))).toBe("no lifecycle stage (guest checkout: no order history)");
    expect(say(facts({ numberOfOrders: 2, previousOrderAt: daysBefore(212) }))).toBe(
      "lapsed: previous order 212 days earlier (lapsed after 180 days)",
    );
    expect(say(facts({ numberOfOrders: 2, seenSince: daysBefore(200) }))).toBe(
      "lapsed: previous order more than 200 days earlier (lapsed after 180 days)",
    );
    expect(say(facts({ numberOfOrders: 7, previousOrderAt: daysBefore(9) }))).toBe(
      "frequent buyer: 6 earlier orders (at least 4)",
    );
    expect(say(facts({ numberOfOrders: 2, previousOrderAt: daysBefore(9) }))).toBe(
      "returning: 1 earlier order, previous order 9 days earlier",
    );
  });
});

describe("properties", () => {
  const arbFacts = fc.record({
    guest: fc.boolean(),
    numberOfOrders: fc.integer({ min: 0, max: 50 }),
    orderAt: fc.constant(ORDER_AT),
    previousOrderAt: fc.option(fc.integer({ min: 0, max: 2000 }).map(daysBefore), { nil: null }),
    seenSince: fc.option(fc.integer({ min: 0, max: 2000 }).map(daysBefore), { nil: null }),
  });
  const arbSettings = fc.record({
    lapsedAfterDays: fc.integer({ min: 1, max: 3650 }),
    frequentMinEarlierOrders: fc.integer({ min: 2, max: 30 }),
  });

  test("every customer gets exactly one stage; only guests get none", () => {
    fc.assert(
      fc.property(arbFacts, arbSettings, (f, s) => {
        const { stage } = classifyLifecycle(f, s);
        if (f.guest) return stage === null;
        return stage !== null && LIFECYCLE_STAGES.includes(stage);
      }),
    );
  });

  test("FIRST_ORDER exactly when no earlier order is counted or seen", () => {
    fc.assert(
      fc.property(arbFacts, arbSettings, (f, s) => {
        if (f.guest) return true;
        const first = classifyLifecycle(f, s).stage === "FIRST_ORDER";
        return first === (f.numberOfOrders <= 1 && f.previousOrderAt === null);
      }),
    );
  });

  test("a seen previous order decides LAPSED by its gap alone", () => {
    fc.assert(
      fc.property(arbFacts, arbSettings, (f, s) => {
        if (f.guest || f.previousOrderAt === null) return true;
        const gap = ORDER_AT.getTime() - f.previousOrderAt.getTime();
        return (classifyLifecycle(f, s).stage === "LAPSED") === gap > s.lapsedAfterDays * 86_400_000;
      }),
    );
  });

  test("seeing less history never makes a customer lapsed", () => {
    // Moving seenSince later (a shorter window) can only take LAPSED away, never add it.
    fc.assert(
      fc.property(arbFacts, arbSettings, fc.integer({ min: 0, max: 500 }), (f, s, later) => {
        if (f.seenSince === null) return true;
        const shorter = { ...f, seenSince: new Date(f.seenSince.getTime() + later * 86_400_000) };
        return classifyLifecycle(shorter, s).stage !== "LAPSED" || classifyLifecycle(f, s).stage === "LAPSED";
      }),
    );
  });
});

describe("settings", () => {
  test("defaults and validation messages beside the field", () => {
    expect(DEFAULT_LIFECYCLE_SETTINGS).toEqual({ lapsedAfterDays: 180, frequentMinEarlierOrders: 4 });
    const bad = lifecycleSettingsSchema.safeParse({ lapsedAfterDays: 0, frequentMinEarlierOrders: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["lapsedAfterDays", "days must be at least 1"],
      ["frequentMinEarlierOrders", "a frequent buyer needs at least 2 earlier orders (1 is a returning customer)"],
    ]);
  });
});
