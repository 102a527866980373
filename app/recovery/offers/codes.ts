/**
 * Make-good codes (gift card and discount codes): their shape, and how staff see them.
 * The random draw itself is the caller's (app/models/offers.server.ts, node:crypto): this module
 * only knows the alphabet, the lengths and the masks. See docs/decisions/0019-codes-and-tokens.md.
 *
 * - Alphabet: digits and capital letters without the ones misread over the phone or on paper
 *   (0/O, 1/I/L, and U), 30 symbols, about 4.9 bits each.
 * - Gift card: 16 symbols (78 bits). Shopify's rule for GiftCardCreateInput.code: 8-20 letters and
 *   digits, not case sensitive; a gift card is money to whoever holds the code.
 * - Discount code (and a gift draft's tag): 12 symbols (59 bits): typed at checkout, usable once
 *   by one customer only.
 * - Staff read a code in groups of four ("7KQ2 XH4P M9TD 3WRA"); the code itself has no spaces
 *   (a discount code with spaces would not apply at checkout).
 */
import type { OfferKind } from "../vocabulary";

export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
export const GIFT_CARD_CODE_LENGTH = 16;
export const DISCOUNT_CODE_LENGTH = 12;

export function codeLengthFor(kind: OfferKind): number {
  return kind === "GIFT_CARD" ? GIFT_CARD_CODE_LENGTH : DISCOUNT_CODE_LENGTH;
}

/**
 * The code from one draw per symbol: `draw(n)` returns a uniform integer in [0, n) (crypto.randomInt
 * in the app, a fixed sequence in tests).
 */
export function codeFromDraws(length: number, draw: (n: number) => number): string {
  let code = "";
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[draw(CODE_ALPHABET.length)];
  return code;
}

/**
 * Keys of offers decided before random codes: "amends" + the first 12 hex of the offer id, which
 * anyone who sees an offer id can recompute. Such a key is replaced before its offer's first call
 * to Shopify (nothing can exist under it yet); one that may already exist in Shopify is kept.
 */
export function isDerivedIssueKey(key: string, offerId: string): boolean {
  return key === `amends${offerId.replaceAll("-", "").slice(0, 12)}`;
}

/** "7KQ2 XH4P M9TD 3WRA": the full code in groups of four, for a member who revealed it. */
export function groupCode(code: string): string {
  return code.match(/.{1,4}/g)?.join(" ") ?? code;
}

/** What every page shows of a code: its last four characters only ("•••• 3WRA"). */
export function maskCode(code: string | null | undefined): string | null {
  if (!code) return null;
  return `•••• ${code.slice(-4).toUpperCase()}`;
}
