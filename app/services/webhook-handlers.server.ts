/**
 * What each webhook topic does once its delivery is processed. A handler
 * parses the payload with its schema (a failure marks the delivery FAILED
 * and is not retried) and applies it inside the processing transaction.
 */
import type { Prisma } from "@prisma/client";
import type { z } from "zod";
import type { Tx } from "../db.server";
import { cancelShopJobs } from "../queue/enqueue.server";
import { enqueueShopFactsRefresh } from "./shop-facts.server";
import { enqueueAttribution } from "./issuing/attribution.server";
import { markUninstalled, updateScopes } from "../models/shop.server";
import { offerOfGiftOrder } from "../models/offers.server";
import { isAmendsGiftOrder } from "../recovery";
import {
  orderGidFromRestId,
  recordHold,
  recordRefund,
  upsertFulfillment,
  upsertOrder,
} from "../models/order-facts.server";
import * as payloads from "../shopify/webhooks/payloads";
import { clock } from "../clock.server";
import { enqueue } from "../queue/enqueue.server";
import { EXPORT_RETENTION_MS, exportCustomerData, redactCustomer } from "./compliance.server";
import { startShopRedaction } from "./privacy/shop-redaction.server";
import { recordCarrierEvent, scheduleDetection, scheduleShipBy } from "./detection.server";

export interface HandlerContext {
  tx: Tx;
  shop: string;
  deliveryId: string;
  /** When Shopify says the event happened (X-Shopify-Triggered-At), else when we received it. */
  occurredAt: Date;
}

export interface HandlerResult {
  orderGid?: string | null;
  customerGid?: string | null;
  /** Replace the stored raw body (data minimisation for compliance payloads). */
  redactedBody?: string;
}

interface Handler<S extends z.ZodType> {
  schema: S;
  /** Topics that keep working after uninstall (Shopify sends them then). */
  afterUninstall?: boolean;
  apply(ctx: HandlerContext, payload: z.output<S>): Promise<HandlerResult>;
}

const handler = <S extends z.ZodType>(h: Handler<S>): Handler<S> => h;

/** The customer and orders a compliance request names (REST ids), as GIDs. */
const complianceRef = (shop: string, customerId: string, orderIds: string[]) => ({
  shop,
  customerGid: `gid://shopify/Customer/${customerId}`,
  orderGids: orderIds.map(orderGidFromRestId),
});

/**
 * What an order webhook does for detection. orders/create and orders/updated set the ship-by timer
 * of an open order, never moving a pending one (a duplicate or late orders/create must not undo
 * the escalating re-checks); orders/cancelled re-detects (a store cancellation is an incident).
 * Detection re-reads the order, so the payload only says which order to look at.
 */
type OrderFollowUp = "TIMER" | "DETECT";

const orderHandler = (followUp: OrderFollowUp, isNew = false) =>
  handler({
    schema: payloads.orderPayload,
    async apply({ tx, shop }, order) {
      await upsertOrder(tx, shop, order);
      const orderGid = order.admin_graphql_api_id;
      const customerGid = order.customer?.admin_graphql_api_id ?? null;
      // Amends's own free gift is neither a failure to watch nor the customer buying again (decision 0112).
      if (await isGiftOrder(tx, shop, orderGid, customerGid, order.tags)) return { orderGid, customerGid };
      // Test orders never open incidents, so they need no timer (detection would exclude them anyway).
      const open = order.cancelled_at === null && order.fulfillment_status !== "fulfilled" && !order.test;
      if (followUp === "DETECT") await scheduleDetection(tx, shop, orderGid, "orders/cancelled");
      else if (open) await scheduleShipBy(tx, shop, { orderGid, createdAt: order.created_at });
      // A new order may be a customer coming back: check it against their earlier offers and holdouts.
      if (isNew && order.customer) await enqueueAttribution(tx, shop, orderGid);
      return { orderGid, customerGid };
    },
  });

/**
 * Amends's own gift order: the gift tag its draft carried (in the payload from the first
 * orders/create, before anyone could remove it), or the offer that records the order. The payload
 * names no draft order, and source_name "shopify_draft_order" is every draft's, staff's too.
 */
async function isGiftOrder(
  tx: Tx,
  shop: string,
  orderGid: string,
  customerGid: string | null,
  tags: readonly string[],
): Promise<boolean> {
  if (isAmendsGiftOrder({ tags })) return true;
  return (await offerOfGiftOrder(tx, shop, orderGid, customerGid)) !== null;
}

/** Store the payload's record, then have detection look at its order again. */
const recordThenDetect = <S extends z.ZodType>(
  topic: string,
  schema: S,
  record: (tx: Tx, shop: string, payload: z.output<S>) => Promise<{ orderGid: string }>,
) =>
  handler({
    schema,
    async apply({ tx, shop }, payload) {
      const result = await record(tx, shop, payload);
      await scheduleDetection(tx, shop, result.orderGid, topic);
      return result;
    },
  });

async function recordCompliance(
  tx: Tx,
  shop: string,
  deliveryId: string,
  kind: "CUSTOMER_REDACT",
  ref: { customerGid?: string; orderGids?: string[] },
  result: Prisma.InputJsonObject,
): Promise<void> {
  await tx.complianceRequest.create({
    data: {
      shop,
      kind,
      deliveryId,
      customerGid: ref.customerGid ?? null,
      orderGids: ref.orderGids ?? [],
      result,
      completedAt: clock().now(),
    },
  });
}

export const handlers = {
  "orders/create": orderHandler("TIMER", true),
  "orders/updated": orderHandler("TIMER"),
  "orders/cancelled": orderHandler("DETECT"),
  "refunds/create": recordThenDetect("refunds/create", payloads.refundPayload, recordRefund),
  "fulfillments/create": recordThenDetect("fulfillments/create", payloads.fulfillmentPayload, upsertFulfillment),
  "fulfillments/update": recordThenDetect("fulfillments/update", payloads.fulfillmentPayload, upsertFulfillment),
  // The daily reconcile records an event whose webhook was lost through the same recordCarrierEvent.
  "fulfillment_events/create": handler({
    schema: payloads.fulfillmentEventPayload,
    async apply({ tx, shop }, event) {
      return recordCarrierEvent(tx, shop, event);
    },
  }),
  "fulfillment_orders/placed_on_hold": handler({
    schema: payloads.fulfillmentOrderHoldPayload,
    async apply({ tx, shop, occurredAt }, hold) {
      await recordHold(tx, shop, hold, occurredAt);
      return {};
    },
  }),
  "app/uninstalled": handler({
    schema: payloads.appUninstalledPayload,
    afterUninstall: true,
    async apply({ tx, shop, occurredAt }) {
      await markUninstalled(tx, shop, occurredAt);
      await tx.session.deleteMany({ where: { shop } });
      // Deliveries already queued still run, and are marked IGNORED because the shop is gone.
      await cancelShopJobs(tx, shop, "shop uninstalled Amends", ["process-webhook"]);
      return {};
    },
  }),
  "app/scopes_update": handler({
    schema: payloads.scopesUpdatePayload,
    async apply({ tx, shop }, update) {
      await updateScopes(tx, shop, update.current.join(","));
      // Kinds follow the stored scopes at once; the customer-accounts version is read again too.
      await enqueueShopFactsRefresh(tx, shop);
      return {};
    },
  }),
  "customers/data_request": handler({
    schema: payloads.customerDataRequestPayload,
    afterUninstall: true,
    async apply({ tx, shop, deliveryId }, request) {
      const ref = complianceRef(shop, request.customer.id, request.orders_requested);
      const { document, summary } = await exportCustomerData(tx, ref);
      // The export waits for a manager to download it in the app (app/routes/app.privacy.tsx), at most 30 days.
      const completedAt = clock().now();
      await tx.complianceRequest.create({
        data: {
          shop,
          kind: "CUSTOMER_DATA_REQUEST",
          deliveryId,
          customerGid: ref.customerGid,
          orderGids: ref.orderGids,
          result: summary,
          export: document,
          completedAt,
          exportExpiresAt: new Date(completedAt.getTime() + EXPORT_RETENTION_MS),
        },
      });
      return {
        customerGid: ref.customerGid,
        redactedBody: JSON.stringify({
          customer: { id: request.customer.id },
          orders_requested: request.orders_requested,
          data_request: request.data_request,
        }),
      };
    },
  }),
  "customers/redact": handler({
    schema: payloads.customerRedactPayload,
    afterUninstall: true,
    async apply({ tx, shop, deliveryId }, request) {
      const ref = complianceRef(shop, request.customer.id, request.orders_to_redact);
      await recordCompliance(tx, shop, deliveryId, "CUSTOMER_REDACT", ref, await redactCustomer(tx, ref));
      return {
        redactedBody: JSON.stringify({
          customer: { id: request.customer.id },
          orders_to_redact: request.orders_to_redact,
        }),
      };
    },
  }),
  "shop/redact": handler({
    schema: payloads.shopRedactPayload,
    afterUninstall: true,
    async apply({ tx, shop, deliveryId }) {
      // Deleted in short batches by the redact-shop job: one transaction cannot hold a large shop.
      const requestId = await startShopRedaction(tx, shop, deliveryId);
      await enqueue(tx, "redact-shop", { v: 1, shop, requestId });
      return { redactedBody: JSON.stringify({ shop_domain: shop }) };
    },
  }),
} satisfies Record<string, Handler<z.ZodType>>;

export type HandledTopic = keyof typeof handlers;

export function isHandledTopic(topic: string): topic is HandledTopic {
  return Object.hasOwn(handlers, topic);
}
