/**
 * Prisma's DateTime columns are `timestamp` without a zone holding UTC. Raw SQL that writes now() or
 * a timestamptz into them converts through the session's time zone, so every connection the app
 * opens must be in UTC, whatever the server or database is set to (a managed PostgreSQL in another
 * zone, or an embedded one created under another TZ).
 */
import { afterAll, expect, test } from "vitest";
import { connectClient, createPool } from "../../app/db/pool.server";
import { disconnectDatabase, prisma } from "../../app/db.server";
import { storeDelivery } from "../../app/models/webhook-delivery.server";

const url = process.env.DATABASE_URL ?? "";
const database = new URL(url).pathname.slice(1);

afterAll(async () => {
  await prisma.$executeRawUnsafe(`ALTER DATABASE "${database}" RESET timezone`);
  await disconnectDatabase();
});

test("the app's connections are in UTC even when the database's own zone is UTC+14", async () => {
  await prisma.$executeRawUnsafe(`ALTER DATABASE "${database}" SET timezone TO 'Pacific/Kiritimati'`);
  // A plain connection now sees the database's zone; the app's pool and clients do not.
  const plain = createPool(url, 1, "check");
  const client = await connectClient(url, "check");
  try {
    expect((await plain.query<{ TimeZone: string }>("SHOW TimeZone")).rows[0]?.TimeZone).toBe("UTC");
    expect((await client.query<{ TimeZone: string }>("SHOW TimeZone")).rows[0]?.TimeZone).toBe("UTC");
    // now() into a zoneless timestamp, read as UTC (epoch of a timestamp treats it as UTC): the real instant.
    const { rows } = await plain.query<{ ms: string }>(
      "SELECT (extract(epoch FROM now()::timestamp) * 1000)::bigint AS ms",
    );
    expect(Math.abs(Number(rows[0]?.ms) - Date.now())).toBeLessThan(60_000);
  } finally {
    await client.end();
    await plain.end();
  }
});

test("a delivery stored through the inbox's raw SQL keeps its instants, in a database set to UTC+14", async () => {
  await prisma.$executeRawUnsafe(`ALTER DATABASE "${database}" SET timezone TO 'Pacific/Kiritimati'`);
  // A new pool for the app: the database's setting applies when a connection starts.
  await disconnectDatabase();
  const triggeredAt = new Date("2026-03-02T15:00:00.000Z");
  const before = Date.now();
  await storeDelivery(
    {
      shop: "tz.myshopify.com",
      webhookId: "tz-1",
      eventId: null,
      topic: "orders/create",
      apiVersion: "2026-10",
      triggeredAt,
      rawBody: "{}",
      source: "http",
    },
    true,
  );
  const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: "tz.myshopify.com", webhookId: "tz-1" } });
  expect(row.triggeredAt).toEqual(triggeredAt);
  expect(Math.abs(row.receivedAt.getTime() - before)).toBeLessThan(60_000);
  expect(Math.abs(row.updatedAt.getTime() - before)).toBeLessThan(60_000);
});
