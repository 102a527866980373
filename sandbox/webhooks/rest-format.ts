/**
 * The small conventions every REST webhook payload shares: timestamps in the
 * shop's time zone with an offset and whole seconds ("2021-12-31T19:00:00-05:00"),
 * ids as JSON numbers, GIDs next to them, money as strings with a *_set twin.
 */
import type { Id } from "../store";
import { timeZoneOffsetMinutes } from "../timezone";

export { timeZoneOffsetMinutes };

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

/** A REST timestamp: local wall time of the shop plus its UTC offset, to the second, as Shopify writes them. */
export function restTime(date: Date, timeZone: string): string {
  const offset = timeZoneOffsetMinutes(date, timeZone);
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offset * 60_000);
  const sign = offset < 0 ? "-" : "+";
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

export const restTimeOrNull = (date: Date | null, timeZone: string): string | null =>
  date ? restTime(date, timeZone) : null;

/** REST ids are JSON numbers; the sandbox's ids are small enough to stay exact. */
export function restId(id: Id): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw new Error(`sandbox id ${id} is not a safe integer`);
  return n;
}

export interface MoneySet {
  shop_money: { amount: string; currency_code: string };
  presentment_money: { amount: string; currency_code: string };
}

/** Shop and presentment money are the same: the sandbox sells in the shop currency only. */
export function moneySet(amount: string, currency: string): MoneySet {
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

/**
 * Ids for sub-objects the store keeps no id for (refund line items, refund
 * transactions, shipping lines, addresses): derived from the parent id, so a
 * payload built twice carries the same ids. Parent ids are around 10^6..10^7,
 * so the result stays far below 2^53.
 */
export function derivedId(parent: Id, kind: number, index = 0): number {
  return restId(parent) * 1000 + kind * 100 + index;
}

export const DERIVED = {
  refundLineItem: 1,
  refundTransaction: 2,
  shippingLine: 3,
  address: 4,
  orderAdjustment: 5,
  fulfillmentOrderLineItem: 6,
  saleTransaction: 7,
} as const;

/** FNV-1a: a stable 32-bit number from a string (shop ids, tokens). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The shop's numeric id. ShopState has none, so it is derived from the domain (stable across runs). */
export function shopNumericId(domain: string): number {
  return 10_000_000 + (hash32(domain) % 89_999_999);
}

/** A hex token of `length` characters derived from `seed` (order tokens, confirmation numbers). */
export function stableHex(seed: string, length: number): string {
  let out = "";
  let round = 0;
  while (out.length < length) out += hash32(`${seed}#${round++}`).toString(16).padStart(8, "0");
  return out.slice(0, length);
}
