/**
 * The digest's cron fan-out (decision 0118): one weekly-digest job per installed shop. It runs
 * daily at 12:00 UTC, which is a Monday in every inhabited time zone on Mondays (UTC-11 to UTC+14),
 * so each shop's week has just ended when its job runs; the other days' runs find the week's
 * digest stored and sent, and only catch up a Monday that was missed. Like reconcile-all-shops it
 * takes graphile-worker's `_cron` payload and names no shop, so it is not in jobPayloads.
 */
import type { Task } from "graphile-worker";
import { prisma } from "../../db.server";
import { logger } from "../../logger.server";
import { enqueue } from "../../queue/enqueue.server";

export const WEEKLY_DIGEST_ALL_SHOPS = "weekly-digest-all-shops";
export const WEEKLY_DIGEST_CRON = "0 12 * * *";

export async function fanOutWeeklyDigest(): Promise<number> {
  const shops = await prisma.shop.findMany({
    where: { installState: "INSTALLED", reauthRequiredAt: null },
    select: { shop: true },
  });
  await prisma.$transaction(async (tx) => {
    for (const { shop } of shops)
      // One pending digest job per shop: a second fan-out before it ran does not queue another.
      await enqueue(tx, "weekly-digest", { v: 1, shop }, { jobKey: `digest:${shop}`, jobKeyMode: "preserve_run_at" });
  });
  return shops.length;
}

export const weeklyDigestAllShops: Task = async () => {
  const count = await fanOutWeeklyDigest();
  logger.info({ job: WEEKLY_DIGEST_ALL_SHOPS, shops: count }, "weekly digest fanned out");
};
