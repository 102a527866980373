/**
 * The daily cron fan-out: one reconcile-shop and one refresh-shop-facts per installed shop. graphile-worker
 * cron jobs carry its own `_cron` payload and name no shop, so this task is not
 * in jobPayloads (whose payloads all name a shop for cancelShopJobs); it takes
 * no input and does nothing shop-specific itself.
 */
import type { Task } from "graphile-worker";
import { prisma } from "../../db.server";
import { logger } from "../../logger.server";
import { enqueue } from "../../queue/enqueue.server";
import { enqueueShopFactsRefresh } from "../refresh-shop-facts.server";

export const RECONCILE_ALL_SHOPS = "reconcile-all-shops";
/** 04:00 UTC daily: after the night in the Americas, before the European morning. */
export const RECONCILE_CRON = "0 4 * * *";

export async function fanOutReconcile(): Promise<number> {
  // A shop that must re-authenticate is swept once its access is back (services/install.server.ts).
  const shops = await prisma.shop.findMany({
    where: { installState: "INSTALLED", reauthRequiredAt: null },
    select: { shop: true },
  });
  await prisma.$transaction(async (tx) => {
    for (const { shop } of shops) {
      // One pending sweep per shop: a second fan-out before it ran does not queue another.
      await enqueue(
        tx,
        "reconcile-shop",
        { v: 1, shop },
        { jobKey: `reconcile:${shop}`, jobKeyMode: "preserve_run_at" },
      );
      // The customer-accounts version can change any day (store credit depends on it).
      await enqueueShopFactsRefresh(tx, shop);
    }
  });
  return shops.length;
}

export const reconcileAllShops: Task = async () => {
  const count = await fanOutReconcile();
  logger.info({ job: RECONCILE_ALL_SHOPS, shops: count }, "daily reconcile fanned out");
};
