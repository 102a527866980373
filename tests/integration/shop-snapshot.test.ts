/**
 * A job reads its shop's row once (app/models/shop-snapshot.server.ts): the install check, the
 * re-authentication check and the settings share one SELECT, a write the job makes is seen by its
 * next read, and nothing outside a job (or for another shop) is served from the snapshot.
 */
import type { JobHelpers } from "graphile-worker";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { prisma } from "../../app/db.server";
import { defineTask } from "../../app/jobs/define-task.server";
import { isUninstalled, markReauthRequired, markUninstalled, reauthRequired } from "../../app/models/shop.server";
import { shopContext } from "../../app/models/shop-settings.server";
import { withShopSnapshot } from "../../app/models/shop-snapshot.server";
import { truncateAll } from "../helpers/db";

const SHOP = "amends-snapshot.myshopify.com";
const OTHER = "amends-snapshot-other.myshopify.com";

beforeEach(async () => {
  await truncateAll();
  await prisma.shop.createMany({
    data: [
      { shop: SHOP, timezone: "Europe/Paris", currency: "EUR" },
      { shop: OTHER, timezone: "UTC", currency: "USD" },
    ],
  });
});

let reads: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  reads = vi.spyOn(prisma.shop, "findUnique");
});
afterEach(() => reads.mockRestore());

const shopsRead = () => reads.mock.calls.map((call: unknown[]) => (call[0] as { where: { shop: string } }).where.shop);

async function questions(shop: string) {
  return {
    uninstalled: await isUninstalled(prisma, shop),
    reauth: await reauthRequired(shop),
    context: await shopContext(shop),
    again: await shopContext(shop),
  };
}

test("a job's install check, re-authentication check and settings reads are one read of its shop", async () => {
  let answers: Awaited<ReturnType<typeof questions>> | undefined;
  const task = defineTask("issue-offer", {
    async run({ shop }) {
      answers = await questions(shop);
    },
  });
  const helpers = { job: { id: "1", attempts: 1, max_attempts: 10 } } as unknown as JobHelpers;

  await task({ v: 1, shop: SHOP, offerId: "00000000-0000-4000-8000-000000000001" }, helpers);

  expect(shopsRead()).toEqual([SHOP]);
  expect(answers).toMatchObject({ uninstalled: false, reauth: null, context: { timeZone: "Europe/Paris" } });
  expect(answers?.again).toEqual(answers?.context);
});

test("outside a job every question reads the row", async () => {
  await questions(SHOP);
  expect(shopsRead()).toEqual([SHOP, SHOP, SHOP, SHOP]);
});

test("another shop's questions inside a job read their own rows", async () => {
  await withShopSnapshot(SHOP, async () => {
    await questions(SHOP);
    expect((await shopContext(OTHER)).currency).toBe("USD");
    expect((await shopContext(OTHER)).currency).toBe("USD");
  });
  expect(shopsRead()).toEqual([SHOP, OTHER, OTHER]);
});

test("once the job writes to its shop, every read after is fresh", async () => {
  await withShopSnapshot(SHOP, async () => {
    expect(await reauthRequired(SHOP)).toBeNull();
    await markReauthRequired(SHOP, "REFRESH_REFUSED: test", new Date("2026-11-02T15:00:00Z"));
    expect(await reauthRequired(SHOP)).toMatchObject({ reason: "REFRESH_REFUSED: test" });
    // Written inside a transaction: seen once it commits, though the job read the row in between.
    await prisma.$transaction(async (tx) => {
      await markUninstalled(tx, SHOP, new Date("2026-11-02T16:00:00Z"));
      expect(await isUninstalled(prisma, SHOP)).toBe(false);
    });
    expect(await isUninstalled(prisma, SHOP)).toBe(true);
  });
  expect(shopsRead()).toEqual([SHOP, SHOP, SHOP, SHOP]);
});

test("a read inside a transaction goes to the transaction, not the snapshot", async () => {
  await withShopSnapshot(SHOP, async () => {
    expect(await isUninstalled(prisma, SHOP)).toBe(false);
    await prisma.$transaction(async (tx) => {
      await tx.shop.update({ where: { shop: SHOP }, data: { installState: "UNINSTALLED" } });
      expect(await isUninstalled(tx, SHOP)).toBe(true);
      expect((await shopContext(SHOP, tx)).installed).toBe(false);
    });
  });
});

test("a failed read is not kept: the next question reads again", async () => {
  await withShopSnapshot(SHOP, async () => {
    reads.mockRejectedValueOnce(new Error("connection reset"));
    await expect(shopContext(SHOP)).rejects.toThrow("connection reset");
    expect((await shopContext(SHOP)).currency).toBe("EUR");
  });
});
