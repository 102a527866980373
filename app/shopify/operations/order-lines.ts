/**
 * A free replacement's lines (decision 0116): the order's line items with what is still unfulfilled
 * and what is left after refunds, the lines each parcel shipped and each refund took back, so
 * replacement/lines.ts can pick the incident's affected lines. Products and prices only: no
 * customer data. 20 lines, 5 parcels and 5 refunds of 10 lines each cover the orders Amends
 * recovers, for 313 requested points (read once per decision of a replacement cell, never for
 * other kinds); a line beyond them is not replaced (decision 0116 says so).
 */
import { z } from "zod";
import { toMinorUnits, type OrderLineFacts } from "../../recovery";
import { defineOperation } from "../operation";
import { gid, shopMoneyBag } from "../scalars";

export const ORDER_LINES_QUERY = `#graphql
  query AmendsOrderLines($id: ID!) {
    order(id: $id) {
      id
      lineItems(first: 20) {
        nodes {
          id
          name
          quantity
          currentQuantity
          unfulfilledQuantity
          variant { id }
          originalUnitPriceSet { shopMoney { amount currencyCode } }
        }
      }
      fulfillments(first: 5) {
        id
        fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id } } }
      }
      refunds(first: 5) {
        id
        refundLineItems(first: 10) { nodes { quantity lineItem { id } } }
      }
    }
  }
`;

const partLines = z.object({
  nodes: z.array(z.object({ quantity: z.number().int(), lineItem: z.object({ id: gid("LineItem") }) })),
});

export const orderLines = defineOperation({
  document: ORDER_LINES_QUERY,
  variables: z.object({ id: gid("Order") }),
  data: z.object({
    order: z
      .object({
        id: gid("Order"),
        lineItems: z.object({
          nodes: z.array(
            z.object({
              id: gid("LineItem"),
              name: z.string(),
              quantity: z.number().int(),
              currentQuantity: z.number().int(),
              unfulfilledQuantity: z.number().int(),
              variant: z.object({ id: gid("ProductVariant") }).nullable(),
              originalUnitPriceSet: shopMoneyBag,
            }),
          ),
        }),
        fulfillments: z.array(z.object({ id: gid("Fulfillment"), fulfillmentLineItems: partLines })),
        refunds: z.array(z.object({ id: gid("Refund"), refundLineItems: partLines })),
      })
      .nullable(),
  }),
});

type OrderLinesData = z.output<typeof orderLines.data>;

/** The answer as replacement/lines.ts reads it, money in the shop currency's minor units. */
export function orderLineFacts(order: NonNullable<OrderLinesData["order"]>, currency: string): OrderLineFacts {
  const parts = (nodes: z.output<typeof partLines>["nodes"]) =>
    nodes.map((node) => ({ lineItemId: node.lineItem.id, quantity: node.quantity }));
  return {
    lines: order.lineItems.nodes.map((line) => ({
      id: line.id,
      variantId: line.variant?.id ?? null,
      title: line.name,
      quantity: line.quantity,
      currentQuantity: line.currentQuantity,
      unfulfilledQuantity: line.unfulfilledQuantity,
      unitPriceMinor: toMinorUnits(line.originalUnitPriceSet.shopMoney.amount, currency),
    })),
    fulfillments: order.fulfillments.map((f) => ({ id: f.id, lines: parts(f.fulfillmentLineItems.nodes) })),
    refunds: order.refunds.map((r) => ({ id: r.id, lines: parts(r.refundLineItems.nodes) })),
  };
}
