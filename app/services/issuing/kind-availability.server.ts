/**
 * Which kinds of make-good a shop can be given now. A kind needs the scopes of every Admin
 * operation its issuing sends (create, notify, reconcile), as the schema's notes state them
 * (app/shopify/scopes, written to operation-scopes.json); store credit also needs new customer
 * accounts, or the customer cannot spend it. The decision falls back from what is unavailable
 * (recovery/decide/availability.ts); the grid editor and settings page show the same list.
 */
import { isSatisfied, missingScopes, parseScopeList, withImpliedScopes } from "../../shopify/scopes/notes";
import {
  fallbackLabel,
  KIND_LABELS,
  unavailableText,
  type FallbackKind,
  type IssuableKind,
  type KindAvailability,
} from "../../recovery";
import type { Operation } from "../../shopify/operation";
import operationScopes from "../../shopify/scopes/operation-scopes.json";
import { codeDiscountNodeByCode } from "../../shopify/operations/code-discount-node-by-code";
import { discountCodeBasicCreate } from "../../shopify/operations/discount-code-basic-create";
import { discountCustomersAdd } from "../../shopify/operations/discount-customers-add";
import { discountRedeemCodeBulkAdd } from "../../shopify/operations/discount-redeem-code-bulk-add";
import { discountRedeemCodeBulkCreation } from "../../shopify/operations/discount-redeem-code-bulk-creation";
import { draftOrderComplete } from "../../shopify/operations/draft-order-complete";
import { draftOrderCreate } from "../../shopify/operations/draft-order-create";
import { draftOrder } from "../../shopify/operations/draft-order";
import { draftOrdersByTag } from "../../shopify/operations/draft-orders-by-tag";
import { giftCardCreate } from "../../shopify/operations/gift-card-create";
import { giftCardSendNotificationToCustomer } from "../../shopify/operations/gift-card-send-notification";
import { giftCardsForReconcile } from "../../shopify/operations/gift-cards-for-reconcile";
import { giftVariants } from "../../shopify/operations/gift-products";
import { orderForRecovery } from "../../shopify/operations/order-for-recovery";
import { orderLines } from "../../shopify/operations/order-lines";
import { variantInventory } from "../../shopify/operations/variant-inventory";
import { storeCreditAccountCredit } from "../../shopify/operations/store-credit-account-credit";
import { storeCreditAccountTransactions } from "../../shopify/operations/store-credit-account-transactions";

type AnyOperation = Pick<Operation, "name">;

const CODE_OPERATIONS: AnyOperation[] = [
  discountCodeBasicCreate,
  discountCustomersAdd,
  discountRedeemCodeBulkAdd,
  discountRedeemCodeBulkCreation,
  codeDiscountNodeByCode,
];

/** What issuing each kind sends (services/issuing/make-goods.server.ts and discount-groups.server.ts). */
export const KIND_OPERATIONS: Record<IssuableKind, readonly AnyOperation[]> = {
  DISCOUNT_PERCENT: CODE_OPERATIONS,
  DISCOUNT_FIXED: CODE_OPERATIONS,
  STORE_CREDIT: [storeCreditAccountCredit, storeCreditAccountTransactions],
  GIFT_CARD: [giftCardCreate, giftCardSendNotificationToCustomer, giftCardsForReconcile],
  // The gift goes to the order's shipping address (orderForRecovery) at the variant's price (giftVariants).
  GIFT_PRODUCT: [draftOrderCreate, draftOrderComplete, draftOrder, draftOrdersByTag, orderForRecovery, giftVariants],
  // The replacement reads the order's lines (orderLines) and their stock (variantInventory), then drafts as a gift.
  REPLACEMENT: [draftOrderCreate, draftOrderComplete, draftOrder, draftOrdersByTag, orderLines, variantInventory],
};

const TABLE = operationScopes as Record<string, Array<{ coordinate: string; anyOf: string[][] }> | undefined>;

export function kindRequirements(kind: IssuableKind): Array<{ coordinate: string; anyOf: string[][] }> {
  return KIND_OPERATIONS[kind].flatMap((operation) => {
    const requirements = TABLE[operation.name];
    // A new operation without a row would pass silently: the access-scopes test keeps the table whole.
    if (!requirements) throw new Error(`${operation.name} is not in operation-scopes.json (npm run scopes:operations)`);
    return requirements;
  });
}

/** The scopes `kind` lacks under `granted` (write scopes bring their read scopes); empty when none. */
export function missingScopesFor(kind: IssuableKind, granted: ReadonlySet<string>): string[] {
  const missing = new Set<string>();
  for (const requirement of kindRequirements(kind))
    if (!isSatisfied(requirement, granted)) for (const scope of missingScopes(requirement, granted)) missing.add(scope);
  // Granting write_x brings read_x: name only the write scope when both are missing.
  const impliedByMissingWrite = (scope: string) =>
    scope.startsWith("read_") && missing.has(`write_${scope.slice("read_".length)}`);
  return [...missing].filter((scope) => !impliedByMissingWrite(scope)).sort();
}

/**
 * The kinds the shop cannot be given. Unknown facts count as available: a shop with no recorded
 * scopes (a row from before scopes were kept) or whose customer-accounts version was not read yet.
 */
export function kindAvailability(shop: {
  grantedScopes: string | null;
  customerAccountsV2: boolean | null;
}): KindAvailability {
  const availability: KindAvailability = {};
  const granted = shop.grantedScopes === null ? null : withImpliedScopes(parseScopeList(shop.grantedScopes));
  for (const kind of Object.keys(KIND_OPERATIONS) as IssuableKind[]) {
    const missing = granted ? missingScopesFor(kind, granted) : [];
    if (missing.length > 0) availability[kind] = { code: "SCOPES_MISSING", scopes: missing };
    else if (kind === "STORE_CREDIT" && shop.customerAccountsV2 === false)
      availability[kind] = { code: "CLASSIC_CUSTOMER_ACCOUNTS" };
  }
  return availability;
}

/** One line per kind the shop cannot be given, for the grid editor and the settings page. */
export interface UnavailableKindNote {
  kind: IssuableKind;
  /** "Gift card" */
  label: string;
  /** "the shop does not grant Amends the write_gift_cards access scope" */
  reason: string;
  /** What the decision gives instead: "fixed-amount discount code", or "apology message only". */
  fallback: string;
}

export function unavailableKindNotes(
  shop: { grantedScopes: string | null; customerAccountsV2: boolean | null },
  fallback: FallbackKind,
): UnavailableKindNote[] {
  const availability = kindAvailability(shop);
  return (Object.keys(availability) as IssuableKind[]).map((kind) => {
    const label = KIND_LABELS[kind];
    // The merchant's fallback when it can be issued, else a fixed-amount code (decide/availability.ts).
    const usable = (k: FallbackKind) => k === "NONE" || !availability[k];
    const instead = usable(fallback) ? fallback : usable("DISCOUNT_FIXED") ? "DISCOUNT_FIXED" : "NONE";
    return {
      kind,
      label: label.charAt(0).toUpperCase() + label.slice(1),
      reason: unavailableText(availability[kind]!),
      fallback: fallbackLabel(instead),
    };
  });
}
