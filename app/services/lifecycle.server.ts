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
import { classifyLifecycle, type LifecycleAssessment, type LifecycleFacts, type LifecycleSettings } from "../recovery";

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

/**
 * Stages for many past incidents at once (the grid preview), in two queries: the customers' recorded
 * orders and the shop's install date. The order count is the cached one (however old, as the
 * preview's tiers), less the customer's recorded orders placed after the incident's order, so a
 * customer who came back since is counted as they were then. Without a cached count: no stage.
 */
export async function lifecyclesForPreview(
  shop: string,
  incidents: ReadonlyArray<{ id: string; orderGid: string; customerGid: string | null; occurredAt: Date }>,
  counts: ReadonlyMap<string, number>,
  settings: LifecycleSettings,
  db: Tx = prisma,
): Promise<Map<string, LifecycleRead>> {
  const customers = [
    ...new Set(incidents.flatMap((i) => (i.customerGid && counts.has(i.customerGid) ? [i.customerGid] : []))),
  ];
  const orders = customers.length
    ? await db.orderRecord.findMany({
        where: { shop, customerGid: { in: customers }, test: false },
        select: { orderGid: true, customerGid: true, createdAt: true },
      })
    : [];
  const byCustomer = new Map<string, { orderGid: string; createdAt: Date }[]>();
  for (const o of orders)
    if (o.customerGid) byCustomer.set(o.customerGid, [...(byCustomer.get(o.customerGid) ?? []), o]);
  const installed = await db.shop.findUnique({ where: { shop }, select: { installedAt: true } });
  const out = new Map<string, LifecycleRead>();
  for (const i of incidents) {
    const count = i.customerGid ? counts.get(i.customerGid) : undefined;
    if (!i.customerGid || count === undefined) continue;
    const mine = byCustomer.get(i.customerGid) ?? [];
    const orderAt = mine.find((o) => o.orderGid === i.orderGid)?.createdAt ?? i.occurredAt;
    const earlier = mine.filter((o) => o.orderGid !== i.orderGid && o.createdAt < orderAt);
    const later = mine.filter((o) => o.orderGid !== i.orderGid && o.createdAt >= orderAt).length;
    const previousOrderAt = earlier.reduce<Date | null>((m, o) => (m && m >= o.createdAt ? m : o.createdAt), null);
    const facts: LifecycleFacts = {
      guest: false,
      numberOfOrders: Math.max(1, count - later),
      orderAt,
      previousOrderAt,
      seenSince: installed?.installedAt ?? null,
    };
    out.set(i.id, { assessment: classifyLifecycle(facts, settings), settings });
  }
  return out;
}
