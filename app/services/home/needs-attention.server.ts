/**
 * The app home's "Needs attention" card (issue 17 item 1, decision 0120): what someone has to do
 * today, whatever the dashboard's date range. Counts and one aggregate each, on indexed columns,
 * scoped by shop; only the few failed make-goods the card offers a Retry for are read as rows.
 */
import { countDueFollowUps, pendingOffersSummary } from "../../models/approval-queue.server";
import { reauthRequired } from "../../models/shop.server";
import type { ShopContext } from "../../models/shop-settings.server";
import { endOfLocalDay, localDate } from "../../recovery";
import { failedMakeGoods, type FailedMakeGoods } from "../approval-queue/rows.server";
import { countLowRatingsWaiting } from "../ratings/ratings.server";

/** Failed make-goods listed on the card with a Retry; the rest are counted and wait in Approvals. */
export const FAILED_ON_HOME = 3;

export interface NeedsAttention {
  /** The app's clock: ages on the card are measured from it. */
  now: string;
  /** Offers waiting for a staff decision, and the oldest one's failure against the same-day goal. */
  waiting: {
    count: number;
    oldest: { occurredAt: string; sameDayDeadline: string; pastSameDayGoal: boolean } | null;
  };
  /** Follow-ups due after a make-good, and low ratings no one has followed up (both in Approvals). */
  followUps: { due: number; lowRatings: number };
  /** Make-goods that failed to issue: the newest few with a Retry, and how many there are in all. */
  failed: FailedMakeGoods;
  /** Shopify would not renew Amends's background access (decision 0013): background work has stopped. */
  reauth: { since: string; reason: string } | null;
  /** Nothing above needs anyone: the card says so in one line. */
  clear: boolean;
}

export async function needsAttention(ctx: ShopContext, now: Date): Promise<NeedsAttention> {
  const { shop, timeZone } = ctx;
  const [waiting, due, lowRatings, failed, reauth] = await Promise.all([
    pendingOffersSummary(shop),
    countDueFollowUps(shop),
    countLowRatingsWaiting(shop),
    failedMakeGoods(ctx, FAILED_ON_HOME),
    reauthRequired(shop),
  ]);
  const oldest = waiting.oldestOccurredAt;
  // The same-day goal of Approvals (decision 0099 §8): the end of the failure's day in the shop's time zone.
  const deadline = oldest ? endOfLocalDay(localDate(oldest, timeZone), timeZone) : null;
  return {
    now: now.toISOString(),
    waiting: {
      count: waiting.count,
      oldest:
        oldest && deadline
          ? {
              occurredAt: oldest.toISOString(),
              sameDayDeadline: deadline.toISOString(),
              pastSameDayGoal: now.getTime() >= deadline.getTime(),
            }
          : null,
    },
    followUps: { due, lowRatings },
    failed,
    reauth: reauth ? { since: reauth.at.toISOString(), reason: reauth.reason } : null,
    clear: waiting.count === 0 && due === 0 && lowRatings === 0 && failed.total === 0 && reauth === null,
  };
}
