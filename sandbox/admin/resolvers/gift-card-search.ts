/**
 * `giftCards(first, after, query, sortKey, reverse)`: Shopify's search syntax
 * over the shop's gift cards. Amends finds a customer's cards created since a
 * lost giftCardCreate; the other documented filters are answered where the
 * store holds the data, and refused loudly where it does not (`source`,
 * `recipient_id`, `status:expiring`).
 */
import type { GraphQLResolveInfo } from "graphql";
import { money, type GiftCard } from "../../store";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import { sortedConnection } from "./connection";
import { expired } from "./gift-cards";
import { compareWith, connectionSearch, inSearchIndex, matchesDate, type Comparator, type TermMatcher } from "./search";
import type { Args } from "./util";

/** A gift card's expiry is a calendar date, so it compares with bare dates only. */
function matchesExpiry(expiresOn: string | null, op: Comparator, value: string): boolean | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return expiresOn !== null && compareWith(op, Date.parse(expiresOn), Date.parse(value));
}

function balanceStatusMatches(card: GiftCard, value: string): boolean | undefined {
  const balance = money.cents(card.balance);
  switch (value.toLowerCase()) {
    case "full":
      return balance === money.cents(card.initialValue);
    case "partial":
      return balance > 0 && balance < money.cents(card.initialValue);
    case "empty":
      return balance === 0;
    case "full_or_partial":
      return balance > 0;
    default:
      return undefined;
  }
}

// enabled, disabled and expired split the cards three ways: a disabled card is
// disabled whatever its date, and an expired one is no longer "enabled".
function statusMatches(ctx: AdminContext, card: GiftCard, value: string): boolean | undefined {
  switch (value.toLowerCase()) {
    case "enabled":
      return card.enabled && !expired(ctx, card);
    case "disabled":
      return !card.enabled;
    case "expired":
      return card.enabled && expired(ctx, card);
    case "expiring":
      throw notModelled("giftCards(query: status:expiring)");
    default:
      return undefined;
  }
}

function giftCardMatcher(ctx: AdminContext): TermMatcher<GiftCard> {
  const zone = ctx.shop.ianaTimezone;
  return (card, { field, op, value }) => {
    switch (field) {
      case null: {
        const customer = card.customerId ? ctx.shop.customers.get(card.customerId) : undefined;
        const wanted = value.toLowerCase().replace(/\*/g, "");
        // Codes are shown in groups of four ("abcd-efgh…"); the search finds one however it is typed.
        if (card.code.toLowerCase().includes(wanted.replace(/[\s-]/g, ""))) return true;
        return [customer?.firstName, customer?.lastName, customer?.email]
          .filter(Boolean)
          .join(" ")
          .toLowerCase()
          .includes(wanted);
      }
      case "id":
        return /^\d+$/.test(value) ? compareWith(op, Number(card.id), Number(value)) : undefined;
      case "customer_id":
        return card.customerId === value;
      case "created_at":
        return matchesDate(card.createdAt, op, value, zone);
      case "expires_on":
        return matchesExpiry(card.expiresOn, op, value);
      case "initial_value":
        return Number.isFinite(Number(value))
          ? compareWith(op, money.cents(card.initialValue), Math.round(Number(value) * 100))
          : undefined;
      case "balance_status":
        return balanceStatusMatches(card, value);
      case "status":
        return statusMatches(ctx, card, value);
      case "source":
      case "recipient_id":
        throw notModelled(`giftCards(query: ${field}:)`);
      default:
        return undefined;
    }
  };
}

// The store keeps no separate update time for a card: nothing the sandbox does edits one after creation.
const SORT_VALUES: Record<string, (card: GiftCard) => number> = {
  ID: (c) => Number(c.id),
  CREATED_AT: (c) => c.createdAt.getTime(),
  UPDATED_AT: (c) => c.createdAt.getTime(),
  INITIAL_VALUE: (c) => money.cents(c.initialValue),
  BALANCE: (c) => money.cents(c.balance),
};

export function giftCardsConnection(ctx: AdminContext, args: Args, info: GraphQLResolveInfo) {
  if (args.savedSearchId !== undefined && args.savedSearchId !== null) throw notModelled("giftCards(savedSearchId:)");
  const sortKey = typeof args.sortKey === "string" ? args.sortKey : "ID";
  const sortValue = SORT_VALUES[sortKey];
  if (!sortValue) throw notModelled(`giftCards(sortKey: ${sortKey})`);
  const filter = connectionSearch(ctx, info, args.query, giftCardMatcher(ctx));
  const items = [...ctx.shop.giftCards.values()].filter((card) => inSearchIndex(ctx, card.createdAt) && filter(card));
  return sortedConnection(items, args, (c) => Number(c.id), sortValue);
}
