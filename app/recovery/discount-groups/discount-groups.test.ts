import fc from "fast-check";
import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import { localDate } from "../time/zoned";
import { discountGroupFor, discountGroupTitle } from "./discount-groups";

const NY = "America/New_York";
const pct = (percent: number) => ({ kind: "PERCENT" as const, percent });

test.each([
  // expiry (UTC), zone, key, discount ends (UTC), last local day
  ["2026-11-25T15:00:00Z", NY, "pct:15|2026-W48", "2026-11-30T05:00:00.000Z", "2026-11-29"], // Wednesday
  ["2026-11-23T05:30:00Z", NY, "pct:15|2026-W48", "2026-11-30T05:00:00.000Z", "2026-11-29"], // Monday 00:30 New York
  ["2026-11-23T04:30:00Z", NY, "pct:15|2026-W47", "2026-11-23T05:00:00.000Z", "2026-11-22"], // still Sunday in New York
  ["2026-11-29T23:00:00Z", "UTC", "pct:15|2026-W48", "2026-11-30T00:00:00.000Z", "2026-11-29"], // Sunday, last hour
  ["2026-12-31T12:00:00Z", "UTC", "pct:15|2026-W53", "2027-01-04T00:00:00.000Z", "2027-01-03"], // 2026 has 53 ISO weeks
  ["2027-01-01T12:00:00Z", "UTC", "pct:15|2026-W53", "2027-01-04T00:00:00.000Z", "2027-01-03"], // Friday 1 Jan is in 2026's last week
  ["2027-01-04T12:00:00Z", "UTC", "pct:15|2027-W01", "2027-01-11T00:00:00.000Z", "2027-01-10"],
  ["2026-11-06T12:00:00Z", NY, "pct:15|2026-W45", "2026-11-09T05:00:00.000Z", "2026-11-08"], // the week DST ended (EDT -> EST)
])("a code expiring %s (%s) groups as %s, its discount ends %s", (expiry, zone, key, ends, lastDay) => {
  const spec = discountGroupFor(pct(15), new Date(expiry), zone);
  expect(spec).toMatchObject({ key, lastDay });
  expect(spec.endsAt?.toISOString()).toBe(ends);
});

test.each([
  [pct(15), null, "pct:15|none", "Amends make-goods · 15% off · no end date"],
  [
    pct(12.5),
    new Date("2026-11-25T12:00:00Z"),
    "pct:12.5|2026-W48",
    "Amends make-goods · 12.5% off · until 2026-11-29",
  ],
  [
    { kind: "AMOUNT" as const, amountMinor: 1_000, currency: "USD" },
    new Date("2026-11-25T12:00:00Z"),
    "amt:1000:USD|2026-W48",
    "Amends make-goods · $10 off · until 2026-11-29",
  ],
  [
    { kind: "AMOUNT" as const, amountMinor: 1_000, currency: "JPY" },
    new Date("2026-11-25T12:00:00Z"),
    "amt:1000:JPY|2026-W48",
    "Amends make-goods · ¥1,000 off · until 2026-11-29",
  ],
])("value %o expiring %s: key %s, title %s", (value, expiry, key, title) => {
  expect(discountGroupFor(value, expiry, "UTC")).toMatchObject({ key, title });
});

test("values that are not discounts are refused", () => {
  expect(() => discountGroupFor(pct(0), null, "UTC")).toThrow(RecoveryError);
  expect(() => discountGroupFor(pct(101), null, "UTC")).toThrow(RecoveryError);
  expect(() => discountGroupFor({ kind: "AMOUNT", amountMinor: 10.5, currency: "USD" }, null, "UTC")).toThrow(
    RecoveryError,
  );
});

test("later slots say so in the title", () => {
  const spec = discountGroupFor(pct(15), null, "UTC");
  expect(discountGroupTitle(spec, 1)).toBe(spec.title);
  expect(discountGroupTitle(spec, 3)).toBe(`${spec.title} (3)`);
});

const zones = fc.constantFrom("UTC", NY, "Europe/Berlin", "Asia/Tokyo", "Australia/Lord_Howe", "Pacific/Chatham");
const instants = fc.date({
  min: new Date("2024-01-01T00:00:00Z"),
  max: new Date("2030-12-31T00:00:00Z"),
  noInvalidDate: true,
});

test("a grouped code never ends before its offer and at most a week (plus a DST hour) after it", () => {
  fc.assert(
    fc.property(instants, zones, (expiresAt, zone) => {
      const { endsAt } = discountGroupFor(pct(10), expiresAt, zone);
      expect(endsAt!.getTime()).toBeGreaterThan(expiresAt.getTime());
      expect(endsAt!.getTime() - expiresAt.getTime()).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000);
    }),
  );
});

test("two expiries share a group exactly when they fall in the same local Monday-to-Sunday week", () => {
  fc.assert(
    fc.property(instants, fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }), zones, (a, shift, zone) => {
      const b = new Date(a.getTime() + shift);
      const same = discountGroupFor(pct(10), a, zone).key === discountGroupFor(pct(10), b, zone).key;
      const monday = (d: Date) => {
        const day = new Date(`${localDate(d, zone)}T00:00:00Z`);
        return day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000;
      };
      expect(same).toBe(monday(a) === monday(b));
    }),
  );
});
