/**
 * Mandatory privacy webhooks. Amends keeps ids (customer and order GIDs) and typed
 * facts; raw webhook bodies, which can hold personal data, are dropped once processed
 * and kept at most a bounded time for a FAILED delivery (docs/decisions/0015). Those
 * are what we export and erase. Later features add their tables here.
 */
import type { Prisma } from "@prisma/client";
import type { Tx } from "../db.server";

export interface CustomerRef {
  shop: string;
  customerGid: string;
  orderGids: string[];
}

function customerDeliveries(ref: CustomerRef): Prisma.WebhookDeliveryWhereInput {
  return {
    shop: ref.shop,
    OR: [{ customerGid: ref.customerGid }, { orderGid: { in: ref.orderGids } }],
  };
}

function customerIncidents(ref: CustomerRef): Prisma.IncidentWhereInput {
  return { shop: ref.shop, OR: [{ customerGid: ref.customerGid }, { orderGid: { in: ref.orderGids } }] };
}

function customerOrders(ref: CustomerRef): Prisma.OrderRecordWhereInput {
  return { shop: ref.shop, OR: [{ customerGid: ref.customerGid }, { orderGid: { in: ref.orderGids } }] };
}

/** Everything Amends holds on one customer, as a JSON document for the merchant to pass on. */
export async function exportCustomerData(tx: Tx, ref: CustomerRef): Promise<Prisma.InputJsonObject> {
  const orders = await tx.orderRecord.findMany({ where: customerOrders(ref), orderBy: { createdAt: "asc" } });
  const orderGids = [...new Set([...ref.orderGids, ...orders.map((o) => o.orderGid)])];
  const [refunds, fulfillments, events, deliveries, incidents, customerValue] = await Promise.all([
    tx.refundRecord.findMany({ where: { shop: ref.shop, orderGid: { in: orderGids } } }),
    tx.fulfillmentRecord.findMany({ where: { shop: ref.shop, orderGid: { in: orderGids } } }),
    tx.fulfillmentEventRecord.findMany({ where: { shop: ref.shop, orderGid: { in: orderGids } } }),
    tx.webhookDelivery.findMany({
      where: customerDeliveries({ ...ref, orderGids }),
      select: { topic: true, webhookId: true, receivedAt: true, status: true },
    }),
    tx.incident.findMany({
      where: customerIncidents({ ...ref, orderGids }),
      include: { events: { orderBy: { at: "asc" } } },
      orderBy: { detectedAt: "asc" },
    }),
    tx.customerValue.findUnique({ where: { shop_customerGid: { shop: ref.shop, customerGid: ref.customerGid } } }),
  ]);
  const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
  return {
    customerGid: ref.customerGid,
    purpose: "Detecting service failures on this customer's orders and measuring whether a make-good won them back.",
    orders: json(orders),
    refunds: json(refunds),
    fulfillments: json(fulfillments),
    fulfillmentEvents: json(events),
    webhookDeliveries: json(deliveries),
    incidents: json(incidents),
    customerValue: json(customerValue),
  };
}

/** Erase one customer's personal data: unlink their orders and blank the webhook bodies about them. */
export async function redactCustomer(tx: Tx, ref: CustomerRef): Promise<Prisma.InputJsonObject> {
  const orders = await tx.orderRecord.findMany({ where: customerOrders(ref), select: { orderGid: true } });
  const orderGids = [...new Set([...ref.orderGids, ...orders.map((o) => o.orderGid)])];
  const deliveries = await tx.webhookDelivery.updateMany({
    where: customerDeliveries({ ...ref, orderGids }),
    data: { rawBody: null, customerGid: null },
  });
  // A delivery that failed (or is still waiting) was never linked to its customer or order, and may
  // still hold its body: find those by the ids the body names.
  const unlinkedBodies = await eraseUnlinkedBodies(tx, ref.shop, ref.customerGid, orderGids);
  const unlinked = await tx.orderRecord.updateMany({
    where: { shop: ref.shop, orderGid: { in: orderGids } },
    data: { customerGid: null, tags: [] },
  });
  // Free text written by the merchant or the carrier about these orders may name the person.
  const orderText = { shop: ref.shop, orderGid: { in: orderGids } };
  const notes =
    (await tx.refundRecord.updateMany({ where: { ...orderText, note: { not: null } }, data: { note: null } })).count +
    (
      await tx.fulfillmentEventRecord.updateMany({
        where: { ...orderText, message: { not: null } },
        data: { message: null },
      })
    ).count +
    (
      await tx.fulfillmentHoldRecord.updateMany({
        where: { ...orderText, reasonNotes: { not: null } },
        data: { reasonNotes: null },
      })
    ).count;
  // Incidents stay (counts and metrics need them) but lose the link to the person and the evidence
  // that may quote them (refund notes, carrier messages); their timeline events go with the evidence.
  const incidents = await tx.incident.findMany({
    where: customerIncidents({ ...ref, orderGids }),
    select: { id: true },
  });
  const incidentIds = incidents.map((i) => i.id);
  const redactedIncidents = await tx.incident.updateMany({
    where: { shop: ref.shop, id: { in: incidentIds } },
    data: { customerGid: null, evidence: { redacted: true }, summary: null },
  });
  const incidentEvents = await tx.incidentEvent.deleteMany({
    where: { shop: ref.shop, incidentId: { in: incidentIds } },
  });
  const customerValues = await tx.customerValue.deleteMany({ where: { shop: ref.shop, customerGid: ref.customerGid } });
  return {
    webhookBodiesErased: deliveries.count + unlinkedBodies,
    ordersUnlinked: unlinked.count,
    notesErased: notes,
    incidentsRedacted: redactedIncidents.count,
    incidentEventsErased: incidentEvents.count,
    customerValuesErased: customerValues.count,
    orderGids,
  };
}

/** Erase everything Amends holds for a shop (48 h after uninstall). The compliance record itself stays. */
export async function redactShop(tx: Tx, shop: string, keepDeliveryId: string): Promise<Prisma.InputJsonObject> {
  const where = { shop };
  const counts = {
    sessions: (await tx.session.deleteMany({ where })).count,
    orders: (await tx.orderRecord.deleteMany({ where })).count,
    refunds: (await tx.refundRecord.deleteMany({ where })).count,
    fulfillments: (await tx.fulfillmentRecord.deleteMany({ where })).count,
    fulfillmentEvents: (await tx.fulfillmentEventRecord.deleteMany({ where })).count,
    fulfillmentHolds: (await tx.fulfillmentHoldRecord.deleteMany({ where })).count,
    // Events cascade with their incident; deleted first anyway so the count is reported.
    incidentEvents: (await tx.incidentEvent.deleteMany({ where })).count,
    // Offers and their trails cascade with their incident.
    incidents: (await tx.incident.deleteMany({ where })).count,
    discountGroups: (await tx.discountGroup.deleteMany({ where })).count,
    gridVersions: (await tx.gridVersion.deleteMany({ where })).count,
    budgetMonths: (await tx.budgetMonth.deleteMany({ where })).count,
    flowTriggers: (await tx.flowTriggerUsage.deleteMany({ where })).count,
    flowActionRuns: (await tx.flowActionRun.deleteMany({ where })).count,
    customerValues: (await tx.customerValue.deleteMany({ where })).count,
    webhookDeliveries: (await tx.webhookDelivery.deleteMany({ where: { shop, id: { not: keepDeliveryId } } })).count,
    shop: (await tx.shop.deleteMany({ where })).count,
  };
  return counts;
}

/** REST payloads name orders by numeric id ("order_id": 123, "id": 123) and by GID (admin_graphql_api_id). */
async function eraseUnlinkedBodies(tx: Tx, shop: string, customerGid: string, orderGids: string[]): Promise<number> {
  const gids = [customerGid, ...orderGids];
  const orderIds = orderGids.map((g) => g.split("/").pop() ?? "").filter((id) => /^\d+$/.test(id));
  const patterns = [
    ...gids.map((g) => `%"${g}"%`),
    ...orderIds.flatMap((id) => [`%"order_id":${id},%`, `%"order_id":${id}}%`, `%"order_id":"${id}"%`]),
  ];
  return tx.$executeRaw`
    UPDATE "WebhookDelivery" SET "rawBody" = NULL, "updatedAt" = now()
    WHERE shop = ${shop} AND "rawBody" IS NOT NULL AND status IN ('FAILED', 'RECEIVED')
      AND "rawBody" LIKE ANY (${patterns}::text[])`;
}
