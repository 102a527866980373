/**
 * The customer's preferred make-good, learned from what they redeemed before (decision 0114).
 *
 * A customer shows which kind of make-good they use by using it: the code on a later order, the
 * store credit spent at checkout, the gift card paid with (attribution records it as the offer's
 * `redeemedAt`, decision 0106). The rule, over the redemptions the caller passes in:
 * 1. A guest has no preference (no customer to follow).
 * 2. A customer whose data the shop erased at their request (customers/redact) has none, whatever
 *    the caller passes: no redemption of theirs is used, of any date (they asked to be forgotten).
 * 3. Only this customer's redemptions count, of a kind that can be redeemed (a code, percent or
 *    fixed, counts as "a discount code"; gift products and apologies are never redeemed), redeemed
 *    no later than `now`; of those, the latest PREFERENCE_WINDOW (newest first, ties by offer id,
 *    then kind).
 * 4. None left: no preference. Otherwise the kind redeemed most often among them; a tie goes to
 *    the tied kind redeemed most recently (the first in that order), so the answer never depends
 *    on the order the redemptions were passed in.
 */
import type { OfferKind } from "../vocabulary";

/** The kinds a customer can show a preference for, by redeeming one. */
export const PREFERABLE_KINDS = ["DISCOUNT_CODE", "STORE_CREDIT", "GIFT_CARD"] as const;
export type PreferableKind = (typeof PREFERABLE_KINDS)[number];

/** How many of the latest redemptions the rule reads: habits change, and the read stays small. */
export const PREFERENCE_WINDOW = 10;

/** Which preferable kind an offer of this kind is, or null when it cannot be redeemed. */
export function preferableKindOf(kind: OfferKind): PreferableKind | null {
  switch (kind) {
    case "DISCOUNT_PERCENT":
    case "DISCOUNT_FIXED":
      return "DISCOUNT_CODE";
    case "STORE_CREDIT":
    case "GIFT_CARD":
      return kind;
    case "GIFT_PRODUCT":
    case "NONE":
    case "REPLACEMENT":
      return null;
  }
}

/** "a discount code", "store credit", "a gift card": as in "They used store credit last time". */
export const PREFERABLE_KIND_WORDS: Record<PreferableKind, string> = {
  DISCOUNT_CODE: "a discount code",
  STORE_CREDIT: "store credit",
  GIFT_CARD: "a gift card",
};

/** An offer the customer redeemed: its customer is null once unlinked (a redaction). */
export interface RedeemedOffer {
  offerId: string;
  customerId: string | null;
  kind: OfferKind;
  redeemedAt: Date;
}

/** What the caller reads for the rule: the customer's redemptions and whether they were erased. */
export interface RedemptionHistory {
  redemptions: readonly RedeemedOffer[];
  /** When the shop last erased this customer's data at their request; null when never. */
  redactedAt: Date | null;
}

export type Preference =
  | { kind: "NONE"; reason: "GUEST" | "REDACTED" | "NO_REDEMPTIONS" }
  | {
      kind: "PREFERS";
      preferred: PreferableKind;
      /** Redemptions of the preferred kind among those read. */
      count: number;
      /** Redemptions read (at most PREFERENCE_WINDOW). */
      considered: number;
      /** The kind of the latest redemption. */
      last: PreferableKind;
    };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first; then by offer id, then kind: a total order, so the input's order never matters. */
export function newestFirst(a: RedeemedOffer, b: RedeemedOffer): number {
  return b.redeemedAt.getTime() - a.redeemedAt.getTime() || byText(a.offerId, b.offerId) || byText(a.kind, b.kind);
}

export function learnPreference(input: {
  customerId: string | null;
  history: RedemptionHistory | undefined;
  now: Date;
}): Preference {
  const { customerId, history, now } = input;
  if (customerId === null) return { kind: "NONE", reason: "GUEST" };
  if (history?.redactedAt) return { kind: "NONE", reason: "REDACTED" };
  const read = (history?.redemptions ?? [])
    .filter((r) => r.customerId === customerId && r.redeemedAt.getTime() <= now.getTime())
    .flatMap((r) => {
      const kind = preferableKindOf(r.kind);
      return kind ? [{ ...r, preferable: kind }] : [];
    })
    .sort(newestFirst)
    .slice(0, PREFERENCE_WINDOW);
  if (read.length === 0) return { kind: "NONE", reason: "NO_REDEMPTIONS" };
  const counts = new Map<PreferableKind, number>();
  for (const r of read) counts.set(r.preferable, (counts.get(r.preferable) ?? 0) + 1);
  const most = Math.max(...counts.values());
  // Newest first: the first kind reaching the highest count is the tied kind redeemed most recently.
  const preferred = read.find((r) => counts.get(r.preferable) === most)!.preferable;
  return { kind: "PREFERS", preferred, count: most, considered: read.length, last: read[0]!.preferable };
}

/** "They used store credit last time" / "They used a gift card for 3 of their last 5 redeemed make-goods". */
export function describePreference(preference: Preference): string {
  switch (preference.kind) {
    case "NONE":
      return preference.reason === "GUEST"
        ? "A guest checkout has no make-goods redeemed before"
        : preference.reason === "REDACTED"
          ? "The customer's data was erased at their request: nothing they redeemed before is used"
          : "They have not redeemed a make-good before";
    case "PREFERS": {
      const words = PREFERABLE_KIND_WORDS[preference.preferred];
      // The latest redemption decided a tie: "last time" is the whole reason.
      if (preference.last === preference.preferred && preference.count === 1) return `They used ${words} last time`;
      if (preference.last === preference.preferred)
        return `They used ${words} last time (${preference.count} of their last ${preference.considered} redeemed make-goods)`;
      return `They used ${words} for ${preference.count} of their last ${preference.considered} redeemed make-goods`;
    }
  }
}
