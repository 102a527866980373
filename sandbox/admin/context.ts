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
  /**
   * Scopes every shop grants at install (comma-separated, as shopify.app.toml writes them); the
   * Admin API refuses fields they do not cover (./scopes.ts). createSandbox passes the app's scopes.
   */
  scopes?: string;
  /** Check access scopes (default true). Off only for a test about something else that needs it. */
  enforceScopes?: boolean;
  /**
   * Called after the sandbox creates an order (draftOrderComplete), once the mutation has run and
   * before its response goes out. createSandbox sends orders/create through the webhook sender here,
   * as Shopify does for every order; pass another function to replace that.
   */
  onOrderCreated?: (shop: ShopState, order: Order) => void | Promise<void>;
  /** Shopify's asynchronous work, on the sandbox clock; default DEFAULT_ASYNC_TIMING (strict). */
  timing?: Partial<AsyncTiming>;
}

/**
 * What Shopify does later rather than at once. Strict by default: a test that
 * needs instant behaviour sets it on `sandbox.admin.timing` (reset restores the default).
 */
export interface AsyncTiming {
  /** A discountRedeemCodeBulkAdd job finishes this long after the mutation; null: it never finishes. */
  bulkCodeAddMs: number | null;
  /**
   * Orders, draft orders and gift cards appear in search results (the root `orders`, `draftOrders`,
   * `giftCards` connections) this long after they were created; lookups by id see them at once.
   */
  searchIndexLagMs: number;
}

export const DEFAULT_ASYNC_TIMING: Readonly<AsyncTiming> = { bulkCodeAddMs: 2_000, searchIndexLagMs: 5_000 };

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
  /** What the shop grants (write scopes bring their read scopes); null when scopes are not enforced. */
  grantedScopes: ReadonlySet<string> | null;
  /** Shopify lists search terms it ignored in `extensions.search`. */
  searchWarnings: SearchWarning[];
  timing: AsyncTiming;
  /** What the request set off (webhooks), run in order after it executed, whether or not its response then arrives. */
  afterResponse: Array<() => void | Promise<void>>;
}

export interface BulkCreation {
  id: Id;
  discountId: Id;
  createdAt: Date;
  /** When the job runs (sandbox clock); null: never. */
  completesAt: Date | null;
  /** The codes were processed: added, or each refused with its error. */
  done: boolean;
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
  /** shop.customerAccountsV2: new customer accounts by default (store credit is spendable only there). */
  customerAccountsVersion: CustomerAccountsVersion;
}

export type CustomerAccountsVersion = "NEW_CUSTOMER_ACCOUNTS" | "CLASSIC";

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
      customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS",
    };
    extrasByShop.set(shop, extras);
  }
  return extras;
}

/** Customer.statistics is Shopify's own model output; tests and the demo set it here (null when unset, as for a new shop). */
export function setCustomerStatistics(shop: ShopState, customerId: Id, statistics: CustomerStatistics): void {
  shopExtras(shop).customerStatistics.set(customerId, statistics);
}

/** A shop on classic customer accounts, where store credit cannot be spent (tests flip it). */
export function setCustomerAccountsVersion(shop: ShopState, version: CustomerAccountsVersion): void {
  shopExtras(shop).customerAccountsVersion = version;
}
