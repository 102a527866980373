/**
 * heldReservation runs under the offer's row lock (app/services/offers/transition.server.ts), so
 * PostgreSQL's plan for it must be an index lookup, not a scan of every shop's transitions. The
 * table is filled well past where a sequential scan could win and ANALYZEd, so the planner's
 * choice is the one production would get.
 */
import { Prisma } from "@prisma/client";
import { beforeAll, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { heldReservation, heldReservationQuery } from "../../app/models/offers.server";

const SHOPS = ["held-a.myshopify.com", "held-b.myshopify.com"];
const OFFERS_PER_SHOP = 2_000;
const TRANSITIONS_PER_OFFER = 10;
let offerId: string;

beforeAll(async () => {
  for (const shop of SHOPS) {
    const incident = await prisma.incident.create({
      data: {
        shop,
        orderGid: `gid://shopify/Order/${shop.length}`,
        orderName: "#1001",
        type: "LATE_FULFILLMENT",
        severity: "minor",
        state: "CLOSED",
        measure: {},
        evidence: {},
        occurredAt: new Date("2026-11-01T00:00:00Z"),
        detectedAt: new Date("2026-11-01T01:00:00Z"),
        holdout: false,
      },
    });
    await prisma.$executeRaw`
      INSERT INTO "Offer" (id, shop, "incidentId", kind, cell, "gridVersion", "faceValueMinor", currency, status,
                           approval, explanation, summary, "issueKey", "updatedAt")
      SELECT gen_random_uuid(), ${shop}, ${incident.id}::uuid, 'DISCOUNT_PERCENT'::"OfferKind", '{}'::jsonb, 1, 800,
             'USD', 'ISSUED'::"OfferStatus", 'AUTO'::"ApprovalRoute", '{}', 's', 'key' || g, now()
      FROM generate_series(1, ${OFFERS_PER_SHOP}::int) g`;
  }
  await prisma.$executeRaw`
    INSERT INTO "OfferTransition" (id, shop, "offerId", "toStatus", actor, data, at)
    SELECT gen_random_uuid(), o.shop, o.id, 'ISSUED'::"OfferStatus", 'system',
           CASE WHEN n = 1 THEN jsonb_build_object('budget', jsonb_build_object('month', '2026-11', 'committedDelta', 800))
                ELSE jsonb_build_object('note', n) END,
           now()
    FROM "Offer" o, generate_series(1, ${TRANSITIONS_PER_OFFER}::int) n`;
  await prisma.$executeRaw`ANALYZE "OfferTransition"`;
  const offer = await prisma.offer.findFirstOrThrow({ where: { shop: SHOPS[0] }, select: { id: true } });
  offerId = offer.id;
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

async function plan(query: Prisma.Sql, db: Pick<typeof prisma, "$queryRaw"> = prisma): Promise<PlanNode[]> {
  const rows = await db.$queryRaw<Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>>(
    Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`,
  );
  return nodes(rows[0]!["QUERY PLAN"][0]!.Plan);
}

const transitionScans = (plan: PlanNode[]) =>
  plan.filter((n) => n["Relation Name"] === "OfferTransition" || n["Index Name"]?.startsWith("OfferTransition_"));

test("the reservation is read through an OfferTransition index, never a sequential scan", async () => {
  expect(await prisma.offerTransition.count()).toBe(SHOPS.length * OFFERS_PER_SHOP * TRANSITIONS_PER_OFFER);
  const scans = transitionScans(await plan(heldReservationQuery(SHOPS[0]!, offerId)));
  expect(scans.map((n) => n["Node Type"])).not.toContain("Seq Scan");
  // An index that finds the offer's rows by its key, not one walked from end to end.
  expect(
    scans.some(
      (n) =>
        /Index/.test(n["Node Type"]) &&
        n["Index Name"]?.startsWith("OfferTransition_") &&
        /"offerId" =/.test(n["Index Cond"] ?? ""),
    ),
  ).toBe(true);
  // And it reads what the offer holds.
  expect(await heldReservation(prisma, SHOPS[0]!, offerId)).toEqual({ month: "2026-11", minor: 800 });
  expect(await heldReservation(prisma, SHOPS[1]!, offerId)).toBeNull();
});

test("naming the shop keeps it an index lookup even without the offerId index (the shop-first index serves it)", async () => {
  const rolledBack = new Error("roll back");
  const seen: { scans: PlanNode[] } = { scans: [] };
  await prisma
    .$transaction(async (tx) => {
      await tx.$executeRaw`DROP INDEX "OfferTransition_offerId_idx"`;
      seen.scans = transitionScans(await plan(heldReservationQuery(SHOPS[0]!, offerId), tx));
      throw rolledBack;
    })
    .catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
  expect(seen.scans.map((n) => n["Node Type"])).not.toContain("Seq Scan");
  // Without the shop the planner would still walk this index, from end to end (Index Cond on offerId alone).
  expect(seen.scans.filter((n) => n["Index Name"])).toEqual([
    expect.objectContaining({
      "Index Name": "OfferTransition_shop_offerId_at_idx",
      "Index Cond": expect.stringMatching(/shop = .*"offerId" =/),
    }),
  ]);
  // The index is back.
  const indexes = await prisma.$queryRaw<Array<{ indexname: string }>>`
    SELECT indexname::text AS indexname FROM pg_indexes WHERE tablename = 'OfferTransition' AND indexname = 'OfferTransition_offerId_idx'`;
  expect(indexes).toHaveLength(1);
});
