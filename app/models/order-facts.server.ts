/**
 * Typed records of what Shopify told us about orders, refunds and fulfillments,
 * kept for the detectors. Writes are idempotent: replays and out-of-order
 * deliveries converge on the newest state.
 */
import { Prisma } from "@prisma/client";
import type { Tx } from "../db.server";
import type {
  FulfillmentEventPayload,
  FulfillmentOrderHoldPayload,
  FulfillmentPayload,
  OrderPayload,
  RefundPayload,
} from "../shopify/webhooks/payloads";

export const orderGidFromRestId = (id: string) => `gid://shopify/Order/${id}`;
export const fulfillmentGidFromRestId = (id: string) => `gid://shopify/Fulfillment/${id}`;

/** Insert or update an order; an older payload (by Shopify's updated_at) never overwrites a newer one. */
export async function upsertOrder(tx: Tx, shop: string, o: OrderPayload): Promise<void> {
  const total = o.total_price_set?.shop_money.amount ?? o.total_price;
  const currency = o.total_price_set?.shop_money.currency_code ?? o.currency;
  const lineItemCount = o.line_items.reduce((n, li) => n + li.quantity, 0);
  await tx.$executeRaw`
    INSERT INTO "OrderRecord" (id, shop, "orderGid", name, "customerGid", "createdAt", "sourceUpdatedAt", "cancelledAt",
      "cancelReason", "financialStatus", "fulfillmentStatus", currency, "totalPrice", test, tags, "discountCodes",
      "lineItemCount", "updatedAt")
    VALUES (gen_random_uuid(), ${shop}, ${o.admin_graphql_api_id}, ${o.name}, ${o.customer?.admin_graphql_api_id ?? null},
      ${o.created_at}, ${o.updated_at}, ${o.cancelled_at}, ${o.cancel_reason}, ${o.financial_status},
      ${o.fulfillment_status}, ${currency}, ${new Prisma.Decimal(total)}, ${o.test}, ${o.tags}::text[],
      ${o.discount_codes.map((d) => d.code)}::text[], ${lineItemCount}, now())
    ON CONFLICT (shop, "orderGid") DO UPDATE SET
      name = EXCLUDED.name, "customerGid" = EXCLUDED."customerGid", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt",
      "cancelledAt" = EXCLUDED."cancelledAt", "cancelReason" = EXCLUDED."cancelReason",
      "financialStatus" = EXCLUDED."financialStatus", "fulfillmentStatus" = EXCLUDED."fulfillmentStatus",
      currency = EXCLUDED.currency, "totalPrice" = EXCLUDED."totalPrice", test = EXCLUDED.test, tags = EXCLUDED.tags,
      "discountCodes" = EXCLUDED."discountCodes", "lineItemCount" = EXCLUDED."lineItemCount", "updatedAt" = now()
    WHERE "OrderRecord"."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt"`;
}

/** Money actually returned: successful refund transactions, else the refunded line subtotals. */
export function refundAmount(r: RefundPayload): { amount: Prisma.Decimal; currency: string | null } {
  const paid = r.transactions.filter((t) => t.kind === "refund" && (t.status === "success" || t.status === null));
  if (paid.length > 0) {
    const amount = paid.reduce((sum, t) => sum.plus(t.amount), new Prisma.Decimal(0));
    return { amount, currency: paid[0]?.currency ?? null };
  }
  const lines = r.refund_line_items.reduce(
    (sum, li) => sum.plus(li.subtotal_set?.shop_money.amount ?? li.subtotal ?? "0"),
    new Prisma.Decimal(0),
  );
  const currency = r.refund_line_items[0]?.subtotal_set?.shop_money.currency_code ?? null;
  return { amount: lines, currency };
}

export async function recordRefund(tx: Tx, shop: string, r: RefundPayload): Promise<{ orderGid: string }> {
  const orderGid = orderGidFromRestId(r.order_id);
  const { amount, currency } = refundAmount(r);
  const restock = r.restock ?? r.refund_line_items.some((li) => li.restock_type && li.restock_type !== "no_restock");
  await tx.refundRecord.upsert({
    where: { uniqueShopRefund: { shop, refundGid: r.admin_graphql_api_id } },
    create: {
      shop,
      refundGid: r.admin_graphql_api_id,
      orderGid,
      createdAt: r.created_at,
      note: r.note,
      amount,
      currency,
      lineCount: r.refund_line_items.length,
      restock,
    },
    update: {},
  });
  return { orderGid };
}

export async function upsertFulfillment(tx: Tx, shop: string, f: FulfillmentPayload): Promise<{ orderGid: string }> {
  const orderGid = orderGidFromRestId(f.order_id);
  const lineItemCount = f.line_items.reduce((n, li) => n + li.quantity, 0);
  await tx.$executeRaw`
    INSERT INTO "FulfillmentRecord" (id, shop, "fulfillmentGid", "orderGid", status, "shipmentStatus", "trackingCompany",
      "createdAt", "sourceUpdatedAt", "lineItemCount", "updatedAt")
    VALUES (gen_random_uuid(), ${shop}, ${f.admin_graphql_api_id}, ${orderGid}, ${f.status}, ${f.shipment_status},
      ${f.tracking_company}, ${f.created_at}, ${f.updated_at}, ${lineItemCount}, now())
    ON CONFLICT (shop, "fulfillmentGid") DO UPDATE SET
      status = EXCLUDED.status, "shipmentStatus" = EXCLUDED."shipmentStatus", "trackingCompany" = EXCLUDED."trackingCompany",
      "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "lineItemCount" = EXCLUDED."lineItemCount", "updatedAt" = now()
    WHERE "FulfillmentRecord"."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt"`;
  return { orderGid };
}

export async function recordFulfillmentEvent(
  tx: Tx,
  shop: string,
  e: FulfillmentEventPayload,
): Promise<{ orderGid: string }> {
  const orderGid = orderGidFromRestId(e.order_id);
  await tx.fulfillmentEventRecord.upsert({
    where: { uniqueShopFulfillmentEvent: { shop, eventGid: e.admin_graphql_api_id } },
    create: {
      shop,
      eventGid: e.admin_graphql_api_id,
      fulfillmentGid: fulfillmentGidFromRestId(e.fulfillment_id),
      orderGid,
      status: e.status,
      happenedAt: e.happened_at,
      estimatedDeliveryAt: e.estimated_delivery_at,
      message: e.message,
    },
    update: {},
  });
  return { orderGid };
}

export async function recordHold(tx: Tx, shop: string, h: FulfillmentOrderHoldPayload, heldAt: Date): Promise<void> {
  const holds = h.created_fulfillment_hold
    ? [h.created_fulfillment_hold]
    : (h.fulfillment_order.fulfillment_holds ?? []);
  for (const hold of holds) {
    await tx.fulfillmentHoldRecord.upsert({
      where: { uniqueShopFulfillmentHold: { shop, holdGid: hold.id } },
      create: {
        shop,
        holdGid: hold.id,
        fulfillmentOrderGid: h.fulfillment_order.id,
        reason: hold.reason,
        // Not kept: staff free text about the customer that nothing reads, and a placed_on_hold
        // payload does not name the order, so customers/redact could not find it to erase it
        // (docs/decisions/0018-privacy-requests.md).
        reasonNotes: null,
        heldAt,
      },
      update: {},
    });
  }
}
