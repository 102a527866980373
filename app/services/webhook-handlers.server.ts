/**
 * What each webhook topic does once its delivery is processed. A handler
 * parses the payload with its schema (a failure marks the delivery FAILED
 * and is not retried) and applies it inside the processing transaction.
 */
import type { Prisma } from "@prisma/client";
import type { z } from "zod";
import type { Tx } from "../db.server";
import { cancelShopJobs } from "../jobs/enqueue.server";
import { markUninstalled, updateScopes } from "../models/shop.server";
import {
  orderGidFromRestId,
  recordFulfillmentEvent,
  recordHold,
  recordRefund,
  upsertFulfillment,
  upsertOrder,
} from "../models/order-facts.server";
import * as payloads from "../shopify/webhooks/payloads";
import { exportCustomerData, redactCustomer, redactShop } from "./compliance.server";

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
const customerGid = (id: string) => `gid://shopify/Customer/${id}`;

const orderHandler = handler({
  schema: payloads.orderPayload,
  async apply({ tx, shop }, order) {
    await upsertOrder(tx, shop, order);
    return { orderGid: order.admin_graphql_api_id, customerGid: order.customer?.admin_graphql_api_id ?? null };
  },
});

const fulfillmentHandler = handler({
  schema: payloads.fulfillmentPayload,
  apply: async ({ tx, shop }, f) => upsertFulfillment(tx, shop, f),
});

async function recordCompliance(
  tx: Tx,
  shop: string,
  deliveryId: string,
  kind: "CUSTOMER_DATA_REQUEST" | "CUSTOMER_REDACT" | "SHOP_REDACT",
  ref: { customerGid?: string; orderGids?: string[] },
  result: Prisma.InputJsonObject,
): Promise<void> {
  await tx.complianceRequest.create({
    data: { shop, kind, deliveryId, customerGid: ref.customerGid ?? null, orderGids: ref.orderGids ?? [], result },
  });
}

export const handlers = {
  "orders/create": orderHandler,
  "orders/updated": orderHandler,
  "orders/cancelled": orderHandler,
  "refunds/create": handler({
    schema: payloads.refundPayload,
    apply: async ({ tx, shop }, refund) => recordRefund(tx, shop, refund),
  }),
  "fulfillments/create": fulfillmentHandler,
  "fulfillments/update": fulfillmentHandler,
  "fulfillment_events/create": handler({
    schema: payloads.fulfillmentEventPayload,
    apply: async ({ tx, shop }, event) => recordFulfillmentEvent(tx, shop, event),
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
      return {};
    },
  }),
  "customers/data_request": handler({
    schema: payloads.customerDataRequestPayload,
    afterUninstall: true,
    async apply({ tx, shop, deliveryId }, request) {
      const ref = { shop, customerGid: customerGid(request.customer.id), orderGids: request.orders_requested.map(orderGidFromRestId) };
      await recordCompliance(tx, shop, deliveryId, "CUSTOMER_DATA_REQUEST", ref, await exportCustomerData(tx, ref));
      return {
        customerGid: ref.customerGid,
        redactedBody: JSON.stringify({ customer: { id: request.customer.id }, orders_requested: request.orders_requested, data_request: request.data_request }),
      };
    },
  }),
  "customers/redact": handler({
    schema: payloads.customerRedactPayload,
    afterUninstall: true,
    async apply({ tx, shop, deliveryId }, request) {
      const ref = { shop, customerGid: customerGid(request.customer.id), orderGids: request.orders_to_redact.map(orderGidFromRestId) };
      await recordCompliance(tx, shop, deliveryId, "CUSTOMER_REDACT", ref, await redactCustomer(tx, ref));
      return { redactedBody: JSON.stringify({ customer: { id: request.customer.id }, orders_to_redact: request.orders_to_redact }) };
    },
  }),
  "shop/redact": handler({
    schema: payloads.shopRedactPayload,
    afterUninstall: true,
    async apply({ tx, shop, deliveryId }) {
      await recordCompliance(tx, shop, deliveryId, "SHOP_REDACT", {}, await redactShop(tx, shop, deliveryId));
      return { redactedBody: JSON.stringify({ shop_domain: shop }) };
    },
  }),
} satisfies Record<string, Handler<z.ZodType>>;

export type HandledTopic = keyof typeof handlers;

export function isHandledTopic(topic: string): topic is HandledTopic {
  return Object.hasOwn(handlers, topic);
}
