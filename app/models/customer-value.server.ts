/**
 * Customer value (lifetime spend, order count, tags) read from the Admin API
 * and cached in CustomerValue for a few minutes: detection and the decision
 * for one incident read it back to back, and a burst of incidents for one
 * customer should not cost one Admin API call each. A guest checkout has no
 * customer record: null, which classifyTier reads as NEW.
 */
import { clock } from "../clock.server";
import { prisma, type Tx } from "../db.server";
import { toMinorUnits } from "../recovery";
import { backgroundAdmin } from "../shopify/admin.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { customerValue } from "../shopify/operations/customer-value";

const CUSTOMER_VALUE_TTL_MS = 10 * 60_000;

export interface CachedCustomerValue {
  customerGid: string;
  amountSpentMinor: number;
  numberOfOrders: number;
  tags: string[];
  fetchedAt: Date;
}

export interface CustomerValueOptions {
  admin?: AdminClient;
  db?: Tx;
  /** Read from Shopify even when the cache is fresh. */
  refresh?: boolean;
}

/**
 * The customer's value, from the cache when fetched within the TTL, else from
 * Shopify. Null for a guest, and for a customer Shopify no longer has (deleted
 * or redacted): both count as NEW.
 */
export async function customerValueFor(
  shop: string,
  customerGid: string | null,
  options: CustomerValueOptions = {},
): Promise<CachedCustomerValue | null> {
  if (!customerGid) return null;
  const db = options.db ?? prisma;
  const now = clock().now();
  if (!options.refresh) {
    const cached = await db.customerValue.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
    if (cached && now.getTime() - cached.fetchedAt.getTime() < CUSTOMER_VALUE_TTL_MS) return toValue(cached);
  }
  const admin = options.admin ?? (await backgroundAdmin(shop));
  const { customer } = await admin.run(customerValue, { id: customerGid });
  if (!customer) {
    await db.customerValue.deleteMany({ where: { shop, customerGid } });
    return null;
  }
  const data = {
    amountSpentMinor: toMinorUnits(customer.amountSpent.amount, customer.amountSpent.currencyCode),
    numberOfOrders: customer.numberOfOrders,
    tags: customer.tags,
    fetchedAt: now,
  };
  const row = await db.customerValue.upsert({
    where: { shop_customerGid: { shop, customerGid } },
    create: { shop, customerGid, ...data },
    update: data,
  });
  return toValue(row);
}

function toValue(row: {
  customerGid: string;
  amountSpentMinor: number;
  numberOfOrders: number;
  tags: string[];
  fetchedAt: Date;
}): CachedCustomerValue {
  return {
    customerGid: row.customerGid,
    amountSpentMinor: row.amountSpentMinor,
    numberOfOrders: row.numberOfOrders,
    tags: row.tags,
    fetchedAt: row.fetchedAt,
  };
}
