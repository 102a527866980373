/** Every resolver map, and the root fields the sandbox answers. Anything else is reported as not modelled. */
import type { AdminContext } from "../context";
import { customersConnection } from "./customer-search";
import { customerResolvers } from "./customers";
import { discountMutations, discountQueries, discountResolvers } from "./discounts";
import { draftOrdersConnection } from "./draft-order-search";
import { draftOrderMutations, draftOrderQueries, draftOrderResolvers } from "./draft-orders";
import { flowMutations } from "./flow";
import { giftCardsConnection } from "./gift-card-search";
import { giftCardMutations, giftCardQueries, giftCardResolvers } from "./gift-cards";
import { orderVisible } from "./lookup";
import { metafieldMutations, metafieldResolvers } from "./metafields";
import { nodeQueries } from "./nodes";
import { ordersConnection } from "./order-search";
import { orderResolvers } from "./orders";
import { productQueries, productResolvers } from "./products";
import { shopResolvers } from "./shop";
import { storeCreditMutations, storeCreditQueries, storeCreditResolvers } from "./store-credit";
import { tagMutations } from "./tags";
import { idOfType, type Args, type FieldResolver, type ResolverMap } from "./util";

const QueryRoot: Record<string, FieldResolver<unknown>> = {
  shop: (_root, _args, ctx) => ctx.shop,
  customer: (_root, args: Args, ctx: AdminContext) => {
    const id = idOfType(args.id, "Customer");
    return (id && ctx.shop.customers.get(id)) || null;
  },
  order: (_root, args, ctx) => {
    const id = idOfType(args.id, "Order");
    const order = id ? ctx.shop.orders.get(id) : undefined;
    return order && orderVisible(ctx, order) ? order : null;
  },
  orders: (_root, args, ctx, info) => ordersConnection(ctx, args, info),
  customers: (_root, args, ctx, info) => customersConnection(ctx, args, info),
  giftCards: (_root, args, ctx, info) => giftCardsConnection(ctx, args, info),
  draftOrders: (_root, args, ctx, info) => draftOrdersConnection(ctx, args, info),
  ...discountQueries,
  ...storeCreditQueries,
  ...giftCardQueries,
  ...draftOrderQueries,
  ...productQueries,
  ...nodeQueries,
};

const Mutation: Record<string, FieldResolver<unknown>> = {
  ...discountMutations,
  ...storeCreditMutations,
  ...giftCardMutations,
  ...draftOrderMutations,
  ...tagMutations,
  ...metafieldMutations,
  ...flowMutations,
};

export const resolvers: ResolverMap = {
  QueryRoot,
  Mutation,
  ...shopResolvers,
  ...customerResolvers,
  ...orderResolvers,
  ...productResolvers,
  ...discountResolvers,
  ...storeCreditResolvers,
  ...giftCardResolvers,
  ...draftOrderResolvers,
  ...metafieldResolvers,
};
