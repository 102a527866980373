/**
 * Mandatory privacy webhooks, driven by the personal-data inventory (privacy/inventory.ts):
 * customers/data_request exports the customer's rows of every exported model, customers/redact
 * writes each personal column's erasure into them (or deletes them), shop/redact deletes a shop's
 * rows in short batches (privacy/shop-redaction.server.ts). docs/decisions/0018-privacy-requests.md.
 */
import { Prisma } from "@prisma/client";
import type { Tx } from "../db.server";
import { erasureOf, exportedModels, rowKeyErasures, type CustomerScopeSet } from "./privacy/inventory";

export interface CustomerRef {
  shop: string;
  customerGid: string;
  orderGids: string[];
}

/** How long a data request's export waits for a staff member to download it. */
export const EXPORT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** The rows that are about the customer: their orders (linked or named), incidents and offers. */
interface CustomerScope {
  shop: string;
  customerGid: string;
  orderGids: string[];
  incidentIds: string[];
  offerIds: string[];
}

async function customerScope(tx: Tx, ref: CustomerRef): Promise<CustomerScope> {
  const orders = await tx.orderRecord.findMany({
    where: { shop: ref.shop, OR: [{ customerGid: ref.customerGid }, { orderGid: { in: ref.orderGids } }] },
    select: { orderGid: true },
  });
  const orderGids = [...new Set([...ref.orderGids, ...orders.map((o) => o.orderGid)])];
  const incidents = await tx.incident.findMany({
    where: { shop: ref.shop, OR: [{ customerGid: ref.customerGid }, { orderGid: { in: orderGids } }] },
    select: { id: true },
  });
  const incidentIds = incidents.map((i) => i.id);
  const offers = await tx.offer.findMany({
    where: { shop: ref.shop, OR: [{ customerGid: ref.customerGid }, { incidentId: { in: incidentIds } }] },
    select: { id: true },
  });
  return { shop: ref.shop, customerGid: ref.customerGid, orderGids, incidentIds, offerIds: offers.map((o) => o.id) };
}

const byOrder = (s: CustomerScope) => ({ shop: s.shop, orderGid: { in: s.orderGids } });

/** The ids of each set in the customer's scope, for an inventory CustomerLink. */
function scopeIds(s: CustomerScope, set: CustomerScopeSet): string[] {
  switch (set) {
    case "customer":
      return [s.customerGid];
    case "orders":
      return s.orderGids;
    case "incidents":
      return s.incidentIds;
    case "offers":
      return s.offerIds;
  }
}

/** Prisma's client property for a model: "OrderRecord" -> "orderRecord". */
const delegateName = (model: string) => model.charAt(0).toLowerCase() + model.slice(1);

interface ExportDelegate {
  findMany(args: { where: object; orderBy: object }): Promise<unknown[]>;
}

/**
 * The customer's rows of every model the inventory marks exported, found by the model's link, and
 * their counts. Nothing is listed here by hand: a model marked exported is in the export.
 */
async function customerExport(tx: Tx, s: CustomerScope) {
  const lists = await Promise.all(
    exportedModels().map(async ({ model, link }) => {
      const delegate = (tx as unknown as Record<string, ExportDelegate>)[delegateName(model)];
      if (!delegate) throw new Error(`The export has no Prisma model ${model}`);
      const linked = Object.entries(link.linkedBy).map(([column, set]) => ({ [column]: { in: scopeIds(s, set!) } }));
      const rows = await delegate.findMany({
        where: { shop: s.shop, OR: linked },
        orderBy: [{ [link.orderBy]: "asc" }],
      });
      return [link.as, rows] as const;
    }),
  );
  const document = {
    customerGid: s.customerGid,
    purpose: "Detecting service failures on this customer's orders and measuring whether a make-good won them back.",
    ...Object.fromEntries(lists),
  };
  const summary = Object.fromEntries(lists.map(([as, rows]) => [as, rows.length]));
  return { document: JSON.parse(JSON.stringify(document)) as Prisma.InputJsonObject, summary };
}

export interface CustomerExport {
  /** The whole export, for ComplianceRequest.export (deleted once downloaded or expired). */
  document: Prisma.InputJsonObject;
  /** Row counts per table, for ComplianceRequest.result (kept). */
  summary: Record<string, number>;
}

/** Everything Amends holds on one customer, as a JSON document for the merchant to pass on. */
export async function exportCustomerData(tx: Tx, ref: CustomerRef): Promise<CustomerExport> {
  return customerExport(tx, await customerScope(tx, ref));
}

type Erasure = Record<string, Prisma.InputJsonValue | null>;

/** What customers/redact writes in place of a unique key that held a customer's code. */
export const erasedIssueKey = (rowId: string) => `redacted-${rowId}`;

/**
 * Erase one customer's personal data: every personal column of the inventory on their rows gets
 * its erasure (null, empty, neutral text), rows that are nothing but personal data go. Ids, amounts,
 * statuses and tiers stay, so counts and metrics still add up on redacted rows.
 */
export async function redactCustomer(tx: Tx, ref: CustomerRef): Promise<Prisma.InputJsonObject> {
  const s = await customerScope(tx, ref);
  const orders = byOrder(s);
  // Prisma's update types are per model; the inventory's erasures are checked against the schema by its test.
  const erase = (model: Parameters<typeof erasureOf>[0]) => erasureOf(model) as Erasure as never;

  const deliveries = await tx.webhookDelivery.updateMany({
    where: { shop: s.shop, OR: [{ customerGid: s.customerGid }, { orderGid: { in: s.orderGids } }] },
    data: erase("WebhookDelivery"),
  });
  // Deliveries not linked to the customer (FAILED, IGNORED, not yet processed) may still hold a
  // body that names them: found by the ids the body names, whatever the status.
  const unlinkedBodies = await eraseBodiesNaming(tx, s);
  const ordersUnlinked = await tx.orderRecord.updateMany({ where: orders, data: erase("OrderRecord") });
  const refunds = await tx.refundRecord.updateMany({ where: orders, data: erase("RefundRecord") });
  const events = await tx.fulfillmentEventRecord.updateMany({ where: orders, data: erase("FulfillmentEventRecord") });
  const holds = await tx.fulfillmentHoldRecord.updateMany({ where: orders, data: erase("FulfillmentHoldRecord") });
  const incidents = await tx.incident.updateMany({
    where: { shop: s.shop, id: { in: s.incidentIds } },
    data: erase("Incident"),
  });
  // The timeline holds staff reasons and messages sent, quoting the customer: it goes.
  const incidentEvents = await tx.incidentEvent.deleteMany({
    where: { shop: s.shop, incidentId: { in: s.incidentIds } },
  });
  const offers = await tx.offer.updateMany({ where: { shop: s.shop, id: { in: s.offerIds } }, data: erase("Offer") });
  // The issue key is the code the customer holds; an offer still being issued keeps it, so a retry
  // finds what an earlier attempt created instead of creating a second make-good.
  for (const column of rowKeyErasures("Offer")) {
    // eslint-disable-next-line no-restricted-syntax -- rewrites the key only, never the status (no lifecycle move)
    await tx.$executeRaw`
      UPDATE "Offer" SET ${Prisma.raw(`"${column}"`)} = 'redacted-' || id::text
      WHERE shop = ${s.shop} AND id = ANY(${s.offerIds}::uuid[]) AND status NOT IN ('APPROVED', 'ISSUING')`;
  }
  const transitions = await tx.offerTransition.updateMany({
    where: { shop: s.shop, offerId: { in: s.offerIds } },
    data: erase("OfferTransition"),
  });
  const customerValues = await tx.customerValue.deleteMany({ where: { shop: s.shop, customerGid: s.customerGid } });
  // The customer's ratings of their recoveries are their opinion: they go (decision 0117).
  const ratings = await tx.rating.deleteMany({ where: { shop: s.shop, incidentId: { in: s.incidentIds } } });
  // A data request's export not yet downloaded is all of the above again.
  const exports = await tx.complianceRequest.updateMany({
    where: { shop: s.shop, customerGid: s.customerGid, exportExpiresAt: { not: null } },
    data: erase("ComplianceRequest"),
  });
  return {
    webhookBodiesErased: deliveries.count + unlinkedBodies,
    ordersUnlinked: ordersUnlinked.count,
    refundsRedacted: refunds.count,
    fulfillmentEventsRedacted: events.count,
    fulfillmentHoldsRedacted: holds.count,
    incidentsRedacted: incidents.count,
    incidentEventsErased: incidentEvents.count,
    offersRedacted: offers.count,
    offerTransitionsRedacted: transitions.count,
    customerValuesErased: customerValues.count,
    exportsErased: exports.count,
    ratingsErased: ratings.count,
  };
}

/** REST payloads name orders by numeric id ("order_id": 123, "id": 123) and by GID (admin_graphql_api_id). */
async function eraseBodiesNaming(tx: Tx, s: CustomerScope): Promise<number> {
  const customerId = s.customerGid.split("/").pop() ?? "";
  const gids = [s.customerGid, ...s.orderGids];
  const orderIds = s.orderGids.map((g) => g.split("/").pop() ?? "").filter((id) => /^\d+$/.test(id));
  const patterns = [
    ...gids.map((g) => `%"${g}"%`),
    ...orderIds.flatMap((id) => [`%"order_id":${id},%`, `%"order_id":${id}}%`, `%"order_id":"${id}"%`]),
    ...(/^\d+$/.test(customerId)
      ? [`%"customer":{"id":${customerId},%`, `%"customer_id":${customerId},%`, `%"customer_id":${customerId}}%`]
      : []),
  ];
  return tx.$executeRaw`
    UPDATE "WebhookDelivery" SET "rawBody" = NULL, "lastError" = NULL, "updatedAt" = now()
    WHERE shop = ${s.shop} AND ("rawBody" IS NOT NULL OR "lastError" IS NOT NULL)
      AND "rawBody" LIKE ANY (${patterns}::text[])`;
}
