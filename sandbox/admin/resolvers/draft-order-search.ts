/**
 * `draftOrders(first, after, query, sortKey, reverse)`: Shopify's search
 * syntax over the shop's draft orders, completed ones included. Amends finds
 * the gift draft of an offer by the offer's own tag after a lost
 * draftOrderCreate, and the tag matches whole tags, in any letter case.
 */
import type { GraphQLResolveInfo } from "graphql";
import { money, type DraftOrder } from "../../store";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import { sortedConnection } from "./connection";
import { draftTotals } from "./draft-orders";
import { compareWith, connectionSearch, inSearchIndex, matchesDate, textMatches, type TermMatcher } from "./search";
import type { Args } from "./util";

const STATUSES = new Set(["open", "invoice_sent", "completed"]);

function draftOrderMatcher(ctx: AdminContext): TermMatcher<DraftOrder> {
  const zone = ctx.shop.ianaTimezone;
  return (draft, { field, op, value }) => {
    switch (field) {
      case null: {
        const customer = draft.customerId ? ctx.shop.customers.get(draft.customerId) : undefined;
        const haystack = [draft.name, customer?.firstName, customer?.lastName, customer?.email, ...draft.tags]
          .filter(Boolean)
          .join(" ")
          .toLowerCase();
        return haystack.includes(value.toLowerCase().replace(/\*/g, ""));
      }
      case "id":
        return /^\d+$/.test(value) ? compareWith(op, Number(draft.id), Number(value)) : undefined;
      case "customer_id":
        return draft.customerId === value;
      case "created_at":
        return matchesDate(draft.createdAt, op, value, zone);
      case "updated_at":
        return matchesDate(draft.updatedAt, op, value, zone);
      case "status": {
        const wanted = value.toLowerCase();
        return STATUSES.has(wanted) ? draft.status.toLowerCase() === wanted : undefined;
      }
      case "tag":
        return draft.tags.some((tag) => textMatches(tag, value));
      case "source":
        throw notModelled("draftOrders(query: source:)");
      default:
        return undefined;
    }
  };
}

/** Drafts are named #D1, #D2…: the number is the name's digits. */
const draftNumber = (draft: DraftOrder) => Number(draft.name.replace(/\D/g, ""));

const sortValues = (ctx: AdminContext): Record<string, (draft: DraftOrder) => number> => ({
  ID: (d) => Number(d.id),
  RELEVANCE: (d) => Number(d.id),
  NUMBER: draftNumber,
  UPDATED_AT: (d) => d.updatedAt.getTime(),
  TOTAL_PRICE: (d) => money.cents(draftTotals(ctx, d).total),
});

export function draftOrdersConnection(ctx: AdminContext, args: Args, info: GraphQLResolveInfo) {
  if (args.savedSearchId !== undefined && args.savedSearchId !== null) throw notModelled("draftOrders(savedSearchId:)");
  const sortKey = typeof args.sortKey === "string" ? args.sortKey : "ID";
  const sortValue = sortValues(ctx)[sortKey];
  if (!sortValue) throw notModelled(`draftOrders(sortKey: ${sortKey})`);
  const filter = connectionSearch(ctx, info, args.query, draftOrderMatcher(ctx));
  const items = [...ctx.shop.draftOrders.values()].filter(
    (draft) => inSearchIndex(ctx, draft.createdAt) && filter(draft),
  );
  return sortedConnection(items, args, (d) => Number(d.id), sortValue);
}
