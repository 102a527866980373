import fc from "fast-check";
import { expect, test } from "vitest";
import { OFFER_KINDS, type OfferKind } from "../vocabulary";
import {
  describePreference,
  learnPreference,
  newestFirst,
  PREFERENCE_WINDOW,
  preferableKindOf,
  type Preference,
  type RedeemedOffer,
  type RedemptionHistory,
} from "./preference";

const ADA = "gid://shopify/Customer/1";
const BOB = "gid://shopify/Customer/2";
const NOW = new Date("2026-11-02T15:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

let counter = 0;
function redemption(kind: OfferKind, days: number, overrides: Partial<RedeemedOffer> = {}): RedeemedOffer {
  counter += 1;
  return {
    offerId: `offer-${String(counter).padStart(4, "0")}`,
    customerId: ADA,
    kind,
    redeemedAt: daysAgo(days),
    ...overrides,
  };
}

const learn = (redemptions: RedeemedOffer[], extra: { customerId?: string | null; redactedAt?: Date | null } = {}) =>
  learnPreference({
    customerId: extra.customerId === undefined ? ADA : extra.customerId,
    history: { redemptions, redactedAt: extra.redactedAt ?? null },
    now: NOW,
  });

test.each<[string, () => RedeemedOffer[], Preference | Partial<Preference>]>([
  ["no redemptions: none", () => [], { kind: "NONE", reason: "NO_REDEMPTIONS" }],
  [
    "one store credit spent: store credit",
    () => [redemption("STORE_CREDIT", 10)],
    { kind: "PREFERS", preferred: "STORE_CREDIT", count: 1, considered: 1, last: "STORE_CREDIT" },
  ],
  [
    "percent and fixed codes are one kind, a discount code, and outnumber a gift card",
    () => [redemption("DISCOUNT_PERCENT", 30), redemption("DISCOUNT_FIXED", 20), redemption("GIFT_CARD", 5)],
    { kind: "PREFERS", preferred: "DISCOUNT_CODE", count: 2, considered: 3, last: "GIFT_CARD" },
  ],
  [
    "a tie goes to the kind redeemed most recently",
    () => [
      redemption("GIFT_CARD", 40),
      redemption("STORE_CREDIT", 30),
      redemption("GIFT_CARD", 20),
      redemption("STORE_CREDIT", 10),
    ],
    { kind: "PREFERS", preferred: "STORE_CREDIT", count: 2, considered: 4, last: "STORE_CREDIT" },
  ],
  [
    "a tie at the same instant goes to the lower offer id, whatever order they are passed in",
    () => [redemption("STORE_CREDIT", 10, { offerId: "b" }), redemption("GIFT_CARD", 10, { offerId: "a" })],
    { kind: "PREFERS", preferred: "GIFT_CARD", count: 1, considered: 2 },
  ],
  [
    "gift products and apologies are never redeemed: ignored",
    () => [redemption("GIFT_PRODUCT", 5), redemption("NONE", 4)],
    { kind: "NONE", reason: "NO_REDEMPTIONS" },
  ],
  [
    "another customer's redemption (or an unlinked one) is ignored",
    () => [
      redemption("GIFT_CARD", 5, { customerId: BOB }),
      redemption("GIFT_CARD", 4, { customerId: null }),
      redemption("STORE_CREDIT", 50),
    ],
    { kind: "PREFERS", preferred: "STORE_CREDIT", count: 1, considered: 1 },
  ],
  [
    "a redemption dated after now is ignored",
    () => [redemption("GIFT_CARD", -1), redemption("STORE_CREDIT", 3)],
    { kind: "PREFERS", preferred: "STORE_CREDIT", considered: 1 },
  ],
  [
    `only the latest ${PREFERENCE_WINDOW} redemptions count`,
    () => [
      ...Array.from({ length: 8 }, (_, i) => redemption("GIFT_CARD", 100 + i)),
      ...Array.from({ length: PREFERENCE_WINDOW }, (_, i) => redemption("STORE_CREDIT", 1 + i)),
    ],
    { kind: "PREFERS", preferred: "STORE_CREDIT", count: PREFERENCE_WINDOW, considered: PREFERENCE_WINDOW },
  ],
])("%s", (_name, build, expected) => {
  expect(learn(build())).toMatchObject(expected);
});

test("a guest has no preference", () => {
  expect(learn([redemption("STORE_CREDIT", 3, { customerId: null })], { customerId: null })).toEqual({
    kind: "NONE",
    reason: "GUEST",
  });
});

test("a customer erased at their request has no preference, even from redemptions still linked to them", () => {
  expect(learn([redemption("STORE_CREDIT", 3)], { redactedAt: daysAgo(30) })).toEqual({
    kind: "NONE",
    reason: "REDACTED",
  });
  expect(learn([redemption("STORE_CREDIT", 3)], { redactedAt: daysAgo(1) })).toEqual({
    kind: "NONE",
    reason: "REDACTED",
  });
});

test("no history passed: none", () => {
  expect(learnPreference({ customerId: ADA, history: undefined, now: NOW })).toEqual({
    kind: "NONE",
    reason: "NO_REDEMPTIONS",
  });
});

test.each<[Preference, string]>([
  [
    { kind: "PREFERS", preferred: "STORE_CREDIT", count: 1, considered: 1, last: "STORE_CREDIT" },
    "They used store credit last time",
  ],
  [
    { kind: "PREFERS", preferred: "GIFT_CARD", count: 2, considered: 3, last: "GIFT_CARD" },
    "They used a gift card last time (2 of their last 3 redeemed make-goods)",
  ],
  [
    { kind: "PREFERS", preferred: "DISCOUNT_CODE", count: 2, considered: 3, last: "GIFT_CARD" },
    "They used a discount code for 2 of their last 3 redeemed make-goods",
  ],
  [{ kind: "NONE", reason: "NO_REDEMPTIONS" }, "They have not redeemed a make-good before"],
  [{ kind: "NONE", reason: "GUEST" }, "A guest checkout has no make-goods redeemed before"],
  [
    { kind: "NONE", reason: "REDACTED" },
    "The customer's data was erased at their request: nothing they redeemed before is used",
  ],
])("describes %o", (preference, text) => {
  expect(describePreference(preference)).toBe(text);
});

const redemptionArb = fc.record({
  offerId: fc.string({ minLength: 1, maxLength: 4 }),
  customerId: fc.constantFrom<string | null>(ADA, BOB, null),
  kind: fc.constantFrom(...OFFER_KINDS),
  redeemedAt: fc.integer({ min: -5, max: 400 }).map(daysAgo),
});
const historyArb = fc.record({
  redemptions: fc.array(redemptionArb, { maxLength: 25 }),
  redactedAt: fc.option(fc.integer({ min: 0, max: 400 }).map(daysAgo), { nil: null }),
});

test("property: the preference only ever names a kind this customer redeemed, by then, and not after an erasure", () => {
  fc.assert(
    fc.property(historyArb, (history: RedemptionHistory) => {
      const p = learnPreference({ customerId: ADA, history, now: NOW });
      if (history.redactedAt !== null) return p.kind === "NONE";
      if (p.kind === "NONE") return true;
      const own = history.redemptions.filter(
        (r) => r.customerId === ADA && r.redeemedAt <= NOW && preferableKindOf(r.kind) === p.preferred,
      );
      return own.length >= p.count && p.count >= 1 && p.count <= p.considered && p.considered <= PREFERENCE_WINDOW;
    }),
  );
});

test("property: the answer does not depend on the order of the redemptions nor on other customers' ones", () => {
  fc.assert(
    fc.property(historyArb, fc.array(redemptionArb, { maxLength: 10 }), fc.integer(), (history, others, seed) => {
      const base = learnPreference({ customerId: ADA, history, now: NOW });
      const shuffled = [
        ...history.redemptions,
        ...others.map((o) => ({ ...o, customerId: o.customerId === ADA ? BOB : o.customerId })),
      ]
        .map((r, i) => ({ r, key: Math.sin(seed + i) }))
        .sort((a, b) => a.key - b.key)
        .map(({ r }) => r);
      expect(learnPreference({ customerId: ADA, history: { ...history, redemptions: shuffled }, now: NOW })).toEqual(
        base,
      );
    }),
  );
});

test("property: the preferred kind is redeemed at least as often as any other among the latest redemptions", () => {
  fc.assert(
    fc.property(
      fc.array(
        redemptionArb.map((r) => ({ ...r, customerId: ADA })),
        { maxLength: 25 },
      ),
      (redemptions) => {
        const p = learnPreference({ customerId: ADA, history: { redemptions, redactedAt: null }, now: NOW });
        if (p.kind === "NONE") return true;
        const latest = redemptions
          .filter((r) => r.redeemedAt <= NOW && preferableKindOf(r.kind) !== null)
          .sort(newestFirst)
          .slice(0, PREFERENCE_WINDOW);
        const count = (k: string) => latest.filter((r) => preferableKindOf(r.kind) === k).length;
        return ["DISCOUNT_CODE", "STORE_CREDIT", "GIFT_CARD"].every((k) => count(k) <= count(p.preferred));
      },
    ),
  );
});
