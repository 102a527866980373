/** Customers: identity, value (amountSpent, numberOfOrders), store credit accounts and orders. */
import type { Customer, MailingAddress } from "../../store";
import { byId } from "./connection";
import { defineMetafieldFields } from "./metafields";
import { ordersConnection } from "./order-search";
import { searchFilter } from "./search";
import { gidOf, iso, moneyV2, type ResolverMap, type TypeResolvers } from "./util";

/** Only the fields the store holds; any other MailingAddress field is reported as not modelled. */
export function mailingAddress(address: MailingAddress | null) {
  if (!address) return null;
  return {
    firstName: address.firstName,
    lastName: address.lastName,
    name: `${address.firstName} ${address.lastName}`.trim(),
    address1: address.address1,
    address2: null,
    city: address.city,
    zip: address.zip,
    countryCodeV2: address.countryCode,
    provinceCode: address.provinceCode ?? null,
    company: null,
    phone: null,
  };
}

const Customer: TypeResolvers<Customer> = {
  id: (c) => gidOf("Customer", c.id),
  legacyResourceId: (c) => c.id,
  firstName: (c) => c.firstName || null,
  lastName: (c) => c.lastName || null,
  displayName: (c) => `${c.firstName} ${c.lastName}`.trim() || c.email,
  email: (c) => c.email || null,
  defaultEmailAddress: (c) => (c.email ? { emailAddress: c.email } : null),
  locale: (c) => c.locale,
  tags: (c) => c.tags,
  createdAt: (c) => iso(c.createdAt),
  updatedAt: (c) => iso(c.updatedAt),
  defaultAddress: (c) => mailingAddress(c.defaultAddress),
  amountSpent: (c, _a, ctx) => moneyV2(c.amountSpent, ctx.shop.currency),
  // UnsignedInt64 travels as a JSON string.
  numberOfOrders: (c) => String(c.numberOfOrders),
  statistics: (c, _a, ctx) => ctx.extras.customerStatistics.get(c.id) ?? { rfmGroup: null, predictedSpendTier: null },
  storeCreditAccounts: (c, args, ctx) => {
    const filter = searchFilter(
      typeof args.query === "string" ? args.query : null,
      (account: { currency: string }, term) =>
        term.field === "currency_code" ? account.currency.toUpperCase() === term.value.toUpperCase() : undefined,
      (field, message) =>
        ctx.searchWarnings.push({
          path: ["storeCreditAccounts"],
          query: String(args.query),
          warnings: [{ field, message }],
        }),
    );
    const accounts = [...ctx.shop.storeCreditAccounts.values()].filter((a) => a.customerId === c.id && filter(a));
    return byId(accounts, args, (a) => a.id);
  },
  orders: (c, args, ctx, info) => ordersConnection(ctx, args, info, (order) => order.customerId === c.id),
  lastOrder: (c, _a, ctx) =>
    [...ctx.shop.orders.values()]
      .filter((o) => o.customerId === c.id)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ?? null,
  ...defineMetafieldFields<Customer>((c) => gidOf("Customer", c.id)),
};

export const customerResolvers: ResolverMap = { Customer };
