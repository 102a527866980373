/**
 * The dashboard's rows are read with plain pg (decision 0032, amended), which parses a `timestamp without
 * time zone` as the process's local time, while Prisma writes and reads those columns as UTC. In a
 * process running far from UTC, every instant loadMetricsRows returns must be the instant Prisma
 * reads from the same row, to the millisecond, and the period's bounds must cut where Prisma's do.
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loadMetricsRows } from "../../app/models/metrics.server";
import { truncateAll } from "../helpers/db";

const SHOP = "amends-rows-tz.myshopify.com";
const OTHER = "amends-rows-tz-other.myshopify.com";
const FROM = new Date("2026-03-08T10:00:00.000Z"); // the day New York moves its clocks
const TO = new Date("2026-03-09T10:00:00.000Z");
const savedTz = process.env.TZ;

// Detected exactly at each bound, a millisecond either side, and with odd milliseconds inside.
const DETECTED = [
  new Date(FROM.getTime() - 1),
  FROM,
  new Date("2026-03-08T23:59:59.999Z"),
  new Date("2026-03-09T00:00:00.001Z"),
  new Date(TO.getTime() - 1),
  TO,
];

beforeAll(async () => {
  await truncateAll();
  for (const shop of [SHOP, OTHER])
    for (const [n, detectedAt] of DETECTED.entries()) {
      const id = randomUUID();
      await prisma.incident.create({
        data: {
          id,
          shop,
          orderGid: `gid://shopify/Order/${n}`,
          orderName: `#${n}`,
          customerGid: n % 2 ? null : "gid://shopify/Customer/1",
          type: "DELIVERY_DELAY",
          severity: "major",
          measure: {},
          evidence: {},
          rootCause: { carriers: ["UPS"] },
          occurredAt: new Date(detectedAt.getTime() - 3_600_123),
          detectedAt,
          decision: "OFFER",
          returnedAt: n % 2 ? null : new Date(detectedAt.getTime() + 86_400_007),
          returnedMinor: n % 2 ? null : 2_500,
          explanation: [],
        },
      });
      await prisma.offer.create({
        data: {
          shop,
          incidentId: id,
          kind: "DISCOUNT_PERCENT",
          cell: {},
          gridVersion: 1,
          faceValueMinor: 1_000,
          currency: "USD",
          status: "ISSUED",
          approval: "AUTO",
          explanation: [],
          summary: "",
          issueKey: `k-${shop}-${n}`,
          issuedAt: new Date(detectedAt.getTime() + 1_001),
          expiresAt: n % 2 ? null : new Date(detectedAt.getTime() + 30 * 86_400_000 + 999),
        },
      });
    }
});

afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

test.each(["Pacific/Kiritimati", "America/Los_Angeles", "Asia/Kathmandu"])(
  "in a process on %s, every timestamp equals Prisma's read of the row, and the bounds agree",
  async (zone) => {
    process.env.TZ = zone;
    expect(new Date(Date.UTC(2026, 2, 8, 12)).getTimezoneOffset()).not.toBe(0);
    const rows = await loadMetricsRows(SHOP, { from: FROM, to: TO }, TO);
    const incidents = await prisma.$queryRaw<Array<Record<string, unknown>>>(Prisma.sql`
      SELECT i.id::text AS id, i."occurredAt", i."detectedAt", i."returnedAt"
      FROM "Incident" AS i WHERE i.shop = ${SHOP} AND i."detectedAt" >= ${FROM} AND i."detectedAt" < ${TO}
      ORDER BY i."detectedAt", i.id`);
    const offers = await prisma.$queryRaw<Array<Record<string, unknown>>>(Prisma.sql`
      SELECT o.id::text AS id, o."issuedAt", o."expiresAt", o."redeemedAt"
      FROM "Offer" AS o JOIN "Incident" AS i ON i.id = o."incidentId"
      WHERE o.shop = ${SHOP} AND i."detectedAt" >= ${FROM} AND i."detectedAt" < ${TO}
      ORDER BY o."createdAt", o.id`);
    // From the bound itself to a millisecond before the end: four of the six.
    expect(rows.period.incidents.map((i) => i.detectedAt.toISOString())).toEqual(
      DETECTED.slice(1, 5).map((d) => d.toISOString()),
    );
    expect(
      rows.period.incidents.map(({ id, occurredAt, detectedAt, returnedAt }) => ({
        id,
        occurredAt,
        detectedAt,
        returnedAt,
      })),
    ).toStrictEqual(incidents);
    expect(
      rows.period.offers.map(({ id, issuedAt, expiresAt, redeemedAt }) => ({ id, issuedAt, expiresAt, redeemedAt })),
    ).toStrictEqual(offers);
    // The experiment's: everything detected up to and including asOf.
    expect(rows.experiment.incidents.map((i) => i.detectedAt.toISOString())).toEqual(
      DETECTED.map((d) => d.toISOString()),
    );
    expect(rows.experiment.offers.map((o) => o.issuedAt!.getTime())).toEqual(DETECTED.map((d) => d.getTime() + 1_001));
  },
);
