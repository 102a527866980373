/**
 * zod schemas for Shopify's scalars and small shared objects, as Admin API
 * 2026-10 serialises them: DateTime in ISO 8601 (UTC, no milliseconds),
 * Decimal amounts as strings ("10.5"), UnsignedInt64 as a JSON string, GIDs.
 * Variables take Dates and plain strings and send what Shopify expects.
 */
import { z } from "zod";

/** A GID of one resource type, e.g. gid("Order") accepts "gid://shopify/Order/123". */
export function gid(type: string) {
  return z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `expected a ${type} GID`);
}

/** DateTime as read: a Date. */
export const dateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
/** Date (YYYY-MM-DD) as read: kept as the string (it is a calendar date in the shop's zone, not an instant). */
export const date = z.iso.date();
/** Decimal and Money amounts as read: the exact string ("10.5"), never a float. */
export const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal amount");
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code");
/** UnsignedInt64 (e.g. numberOfOrders) arrives as a JSON string. */
export const unsignedInt64 = z
  .string()
  .regex(/^\d+$/)
  .transform((value) => Number(value));

export const moneyV2 = z.object({ amount: decimal, currencyCode });
export type MoneyV2 = z.output<typeof moneyV2>;
/** A MoneyBag read only in shop money (the sandbox, and Amends, work in the shop's currency). */
export const shopMoneyBag = z.object({ shopMoney: moneyV2 });

/** DateTime variable: a Date, sent as ISO 8601. */
export const dateTimeInput = z.date().transform((value) => value.toISOString());
/** Date variable: YYYY-MM-DD. */
export const dateInput = z.iso.date();
/**
 * Decimal variable as a string. Signs are not checked here: Shopify's own
 * userErrors (NEGATIVE_OR_ZERO_AMOUNT, GREATER_THAN) say what is wrong.
 */
export const decimalInput = z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal amount such as 12.50");

/** Every mutation payload's userErrors entry; `code` is absent from the plain UserError type. */
export const userError = z.object({
  field: z.array(z.string()).nullable(),
  code: z.string().nullable().optional(),
  message: z.string(),
});

export const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

/** One page of a connection read with `pageInfo { hasNextPage endCursor } nodes { ... }`. */
export function connectionPage<T extends z.ZodType>(node: T) {
  return z.object({ pageInfo, nodes: z.array(node) });
}

/** MailingAddressInput (2026-10 names: countryCode, provinceCode); nulls are left out rather than sent. */
export const mailingAddressInput = z.object({
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  company: z.string().optional(),
  address1: z.string().optional(),
  address2: z.string().optional(),
  city: z.string().optional(),
  provinceCode: z.string().optional(),
  zip: z.string().optional(),
  countryCode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  phone: z.string().optional(),
});
export type MailingAddressInput = z.input<typeof mailingAddressInput>;
