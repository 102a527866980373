/**
 * The dashboard's lean experiment read (decision 0032) against the computation it replaced, on a
 * varied shop: every figure of recoveryMetrics must equal the report built from every column of
 * every drawn incident and every offer, read as before, with time to offer bucketed one
 * Intl reading per instant (dayBucket). Several shops, guests, repeat customers sharing an order
 * back, every decision, several offers per incident of every kind, status and approval route,
 * issue times around local midnight in a zone with DST, rounds of 100 and incidents still
 * maturing; looked at from several days, with the kept readouts cold and warm.
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { beforeAll, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loadMetricsRows } from "../../app/models/metrics.server";
import { shopContext } from "../../app/models/shop-settings.server";
import {
  DRAWN_DECISIONS,
  ISSUED_STATUSES,
  dayBucket,
  isIssued,
  isMatured,
  recoveryReport,
  toIncidentRecords,
  toOfferRecords,
  type MetricsIncidentRow,
  type MetricsOfferRow,
} from "../../app/recovery";
import { seededRandom } from "../../app/recovery/random";
import { clearReadoutMemo, recoveryMetrics } from "../../app/services/metrics.server";
import { truncateAll } from "../helpers/db";

const SHOP = "amends-equivalence.myshopify.com";
const OTHER = "amends-equivalence-other.myshopify.com";
const TZ = "America/New_York";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2025, 8, 1, 4);
const SETTINGS = { attribution: { readoutIncidents: 100, windowDays: 30 }, decision: { holdoutShare: 0.2 } };

const KINDS = ["DISCOUNT_PERCENT", "DISCOUNT_FIXED", "STORE_CREDIT", "GIFT_CARD", "GIFT_PRODUCT"] as const;
const STATUSES = [
  "ISSUED",
  "REDEEMED",
  "UNUSED",
  "EXPIRED",
  "FAILED",
  "REJECTED",
  "PENDING_APPROVAL",
  "SUPERSEDED",
] as const;
const APPROVALS = ["AUTO", "STAFF", "MANAGER"] as const;
// Two in five drawn incidents held out, so rounds of 100 have 30 in each group and read revenue.
const DECISIONS = ["OFFER", "OFFER", "HOLDOUT", "HOLDOUT", "NO_OFFER", "INELIGIBLE", null] as const;

async function seedShop(shop: string, count: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const incidents: Prisma.IncidentCreateManyInput[] = [];
  const offers: Prisma.OfferCreateManyInput[] = [];
  for (let n = 0; n < count; n++) {
    const id = randomUUID();
    // 400 days of detections, several at the same millisecond (ties are ordered by id).
    const detectedAt = new Date(
      START + Math.floor(random() * 400) * DAY + (n % 7 === 0 ? 0 : Math.floor(random() * DAY)),
    );
    const occurredAt = new Date(detectedAt.getTime() - Math.floor(random() * 30 * HOUR));
    const decision = pick(DECISIONS);
    const holdout = decision === "HOLDOUT";
    // A quarter guests; the rest among 120 customers, so many come back more than once.
    const customerGid = random() < 0.25 ? null : `gid://shopify/Customer/${Math.floor(random() * 120)}`;
    const returned = customerGid !== null && random() < 0.35;
    // An order back shared by a customer's incidents now and then (revenue counts it once).
    const order = returned ? `gid://shopify/Order/back-${customerGid!.slice(-3)}-${Math.floor(random() * 3)}` : null;
    incidents.push({
      id,
      shop,
      orderGid: `gid://shopify/Order/${seed}-${n}`,
      orderName: `#${seed}-${n}`,
      customerGid,
      type: pick([
        "LATE_FULFILLMENT",
        "DELIVERY_DELAY",
        "DELIVERY_FAILURE",
        "REFUND",
        "MERCHANT_CANCELLATION",
      ] as const),
      severity: pick(["minor", "moderate", "major", "critical"] as const),
      state: "CLOSED",
      measure: {},
      evidence: {},
      rootCause: {
        productIds: [`gid://shopify/Product/${n % 9}`],
        carriers: [pick(["UPS", "FedEx", "DHL"])],
        locations: [`gid://shopify/Location/${n % 2}`],
      },
      occurredAt,
      detectedAt,
      decision,
      holdout,
      ...(returned
        ? {
            returnedAt: new Date(detectedAt.getTime() + Math.floor(random() * 30 * DAY)),
            returnedOrderGid: random() < 0.1 ? null : order,
            returnedMinor: random() < 0.1 ? null : 1_000 + Math.floor(random() * 20_000),
          }
        : {}),
      explanation: [],
    });
    const offerCount = holdout ? 1 : decision === null || decision === "INELIGIBLE" ? 0 : Math.floor(random() * 4);
    for (let k = 0; k < offerCount; k++) {
      const kind = holdout ? "NONE" : pick(KINDS);
      const status = holdout ? "HOLDOUT" : pick(STATUSES);
      // Issued around the local midnights after the failure: same day, next day, later.
      const issuedAt =
        holdout || random() < 0.1
          ? null
          : new Date(occurredAt.getTime() + Math.floor(random() * 4) * 12 * HOUR + Math.floor(random() * 2 * HOUR));
      const redeemed = issuedAt !== null && random() < 0.4;
      const offerId = randomUUID();
      offers.push({
        id: offerId,
        shop,
        incidentId: id,
        customerGid,
        kind,
        cell: {},
        gridVersion: 1,
        faceValueMinor: holdout ? 0 : 500 + Math.floor(random() * 2_000),
        currency: "USD",
        status,
        approval: pick(APPROVALS),
        explanation: [],
        summary: "",
        issueKey: `k-${offerId}`,
        createdAt: new Date(detectedAt.getTime() + k * 1_000),
        issuedAt,
        expiresAt: issuedAt && random() < 0.8 ? new Date(issuedAt.getTime() + 30 * DAY) : null,
        redeemedAt: redeemed ? new Date(issuedAt.getTime() + 3 * DAY) : null,
        discountUsedMinor: redeemed && random() < 0.8 ? Math.floor(random() * 1_500) : null,
      });
    }
  }
  await prisma.incident.createMany({ data: incidents });
  await prisma.offer.createMany({ data: offers });
}

beforeAll(async () => {
  await truncateAll();
  await prisma.shop.create({ data: { shop: SHOP, timezone: TZ, currency: "USD", settings: SETTINGS } });
  await prisma.shop.create({ data: { shop: OTHER, timezone: "UTC", currency: "USD", settings: SETTINGS } });
  await seedShop(SHOP, 1_400, 11);
  await seedShop(OTHER, 500, 12);
}, 120_000);

/** The period's rows as Prisma read them before decision 0032's amendment: the same columns, timestamps as Prisma decodes them. */
function prismaPeriodIncidents(shop: string, period: { from: Date; to: Date }): Prisma.Sql {
  return Prisma.sql`
    SELECT i.id::text AS id, i.type::text AS type, i.severity::text AS severity, i."customerGid", i."occurredAt",
      i."detectedAt", i.decision, i.holdout, i."rootCause", i."returnedAt", i."returnedOrderGid", i."returnedMinor"
    FROM "Incident" AS i
    WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to}
    ORDER BY i."detectedAt", i.id`;
}

function prismaPeriodOffers(shop: string, period: { from: Date; to: Date }): Prisma.Sql {
  return Prisma.sql`
    SELECT o.id::text AS id, o."incidentId"::text AS "incidentId", o.kind::text AS kind, o.status::text AS status,
      o.approval::text AS approval, o."issuedAt", o."expiresAt", o."faceValueMinor", o."redeemedAt", o."discountUsedMinor"
    FROM "Incident" AS i
    JOIN "Offer" AS o ON o."incidentId" = i.id
    WHERE i.shop = ${shop} AND i."detectedAt" >= ${period.from} AND i."detectedAt" < ${period.to}
    ORDER BY o."createdAt", o.id`;
}

/** The experiment's rows as they were read before decision 0032: every column, every offer. */
function fullExperimentIncidents(shop: string, asOf: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT i.id::text AS id, i.type::text AS type, i.severity::text AS severity, i."customerGid", i."occurredAt",
      i."detectedAt", i.decision, i.holdout, i."rootCause", i."returnedAt", i."returnedOrderGid", i."returnedMinor"
    FROM "Incident" AS i
    WHERE i.shop = ${shop} AND i."detectedAt" <= ${asOf} AND i.decision IN (${Prisma.join([...DRAWN_DECISIONS])})
    ORDER BY i."detectedAt", i.id`;
}

function fullExperimentOffers(shop: string, asOf: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT o.id::text AS id, o."incidentId"::text AS "incidentId", o.kind::text AS kind, o.status::text AS status,
      o.approval::text AS approval, o."issuedAt", o."expiresAt", o."faceValueMinor", o."redeemedAt", o."discountUsedMinor"
    FROM "Incident" AS i
    JOIN "Offer" AS o ON o."incidentId" = i.id
    WHERE i.shop = ${shop} AND i."detectedAt" <= ${asOf} AND i.decision IN (${Prisma.join([...DRAWN_DECISIONS])})
      AND o.kind <> 'NONE'
    ORDER BY o."createdAt", o.id`;
}

async function reference(shop: string, period: { from: Date; to: Date }, asOf: Date) {
  const [incidentRows, offerRows, experimentIncidentRows, experimentOfferRows] = await Promise.all([
    prisma.$queryRaw<MetricsIncidentRow[]>(prismaPeriodIncidents(shop, period)),
    prisma.$queryRaw<MetricsOfferRow[]>(prismaPeriodOffers(shop, period)),
    prisma.$queryRaw<MetricsIncidentRow[]>(fullExperimentIncidents(shop, asOf)),
    prisma.$queryRaw<MetricsOfferRow[]>(fullExperimentOffers(shop, asOf)),
  ]);
  const ctx = await shopContext(shop);
  const timeZone = ctx.timeZone;
  const offers = toOfferRecords(offerRows);
  const experimentIncidents = toIncidentRecords(experimentIncidentRows);
  const experimentOffers = toOfferRecords(experimentOfferRows);
  const report = recoveryReport({
    incidents: toIncidentRecords(incidentRows),
    offers,
    experimentIncidents,
    experimentOffers,
    settings: {
      windowDays: ctx.recovery.attribution.windowDays,
      readoutIncidents: ctx.recovery.attribution.readoutIncidents,
      holdoutShare: ctx.recovery.decision.holdoutShare,
    },
    timeZone,
    asOf,
  });
  // Time to offer as it was computed: one Intl reading per instant (dayBucket).
  const byId = new Map(experimentIncidents.map((i) => [i.id, i]));
  const buckets = new Map<string, { offers: number; returned: number }>();
  for (const offer of experimentOffers) {
    const incident = byId.get(offer.incidentId);
    if (!isIssued(offer) || !offer.issuedAt || !incident || incident.holdout || incident.customerId === null) continue;
    if (!isMatured(incident, ctx.recovery.attribution.windowDays, asOf)) continue;
    const route = offer.approval === "AUTO" ? "AUTOMATIC" : "STAFF";
    const key = `${incident.severity}|${route}|${dayBucket(incident.occurredAt, offer.issuedAt, timeZone)}`;
    const b = buckets.get(key) ?? { offers: 0, returned: 0 };
    b.offers += 1;
    if (incident.wonBack) b.returned += 1;
    buckets.set(key, b);
  }
  return { report, buckets, incidentCount: incidentRows.length, offers };
}

test.each([
  ["a year on, 30 days", 300, 30],
  ["the last day, a quarter", 401, 90],
  ["early, when only a few rounds are complete", 120, 60],
  ["before anything matured", 20, 20],
] as const)("%s: every figure equals the full read's", async (_name, asOfDay, days) => {
  const asOf = new Date(START + asOfDay * DAY);
  const period = { from: new Date(asOf.getTime() - days * DAY), to: asOf };
  for (const shop of [SHOP, OTHER]) {
    expect((await shopContext(shop)).recovery.attribution).toMatchObject(SETTINGS.attribution);
    const expected = await reference(shop, period, asOf);
    clearReadoutMemo();
    for (const memo of ["cold", "warm"]) {
      const m = await recoveryMetrics(shop, { ...period, asOf });
      // The arms experiments (decision 0119) are read apart from these figures and tested in arms.test.ts.
      const {
        shop: _s,
        from: _f,
        to: _t,
        timeZone: _z,
        arms: _a,
        incidentCount,
        offerCount,
        issuedCount,
        ...report
      } = m;
      expect(report, `${shop}, readouts kept ${memo}`).toEqual(expected.report);
      expect([incidentCount, offerCount, issuedCount]).toEqual([
        expected.incidentCount,
        expected.offers.length,
        expected.offers.filter((o) => o.issuedAt !== null).length,
      ]);
      expect(
        new Map(
          m.timeToOffer.map((r) => [
            `${r.severity}|${r.route}|${r.bucket}`,
            { offers: r.offers, returned: r.returned },
          ]),
        ),
      ).toEqual(expected.buckets);
    }
    if (asOfDay >= 300 && shop === SHOP) {
      // The shop is varied enough for this to mean something.
      expect(expected.report.experiment.readouts.length).toBeGreaterThan(1);
      expect(expected.report.experiment.guests).toBeGreaterThan(0);
      expect(expected.report.timeToOffer.map((r) => r.bucket)).toEqual(
        expect.arrayContaining(["SAME_DAY", "NEXT_DAY", "LATER"]),
      );
      expect(expected.report.experiment.readouts.some((r) => r.revenue !== null)).toBe(true);
    }
  }
});

test("loadMetricsRows (plain pg) returns Prisma's rows, object for object", async () => {
  const asOf = new Date(START + 300 * DAY);
  const period = { from: new Date(asOf.getTime() - 90 * DAY), to: asOf };
  for (const shop of [SHOP, OTHER]) {
    const rows = await loadMetricsRows(shop, period, asOf);
    const [incidents, offers, experimentIncidents, experimentOffers] = await Promise.all([
      prisma.$queryRaw<MetricsIncidentRow[]>(prismaPeriodIncidents(shop, period)),
      prisma.$queryRaw<MetricsOfferRow[]>(prismaPeriodOffers(shop, period)),
      prisma.$queryRaw<MetricsIncidentRow[]>(fullExperimentIncidents(shop, asOf)),
      prisma.$queryRaw<MetricsOfferRow[]>(fullExperimentOffers(shop, asOf)),
    ]);
    expect(incidents.length).toBeGreaterThan(50);
    expect(rows.period).toStrictEqual({ incidents, offers });
    // The experiment's read leaves out the root cause and every offer but the issued make-goods (decision 0032).
    expect(rows.experiment.incidents).toStrictEqual(experimentIncidents.map((i) => ({ ...i, rootCause: null })));
    expect(rows.experiment.offers).toStrictEqual(
      experimentOffers.filter((o) => o.issuedAt !== null && (ISSUED_STATUSES as readonly string[]).includes(o.status)),
    );
  }
});
