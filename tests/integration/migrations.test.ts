/**
 * Data migrations that rewrite rows, run against rows shaped as they were before them.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { createIncident, createShopRow } from "./offers-fixtures";

const SHOP = "amends-migrations.myshopify.com";

test("20261205090000_incident_tier: decided incidents and offers get the tier their explanation names; the rest stay empty", async () => {
  await createShopRow(SHOP);
  const vip = await createIncident(SHOP, { customerGid: "gid://shopify/Customer/1" });
  const guest = await createIncident(SHOP);
  const undecided = await createIncident(SHOP);
  await prisma.incident.update({
    where: { id: vip },
    data: {
      decision: "OFFER",
      explanation: [
        "Incident: major, 6 business days late (LATE_FULFILLMENT)",
        "Customer: VIP: $1,240 spent in 14 orders",
      ],
    },
  });
  await prisma.incident.update({
    where: { id: guest },
    data: { decision: "NO_OFFER", explanation: ["Customer: NEW: guest checkout"] },
  });
  await prisma.incident.update({ where: { id: undecided }, data: { explanation: ["Customer: GOLD: not a tier"] } });
  const offer = await prisma.offer.create({
    data: {
      shop: SHOP,
      incidentId: vip,
      customerGid: "gid://shopify/Customer/1",
      kind: "NONE",
      faceValueMinor: 0,
      status: "HOLDOUT",
      cell: {},
      gridVersion: 1,
      currency: "USD",
      approval: "AUTO",
      summary: "",
      issueKey: "migration-test",
      explanation: ["Customer: VIP: $1,240 spent in 14 orders"],
    },
  });

  const sql = readFileSync("prisma/migrations/20261205090000_incident_tier/migration.sql", "utf8");
  // The backfill alone (the column exists already in the migrated test database).
  for (const statement of sql
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.includes("UPDATE"))) {
    await prisma.$executeRawUnsafe(statement.slice(statement.indexOf("UPDATE")));
  }

  const tiers = Object.fromEntries(
    (await prisma.incident.findMany({ where: { shop: SHOP } })).map((i) => [i.id, i.tier]),
  );
  expect(tiers).toEqual({ [vip]: "VIP", [guest]: "NEW", [undecided]: null });
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).tier).toBe("VIP");
});
