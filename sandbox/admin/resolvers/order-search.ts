/**
 * `orders(first, after, query, sortKey, reverse)`: Shopify's search syntax
 * over the store's orders, keyset pagination, and the 60-day window an app
 * without read_all_orders is limited to.
 */
import type { GraphQLResolveInfo } from "graphql";
import { money, type Order } from "../../store";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import { sortedConnection } from "./connection";
import { orderVisible } from "./lookup";
import { displayFinancialStatus, displayFulfillmentStatus } from "./order-status";
import { compareWith, connectionSearch, inSearchIndex, matchesDate, textMatches, type TermMatcher } from "./search";
import type { Args } from "./util";

/**
 * `fulfillment_status` filters by displayFulfillmentStatus, one status per
 * value (the 2026-10 `orders(query:)` reference lists unshipped, shipped,
 * fulfilled, partial, scheduled, on_hold, unfulfilled, request_declined).
 * Strictly: `unfulfilled` (and its older name `unshipped`) is UNFULFILLED
 * alone, not PARTIALLY_FULFILLED or ON_HOLD; IN_PROGRESS, OPEN,
 * PENDING_FULFILLMENT and RESTOCKED have no value of their own.
 */
const FULFILLMENT_STATUS_VALUES: Record<string, string> = {
  unshipped: "UNFULFILLED",
  unfulfilled: "UNFULFILLED",
  shipped: "FULFILLED",
  fulfilled: "FULFILLED",
  partial: "PARTIALLY_FULFILLED",
  scheduled: "SCHEDULED",
  on_hold: "ON_HOLD",
  request_declined: "REQUEST_DECLINED",
};

function fulfillmentStatusMatches(order: Order, value: string): boolean | undefined {
  const wanted = value.toLowerCase();
  if (wanted === "any") return true;
  const status = FULFILLMENT_STATUS_VALUES[wanted];
  return status === undefined ? undefined : displayFulfillmentStatus(order) === status;
}

function orderMatcher(ctx: AdminContext): TermMatcher<Order> {
  const zone = ctx.shop.ianaTimezone;
  return (order, { field, op, value }) => {
    switch (field) {
      case null: {
        const customer = order.customerId ? ctx.shop.customers.get(order.customerId) : undefined;
        const haystack = [order.name, order.email, customer?.firstName, customer?.lastName, ...order.tags]
          .filter(Boolean)
          .join(" ")
          .toLowerCase();
        return haystack.includes(value.toLowerCase().replace(/\*/g, ""));
      }
      case "id":
        return /^\d+$/.test(value) ? compareWith(op, Number(order.id), Number(value)) : undefined;
      case "customer_id":
        return order.customerId === value;
      case "created_at":
        return matchesDate(order.createdAt, op, value, zone);
      case "updated_at":
        return matchesDate(order.updatedAt, op, value, zone);
      case "processed_at":
        return matchesDate(order.processedAt, op, value, zone);
      case "fulfillment_status":
        return fulfillmentStatusMatches(order, value);
      case "financial_status":
        return value.toLowerCase() === "any" || displayFinancialStatus(order).toLowerCase() === value.toLowerCase();
      case "status": {
        const v = value.toLowerCase();
        // The sandbox never archives (closes) orders: open means not cancelled.
        if (v === "any") return true;
        if (v === "open" || v === "not_closed") return order.cancelledAt === null;
        if (v === "cancelled") return order.cancelledAt !== null;
        if (v === "closed") return false;
        return undefined;
      }
      case "test":
        return value === "true" ? order.test : value === "false" ? !order.test : undefined;
      case "name":
        return order.name.replace(/^#/, "") === value.replace(/^#/, "");
      case "tag":
        return order.tags.some((tag) => textMatches(tag, value));
      case "tag_not":
        return !order.tags.some((tag) => textMatches(tag, value));
      case "email":
        return textMatches(order.email, value);
      case "source_name":
        return order.sourceName === value;
      case "discount_code":
        return order.discountCodes.some((code) => textMatches(code, value));
      case "sku":
        return order.lineItems.some((line) => textMatches(line.sku, value));
      default:
        return undefined;
    }
  };
}

const SORT_VALUES: Record<string, (order: Order) => number> = {
  PROCESSED_AT: (o) => o.processedAt.getTime(),
  CREATED_AT: (o) => o.createdAt.getTime(),
  UPDATED_AT: (o) => o.updatedAt.getTime(),
  ID: (o) => Number(o.id),
  RELEVANCE: (o) => Number(o.id),
  ORDER_NUMBER: (o) => o.number,
  TOTAL_PRICE: (o) => money.cents(o.total),
  CURRENT_TOTAL_PRICE: (o) => money.cents(o.total) - o.refunds.reduce((sum, r) => sum + money.cents(r.amount), 0),
};

export function ordersConnection(
  ctx: AdminContext,
  args: Args,
  info: GraphQLResolveInfo,
  scope?: (order: Order) => boolean,
) {
  if (args.savedSearchId !== undefined && args.savedSearchId !== null) throw notModelled("orders(savedSearchId:)");
  const sortKey = typeof args.sortKey === "string" ? args.sortKey : "PROCESSED_AT";
  const sortValue = SORT_VALUES[sortKey];
  if (!sortValue) throw notModelled(`orders(sortKey: ${sortKey})`);
  const filter = connectionSearch(ctx, info, args.query, orderMatcher(ctx));
  const items = [...ctx.shop.orders.values()].filter(
    // The root connection is the search index (lagging); a customer's own orders are read directly.
    (order) =>
      orderVisible(ctx, order) && (scope ? scope(order) : inSearchIndex(ctx, order.createdAt)) && filter(order),
  );
  return sortedConnection(items, args, (o) => Number(o.id), sortValue);
}
