/**
 * The facts a lifecycle stage is classified from (decision 0115), read for one incident:
 * - the customer's order count: Shopify's numberOfOrders from the customer-value read the tier
 *   already makes (no second call);
 * - when the incident's order was placed, and the customer's latest earlier order, from the
 *   orders Amends recorded (OrderRecord, kept by the orders webhooks since install). The Admin API
 *   would not see further back: without read_all_orders it shows only the last 60 days of orders.
 * - what Amends has seen: every order since the shop installed Amends. An earlier order it has not
 *   recorded was placed before that, which is all a lapse can be judged on (classifyLifecycle).
 * Scoped by shop; test orders are not part of a customer's history.
 */
import { prisma, type Tx } from "../db.server";
import {
  classifyLifecycle,
  type LifecycleAssessment,
  type LifecycleFacts,
  type LifecycleSettings,
} from "../recovery";

export interface LifecycleRead {
  assessment: LifecycleAssessment;
  settings: LifecycleSettings;
}

export async function lifecycleFacts(
  shop: string,
  incident: { orderGid: string; customerGid: string | null; occurredAt: Date },
  customer: { numberOfOrders: number } | null,
  db: Tx = prisma,
): Promise<LifecycleFacts> {
  const order = await db.orderRecord.findUnique({
    where: { uniqueShopOrder: { shop, orderGid: incident.orderGid } },
    select: { createdAt: true },
  });
  const orderAt = order?.createdAt ?? incident.occurredAt;
  if (!customer || !incident.customerGid)
    return { guest: true, numberOfOrders: 0, orderAt, previousOrderAt: null, seenSince: null };
  const previous = await db.orderRecord.findFirst({
    where: {
      shop,
      customerGid: incident.customerGid,
      test: false,
      createdAt: { lt: orderAt },
      orderGid: { not: incident.orderGid },
    },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const installed = await db.shop.findUnique({ where: { shop }, select: { installedAt: true } });
  return {
    guest: false,
    numberOfOrders: customer.numberOfOrders,
    orderAt,
    previousOrderAt: previous?.createdAt ?? null,
    seenSince: installed?.installedAt ?? null,
  };
}

export async function lifecycleFor(
  shop: string,
  incident: { orderGid: string; customerGid: string | null; occurredAt: Date },
  customer: { numberOfOrders: number } | null,
  settings: LifecycleSettings,
  db: Tx = prisma,
): Promise<LifecycleRead> {
  const facts = await lifecycleFacts(shop, incident, customer, db);
  return { assessment: classifyLifecycle(facts, settings), settings };
}
