/**
 * What every resolver gets: the store, the shop the request is for, the time
 * the request arrived (one reading per request, so a response is consistent),
 * and the sandbox's own bookkeeping that sandbox/store.ts does not hold.
 */
import type { DraftOrder, Id, Metafield, Order, SandboxStore, ShopState } from "../store";

export interface AdminApiOptions {
  /**
   * A fixed, non-expiring access token per shop domain, for tests that are not about tokens: when a
   * shop has one, only it is accepted. Default (strict): only tokens the sandbox issued (token
   * exchange, refresh; sandbox/tokens.ts), until they expire on the sandbox clock or are revoked.
   */
  accessTokens?: Record<string, string>;
  /** The app holds read_all_orders: orders older than 60 days are readable. Default false, as Amends asks only read_orders. */
  readAllOrders?: boolean;
  /** Flow trigger handles the app has deployed; when given, other handles are refused. */
  flowTriggerHandles?: string[];
  /** Called after the sandbox creates an order (draftOrderComplete), e.g. to send an orders/create webhook. */
  onOrderCreated?: (shop: ShopState, order: Order) => void;
}

export interface SearchWarning {
  path: Array<string | number>;
  query: string;
  warnings: Array<{ field: string; message: string }>;
}

export interface AdminContext {
  store: SandboxStore;
  shop: ShopState;
  now: Date;
  options: AdminApiOptions;
  extras: ShopExtras;
  /** Shopify lists search terms it ignored in `extensions.search`. */
  searchWarnings: SearchWarning[];
}

export interface BulkCreation {
  id: Id;
  discountId: Id;
  createdAt: Date;
  codes: Array<{ code: string; redeemCodeId: Id | null; error: { code: string; message: string } | null }>;
}

export interface DraftLineDiscount {
  title: string | null;
  description: string | null;
  valueType: "PERCENTAGE" | "FIXED_AMOUNT";
  value: number;
}

export interface CustomerStatistics {
  rfmGroup: string | null;
  predictedSpendTier: "HIGH" | "MEDIUM" | "LOW" | null;
}

/** Sandbox-only state per shop, kept beside the store rather than in it (sandbox/store.ts belongs to the whole sandbox). */
export interface ShopExtras {
  shopId: Id | null;
  metafieldIds: WeakMap<Metafield, { id: Id; createdAt: Date; updatedAt: Date }>;
  bulkCreations: Map<Id, BulkCreation>;
  nextDraftNumber: number;
  draftLineDiscounts: WeakMap<DraftOrder, Array<DraftLineDiscount | null>>;
  customerStatistics: Map<Id, CustomerStatistics>;
}

const extrasByShop = new WeakMap<ShopState, ShopExtras>();

export function shopExtras(shop: ShopState): ShopExtras {
  let extras = extrasByShop.get(shop);
  if (!extras) {
    extras = {
      shopId: null,
      metafieldIds: new WeakMap(),
      bulkCreations: new Map(),
      nextDraftNumber: 1,
      draftLineDiscounts: new WeakMap(),
      customerStatistics: new Map(),
    };
    extrasByShop.set(shop, extras);
  }
  return extras;
}

/** Customer.statistics is Shopify's own model output; tests and the demo set it here (null when unset, as for a new shop). */
export function setCustomerStatistics(shop: ShopState, customerId: Id, statistics: CustomerStatistics): void {
  shopExtras(shop).customerStatistics.set(customerId, statistics);
}
