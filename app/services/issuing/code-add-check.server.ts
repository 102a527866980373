/**
 * The check-code-add job's work (decision 0029): read back one asynchronous code add of a group's
 * discount (code-batches.server.ts) and record each of its offers, which stayed ISSUING since their
 * issue jobs ended.
 *
 * - Not done yet: the same check again, at the next wait of BULK_ADD_POLL_MS.
 * - Done: each code added makes its offer ISSUED; a code Shopify refused makes it FAILED with the
 *   reason, except TAKEN (an earlier attempt's add of the same code got there first), which is looked
 *   up and adopted.
 * - Still not done after the last read, or the job's last attempt failed: each offer goes back to
 *   APPROVED with an issue job, whose attempt looks the code up before adding it again.
 *
 * An offer is recorded only while it is ISSUING under the attempt that sent the code: one taken
 * over after its lease, or settled otherwise, is left alone.
 */
import { clock } from "../../clock.server";
import { prisma } from "../../db.server";
import { shopContext, type ShopContext } from "../../models/shop-settings.server";
import { backgroundAdmin } from "../../shopify/admin.server";
import { mayHaveMade } from "../../shopify/admin-errors";
import { describeError, recordIssued, settleClaim } from "../issuing.server";
import {
  BULK_ADD_POLL_MS,
  CodeAddPendingError,
  enqueueCodeAddCheck,
  readCodeAdd,
  type CodeAddCheck,
} from "./code-batches.server";
import { findGroupedCode } from "./discount-groups.server";
import { groupedCodeMade, type OfferWithIncident } from "./make-goods.server";

/** After a code add is given up, its offers are issued again this much later (app time). */
export const REISSUE_AFTER_GIVING_UP_MS = 30_000;

export type CodeAddCheckResult =
  | { outcome: "NOTHING_TO_RECORD" }
  | { outcome: "NOT_DONE"; nextPoll: number }
  | { outcome: "GIVEN_UP"; offers: number }
  | { outcome: "RECORDED"; issued: number; failed: number };

/** The check's offers still ISSUING under the attempt that sent their codes. */
async function waitingOffers(check: CodeAddCheck): Promise<OfferWithIncident[]> {
  const rows = await prisma.offer.findMany({
    where: { shop: check.shop, id: { in: check.offers.map((o) => o.offerId) }, status: "ISSUING" },
    include: { incident: true },
  });
  const attemptOf = new Map(check.offers.map((o) => [o.offerId, o.attempt]));
  return rows.filter((o) => attemptOf.get(o.id) === o.attempts);
}

export async function checkCodeAdd(check: CodeAddCheck): Promise<CodeAddCheckResult> {
  const offers = await waitingOffers(check);
  if (offers.length === 0) return { outcome: "NOTHING_TO_RECORD" };
  const admin = await backgroundAdmin(check.shop);
  const outcomes = await readCodeAdd(
    admin,
    check.bulkCreationGid,
    offers.map((o) => o.issueKey),
  );
  if (!outcomes) {
    const nextPoll = check.poll + 1;
    if (nextPoll < BULK_ADD_POLL_MS.length) {
      await enqueueCodeAddCheck({ ...check, poll: nextPoll });
      return { outcome: "NOT_DONE", nextPoll };
    }
    await giveUp(offers, await shopContext(check.shop));
    return { outcome: "GIVEN_UP", offers: offers.length };
  }
  // Only once there is something to record: a read that finds Shopify still at it needs no settings.
  const ctx = await shopContext(check.shop);
  let issued = 0;
  let failed = 0;
  for (const offer of offers) {
    const outcome = outcomes.get(offer.issueKey) ?? { kind: "ADDED" as const };
    if (outcome.kind === "ADDED") {
      await recordIssued(
        offer,
        groupedCodeMade({ discountGid: check.discountGid, code: offer.issueKey, adopted: false }),
        ctx,
      );
      issued++;
      continue;
    }
    // TAKEN: the code exists (an earlier attempt's add); anything else is Shopify's refusal.
    const existing = mayHaveMade(outcome.error) ? await findGroupedCode(admin, offer) : null;
    if (existing) {
      await recordIssued(offer, groupedCodeMade(existing), ctx);
      issued++;
    } else {
      await settleClaim(offer, ctx, "FAILED", describeError(outcome.error));
      failed++;
    }
  }
  return { outcome: "RECORDED", issued, failed };
}

/** Each offer back to APPROVED, with an issue job that looks its code up before adding it again. */
async function giveUp(offers: OfferWithIncident[], ctx: ShopContext): Promise<void> {
  const reissueAt = new Date(clock().now().getTime() + REISSUE_AFTER_GIVING_UP_MS);
  for (const offer of offers)
    await settleClaim(offer, ctx, "APPROVED", new CodeAddPendingError(offer.issueKey).message, { reissueAt });
}

/** The job's last attempt failed (Shopify unreachable for hours, say): the offers are issued again. */
export async function giveUpCodeAdd(check: CodeAddCheck): Promise<void> {
  const offers = await waitingOffers(check);
  if (offers.length === 0) return;
  await giveUp(offers, await shopContext(check.shop));
}
