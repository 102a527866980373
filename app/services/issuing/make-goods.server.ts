/**
 * The Shopify side of issuing, per kind of make-good: look for what an earlier attempt made (the
 * discount code or gift card code is the offer's issueKey, the draft order carries it as a tag, a
 * store credit is matched on amount + expiry to the second + time), adopt it if found, else
 * create it; after an answer that says it may exist (AMBIGUOUS, a code TAKEN), look again.
 * findMakeGood() is the lookup alone: what settles an offer that may exist before it ends.
 *
 * Gift cards and gift drafts are found by search, and Shopify's search index lags writes: right
 * after an attempt that may have created one, "not found" means nothing. A search that finds
 * nothing is believed only once SEARCH_INDEX_ALLOWANCE_MS has passed since the last attempt that
 * may have created something ended; before that the attempt stops with SearchNotCaughtUpError
 * (retryable, nothing created) and the job looks again later. A lookup by id or by code
 * (codeDiscountNodeByCode, a draft's id, the store credit account) is not searched and needs no wait.
 */
import type { Incident, Offer } from "@prisma/client";
import { clock } from "../../clock.server";
import { prisma } from "../../db.server";
import type { ShopContext } from "../../models/shop-settings.server";
import { fromMinorUnits, gridCellSchema, localDate, type GridCell } from "../../recovery";
import type { AdminClient } from "../../shopify/admin-client.server";
import { AdminApiError, mayHaveMade, UserErrorsError } from "../../shopify/admin-errors";
import { draftOrderComplete } from "../../shopify/operations/draft-order-complete";
import { draftOrderCreate } from "../../shopify/operations/draft-order-create";
import { draftOrder } from "../../shopify/operations/draft-order";
import { draftOrdersByTag } from "../../shopify/operations/draft-orders-by-tag";
import { giftCardCreate } from "../../shopify/operations/gift-card-create";
import { giftCardSendNotificationToCustomer } from "../../shopify/operations/gift-card-send-notification";
import { giftCardsForReconcile } from "../../shopify/operations/gift-cards-for-reconcile";
import { storeCreditAccountCredit } from "../../shopify/operations/store-credit-account-credit";
import {
  findCredits,
  storeCreditAccountTransactions,
} from "../../shopify/operations/store-credit-account-transactions";
import { SEARCH_INDEX_ALLOWANCE_MS, SearchNotCaughtUpError } from "../../shopify/search-query";
import { canGiveAway, variantInventory } from "../../shopify/operations/variant-inventory";
import { findGroupedCode, issueGroupedCode, type CodeSubmitted } from "./discount-groups.server";

export type { CodeSubmitted } from "./discount-groups.server";

/** What Shopify made (or what an earlier attempt made and this one adopted). */
export interface MadeGood {
  shopifyGid: string;
  code: string | null;
  giftOrderGid: string | null;
  adopted: boolean;
  notified: boolean;
}

export type OfferWithIncident = Offer & { incident: Incident };

/** Something the offer itself makes impossible (a guest for store credit...): FAILED, not retried. */
class IssueRefusedError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly code: string,
    /** Refused before this attempt sent any create to Shopify (a stock check): nothing for a search to find. */
    readonly sentNothing = false,
  ) {
    super(message);
    this.name = "IssueRefusedError";
  }
}

/**
 * Whether an attempt that ended in `error` sent no create to Shopify, so its end does not restart the
 * wait for the search index (emptySearchBelievableAt): a search not caught up, or a refusal before any create.
 */
export function attemptSentNothing(error: unknown): boolean {
  return error instanceof SearchNotCaughtUpError || (error instanceof IssueRefusedError && error.sentNothing);
}

function customerOf(offer: Offer): string {
  if (!offer.customerGid)
    throw new IssueRefusedError(`${offer.kind} needs a customer account (guest checkout)`, "NEEDS_CUSTOMER");
  return offer.customerGid;
}

const NOT_MAILED = { giftOrderGid: null, notified: false };

/** A grouped discount code as what Shopify made for the offer. */
export function groupedCodeMade(code: { discountGid: string; code: string; adopted: boolean }): MadeGood {
  return { shopifyGid: code.discountGid, code: code.code, adopted: code.adopted, ...NOT_MAILED };
}

/**
 * When an empty search becomes believable: SEARCH_INDEX_ALLOWANCE_MS after the latest end of an
 * earlier attempt (a transition out of ISSUING) that may have created something; attempts that only
 * looked (data.lookupOnly) do not count. Null: no earlier attempt, nothing to wait for.
 */
async function emptySearchBelievableAt(offer: Pick<Offer, "shop" | "id">): Promise<Date | null> {
  const ends = await prisma.offerTransition.findMany({
    where: { shop: offer.shop, offerId: offer.id, fromStatus: "ISSUING" },
    select: { at: true, data: true },
  });
  const times = ends
    .filter((t) => !(typeof t.data === "object" && t.data !== null && (t.data as { lookupOnly?: unknown }).lookupOnly))
    .map((t) => t.at.getTime());
  return times.length ? new Date(Math.max(...times) + SEARCH_INDEX_ALLOWANCE_MS) : null;
}

/**
 * A search for what an earlier attempt may have made. Found: that. Not found: null only when the
 * index has had time to catch up (`believeEmpty`), else SearchNotCaughtUpError. Right after this
 * attempt's own create (`afterOwnCreate`) an empty answer is simply null: the caller then rethrows
 * the create's own (retryable) error, and the next attempt waits here.
 */
async function searchForEarlier<T>(
  offer: Offer,
  search: () => Promise<T | null>,
  afterOwnCreate: boolean,
): Promise<T | null> {
  const found = await search();
  if (found || afterOwnCreate) return found;
  const believableAt = await emptySearchBelievableAt(offer);
  if (believableAt && believableAt.getTime() > clock().now().getTime())
    throw new SearchNotCaughtUpError(`offer ${offer.id}: what an earlier attempt made`, believableAt);
  return null;
}

/**
 * The credit's expiry: the offer's, to the second, pushed later by 0-3599 s derived from the offer
 * id, so two credits of the same amount and day for one customer stay distinguishable when
 * reconciling (the API has no origin marker). The customer gets slightly more time, never less.
 */
function creditExpiry(offer: Pick<Offer, "id" | "expiresAt">): Date | null {
  if (!offer.expiresAt) return null;
  const spread = Number.parseInt(offer.id.replaceAll("-", "").slice(0, 6), 16) % 3600;
  return new Date(Math.floor(offer.expiresAt.getTime() / 1000) * 1000 + spread * 1000);
}

/**
 * The earliest a credit of this offer can carry: its decision, down to the whole second (Shopify's
 * DateTime has no milliseconds, so a credit made in the second of the decision reads as before
 * it), less a minute of clock skew between the app and Shopify, as for gift cards. The expiry
 * (to the second, spread by offer) is what tells two credits apart, not this bound.
 */
function creditSearchSince(offer: Pick<Offer, "decidedAt" | "createdAt">): Date {
  const decided = (offer.decidedAt ?? offer.createdAt).getTime();
  return new Date(Math.floor(decided / 1000) * 1000 - 60_000);
}

async function findStoreCredit(admin: AdminClient, offer: Offer, ctx: ShopContext): Promise<MadeGood | null> {
  const data = await admin.run(storeCreditAccountTransactions, {
    customerId: customerOf(offer),
    currencyCode: offer.currency,
  });
  const found = findCredits(data, {
    amount: fromMinorUnits(offer.faceValueMinor, offer.currency),
    since: creditSearchSince(offer),
    expiresAt: creditExpiry(offer),
  });
  return found[0]
    ? { shopifyGid: found[0].id, code: null, adopted: true, giftOrderGid: null, notified: ctx.offers.notifyStoreCredit }
    : null;
}

/**
 * The gift card's note (staff see it in Shopify's admin; the customer does not): what it is and
 * which offer, to tell cards apart when reconciling. The offer id gives nothing away since codes
 * are random (decision 0019).
 */
export function giftCardNote(offer: Pick<Offer, "id">, orderName: string): string {
  return `Amends make-good for ${orderName} (offer ${offer.id})`;
}

/** Cards made before decision 0019 carry the bare offer id as their note. */
function isGiftCardNoteOf(note: string | null | undefined, offer: Pick<Offer, "id">): boolean {
  return note === offer.id || (note?.endsWith(`(offer ${offer.id})`) ?? false);
}

async function findGiftCard(admin: AdminClient, offer: Offer, afterOwnCreate = false): Promise<MadeGood | null> {
  return searchForEarlier(
    offer,
    async () => {
      const since = new Date((offer.decidedAt ?? offer.createdAt).getTime() - 60_000);
      const { giftCards } = await admin.run(giftCardsForReconcile, { customerId: customerOf(offer), since });
      const card = giftCards.nodes.find(
        (c) => isGiftCardNoteOf(c.note, offer) && offer.issueKey.toLowerCase().endsWith(c.lastCharacters.toLowerCase()),
      );
      return card ? { shopifyGid: card.id, code: offer.issueKey, adopted: true, ...NOT_MAILED } : null;
    },
    afterOwnCreate,
  );
}

async function findDraft(admin: AdminClient, offer: Offer, afterOwnCreate = false) {
  return searchForEarlier(
    offer,
    async () => (await admin.run(draftOrdersByTag, { tag: offer.issueKey })).draftOrders.nodes[0] ?? null,
    afterOwnCreate,
  );
}

/**
 * What Shopify holds for the offer now: the make-good itself (FOUND), nothing (ABSENT), or a gift's
 * draft order not yet completed (UNFINISHED: only issuing may finish it).
 */
export type MakeGoodLookup = { kind: "FOUND"; made: MadeGood } | { kind: "ABSENT" } | { kind: "UNFINISHED" };

export async function findMakeGood(
  admin: AdminClient,
  offer: OfferWithIncident,
  ctx: ShopContext,
): Promise<MakeGoodLookup> {
  const cell = gridCellSchema.parse(offer.cell);
  const found = (made: MadeGood | null): MakeGoodLookup => (made ? { kind: "FOUND", made } : { kind: "ABSENT" });
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
    case "DISCOUNT_FIXED": {
      const code = await findGroupedCode(admin, offer);
      return found(code && groupedCodeMade(code));
    }
    case "STORE_CREDIT":
      return found(await findStoreCredit(admin, offer, ctx));
    case "GIFT_CARD":
      return found(await findGiftCard(admin, offer));
    case "GIFT_PRODUCT":
    case "REPLACEMENT": {
      const draft = await findDraft(admin, offer);
      if (!draft) return { kind: "ABSENT" };
      if (draft.status !== "COMPLETED" || !draft.order) return { kind: "UNFINISHED" };
      return found({ shopifyGid: draft.id, code: null, giftOrderGid: draft.order.id, adopted: true, notified: false });
    }
    case "NONE":
      return { kind: "ABSENT" };
  }
}

/**
 * Look for what an earlier attempt made (only when there was one: a first claim never reached
 * Shopify before), else create; on an answer that says it may exist, look again and adopt.
 */
async function createOrAdopt(
  earlierAttempt: boolean,
  lookup: (afterOwnCreate: boolean) => Promise<MadeGood | null>,
  create: () => Promise<MadeGood>,
): Promise<MadeGood> {
  const existing = earlierAttempt ? await lookup(false) : null;
  if (existing) return existing;
  try {
    return await create();
  } catch (error) {
    if (!mayHaveMade(error)) throw error;
    const found = await lookup(true);
    if (found) return found;
    throw error;
  }
}

/**
 * Make (or adopt) the offer's make-good in Shopify, or, for a code added to a group's discount, send
 * it (CodeSubmitted: Shopify adds it asynchronously and the check-code-add job records the offer).
 */
export async function makeGoodInShopify(
  admin: AdminClient,
  offer: OfferWithIncident,
  ctx: ShopContext,
): Promise<MadeGood | CodeSubmitted> {
  const cell = gridCellSchema.parse(offer.cell);
  const earlier = offer.attempts > 1;
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
    case "DISCOUNT_FIXED": {
      const made = await issueGroupedCode(admin, offer, cell, customerOf(offer), ctx.timeZone);
      if ("submitted" in made) return made;
      return groupedCodeMade(made);
    }
    case "STORE_CREDIT":
      return createOrAdopt(
        earlier,
        // Not a search: the account's transactions are read directly.
        () => findStoreCredit(admin, offer, ctx),
        async () => {
          const { storeCreditAccountCredit: made } = await admin.run(storeCreditAccountCredit, {
            id: customerOf(offer),
            amount: fromMinorUnits(offer.faceValueMinor, offer.currency),
            currencyCode: offer.currency,
            expiresAt: creditExpiry(offer),
            notify: ctx.offers.notifyStoreCredit,
          });
          return {
            shopifyGid: made.storeCreditAccountTransaction.id,
            code: null,
            adopted: false,
            giftOrderGid: null,
            notified: ctx.offers.notifyStoreCredit,
          };
        },
      );
    case "GIFT_CARD":
      return giftCard(admin, offer, ctx, earlier);
    case "GIFT_PRODUCT":
      return giftProduct(admin, offer, cell, earlier);
    case "REPLACEMENT":
      return replacement(admin, offer, cell, earlier);
    case "NONE":
      throw new IssueRefusedError("an apology-only offer has nothing to issue", "NOTHING_TO_ISSUE");
  }
}

async function giftCard(
  admin: AdminClient,
  offer: OfferWithIncident,
  ctx: ShopContext,
  earlier: boolean,
): Promise<MadeGood> {
  const made = await createOrAdopt(
    earlier,
    (afterOwnCreate) => findGiftCard(admin, offer, afterOwnCreate),
    async () => {
      const { giftCardCreate: created } = await admin.run(giftCardCreate, {
        customerId: customerOf(offer),
        amount: fromMinorUnits(offer.faceValueMinor, offer.currency),
        currencyCode: offer.currency,
        expiresOn: offer.expiresAt ? localDate(offer.expiresAt, ctx.timeZone) : null,
        note: giftCardNote(offer, offer.incident.orderName),
        code: offer.issueKey,
      });
      return { shopifyGid: created.giftCard.id, code: offer.issueKey, adopted: false, ...NOT_MAILED };
    },
  );
  if (!ctx.offers.notifyGiftCard || offer.notifiedAt) return made;
  try {
    await admin.run(giftCardSendNotificationToCustomer, { id: made.shopifyGid });
  } catch (error) {
    // The notification cannot be looked up: an ambiguous send counts as sent (at most once).
    if (!(error instanceof AdminApiError && error.code === "AMBIGUOUS")) throw error;
  }
  return { ...made, notified: true };
}

/**
 * draftOrderComplete takes the units whether the shop has them or not (Shopify oversells a draft),
 * so a tracked variant that is not sold when out of stock is checked first. Out of stock refuses the
 * issue: the offer is FAILED with this reason on its incident page, and Retry after restocking
 * issues it then (decision 0112).
 */
async function ensureInStock(admin: AdminClient, gift: { variantId: string; quantity: number }): Promise<void> {
  const { productVariant: stock } = await admin.run(variantInventory, { id: gift.variantId });
  if (!stock)
    throw new IssueRefusedError(
      `the gift product (${gift.variantId}) no longer exists in the shop: this gift cannot be sent`,
      "GIFT_VARIANT_GONE",
      true,
    );
  if (!canGiveAway(stock, gift.quantity))
    throw new IssueRefusedError(
      `out of stock: ${stock.displayName} has ${stock.inventoryQuantity ?? 0} available and the gift needs ${gift.quantity}; ` +
        "restock it, then retry",
      "OUT_OF_STOCK",
      true,
    );
}

async function giftProduct(
  admin: AdminClient,
  offer: OfferWithIncident,
  cell: Extract<GridCell, { kind: "GIFT_PRODUCT" }>,
  earlier: boolean,
): Promise<MadeGood> {
  return draftMakeGood(admin, offer, earlier, {
    lines: [{ variantId: cell.value.variantId, quantity: cell.value.quantity }],
    stockCheck: () => ensureInStock(admin, cell.value),
  });
}

/**
 * The free replacement (decision 0116): the lines the decision recorded, each 100% off, with the
 * merchant's shipping method at no charge, made and completed exactly as a gift (one draft per
 * offer, found again by the offer's tag). Every line is checked for stock first and the draft is
 * only made when all can go: a replacement is never sent in part.
 */
async function replacement(
  admin: AdminClient,
  offer: OfferWithIncident,
  cell: Extract<GridCell, { kind: "REPLACEMENT" }>,
  earlier: boolean,
): Promise<MadeGood> {
  const lines = cell.value.lines ?? [];
  if (lines.length === 0)
    throw new IssueRefusedError("the replacement names no line to send", "NOTHING_TO_REPLACE", true);
  const gone = lines.filter((line) => line.variantId === null);
  if (gone.length > 0)
    throw new IssueRefusedError(
      `${gone.map((line) => line.title).join(", ")} can no longer be sent: the product was deleted from the shop; ` +
        "this replacement cannot be sent as it is",
      "REPLACEMENT_VARIANT_GONE",
      true,
    );
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.variantId!, (wanted.get(line.variantId!) ?? 0) + line.quantity);
  return draftMakeGood(admin, offer, earlier, {
    lines: [...wanted].map(([variantId, quantity]) => ({ variantId, quantity })),
    stockCheck: () => ensureAllInStock(admin, wanted),
    discountTitle: "Amends replacement",
    shippingTitle: cell.value.shippingTitle,
  });
}

/** Every variant of a replacement, at once: all that are short are named, and nothing is made. */
async function ensureAllInStock(admin: AdminClient, wanted: ReadonlyMap<string, number>): Promise<void> {
  const short: string[] = [];
  for (const [variantId, quantity] of wanted) {
    const { productVariant: stock } = await admin.run(variantInventory, { id: variantId });
    if (!stock) short.push(`${variantId} no longer exists in the shop`);
    else if (!canGiveAway(stock, quantity))
      short.push(
        `${stock.displayName} has ${stock.inventoryQuantity ?? 0} available and the replacement needs ${quantity}`,
      );
  }
  if (short.length > 0)
    throw new IssueRefusedError(
      `out of stock: ${short.join("; ")}; nothing was sent (a replacement goes out whole): restock, then retry`,
      "OUT_OF_STOCK",
      true,
    );
}

interface DraftPlan {
  lines: Array<{ variantId: string; quantity: number }>;
  /** Runs before the draft is made or completed (never once an earlier attempt completed it). */
  stockCheck: () => Promise<void>;
  discountTitle?: string;
  shippingTitle?: string;
}

async function draftMakeGood(
  admin: AdminClient,
  offer: OfferWithIncident,
  earlier: boolean,
  plan: DraftPlan,
): Promise<MadeGood> {
  const customerId = customerOf(offer);
  let draft = earlier ? await findDraft(admin, offer) : null;
  let adopted = draft !== null;
  // An earlier attempt finished: nothing leaves the stock again. Otherwise look before making anything.
  if (draft?.status !== "COMPLETED") await plan.stockCheck();
  if (!draft) {
    try {
      const { draftOrderCreate: made } = await admin.run(draftOrderCreate, {
        customerId,
        lines: plan.lines,
        ...(plan.discountTitle ? { discountTitle: plan.discountTitle } : {}),
        ...(plan.shippingTitle ? { shippingTitle: plan.shippingTitle } : {}),
        // Shopify fills in the customer's default address: Amends never reads an address (decision 0015).
        shippingAddress: null,
        currencyCode: offer.currency,
        tags: [offer.issueKey],
        note: `Amends make-good for ${offer.incident.orderName}`,
      });
      draft = {
        id: made.draftOrder.id,
        name: made.draftOrder.name,
        status: made.draftOrder.status,
        tags: made.draftOrder.tags,
        order: null,
      };
    } catch (error) {
      if (!mayHaveMade(error)) throw error;
      draft = await findDraft(admin, offer, true);
      if (!draft) throw error;
      adopted = true;
    }
  }
  const made = draft;
  const gift = (giftOrderGid: string, wasAdopted: boolean): MadeGood => ({
    shopifyGid: made.id,
    code: null,
    giftOrderGid,
    adopted: wasAdopted,
    notified: false,
  });
  if (made.status === "COMPLETED" && made.order) return gift(made.order.id, adopted);
  try {
    const { draftOrderComplete: done } = await admin.run(draftOrderComplete, { id: made.id });
    return gift(done.draftOrder.order.id, adopted);
  } catch (error) {
    if (!mayHaveMade(error) && !(error instanceof UserErrorsError)) throw error;
    // Completing twice is refused; an ambiguous completion is read back.
    const { draftOrder: read } = await admin.run(draftOrder, { id: made.id });
    if (read?.status === "COMPLETED" && read.order) return gift(read.order.id, true);
    throw error;
  }
}
