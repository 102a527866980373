/**
 * The Admin API bucket shared by the app's processes through AdminApiBucket
 * (docs/decisions/0025-shared-admin-throttle.md), against the sandbox's per-shop rate limit and the
 * real database. Each SharedAdminBucket stands for one process; each call gets a fresh AdminClient,
 * as each job does with backgroundAdmin.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { SharedAdminBucket } from "../../app/models/admin-api-bucket.server";
import { backgroundAdmin } from "../../app/shopify/admin.server";
import { AdminClient } from "../../app/shopify/admin-client.server";
import { unauthenticated } from "../../app/shopify.server";
import { customerValue } from "../../app/shopify/operations/customer-value";
import { acceptDeliveries, sandboxForTests, shopWithOneCustomer } from "../helpers/sandbox";

const SHOP = "shared-bucket.myshopify.com";
const TOKEN = "shpat_shared_bucket";
const NOW = new Date("2026-11-02T15:00:00Z");

// About the shared bucket, not tokens: one fixed never-expiring token, so no refresh call spends or waits on the bucket.
const sandbox = sandboxForTests({ deliver: acceptDeliveries, admin: { accessTokens: { [SHOP]: TOKEN } } });

let customerGid: string;

beforeEach(async () => {
  customerGid = await shopWithOneCustomer(sandbox, { shop: SHOP, now: NOW, token: TOKEN });
});

/** Waiting moves the sandbox's clock, on which its bucket refills (and the app's clock, which is the same). */
async function fakeSleep(ms: number) {
  sandbox.clock.advance(ms);
}

/** A process: its own view of the bucket, shared through the database, or (null) only its own memory. */
function processWith(bucket: SharedAdminBucket | null) {
  let own: AdminClient | undefined;
  return async () => {
    const { admin } = await unauthenticated.admin(SHOP);
    const client = bucket
      ? new AdminClient({ transport: admin, shop: SHOP, sleep: fakeSleep, bucket: bucket.forShop(SHOP) })
      : (own ??= new AdminClient({ transport: admin, shop: SHOP, sleep: fakeSleep }));
    await client.run(customerValue, { id: customerGid });
  };
}

const throttled = () => sandbox.admin.calls.filter((c) => c.outcome === "throttled").length;

/** One call each to learn the operation's cost (the bucket is full), then a bucket of 4 calls refilling 1 call a second. */
async function tightBucket(processes: Array<() => Promise<void>>): Promise<number> {
  for (const call of processes) await call();
  const requested = sandbox.admin.calls[0]?.cost?.requested ?? 0;
  expect(requested).toBeGreaterThan(0);
  sandbox.admin.rateLimits.configure(SHOP, { maximumAvailable: 4 * requested, restoreRate: requested });
  // What every process last saw: the same bucket, now drained by other work to what it holds.
  return requested;
}

test("two processes taking turns on one shop's bucket never get THROTTLED: each waits for what the other spent", async () => {
  const a = processWith(new SharedAdminBucket());
  const b = processWith(new SharedAdminBucket());
  await tightBucket([a, b]);

  for (let i = 0; i < 10; i++) {
    await a();
    await b();
  }

  expect(throttled()).toBe(0);
  expect(sandbox.admin.calls.filter((c) => c.outcome === "ok")).toHaveLength(22);
});

test("two processes calling at once on one shop's bucket never get THROTTLED", async () => {
  const a = processWith(new SharedAdminBucket());
  const b = processWith(new SharedAdminBucket());
  const c = processWith(new SharedAdminBucket());
  await tightBucket([a, b, c]);

  await Promise.all(
    [a, b, c].map(async (call) => {
      for (let i = 0; i < 6; i++) await call();
    }),
  );

  expect(throttled()).toBe(0);
  expect(sandbox.admin.calls.filter((c) => c.outcome === "ok")).toHaveLength(21);
});

test("one process alone, remembering the bucket in memory, is not THROTTLED by the same calls", async () => {
  const alone = processWith(null);
  await tightBucket([alone, alone]);

  for (let i = 0; i < 20; i++) await alone();

  expect(throttled()).toBe(0);
});

test("two processes each remembering the bucket in memory (before the shared bucket) get THROTTLED", async () => {
  const a = processWith(null);
  const b = processWith(null);
  await tightBucket([a, b]);

  for (let i = 0; i < 10; i++) {
    await a();
    await b();
  }

  // Each spends what the other already spent; the client's THROTTLED retry still gets every call through.
  expect(throttled()).toBeGreaterThan(0);
  expect(sandbox.admin.calls.filter((c) => c.outcome === "ok")).toHaveLength(22);
});

test("the background client records the shop's bucket for the other processes, restored on the app clock", async () => {
  sandbox.admin.rateLimits.configure(SHOP, { maximumAvailable: 1000, restoreRate: 50, currentlyAvailable: 500 });
  const admin = await backgroundAdmin(SHOP);
  await admin.run(customerValue, { id: customerGid });
  const status = sandbox.admin.rateLimits.status(SHOP);

  const row = await prisma.adminApiBucket.findUniqueOrThrow({ where: { shop: SHOP } });
  expect(row).toMatchObject({ maximumAvailable: 1000, restoreRate: 50, observedAt: NOW });
  expect(row.currentlyAvailable).toBe(status.currentlyAvailable);

  // Another process asks for more than is left: refused, and told how much is there 2 s later.
  const { reserveAdminPoints } = await import("../../app/models/admin-api-bucket.server");
  const later = NOW.getTime() + 2_000;
  const refused = await reserveAdminPoints(SHOP, 1000, later);
  expect(refused).toEqual({
    granted: false,
    estimate: Math.min(1000, status.currentlyAvailable + 100),
    maximumAvailable: 1000,
    restoreRate: 50,
  });
  const granted = await reserveAdminPoints(SHOP, 500, later);
  expect(granted?.granted).toBe(true);
  const after = await prisma.adminApiBucket.findUniqueOrThrow({ where: { shop: SHOP } });
  expect(after.currentlyAvailable).toBe(Math.min(1000, status.currentlyAvailable + 100) - 500);
  expect(after.observedAt).toEqual(new Date(later));
});

test("a client built as the app builds it waits for the shared bucket on the app clock: a controlled clock moves, and every call is reserved", async () => {
  // No `sleep` option, as backgroundAdmin builds it: the refill is reckoned on the app clock, so the
  // wait must pass on it. A real wait under the demo's replayed history (or here) never saw the
  // bucket refill: each call waited its way through and was sent unreserved.
  const bucket = new SharedAdminBucket();
  const call = async () => {
    const { admin } = await unauthenticated.admin(SHOP);
    await new AdminClient({ transport: admin, shop: SHOP, bucket: bucket.forShop(SHOP) }).run(customerValue, {
      id: customerGid,
    });
  };
  const requested = await tightBucket([call]);
  const before = sandbox.clock.now().getTime();

  for (let i = 0; i < 8; i++) await call();

  expect(throttled()).toBe(0);
  // 8 calls from a bucket of 4 refilling 1 a second: at least 4 s of waiting, all of it on the app clock.
  expect(sandbox.clock.now().getTime() - before).toBeGreaterThanOrEqual(3_000);
  expect(requested).toBeGreaterThan(0);
});
