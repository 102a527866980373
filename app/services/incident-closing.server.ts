/**
 * Closing incidents (docs/decisions/0110-closing-incidents.md): an incident closes once its
 * failure is over (failureState: shipped, delivered; refunds, cancellations and manual reports at
 * once) and its recovery is settled (decided, and no offer still waiting, being issued or failed).
 * Closing frees the (order, type) slot, so a new failure of that type later is a new incident.
 */
import { Prisma } from "@prisma/client";
import { prisma, type Tx } from "../db.server";
import { failureState, ONE_OFF_TYPES, UNSETTLED_OFFER_STATUSES, type OrderFacts } from "../recovery";

/** Record, on the order's open incidents, that their failure is over (once, with the reason). One-off types need no record. */
export async function markFailuresEnded(tx: Tx, shop: string, facts: OrderFacts, now: Date): Promise<number> {
  const open = await tx.incident.findMany({
    where: { shop, orderGid: facts.id, state: "OPEN", failureEndedAt: null, type: { notIn: [...ONE_OFF_TYPES] } },
    select: { id: true, type: true },
  });
  let ended = 0;
  for (const incident of open) {
    const state = failureState(incident.type, facts);
    if (!state.over) continue;
    await tx.incident.update({ where: { id: incident.id }, data: { failureEndedAt: now } });
    await tx.incidentEvent.create({
      data: { shop, incidentId: incident.id, kind: "FAILURE_ENDED", at: now, data: { reason: state.reason } },
    });
    ended += 1;
  }
  return ended;
}

export interface CloseScope {
  incidentId?: string;
  orderGid?: string;
  /**
   * A staff member closing one incident from its page (decision 0121): the recovery must still be
   * settled, but the failure need not be over (the customer said all is well); the CLOSED entry
   * names who closed it.
   */
  byHand?: { incidentId: string; actor: string };
}

/**
 * Close the shop's settled incidents (all of them, or one incident's / one order's); returns the
 * ids closed. One statement, so it is safe to call from anywhere, any number of times.
 */
export async function closeSettledIncidents(
  shop: string,
  now: Date,
  scope: CloseScope = {},
  db: Tx = prisma,
): Promise<string[]> {
  const incidentId = scope.byHand?.incidentId ?? scope.incidentId;
  const byIncident = incidentId ? Prisma.sql`AND i.id = ${incidentId}::uuid` : Prisma.empty;
  const failureOver = scope.byHand
    ? Prisma.empty
    : Prisma.sql`AND (i."failureEndedAt" IS NOT NULL OR i.type::text = ANY(${[...ONE_OFF_TYPES]}::text[]))`;
  const byOrder = scope.orderGid ? Prisma.sql`AND i."orderGid" = ${scope.orderGid}` : Prisma.empty;
  const closed = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE "Incident" AS i
    SET state = 'CLOSED', "openSlot" = NULL, "closedAt" = ${now}, "updatedAt" = ${now}
    WHERE i.shop = ${shop} AND i.state = 'OPEN' AND i.decision IS NOT NULL
      ${byIncident} ${byOrder} ${failureOver}
      AND NOT EXISTS (
        SELECT 1 FROM "Offer" AS o
        WHERE o.shop = ${shop} AND o."incidentId" = i.id AND o.status::text = ANY(${[...UNSETTLED_OFFER_STATUSES]}::text[])
      )
    RETURNING i.id::text AS id`;
  if (closed.length > 0) {
    await db.incidentEvent.createMany({
      data: closed.map(({ id }) => ({
        shop,
        incidentId: id,
        kind: "CLOSED",
        at: now,
        data: scope.byHand ? { byHand: true } : {},
        ...(scope.byHand ? { actor: scope.byHand.actor } : {}),
      })),
    });
  }
  return closed.map((c) => c.id);
}
