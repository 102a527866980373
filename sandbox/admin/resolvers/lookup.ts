/**
 * Finding a store object by GID, for node(id), nodes(ids), tagsAdd and
 * metafield owners. Each result carries the GraphQL type name and the source
 * object that type's resolvers expect.
 */
import type {
  Fulfillment,
  FulfillmentOrder,
  LineItem,
  Order,
  Refund,
  StoreCreditAccount,
  StoreCreditTransaction,
} from "../../store";
import { findLocation } from "../../activity/catalog";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import { storeCreditTransactionView } from "./store-credit-view";
import { parseGid } from "./util";

export interface Found {
  typename: string;
  source: object;
}

export interface LineRef {
  order: Order;
  line: LineItem;
}
export interface FulfillmentOrderRef {
  order: Order;
  fo: FulfillmentOrder;
}
export interface FulfillmentRef {
  order: Order;
  fulfillment: Fulfillment;
}
export interface RefundRef {
  order: Order;
  refund: Refund;
}

export const NODE_TYPES = [
  "Customer",
  "Order",
  "Product",
  "ProductVariant",
  "Location",
  "DiscountCodeNode",
  "DiscountNode",
  "DiscountRedeemCodeBulkCreation",
  "StoreCreditAccount",
  "StoreCreditAccountCreditTransaction",
  "StoreCreditAccountDebitTransaction",
  "GiftCard",
  "DraftOrder",
  "LineItem",
  "FulfillmentOrder",
  "Fulfillment",
  "FulfillmentEvent",
  "Refund",
  "Metafield",
  "Shop",
] as const;

/** null: a modelled type with no such object (Shopify answers null). Throws for types the sandbox does not model. */
export function findByGid(ctx: AdminContext, value: unknown): Found | null {
  const { type, id } = parseGid(value);
  const shop = ctx.shop;
  const found = (typename: string, source: object | undefined | null): Found | null =>
    source ? { typename, source } : null;
  switch (type) {
    case "Customer":
      return found(type, shop.customers.get(id));
    case "Order": {
      const order = shop.orders.get(id);
      return found(type, order && orderVisible(ctx, order) ? order : null);
    }
    case "Product":
      return found(type, shop.products.get(id));
    case "ProductVariant":
      return found(type, findVariant(ctx, id));
    case "Location":
      return found(type, findLocation(shop, id));
    case "DiscountCodeNode":
    case "DiscountNode":
      return found(type, shop.discounts.get(id));
    case "DiscountRedeemCodeBulkCreation":
      return found(type, ctx.extras.bulkCreations.get(id));
    case "StoreCreditAccount":
      return found(type, shop.storeCreditAccounts.get(id));
    case "StoreCreditAccountCreditTransaction":
    case "StoreCreditAccountDebitTransaction": {
      const hit = findTransaction(ctx, id);
      const kind = type === "StoreCreditAccountCreditTransaction" ? "credit" : "debit";
      return hit && hit.tx.kind === kind ? found(type, storeCreditTransactionView(hit.account, hit.tx)) : null;
    }
    case "GiftCard":
      return found(type, shop.giftCards.get(id));
    case "DraftOrder":
      return found(type, shop.draftOrders.get(id));
    case "LineItem":
      return found(
        type,
        inOrders(ctx, (order) =>
          withOrder(
            order,
            "line",
            order.lineItems.find((line) => line.id === id),
          ),
        ),
      );
    case "FulfillmentOrder":
      return found(
        type,
        inOrders(ctx, (order) =>
          withOrder(
            order,
            "fo",
            order.fulfillmentOrders.find((f) => f.id === id),
          ),
        ),
      );
    case "Fulfillment":
      return found(
        type,
        inOrders(ctx, (order) =>
          withOrder(
            order,
            "fulfillment",
            order.fulfillments.find((f) => f.id === id),
          ),
        ),
      );
    case "FulfillmentEvent":
      return found(
        type,
        inOrders(ctx, (order) => order.fulfillments.flatMap((f) => f.events).find((e) => e.id === id)),
      );
    case "Refund":
      return found(
        type,
        inOrders(ctx, (order) =>
          withOrder(
            order,
            "refund",
            order.refunds.find((r) => r.id === id),
          ),
        ),
      );
    case "Metafield":
      return found(
        type,
        shop.metafields.find((m) => ctx.extras.metafieldIds.get(m)?.id === id),
      );
    case "Shop":
      return ctx.extras.shopId === id ? found(type, shop) : null;
    default:
      throw notModelled(`lookups of ${type} objects`);
  }
}

const SIXTY_DAYS_MS = 60 * 86_400_000;

/** Without read_all_orders an app sees only the last 60 days of orders (by creation). */
export function orderVisible(ctx: AdminContext, order: Order): boolean {
  return ctx.options.readAllOrders === true || order.createdAt.getTime() >= ctx.now.getTime() - SIXTY_DAYS_MS;
}

export function findVariant(ctx: AdminContext, id: string) {
  for (const product of ctx.shop.products.values()) {
    const variant = product.variants.find((v) => v.id === id);
    if (variant) return variant;
  }
  return undefined;
}

function findTransaction(
  ctx: AdminContext,
  id: string,
): { account: StoreCreditAccount; tx: StoreCreditTransaction } | undefined {
  for (const account of ctx.shop.storeCreditAccounts.values()) {
    const tx = account.transactions.find((t) => t.id === id);
    if (tx) return { account, tx };
  }
  return undefined;
}

/** Objects inside an order are read together with their order (for currency, names, visibility). */
function withOrder<K extends string, T>(
  order: Order,
  key: K,
  value: T | undefined,
): ({ order: Order } & Record<K, T>) | undefined {
  return value === undefined ? undefined : ({ order, [key]: value } as { order: Order } & Record<K, T>);
}

function inOrders<T>(ctx: AdminContext, pick: (order: Order) => T | undefined | false): T | undefined {
  for (const order of ctx.shop.orders.values()) {
    const hit = pick(order);
    if (hit) return hit;
  }
  return undefined;
}
