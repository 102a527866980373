/**
 * "Did it work?" from the database: recoveryMetrics reads one shop's incidents and offers with
 * queries that lead with shop, so the shop-leading indexes serve them (EXPLAIN below), and turns
 * them into the report the dashboard shows.
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import {
  experimentIncidentsQuery,
  experimentOffersQuery,
  incidentsQuery,
  offersQuery,
} from "../../app/models/metrics.server";
import { recoveryMetrics } from "../../app/services/metrics.server";
import { truncateAll } from "../helpers/db";

const SHOP = "amends-metrics.myshopify.com";
const OTHER = "amends-metrics-other.myshopify.com";
const DAY = 86_400_000;
const MONDAY = new Date("2026-11-02T00:00:00Z");
const PERIOD = { from: MONDAY, to: new Date(MONDAY.getTime() + 28 * DAY) };

beforeEach(async () => {
  await truncateAll();
});

interface Seed {
  type?: "LATE_FULFILLMENT" | "DELIVERY_DELAY" | "DELIVERY_FAILURE" | "REFUND" | "MERCHANT_CANCELLATION";
  detectedAt: Date;
  occurredHoursBefore?: number;
  holdout?: boolean;
  decision?: string;
  offer?: {
    issuedAfterHours: number;
    faceValueMinor: number;
    redeemed?: boolean;
    usedMinor?: number;
    expiresInDays?: number;
  } | null;
  wonBackMinor?: number;
  carrier?: string;
}

let counter = 0;

async function seed(shop: string, s: Seed): Promise<string> {
  counter += 1;
  const id = randomUUID();
  const occurredAt = new Date(s.detectedAt.getTime() - (s.occurredHoursBefore ?? 2) * 3_600_000);
  const holdout = s.holdout ?? false;
  await prisma.incident.create({
    data: {
      id,
      shop,
      orderGid: `gid://shopify/Order/${counter}`,
      orderName: `#${counter}`,
      customerGid: `gid://shopify/Customer/${counter}`,
      type: s.type ?? "LATE_FULFILLMENT",
      severity: "minor",
      measure: {},
      evidence: {},
      rootCause: { productIds: ["gid://shopify/Product/1"], carriers: s.carrier ? [s.carrier] : [], locations: [] },
      occurredAt,
      detectedAt: s.detectedAt,
      decision: s.decision ?? (holdout ? "HOLDOUT" : "OFFER"),
      holdout,
      // The customer's first order back, five days after detection (attribution.server.ts).
      ...(s.wonBackMinor !== undefined
        ? {
            returnedAt: new Date(s.detectedAt.getTime() + 5 * DAY),
            returnedOrderGid: `gid://shopify/Order/won-${counter}`,
            returnedMinor: s.wonBackMinor,
          }
        : {}),
    },
  });
  const offerId = randomUUID();
  const base = {
    id: offerId,
    shop,
    incidentId: id,
    customerGid: `gid://shopify/Customer/${counter}`,
    cell: {},
    gridVersion: 1,
    currency: "USD",
    approval: "AUTO" as const,
    summary: "",
    issueKey: `k${offerId.slice(0, 12)}`,
  };
  if (holdout) {
    await prisma.offer.create({ data: { ...base, kind: "NONE", faceValueMinor: 0, status: "HOLDOUT" } });
  } else if (s.offer) {
    const issuedAt = new Date(occurredAt.getTime() + s.offer.issuedAfterHours * 3_600_000);
    await prisma.offer.create({
      data: {
        ...base,
        kind: "DISCOUNT_PERCENT",
        faceValueMinor: s.offer.faceValueMinor,
        status: s.offer.redeemed ? "REDEEMED" : "ISSUED",
        issuedAt,
        expiresAt: new Date(issuedAt.getTime() + (s.offer.expiresInDays ?? 30) * DAY),
        ...(s.offer.redeemed
          ? { redeemedAt: new Date(s.detectedAt.getTime() + 5 * DAY), discountUsedMinor: s.offer.usedMinor ?? null }
          : {}),
      },
    });
  }
  return id;
}

test("the period's figures and the experiment's progress from the database: maturity, consumption, time to offer, cost and root causes", async () => {
  await prisma.shop.create({ data: { shop: SHOP, timezone: "UTC", currency: "USD" } });
  const at = (days: number) => new Date(MONDAY.getTime() + days * DAY + 12 * 3_600_000);
  // Treated: 4 incidents; 3 won back (2 redeemed their code), offered same day, next day and later.
  await seed(SHOP, {
    detectedAt: at(0),
    offer: { issuedAfterHours: 3, faceValueMinor: 500, redeemed: true, usedMinor: 400 },
    wonBackMinor: 10_000,
    carrier: "UPS",
  });
  await seed(SHOP, {
    detectedAt: at(1),
    offer: { issuedAfterHours: 3, faceValueMinor: 500, redeemed: true, usedMinor: 600 },
    wonBackMinor: 6_000,
    carrier: "UPS",
  });
  await seed(SHOP, {
    type: "REFUND",
    detectedAt: at(8),
    occurredHoursBefore: 2,
    offer: { issuedAfterHours: 26, faceValueMinor: 1_000 },
    wonBackMinor: 4_000,
  });
  await seed(SHOP, {
    type: "REFUND",
    detectedAt: at(9),
    offer: { issuedAfterHours: 80, faceValueMinor: 1_000, expiresInDays: 1 },
  });
  // Holdout: 2 incidents, 1 won back.
  await seed(SHOP, { detectedAt: at(2), holdout: true, wonBackMinor: 3_000 });
  await seed(SHOP, { detectedAt: at(10), holdout: true });
  // Ineligible: counted over time, not in either group.
  await seed(SHOP, { type: "MERCHANT_CANCELLATION", detectedAt: at(3), decision: "INELIGIBLE", offer: null });
  // Outside the period, and another shop: not counted.
  await seed(SHOP, {
    detectedAt: new Date(PERIOD.to.getTime() + DAY),
    offer: { issuedAfterHours: 1, faceValueMinor: 999 },
    wonBackMinor: 99_999,
  });
  await seed(OTHER, {
    detectedAt: at(4),
    offer: { issuedAfterHours: 1, faceValueMinor: 777, redeemed: true, usedMinor: 777 },
    wonBackMinor: 77_700,
  });

  // Twenty days in: every incident is still inside its 90-day window, so no outcome is read yet.
  const m = await recoveryMetrics(SHOP, { ...PERIOD, asOf: at(20) });
  expect(m).toMatchObject({ shop: SHOP, timeZone: "UTC", incidentCount: 7, offerCount: 4, issuedCount: 4 });
  expect(m.experiment.readouts).toEqual([]);
  expect(m.experiment.progress).toMatchObject({ matured: 0, maturing: 6, needed: 1000 });
  expect(m.experiment.progress.nextMaturesAt).toEqual(new Date(at(0).getTime() + 91 * DAY));
  expect(m.timeToOffer).toEqual([]);
  // Offers count for consumption once their expiry passed, used or not: 1 of 2 lapsed ones was used.
  expect(m.consumption).toMatchObject({ issued: 4, settled: 1, redeemed: 0, open: 3 });
  expect(m.cost).toEqual({ faceValueIssuedMinor: 3_000, usedMinor: 1_000, netOfRevenueMinor: 1_000 });

  // A year on, every window has closed: the experiment's incidents are all matured, and time to
  // offer compares the issued make-goods' outcomes within severity and approval route. The
  // experiment is not limited to the period: the incident after it counts too.
  const later = await recoveryMetrics(SHOP, { ...PERIOD, asOf: at(365) });
  expect(later.experiment.progress).toMatchObject({ matured: 7, maturing: 0, needed: 993 });
  expect(later.experiment.guests).toBe(0);
  expect(later.consumption).toMatchObject({ issued: 4, settled: 4, redeemed: 2 });
  expect(later.timeToOffer.map((r) => [r.severity, r.route, r.bucket, r.offers, r.returned])).toEqual([
    ["minor", "AUTOMATIC", "SAME_DAY", 3, 3], // with the incident after the period
    ["minor", "AUTOMATIC", "NEXT_DAY", 1, 1],
    ["minor", "AUTOMATIC", "LATER", 1, 0],
  ]);
  expect(m.rootCauses.byType).toEqual([
    { key: "LATE_FULFILLMENT", count: 4 },
    { key: "REFUND", count: 2 },
    { key: "MERCHANT_CANCELLATION", count: 1 },
  ]);
  expect(m.rootCauses.byCarrier).toEqual([{ key: "UPS", count: 2 }]);

  const other = await recoveryMetrics(OTHER, { ...PERIOD, asOf: at(365) });
  expect(other).toMatchObject({ incidentCount: 1, offerCount: 1 });
  expect(other.experiment.progress).toMatchObject({ matured: 1 });
  expect(other.cost.usedMinor).toBe(777);
});

test("a shop with nothing in the period gets an empty report, not an error", async () => {
  const m = await recoveryMetrics("amends-metrics-empty.myshopify.com", PERIOD);
  expect(m).toMatchObject({ incidentCount: 0, offerCount: 0, rootCauses: { byType: [] }, timeZone: "UTC" });
  expect(m.experiment).toMatchObject({ readouts: [], progress: { matured: 0, maturing: 0 } });
  expect(m.consumption).toMatchObject({ issued: 0, consumptionRate: null });
});

// ---------------------------------------------------------------------------------------------
// Query plans

const SHOPS = 40;
const PER_SHOP = 250;

/** 10,000 incidents over 40 shops and 60 days, each with one offer, then ANALYZE. */
async function bulkSeed(): Promise<void> {
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Incident" (id, shop, "orderGid", "orderName", type, severity, measure, evidence, "occurredAt", "detectedAt", decision, holdout, explanation, "updatedAt")
    SELECT gen_random_uuid(), 'bulk-' || (n % ${SHOPS}) || '.myshopify.com', 'gid://shopify/Order/' || n, '#' || n,
      'LATE_FULFILLMENT', 'minor', '{}', '{}',
      TIMESTAMP '2026-09-01' + (n % 60) * INTERVAL '1 day', TIMESTAMP '2026-09-01' + (n % 60) * INTERVAL '1 day' + INTERVAL '1 hour',
      'OFFER', false, '{}', now()
    FROM generate_series(1, ${SHOPS * PER_SHOP}) AS n`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Offer" (id, shop, "incidentId", kind, cell, "gridVersion", "faceValueMinor", currency, status, approval, explanation, summary, "issueKey", "issuedAt", "updatedAt")
    SELECT gen_random_uuid(), i.shop, i.id, 'DISCOUNT_PERCENT', '{}', 1, 500, 'USD', 'ISSUED', 'AUTO', '{}', '', 'k' || i.id, i."detectedAt", now()
    FROM "Incident" AS i`);
  await prisma.$executeRawUnsafe(`ANALYZE "Incident"; ANALYZE "Offer";`);
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

async function plan(query: Prisma.Sql, seqscan = true): Promise<PlanNode[]> {
  const rows = await prisma.$transaction(async (tx) => {
    if (!seqscan) await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    return tx.$queryRaw<Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>>(Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`);
  });
  return flatten(rows[0]!["QUERY PLAN"][0]!.Plan);
}

const scansOf = (nodes: PlanNode[], relation: string) =>
  nodes.filter((n) => n["Relation Name"] === relation || (n["Index Name"] ?? "").startsWith(`${relation}_`));
const INDEX_SCANS = ["Index Scan", "Index Only Scan", "Bitmap Index Scan"];

test("the main queries use the shop-leading indexes, not sequential scans, on a table with many shops", async () => {
  await bulkSeed();
  // Shop bulk-7 has incidents on days 7, 27 and 47 of the 60; the period takes the first two.
  const period = { from: new Date("2026-09-05T00:00:00Z"), to: new Date("2026-10-01T00:00:00Z") };
  for (const seqscan of [true, false]) {
    const incidents = scansOf(await plan(incidentsQuery("bulk-7.myshopify.com", period), seqscan), "Incident");
    expect(incidents.map((n) => n["Node Type"])).not.toContain("Seq Scan");
    expect(incidents.filter((n) => INDEX_SCANS.includes(n["Node Type"])).map((n) => n["Index Name"])).toContain(
      "Incident_shop_detectedAt_idx",
    );

    const offerPlan = await plan(offersQuery("bulk-7.myshopify.com", period), seqscan);
    expect(offerPlan.filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
    const offerIndexes = scansOf(offerPlan, "Offer")
      .filter((n) => INDEX_SCANS.includes(n["Node Type"]))
      .map((n) => n["Index Name"]);
    expect(offerIndexes.length).toBeGreaterThan(0);
    // Shop-leading, or the per-incident lookup through the cascade's index driven by the
    // shop-scoped Incident scan checked below.
    for (const index of offerIndexes) expect(index).toMatch(/^Offer_(shop_|incidentId_idx$)/);
    expect(
      scansOf(offerPlan, "Incident")
        .filter((n) => INDEX_SCANS.includes(n["Node Type"]))
        .map((n) => n["Index Name"]),
    ).toContain("Incident_shop_detectedAt_idx");
  }

  // The experiment's reads (every drawn incident up to now) use the same shop-leading indexes.
  for (const seqscan of [true, false]) {
    const asOf = new Date("2026-10-01T00:00:00Z");
    const incidents = scansOf(await plan(experimentIncidentsQuery("bulk-7.myshopify.com", asOf), seqscan), "Incident");
    expect(incidents.map((n) => n["Node Type"])).not.toContain("Seq Scan");
    const offerPlan = await plan(experimentOffersQuery("bulk-7.myshopify.com", asOf), seqscan);
    expect(offerPlan.filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
  }

  // And the answer is the same one shop's rows.
  const m = await recoveryMetrics("bulk-7.myshopify.com", { ...period, asOf: new Date("2026-10-01T00:00:00Z") });
  expect(m.incidentCount).toBe(m.offerCount);
  expect(m.incidentCount).toBeGreaterThan(0);
  expect(m.incidentCount).toBeLessThan(PER_SHOP);
});
