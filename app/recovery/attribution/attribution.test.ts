import { expect, test } from "vitest";
import {
  attributeOrder,
  attributionSettingsSchema,
  type AttributableHoldout,
  type AttributableOffer,
  type AttributionOrder,
} from "./attribution";

const customer = "gid://shopify/Customer/7";
const day = (n: number) => new Date(Date.UTC(2026, 2, 1) + n * 86_400_000);

const order = (overrides: Partial<AttributionOrder> = {}): AttributionOrder => ({
  id: "gid://shopify/Order/2002",
  customerId: customer,
  createdAt: day(20),
  totalMinor: 8_000,
  tags: [],
  sourceName: "web",
  discountCodes: [],
  giftCards: [],
  storeCreditUsedMinor: 0,
  ...overrides,
});

const offer = (overrides: Partial<AttributableOffer> = {}): AttributableOffer => ({
  offerId: "offer-1",
  incidentId: "incident-1",
  customerId: customer,
  kind: "DISCOUNT_PERCENT",
  issuedAt: day(10),
  faceValueMinor: 2_000,
  expiresAt: day(70),
  code: "SORRY-AB12",
  giftCardId: null,
  giftOrderId: null,
  alreadyRedeemed: false,
  ...overrides,
});

const holdout = (overrides: Partial<AttributableHoldout> = {}): AttributableHoldout => ({
  incidentId: "incident-9",
  customerId: customer,
  detectedAt: day(5),
  ...overrides,
});

test("an order within the window wins back the offer and the holdout incident; using the code redeems it", () => {
  const result = attributeOrder(order({ discountCodes: [{ code: "sorry-ab12", amountMinor: 1_600 }] }), {
    offers: [offer()],
    holdouts: [holdout()],
  });
  expect(result).toEqual({
    kind: "ATTRIBUTED",
    orderId: "gid://shopify/Order/2002",
    returned: [],
    wonBack: [
      { kind: "OFFER", offerId: "offer-1", incidentId: "incident-1" },
      { kind: "HOLDOUT", incidentId: "incident-9" },
    ],
    redeemed: [{ offerId: "offer-1", incidentId: "incident-1", via: "CODE", amountUsedMinor: 1_600 }],
  });
});

test.each([
  ["before the offer was issued", { createdAt: day(9) }, 0],
  ["on day 90 of the window", { createdAt: day(100) }, 1],
  ["after the window", { createdAt: day(101) }, 0],
  ["by another customer", { customerId: "gid://shopify/Customer/8" }, 0],
])("an order %s wins back %i offers", (_name, overrides, count) => {
  const result = attributeOrder(order(overrides), { offers: [offer()], holdouts: [] });
  expect(result.kind === "ATTRIBUTED" ? result.wonBack.length : 0).toBe(count);
});

// The experiment's outcome (decision 0111): every drawn incident, treated or held out, offer or
// not, counts the same order from the same start, detection, over the same window.
test.each([
  ["before detection", day(4), []],
  ["the day after detection", day(6), ["incident-t", "incident-h", "incident-n"]],
  ["on the window's last day", day(95), ["incident-t", "incident-h", "incident-n"]],
  ["after the window", day(96), []],
])("an order %s is a return for every drawn incident whose window holds it", (_name, createdAt, returned) => {
  const drawn = ["incident-t", "incident-h", "incident-n"].map((incidentId) => ({
    incidentId,
    customerId: customer,
    detectedAt: day(5),
  }));
  const other = { incidentId: "incident-x", customerId: "gid://shopify/Customer/8", detectedAt: day(5) };
  // incident-t's offer went out on day 10: the offer's own won-back still counts from issue.
  const result = attributeOrder(order({ createdAt }), {
    offers: [offer({ incidentId: "incident-t" })],
    holdouts: [],
    incidents: [...drawn, other],
  });
  expect(result.kind === "ATTRIBUTED" ? result.returned : null).toEqual(returned);
});

test("holdout incidents count from detection", () => {
  const result = attributeOrder(order({ createdAt: day(4) }), {
    offers: [],
    holdouts: [holdout({ detectedAt: day(5) })],
  });
  expect(result).toMatchObject({ kind: "ATTRIBUTED", wonBack: [] });
});

test.each([
  [
    "the gift order Amends created",
    order({ id: "gift-order" }),
    [offer({ kind: "GIFT_PRODUCT", giftOrderId: "gift-order", code: null })],
    "AMENDS_GIFT_ORDER",
  ],
  ["an order tagged amends-gift", order({ tags: ["Amends-Gift"] }), [offer()], "AMENDS_GIFT_ORDER"],
  ["a staff replacement (tag)", order({ tags: ["replacement"] }), [offer()], "STAFF_REPLACEMENT"],
  ["a free draft order", order({ sourceName: "shopify_draft_order", totalMinor: 0 }), [offer()], "STAFF_REPLACEMENT"],
  ["a guest order", order({ customerId: null }), [offer()], "GUEST"],
])("%s does not count", (_name, o, offers, reason) => {
  expect(attributeOrder(o, { offers, holdouts: [holdout()] })).toEqual({ kind: "NOT_COUNTED", reason });
});

test("Amends's gift order counts for nothing whatever the shop's settings: its tag, or another offer's link to it", () => {
  // A merchant who changed the gift tags and counts free drafts as purchases still never counts Amends's own gift.
  const settings = attributionSettingsSchema.parse({
    giftOrderTags: ["freebie"],
    freeDraftOrdersAreReplacements: false,
  });
  const free = { sourceName: "shopify_draft_order", totalMinor: 0 };
  expect(
    attributeOrder(order({ ...free, tags: ["amends-gift"] }), { offers: [offer()], holdouts: [] }, settings),
  ).toEqual({ kind: "NOT_COUNTED", reason: "AMENDS_GIFT_ORDER" });
  expect(attributeOrder(order({ ...free, madeByAmends: true }), { offers: [offer()], holdouts: [] }, settings)).toEqual(
    {
      kind: "NOT_COUNTED",
      reason: "AMENDS_GIFT_ORDER",
    },
  );
});

test("a paid draft order (a phone order) is a real purchase", () => {
  expect(attributeOrder(order({ sourceName: "shopify_draft_order" }), { offers: [offer()], holdouts: [] }).kind).toBe(
    "ATTRIBUTED",
  );
});

test("a gift card is redeemed when the order paid with it", () => {
  const card = offer({ kind: "GIFT_CARD", code: null, giftCardId: "gid://shopify/GiftCard/5" });
  const result = attributeOrder(
    order({ giftCards: [{ giftCardId: "gid://shopify/GiftCard/5", amountMinor: 3_000 }] }),
    { offers: [card], holdouts: [] },
  );
  expect(result).toMatchObject({ redeemed: [{ via: "GIFT_CARD", amountUsedMinor: 3_000 }] });
});

test("store credit used is matched to credits oldest first, up to each face value", () => {
  const older = offer({
    offerId: "credit-old",
    kind: "STORE_CREDIT",
    code: null,
    issuedAt: day(1),
    faceValueMinor: 1_000,
  });
  const newer = offer({
    offerId: "credit-new",
    kind: "STORE_CREDIT",
    code: null,
    issuedAt: day(3),
    faceValueMinor: 2_000,
  });
  const result = attributeOrder(order({ storeCreditUsedMinor: 1_500 }), { offers: [newer, older], holdouts: [] });
  expect(result).toMatchObject({
    redeemed: [
      { offerId: "credit-old", via: "STORE_CREDIT", amountUsedMinor: 1_000 },
      { offerId: "credit-new", via: "STORE_CREDIT", amountUsedMinor: 500 },
    ],
  });
});

test("a redemption counts after the win-back window, but not of an expired or already redeemed offer", () => {
  const longCode = offer({ expiresAt: day(200) });
  const late = attributeOrder(
    order({ createdAt: day(150), discountCodes: [{ code: "SORRY-AB12", amountMinor: 1_000 }] }),
    { offers: [longCode], holdouts: [] },
  );
  expect(late).toMatchObject({ wonBack: [], redeemed: [{ offerId: "offer-1" }] });
  const expired = attributeOrder(
    order({ createdAt: day(80), discountCodes: [{ code: "SORRY-AB12", amountMinor: 1_000 }] }),
    { offers: [offer()], holdouts: [] },
  );
  expect(expired).toMatchObject({ redeemed: [] });
  const twice = attributeOrder(order({ discountCodes: [{ code: "SORRY-AB12", amountMinor: 1_000 }] }), {
    offers: [offer({ alreadyRedeemed: true })],
    holdouts: [],
  });
  expect(twice).toMatchObject({ redeemed: [] });
});

test("the window is a shop setting", () => {
  const settings = attributionSettingsSchema.parse({ windowDays: 30 });
  expect(attributeOrder(order({ createdAt: day(45) }), { offers: [offer()], holdouts: [] }, settings)).toMatchObject({
    wonBack: [],
  });
});
