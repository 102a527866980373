import { expect, test } from "vitest";
import { buildOfferRecord } from "../test-support/factories";
import {
  buildDigest,
  digestText,
  lastCompleteWeek,
  topCauseLine,
  weekStarting,
  type DigestIncident,
  type DigestWeek,
} from "./digest";

const KIRITIMATI = "Pacific/Kiritimati"; // UTC+14: its Monday starts on Sunday 10:00 UTC
const UTC = "UTC";

let seq = 0;
function incident(at: string, cause: Partial<Omit<DigestIncident, "id" | "detectedAt">> = {}): DigestIncident {
  seq += 1;
  return { id: `i${seq}`, detectedAt: new Date(at), productIds: [], carriers: [], locations: [], ...cause };
}

const WEEK: DigestWeek = weekStarting("2026-11-23", UTC); // Mon 23 Nov .. Sun 29 Nov 2026
const many = (n: number, at: string, cause: Parameters<typeof incident>[1]) =>
  Array.from({ length: n }, () => incident(at, cause));

test.each([
  // [now, zone, expected Monday, expected Sunday, first instant, end (exclusive)]
  ["2026-12-06T12:00:00Z", UTC, "2026-11-23", "2026-11-29", "2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"],
  // Monday 00:00 UTC is already Monday in UTC: the week just ended is complete.
  ["2026-11-30T00:00:00Z", UTC, "2026-11-23", "2026-11-29", "2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"],
  // Sunday 23:59 UTC: that week is not over, so the week before it.
  ["2026-11-29T23:59:59Z", UTC, "2026-11-16", "2026-11-22", "2026-11-16T00:00:00.000Z", "2026-11-23T00:00:00.000Z"],
  // Sunday 10:00 UTC is Monday 00:00 in Kiritimati: its week of 23-29 Nov has just ended.
  [
    "2026-11-29T10:00:00Z",
    KIRITIMATI,
    "2026-11-23",
    "2026-11-29",
    "2026-11-22T10:00:00.000Z",
    "2026-11-29T10:00:00.000Z",
  ],
  // One second earlier it is still Sunday there.
  [
    "2026-11-29T09:59:59Z",
    KIRITIMATI,
    "2026-11-16",
    "2026-11-22",
    "2026-11-15T10:00:00.000Z",
    "2026-11-22T10:00:00.000Z",
  ],
  // Far west: Monday 00:00 in Honolulu (UTC-10) is Monday 10:00 UTC.
  [
    "2026-11-30T09:59:59Z",
    "Pacific/Honolulu",
    "2026-11-16",
    "2026-11-22",
    "2026-11-16T10:00:00.000Z",
    "2026-11-23T10:00:00.000Z",
  ],
])("the last complete week at %s in %s is %s..%s", (now, zone, start, end, from, to) => {
  const week = lastCompleteWeek(new Date(now), zone);
  expect(week).toEqual({ start, end, from: new Date(from), to: new Date(to) });
});

test("an incident belongs to the shop-local week it was detected in, edges included (Kiritimati)", () => {
  const week = weekStarting("2026-11-23", KIRITIMATI);
  const digest = buildDigest({
    week,
    timeZone: KIRITIMATI,
    incidents: [
      incident("2026-11-22T09:59:59.999Z", { carriers: ["UPS"] }), // Sun 22 Nov 23:59 local: the week before
      incident("2026-11-22T10:00:00.000Z", { carriers: ["UPS"] }), // Mon 23 Nov 00:00 local: in
      incident("2026-11-29T09:59:59.999Z", { carriers: ["UPS"] }), // Sun 29 Nov 23:59 local: in
      incident("2026-11-29T10:00:00.000Z", { carriers: ["UPS"] }), // Mon 30 Nov 00:00 local: after, ignored
    ],
    offers: [],
  });
  expect(digest.incidentCount).toBe(2);
  expect(digest.previousIncidentCount).toBe(1);
  expect(digest.causes.carrier).toEqual([expect.objectContaining({ key: "UPS", count: 2, previous: 1, trend: "UP" })]);
});

test("causes rank by count with the week before as the trend; ties read the same every time", () => {
  const names = { "gid://shopify/Product/2": "Blue mug", "gid://shopify/Product/9": "Amber vase" };
  const incidents = [
    ...many(4, "2026-11-24T12:00:00Z", { carriers: ["DHL"], productIds: ["gid://shopify/Product/2"] }),
    ...many(4, "2026-11-25T12:00:00Z", { carriers: ["Canada Post"], productIds: ["gid://shopify/Product/9"] }),
    ...many(1, "2026-11-26T12:00:00Z", { carriers: ["UPS"] }),
    // The week before
    ...many(6, "2026-11-17T12:00:00Z", { carriers: ["DHL"] }),
    ...many(1, "2026-11-18T12:00:00Z", { carriers: ["UPS"] }),
  ];
  for (const order of [incidents, [...incidents].reverse()]) {
    const digest = buildDigest({ week: WEEK, timeZone: UTC, incidents: order, offers: [], names });
    expect(digest.causes.carrier.map((c) => [c.label, c.count, c.previous, c.trend])).toEqual([
      ["Canada Post", 4, 0, "NEW"],
      ["DHL", 4, 6, "DOWN"],
      ["UPS", 1, 1, "SAME"],
    ]);
    // Named products rank by their titles on a tie, not by their ids.
    expect(digest.causes.product.map((c) => c.label)).toEqual(["Amber vase", "Blue mug"]);
    // The fix on a tie of counts across dimensions: products come first, then by label.
    expect(digest.fix).toMatchObject({ kind: "FIX", cause: { dimension: "product", label: "Amber vase" }, total: 9 });
  }
});

test("only the top three causes per dimension are listed; an incident counts once per cause", () => {
  const incidents = [
    incident("2026-11-24T12:00:00Z", { locations: ["gid://shopify/Location/1", "gid://shopify/Location/1"] }),
    incident("2026-11-24T12:00:00Z", { locations: ["gid://shopify/Location/2"] }),
    incident("2026-11-24T12:00:00Z", { locations: ["gid://shopify/Location/3"] }),
    incident("2026-11-24T12:00:00Z", { locations: ["gid://shopify/Location/4"] }),
  ];
  const digest = buildDigest({ week: WEEK, timeZone: UTC, incidents, offers: [] });
  expect(digest.causes.location.map((c) => [c.label, c.count])).toEqual([
    ["Location 1", 1],
    ["Location 2", 1],
    ["Location 3", 1],
  ]);
});

test.each([
  {
    name: "a carrier behind most incidents",
    incidents: () => [
      ...many(14, "2026-11-24T12:00:00Z", { carriers: ["Speedy Post"] }),
      ...many(17, "2026-11-25T12:00:00Z", { carriers: ["UPS"] }),
    ],
    kind: "FIX",
    sentence: "Most incidents came from UPS's deliveries: 17 of 31. Talk to UPS or offer another carrier.",
  },
  {
    name: "a location with the largest share but not most",
    incidents: () => [
      ...many(5, "2026-11-24T12:00:00Z", { locations: ["gid://shopify/Location/7"] }),
      ...many(4, "2026-11-24T12:00:00Z", { carriers: ["UPS"] }),
      ...many(3, "2026-11-24T12:00:00Z", {}),
    ],
    kind: "FIX",
    sentence:
      "More incidents than from anything else came from orders fulfilled at Location 7: 5 of 12. Look at how Location 7 picks, packs and hands orders over.",
  },
  {
    name: "a product",
    incidents: () => many(3, "2026-11-24T12:00:00Z", { productIds: ["gid://shopify/Product/5"] }),
    kind: "FIX",
    sentence: "Most incidents involved Product 5: 3 of 3. Check its stock, its promised ship dates and its packaging.",
  },
  {
    name: "small numbers",
    incidents: () => [
      ...many(2, "2026-11-24T12:00:00Z", { carriers: ["UPS"] }),
      ...many(1, "2026-11-24T12:00:00Z", {}),
    ],
    kind: "TOO_FEW",
    sentence:
      "Only 3 incidents this week, and no product, carrier or location was behind more than 2 incidents: too few to point at one cause.",
  },
  {
    name: "one incident without a recorded cause",
    incidents: () => many(1, "2026-11-24T12:00:00Z", {}),
    kind: "TOO_FEW",
    sentence: "Only 1 incident this week, none with a recorded product, carrier or location.",
  },
  {
    name: "a quiet week",
    incidents: () => [],
    kind: "NO_INCIDENTS",
    sentence: "No incidents this week: nothing to fix.",
  },
])("the one process fix: $name", ({ incidents, kind, sentence }) => {
  const digest = buildDigest({ week: WEEK, timeZone: UTC, incidents: incidents(), offers: [] });
  expect(digest.fix.kind).toBe(kind);
  expect(digest.fix.sentence).toBe(sentence);
});

test("cost counts the issued make-goods of the week's incidents only, per cause as well", () => {
  const a = incident("2026-11-24T12:00:00Z", { carriers: ["UPS"] });
  const b = incident("2026-11-25T12:00:00Z", { carriers: ["DHL"] });
  const before = incident("2026-11-18T12:00:00Z", { carriers: ["UPS"] });
  const digest = buildDigest({
    week: WEEK,
    timeZone: UTC,
    incidents: [a, b, before],
    offers: [
      buildOfferRecord({ id: "o1", incidentId: a.id, faceValueMinor: 1_500, discountUsedMinor: 1_500, redeemed: true }),
      buildOfferRecord({ id: "o2", incidentId: b.id, faceValueMinor: 2_000 }),
      // Not issued: no cost.
      buildOfferRecord({
        id: "o3",
        incidentId: b.id,
        faceValueMinor: 9_000,
        status: "PENDING_APPROVAL",
        issuedAt: null,
      }),
      // The week before's: not this digest's cost.
      buildOfferRecord({ id: "o4", incidentId: before.id, faceValueMinor: 7_000 }),
    ],
  });
  expect(digest.cost).toEqual({ faceValueIssuedMinor: 3_500, usedMinor: 1_500, netOfRevenueMinor: 1_500 });
  expect(digest.causes.carrier.map((c) => [c.key, c.faceValueIssuedMinor])).toEqual([
    ["DHL", 2_000],
    ["UPS", 1_500],
  ]);
});

test("the email text and the top cause line carry causes, counts and money, and no customer", () => {
  const digest = buildDigest({
    week: WEEK,
    timeZone: UTC,
    incidents: [
      ...many(3, "2026-11-24T12:00:00Z", { carriers: ["UPS"], productIds: ["gid://shopify/Product/5"] }),
      ...many(1, "2026-11-17T12:00:00Z", { carriers: ["UPS"] }),
    ],
    offers: [],
    names: { "gid://shopify/Product/5": "Teapot" },
  });
  expect(topCauseLine(digest)).toBe("product Teapot: 3 incidents, new this week");
  const { subject, text } = digestText(digest, "USD", "https://example.test/app");
  expect(subject).toBe("Amends weekly digest: 2026-11-23 to 2026-11-29");
  expect(text).toContain("3 incidents this week (1 the week before).");
  expect(text).toContain("  UPS: 3 incidents, up from 1");
  expect(text).toContain("  Teapot: 3 incidents, new this week");
  expect(text).toContain("Locations:\n  none recorded");
  expect(text).toContain("Recovery cost: $0 issued, $0 used so far.");
  expect(text).not.toMatch(/Customer|@/);
});
