/**
 * Discount code offers under shared group discounts (Built for Shopify 5.5.3; design in
 * docs/decisions/0109-discount-groups.md and app/shopify/operations/README.md).
 *
 * 1. Assign the offer to a group slot (database): same value and expiry week, the customer has no
 *    code there yet (a customer redeems a discount once), fewer than DISCOUNT_GROUP_CAPACITY members.
 * 2. The slot's first offer creates the Shopify discount with its own code and customer, under the
 *    slot's row lock, so two first offers never make two discounts.
 * 3. Every later offer adds its customer to the discount's context (repeatable), then its code
 *    (discountRedeemCodeBulkAdd, asynchronous), so a code never exists before its customer may use
 *    it; offers issued together for one discount share those calls (code-batches.server.ts,
 *    decision 0024). The attempt ends there, its offer ISSUING: a check-code-add job reads the add
 *    back and records the offer (code-add-check.server.ts, decision 0029).
 *
 * Exactly once rests on the code: it is the offer's issue key, unique in the shop. An earlier
 * attempt's code is looked up first and adopted; a lost answer is looked up again; a code added
 * twice is refused by Shopify as TAKEN, and then looked up.
 */
import type { DiscountGroup, Incident, Offer } from "@prisma/client";
import { clock, sleep } from "../../clock.server";
import { prisma, withSessionLock } from "../../db.server";
import {
  DISCOUNT_GROUP_CAPACITY,
  discountGroupFor,
  fromMinorUnits,
  discountGroupTitle,
  type DiscountGroupSpec,
  type GridCell,
} from "../../recovery";
import type { AdminClient } from "../../shopify/admin-client.server";
import { mayHaveMade, UserErrorsError } from "../../shopify/admin-errors";

import { codeDiscountNodeByCode } from "../../shopify/operations/code-discount-node-by-code";
import { discountCodeBasicCreate } from "../../shopify/operations/discount-code-basic-create";
import { addCodeInBatch, BULK_ADD_POLL_MS } from "./code-batches.server";

type DiscountCell = Extract<GridCell, { kind: "DISCOUNT_PERCENT" | "DISCOUNT_FIXED" }>;

export interface GroupedCode {
  /** The Shopify discount the code belongs to (shared by the group). */
  discountGid: string;
  code: string;
  adopted: boolean;
}

/** The code add Shopify accepted and runs asynchronously; a check-code-add job records the offer. */
export interface CodeSubmitted {
  submitted: { discountGid: string; bulkCreationGid: string };
}

export function groupSpecFor(
  offer: Pick<Offer, "faceValueMinor" | "currency" | "expiresAt">,
  cell: DiscountCell,
  timeZone: string,
): DiscountGroupSpec {
  const value =
    cell.kind === "DISCOUNT_PERCENT"
      ? { kind: "PERCENT" as const, percent: cell.value }
      : { kind: "AMOUNT" as const, amountMinor: offer.faceValueMinor, currency: offer.currency };
  return discountGroupFor(value, offer.expiresAt, timeZone);
}

async function findCode(admin: AdminClient, code: string): Promise<string | null> {
  const { codeDiscountNodeByCode: node } = await admin.run(codeDiscountNodeByCode, { code });
  return node?.id ?? null;
}

/** The code an earlier attempt made for the offer, if Shopify has it (adopted as its slot's discount). */
export async function findGroupedCode(
  admin: AdminClient,
  offer: Pick<Offer, "issueKey" | "discountGroupId">,
): Promise<GroupedCode | null> {
  const found = await findCode(admin, offer.issueKey);
  if (!found) return null;
  await adoptAsParent(offer.discountGroupId, found);
  return { discountGid: found, code: offer.issueKey, adopted: true };
}

/** Issue the offer's code under its group's discount; see the module comment. */
export async function issueGroupedCode(
  admin: AdminClient,
  offer: Offer & { incident: Incident },
  cell: DiscountCell,
  customerGid: string,
  timeZone: string,
): Promise<GroupedCode | CodeSubmitted> {
  const code = offer.issueKey;
  if (offer.attempts > 1) {
    const found = await findGroupedCode(admin, offer);
    if (found) return found;
  }
  const spec = groupSpecFor(offer, cell, timeZone);
  const group = await assignGroup(offer, customerGid, spec);
  const parent = group.discountGid
    ? { discountGid: group.discountGid, withThisCode: false, adopted: false }
    : await createParent(admin, group, offer, cell, customerGid);
  if (parent.withThisCode) return { discountGid: parent.discountGid, code, adopted: parent.adopted };

  const added = await addCodeInBatch(admin, offer.shop, parent.discountGid, customerGid, code, {
    offerId: offer.id,
    attempt: offer.attempts,
  });
  switch (added.kind) {
    case "SUBMITTED":
      return { submitted: { discountGid: parent.discountGid, bulkCreationGid: added.bulkCreationGid } };
    case "CUSTOMERS_FAILED":
      // The discount itself is refused (a merchant deleted it in Shopify): retire the slot so the
      // offer's retry opens a fresh one, and fail this attempt visibly.
      if (added.error instanceof UserErrorsError && added.error.userErrors.some((e) => e.field?.[0] === "id"))
        await retireGroup(group.id, offer);
      throw added.error;
    case "CODES_FAILED": {
      if (!mayHaveMade(added.error)) throw added.error;
      // A lost answer leaves no job id to poll; the code exists once Shopify's job has run, so look
      // for it on the same schedule before giving the attempt up (TAKEN: it already exists).
      const found = await awaitCode(admin, code);
      if (found) return { discountGid: found, code, adopted: true };
      throw added.error;
    }
  }
}

/**
 * The offer's slot (kept on the offer, so a retry reuses it). Assignments for one group key are
 * serialised with a transaction-scoped advisory lock; the unique (shop, key, slot) backs it up.
 */
async function assignGroup(offer: Offer, customerGid: string, spec: DiscountGroupSpec): Promise<DiscountGroup> {
  return prisma.$transaction(async (tx) => {
    if (offer.discountGroupId) {
      const current = await tx.discountGroup.findFirst({
        where: { id: offer.discountGroupId, shop: offer.shop, retiredAt: null },
      });
      if (current) return current;
    }
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`discount-group:${offer.shop}:${spec.key}`}))::text AS locked`;
    const slots = await tx.discountGroup.findMany({
      where: { shop: offer.shop, groupKey: spec.key },
      orderBy: { slot: "asc" },
    });
    const withCustomer = await tx.offer.findMany({
      where: { shop: offer.shop, customerGid, discountGroupId: { in: slots.map((s) => s.id) }, id: { not: offer.id } },
      select: { discountGroupId: true },
    });
    const taken = new Set(withCustomer.map((o) => o.discountGroupId));
    const open = slots.find((s) => s.retiredAt === null && s.members < DISCOUNT_GROUP_CAPACITY && !taken.has(s.id));
    const slot =
      open ??
      (await tx.discountGroup.create({
        data: {
          shop: offer.shop,
          groupKey: spec.key,
          slot: (slots.at(-1)?.slot ?? 0) + 1,
          title: discountGroupTitle(spec, (slots.at(-1)?.slot ?? 0) + 1),
          endsAt: spec.endsAt,
        },
      }));
    const updated = await tx.discountGroup.update({ where: { id: slot.id }, data: { members: { increment: 1 } } });
    // updatedAt stays the claim's time on the app clock (the issue lease runs from it); Prisma's
    // @updatedAt would stamp the machine's time, and a claim on a clock behind it never went stale.
    await tx.offer.update({ where: { id: offer.id }, data: { discountGroupId: slot.id, updatedAt: offer.updatedAt } });
    return updated;
  });
}

/**
 * Create the slot's Shopify discount with this offer's code and customer, holding a lock on the
 * slot so a concurrent first offer waits and then joins the discount instead of making another.
 * The lock is a session advisory lock on a connection of its own, not a transaction: a transaction
 * held across the Admin API call (and its throttle waits) could time out after Shopify made the
 * discount, roll back, and let the next offer make a second one. A crash after Shopify made it
 * leaves the slot without a discount (the lock dies with the connection): the offer's retry finds
 * its code and adopts the discount as the slot's (adoptAsParent); if another offer gets there first
 * it makes a new one, and the orphan still serves the crashed offer's customer.
 */
async function createParent(
  admin: AdminClient,
  group: DiscountGroup,
  offer: Offer,
  cell: DiscountCell,
  customerGid: string,
) {
  return withSessionLock(`discount-slot ${group.id}`, async () => {
    const row = await prisma.discountGroup.findUnique({ where: { id: group.id }, select: { discountGid: true } });
    if (row?.discountGid) return { discountGid: row.discountGid, withThisCode: false, adopted: false };
    let discountGid: string;
    let adopted = false;
    try {
      const { discountCodeBasicCreate: made } = await admin.run(discountCodeBasicCreate, {
        title: group.title,
        code: offer.issueKey,
        startsAt: clock().now(),
        endsAt: group.endsAt,
        customerIds: [customerGid],
        value:
          cell.kind === "DISCOUNT_PERCENT"
            ? { percentage: cell.value / 100 }
            : { amount: fromMinorUnits(offer.faceValueMinor, offer.currency) },
        // The limit counts every code of the discount together; each customer redeems it once instead.
        usageLimit: null,
        appliesOncePerCustomer: true,
      });
      discountGid = made.codeDiscountNode.id;
    } catch (error) {
      if (!mayHaveMade(error)) throw error;
      const found = await findCode(admin, offer.issueKey);
      if (!found) throw error;
      discountGid = found;
      adopted = true;
    }
    await prisma.discountGroup.updateMany({ where: { id: group.id, discountGid: null }, data: { discountGid } });
    return { discountGid, withThisCode: true, adopted };
  });
}

/** An earlier attempt made the slot's discount but crashed before recording it: the slot adopts it. */
async function adoptAsParent(groupId: string | null, discountGid: string): Promise<void> {
  if (!groupId) return;
  await prisma.discountGroup.updateMany({ where: { id: groupId, discountGid: null }, data: { discountGid } });
}

async function retireGroup(groupId: string, offer: Offer): Promise<void> {
  await prisma.$transaction([
    prisma.discountGroup.update({ where: { id: groupId }, data: { retiredAt: clock().now() } }),
    prisma.offer.update({ where: { id: offer.id }, data: { discountGroupId: null, updatedAt: offer.updatedAt } }),
  ]);
}

/**
 * Look the code up until it exists or the polls run out (null). Only after a lost answer to the code
 * add: there is no job to read back, and this attempt waits (rare; the usual path does not).
 */
async function awaitCode(admin: AdminClient, code: string): Promise<string | null> {
  for (const wait of BULK_ADD_POLL_MS) {
    await sleep(wait);
    const found = await findCode(admin, code);
    if (found) return found;
  }
  return null;
}
