/**
 * The dashboard's queries on a database with many rows: 20,000 incidents and offers, 50,000
 * orders and 40,000 incident events over 20 shops, one of which holds half of them across a year.
 * EXPLAIN (FORMAT JSON) must show index scans scoped by shop and no sequential scan on the big
 * tables, for the default 30-day range and the longest preset (90 days).
 */
import { Prisma } from "@prisma/client";
import { beforeAll, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { anyIncidentQuery, incidentsQuery, offerExportQuery, offersQuery } from "../../app/models/metrics.server";
import { truncateAll } from "../helpers/db";

const BIG = "big.myshopify.com";
const BIG_TABLES = ["Incident", "Offer", "OrderRecord", "IncidentEvent"];
const INDEX_SCANS = ["Index Scan", "Index Only Scan", "Bitmap Index Scan"];

beforeAll(async () => {
  await truncateAll();
  // Half the rows to the big shop (even n), the rest over 19 others; a year of detection dates.
  const shopOf = (n: string) =>
    `CASE WHEN ${n} % 2 = 0 THEN '${BIG}' ELSE 'small-' || (${n} % 19) || '.myshopify.com' END`;
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Incident" (id, shop, "orderGid", "orderName", type, severity, measure, evidence, "rootCause", "occurredAt", "detectedAt", decision, holdout, explanation, "updatedAt")
    SELECT gen_random_uuid(), ${shopOf("n")}, 'gid://shopify/Order/' || n, '#' || n,
      (ARRAY['LATE_FULFILLMENT','DELIVERY_DELAY','REFUND']::"IncidentType"[])[1 + n % 3], 'minor', '{}', '{}', '{"carriers":["UPS"]}',
      TIMESTAMP '2025-11-23' + (n % 365) * INTERVAL '1 day', TIMESTAMP '2025-11-23' + (n % 365) * INTERVAL '1 day' + INTERVAL '3 hours',
      CASE WHEN n % 10 = 0 THEN 'HOLDOUT' ELSE 'OFFER' END, n % 10 = 0, '{}', now()
    FROM generate_series(1, 20000) AS n`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Offer" (id, shop, "incidentId", kind, cell, "gridVersion", "faceValueMinor", currency, status, approval, explanation, summary, "issueKey", "issuedAt", "updatedAt")
    SELECT gen_random_uuid(), i.shop, i.id, CASE WHEN i.holdout THEN 'NONE' ELSE 'DISCOUNT_PERCENT' END::"OfferKind", '{}', 1,
      CASE WHEN i.holdout THEN 0 ELSE 500 END, 'USD', CASE WHEN i.holdout THEN 'HOLDOUT' ELSE 'ISSUED' END::"OfferStatus", 'AUTO', '{}', '', 'k' || i.id,
      CASE WHEN i.holdout THEN NULL ELSE i."detectedAt" + INTERVAL '1 hour' END, now()
    FROM "Incident" AS i`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "IncidentEvent" (id, shop, "incidentId", kind, at, data)
    SELECT gen_random_uuid(), i.shop, i.id, k, i."detectedAt", '{}' FROM "Incident" AS i, unnest(ARRAY['DETECTED','DECIDED']) AS k`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "OrderRecord" (id, shop, "orderGid", name, "customerGid", "createdAt", "sourceUpdatedAt", currency, "totalPrice", tags, "discountCodes", "lineItemCount", "updatedAt")
    SELECT gen_random_uuid(), ${shopOf("n")}, 'gid://shopify/Order/o' || n, '#' || n, 'gid://shopify/Customer/' || (n % 5000),
      TIMESTAMP '2025-11-23' + (n % 365) * INTERVAL '1 day', now(), 'USD', 50, '{}', '{}', 1, now()
    FROM generate_series(1, 50000) AS n`);
  await prisma.$executeRawUnsafe(
    `ANALYZE "Incident"; ANALYZE "Offer"; ANALYZE "IncidentEvent"; ANALYZE "OrderRecord";`,
  );
}, 120_000);

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

async function plan(query: Prisma.Sql): Promise<PlanNode[]> {
  const rows = await prisma.$queryRaw<Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>>(
    Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`,
  );
  return flatten(rows[0]!["QUERY PLAN"][0]!.Plan);
}

/** No sequential scan on a big table; every index scan on one is on a shop-leading index with shop in its condition. */
function expectShopScopedIndexScans(nodes: PlanNode[], tables: string[]): void {
  if (process.env.SHOW_PLANS)
    console.warn(
      JSON.stringify(nodes.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"], n["Index Cond"]])),
    );
  const seq = nodes.filter((n) => n["Node Type"] === "Seq Scan" && BIG_TABLES.includes(n["Relation Name"] ?? ""));
  expect(seq.map((n) => n["Relation Name"])).toEqual([]);
  const indexScans = nodes.filter((n) => INDEX_SCANS.includes(n["Node Type"]));
  for (const table of tables) {
    const scans = indexScans.filter((n) => (n["Index Name"] ?? "").startsWith(`${table}_`));
    expect(scans.length, `an index scan on ${table}`).toBeGreaterThan(0);
    for (const scan of scans) {
      // An offer may also be reached per incident through the cascade's index (a lookup by the
      // incident's id, driven by the shop-scoped Incident scan); every other scan leads with shop.
      if (scan["Index Name"] === "Offer_incidentId_idx") expect(scan["Index Cond"] ?? "").toMatch(/"incidentId" = /);
      else {
        expect(scan["Index Name"]).toMatch(new RegExp(`^${table}_(shop_|pkey)`));
        if (scan["Index Name"] !== `${table}_pkey`) expect(scan["Index Cond"] ?? "").toMatch(/shop = /);
      }
    }
    if (table === "Offer")
      expect(indexScans.some((n) => (n["Index Name"] ?? "").startsWith("Incident_shop_"))).toBe(true);
  }
}

const period = (days: number) => ({
  from: new Date(Date.UTC(2026, 10, 23) - days * 86_400_000),
  to: new Date(Date.UTC(2026, 10, 23)),
});

test.each([30, 90])(
  "the dashboard's incident and offer reads over %i days use the shop-leading indexes",
  async (days) => {
    expectShopScopedIndexScans(await plan(incidentsQuery(BIG, period(days))), ["Incident"]);
    expectShopScopedIndexScans(await plan(offersQuery(BIG, period(days))), ["Incident", "Offer"]);
  },
);

test("the first-run check and the export pages use the shop-leading indexes", async () => {
  expectShopScopedIndexScans(await plan(anyIncidentQuery(BIG)), ["Incident"]);
  expectShopScopedIndexScans(await plan(offerExportQuery(BIG, period(90), null, 1_000)), ["Incident", "Offer"]);
  const cursor = { detectedAt: new Date("2026-10-01T03:00:00Z"), offerId: "00000000-0000-4000-8000-000000000000" };
  expectShopScopedIndexScans(await plan(offerExportQuery(BIG, period(366), cursor, 1_000)), ["Incident", "Offer"]);
});

test("the queries answer for the big shop only", async () => {
  const rows = await prisma.$queryRaw<Array<{ shop: string }>>(
    Prisma.sql`SELECT DISTINCT q.shop FROM (${incidentsQuery(BIG, period(90))}) AS x JOIN "Incident" AS q ON q.id = x.id::uuid`,
  );
  expect(rows).toEqual([{ shop: BIG }]);
});
