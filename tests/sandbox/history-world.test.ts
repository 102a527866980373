/**
 * The replayed world's draws for issue 16 part 8 (sandbox/history/world.ts): a make-good's
 * persuasion depends on its kind through one uniform per failure (common random numbers across
 * kinds, and the default effect's draws unchanged), and a follow-up's rating depends on the
 * treatment and the time to offer and on nothing else.
 */
import { expect, test } from "vitest";
import {
  buildWorld,
  DEFAULT_RATING_MODEL,
  effectTruth,
  issuedTruth,
  kindTruth,
  persuadedBy,
  ratingOf,
  repurchasedWithKind,
  type WorldOptions,
} from "../../sandbox/history/world";
import { ControlledClock } from "../../sandbox/clock";
import { SandboxStore } from "../../sandbox/store";

const SHOP = "history-world.myshopify.com";
const END = new Date("2025-06-02T16:00:00Z").getTime();
const BASE: WorldOptions = {
  shop: SHOP,
  seed: 7,
  customers: 300,
  ordersPerDay: 12,
  days: 60,
  rates: { lateFulfillment: 0.5, carrierDelay: 0.3 },
  effect: 0.5,
};

function world(options: Partial<WorldOptions> = {}) {
  const store = new SandboxStore(new ControlledClock(new Date(END)));
  store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "America/New_York" });
  return buildWorld(store, { ...BASE, ...options }, END);
}

test("a kind's persuasion compares one draw per failure with that kind's effect; other kinds and the world's draws are unchanged", () => {
  const plain = world();
  const armed = world({ effectByKind: { discount: 0.2, storeCredit: 0.75 } });
  expect(plain.failures.length).toBeGreaterThan(200);
  // Adding arm effects moves no draw: the same failures, the same draws, the same default outcome.
  expect(armed.failures.map((f) => [f.key, f.persuasionDraw, f.persuaded, f.delayMs, f.redeems])).toEqual(
    plain.failures.map((f) => [f.key, f.persuasionDraw, f.persuaded, f.delayMs, f.redeems]),
  );
  for (const f of armed.failures) {
    expect(f.persuaded).toBe(f.persuasionDraw < 0.5);
    // A kind without its own effect has the world's.
    expect(persuadedBy(f, armed.options, "giftCard")).toBe(f.persuaded);
    // Common random numbers: whoever a code persuades, store credit persuades too.
    if (persuadedBy(f, armed.options, "discount")) expect(persuadedBy(f, armed.options, "storeCredit")).toBe(true);
    expect(repurchasedWithKind(f, armed.options, "giftCard")).toBe(f.repurchasedWith);
  }
  const share = (kind: "discount" | "storeCredit") =>
    armed.failures.filter((f) => persuadedBy(f, armed.options, kind)).length / armed.failures.length;
  expect(share("discount")).toBeGreaterThan(0.12);
  expect(share("discount")).toBeLessThan(0.28);
  expect(share("storeCredit")).toBeGreaterThan(0.67);
  expect(share("storeCredit")).toBeLessThan(0.83);

  const code = kindTruth(armed.failures, armed.options, "discount");
  const credit = kindTruth(armed.failures, armed.options, "storeCredit");
  expect(code.withoutRate).toBe(effectTruth(armed.failures).withoutRate);
  expect(credit.effect! - code.effect!).toBeGreaterThan(0.2);
  expect(kindTruth(armed.failures, armed.options, "giftCard")).toEqual(effectTruth(armed.failures));

  // The truth of what went out: each failure by the kind it got; none given, not counted.
  const given = armed.failures.map((failure, i) => ({
    failure,
    makeGood: (["discount", "storeCredit", null] as const)[i % 3] ?? null,
  }));
  const truth = issuedTruth(given, armed.options);
  expect(truth.n).toBe(given.filter((g) => g.makeGood !== null).length);
  const codes = given.filter((g) => g.makeGood === "discount").map((g) => g.failure);
  const credits = given.filter((g) => g.makeGood === "storeCredit").map((g) => g.failure);
  const withRate =
    (kindTruth(codes, armed.options, "discount").withRate! * codes.length +
      kindTruth(credits, armed.options, "storeCredit").withRate! * credits.length) /
    truth.n;
  expect(truth.withRate).toBeCloseTo(withRate, 12);
  expect(truth.withoutRate).toBe(effectTruth([...codes, ...credits].sort((a, b) => a.at - b.at)).withoutRate);
  // One effect for every kind: the plain truth over those who got a make-good.
  expect(issuedTruth(given, plain.options)).toEqual(effectTruth(given.filter((g) => g.makeGood).map((g) => g.failure)));
});

test("a rating: drawn up front, higher when treated and when the make-good came faster, clamped to 1-5", () => {
  const { failures, options } = world();
  const model = options.ratings;
  expect(model).toEqual(DEFAULT_RATING_MODEL);
  let answered = 0;
  for (const f of failures) {
    const fast = ratingOf(f, model, { treated: true, daysToOffer: 0 });
    const slow = ratingOf(f, model, { treated: true, daysToOffer: 3 });
    const never = ratingOf(f, model, { treated: true, daysToOffer: 40 });
    const heldOut = ratingOf(f, model, { treated: false, daysToOffer: 0 });
    // The same draws give the same answer every time.
    expect(ratingOf(f, model, { treated: true, daysToOffer: 0 })).toBe(fast);
    expect(fast === null).toBe(f.ratingAnswerDraw >= model.answerTreated);
    expect(heldOut === null).toBe(f.ratingAnswerDraw >= model.answerHeldOut);
    if (fast === null || slow === null || never === null) continue;
    answered++;
    expect(fast).toBeGreaterThanOrEqual(slow);
    expect(slow).toBeGreaterThanOrEqual(never);
    // The penalty stops at maxDaysToOffer.
    expect(never).toBe(ratingOf(f, model, { treated: true, daysToOffer: model.maxDaysToOffer }));
    for (const score of [fast, slow, never]) expect([1, 2, 3, 4, 5]).toContain(score);
    if (heldOut !== null) expect(fast).toBeGreaterThanOrEqual(heldOut);
  }
  expect(answered / failures.length).toBeGreaterThan(0.35);
  expect(answered / failures.length).toBeLessThan(0.55);
  // Over the world: fast make-goods average about a point and a half above slow ones.
  const mean = (days: number) => {
    const scores = failures
      .map((f) => ratingOf(f, model, { treated: true, daysToOffer: days }))
      .filter((s): s is number => s !== null);
    return scores.reduce((a, b) => a + b, 0) / scores.length;
  };
  expect(mean(0) - mean(3)).toBeGreaterThan(1);
  expect(mean(0)).toBeGreaterThan(3.5);
});

test("the rating model is the world's option, merged over the default", () => {
  const { options, failures } = world({ ratings: { answerTreated: 1, spread: 0 } });
  expect(options.ratings).toEqual({ ...DEFAULT_RATING_MODEL, answerTreated: 1, spread: 0 });
  // Everyone answers; with no spread the score is the model's mean, rounded.
  for (const f of failures.slice(0, 20)) {
    expect(ratingOf(f, options.ratings, { treated: true, daysToOffer: 0 })).toBe(4);
    expect(ratingOf(f, options.ratings, { treated: true, daysToOffer: 2 })).toBe(3);
  }
});
