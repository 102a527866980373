/**
 * Which kinds of make-good a shop can be given right now, and what a decision does when the grid
 * asks for one it cannot (docs/decisions/0014-scopes-and-kinds.md):
 * - a kind needs scopes the shop no longer grants (app/scopes_update): issuing it would be refused;
 * - store credit on a shop with classic customer accounts: it would be issued, counted against the
 *   budget, and never spendable (customers spend credit only when signed in with new accounts).
 * The caller works this out (scopes from the operations each kind's issuing sends, the shop's
 * customer-accounts version) and passes it in; this file only words it and picks the fallback.
 */
import { describeCell, type GridCell } from "../grid";
import type { FallbackKind } from "../guardrails";
import type { MinorUnits } from "../money";
import type { OfferKind } from "../vocabulary";

/** The kinds that issue something in Shopify (NONE issues nothing and is always available). */
export type IssuableKind = Exclude<OfferKind, "NONE">;

export type Unavailability =
  /** The shop does not grant these scopes (one alternative of each missing requirement). */
  | { code: "SCOPES_MISSING"; scopes: string[] }
  /** Store credit: the shop uses classic customer accounts, where credit cannot be spent. */
  | { code: "CLASSIC_CUSTOMER_ACCOUNTS" };

/** Kinds that cannot be issued, with why; a kind not listed is available. */
export type KindAvailability = Partial<Record<IssuableKind, Unavailability>>;

/** A fallback's expiry when the original kind has none to keep (a gift product, a card without expiry). */
export const FALLBACK_EXPIRY_DAYS = 90;

export const KIND_LABELS: Record<IssuableKind, string> = {
  DISCOUNT_PERCENT: "percent discount code",
  DISCOUNT_FIXED: "fixed-amount discount code",
  STORE_CREDIT: "store credit",
  GIFT_CARD: "gift card",
  GIFT_PRODUCT: "free gift product",
  REPLACEMENT: "free replacement",
};

export function fallbackLabel(kind: FallbackKind): string {
  return kind === "NONE" ? "apology message only" : KIND_LABELS[kind];
}

/** "the shop does not grant write_gift_cards" / "... uses classic customer accounts, where store credit cannot be spent". */
export function unavailableText(u: Unavailability): string {
  return u.code === "SCOPES_MISSING"
    ? `the shop does not grant Amends the ${u.scopes.join(", ")} access scope${u.scopes.length === 1 ? "" : "s"}`
    : "the shop uses classic customer accounts, where store credit cannot be spent";
}

export function isOfferKind(kind: GridCell["kind"]): kind is IssuableKind {
  return kind !== "NONE";
}

/**
 * The cell issued instead of an unavailable one: the merchant's fallback kind, else a fixed-amount
 * code, worth what the grid valued the original at (faceValue); null when none can be issued.
 */
export function fallbackCell(
  original: GridCell,
  valueMinor: MinorUnits,
  fallback: FallbackKind,
  availability: KindAvailability,
  hasCustomer: boolean,
): GridCell | null {
  if (valueMinor < 1) return null;
  const candidates = [...new Set<FallbackKind>([fallback, "DISCOUNT_FIXED"])];
  for (const kind of candidates) {
    if (kind === "NONE") return null;
    if (availability[kind]) continue;
    if (kind === "STORE_CREDIT" && !hasCustomer) continue;
    const base = { approval: original.approval, messageTemplateKey: original.messageTemplateKey };
    const keptExpiry = original.expiryDays ?? FALLBACK_EXPIRY_DAYS;
    if (kind === "GIFT_CARD") return { ...base, kind, value: valueMinor, expiryDays: original.expiryDays };
    return { ...base, kind, value: valueMinor, expiryDays: keptExpiry };
  }
  return null;
}

/** "$25.00 gift card unavailable (...): falls back to $25.00 code, 60-day expiry, value kept". */
export function fallbackText(
  original: GridCell,
  unavailable: Unavailability,
  replacement: GridCell | null,
  currency: string,
  locale?: string,
): string {
  const kind = isOfferKind(original.kind) ? KIND_LABELS[original.kind] : original.kind;
  const why = `${kind} unavailable: ${unavailableText(unavailable)}`;
  return replacement
    ? `${why}; falls back to ${describeCell(replacement, currency, locale)} (same value)`
    : `${why}; no fallback kind can be issued: apology message only`;
}
