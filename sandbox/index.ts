/**
 * The sandbox store: a local stand-in for the parts of Shopify Amends touches.
 * One object wires its pieces together: the in-memory store, its clock, the
 * Admin GraphQL API (msw handlers at the real URLs), OAuth token exchange, the
 * webhook sender and store activity. Tests and `npm run demo` both build it here.
 */
import { createAdminApi, type AdminApi, type AdminApiOptions } from "./admin";
import { StoreActivity } from "./activity";
import { ControlledClock } from "./clock";
import { tokenExchangeHandler, type StaffMember } from "./oauth";
import { accessOf } from "./protected-data";
import { SandboxStore } from "./store";
import { sandboxTokens, type TokenRegistry } from "./tokens";
import { AMENDS_SUBSCRIPTIONS, WebhookSender, type WebhookSenderOptions } from "./webhooks";

export interface SandboxOptions {
  apiKey: string;
  secret: string;
  /** Scopes granted on install (as in shopify.app.toml). */
  scopes: string;
  /** Where webhooks go: the route action in tests, fetch to the app's URL in the demo. */
  deliver: (request: Request) => Promise<Response>;
  clock?: ControlledClock;
  /** Staff members per shop who can sign in (online tokens); default one owner and one staff member. */
  staff?: StaffMember[];
  admin?: AdminApiOptions;
  webhooks?: Partial<Omit<WebhookSenderOptions, "secret" | "deliver" | "clock">>;
}

export const DEFAULT_STAFF: StaffMember[] = [
  {
    id: 1001,
    firstName: "Olivia",
    lastName: "Owner",
    email: "owner@sandbox.example",
    accountOwner: true,
    locale: "en",
  },
  {
    id: 1002,
    firstName: "Sam",
    lastName: "Support",
    email: "support@sandbox.example",
    accountOwner: false,
    locale: "en",
  },
];

export interface Sandbox {
  clock: ControlledClock;
  store: SandboxStore;
  admin: AdminApi;
  sender: WebhookSender;
  activity: StoreActivity;
  staff: StaffMember[];
  /** Access and refresh tokens the sandbox issued, expiring on its clock. */
  tokens: TokenRegistry;
  /** msw handlers for everything the app calls at Shopify. */
  handlers: AdminApi["handlers"];
  /**
   * A merchant changes the app's grant (revokes an optional scope, accepts a narrower one): the
   * Admin API enforces the new grant at once, and app/scopes_update is sent as Shopify does.
   */
  changeScopes(shop: string, current: readonly string[]): Promise<void>;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const clock = options.clock ?? new ControlledClock();
  const store = new SandboxStore(clock);
  const staff = options.staff ?? DEFAULT_STAFF;
  const sender = new WebhookSender({
    apiVersion: "2026-10",
    // Shopify sends only what the app subscribes to (shopify.app.toml; a test keeps the two in step).
    topics: AMENDS_SUBSCRIPTIONS,
    // Payloads as the app's protected-data approval on each shop allows (sandbox/protected-data.ts).
    protectedData: (shop) => accessOf(store.shops.get(shop)),
    ...options.webhooks,
    secret: options.secret,
    deliver: options.deliver,
    clock,
  });
  const activity = new StoreActivity(store, sender);
  // Shops grant what the app asks for (options.scopes) unless a test changes a shop's grant. An order
  // made by draftOrderComplete sends orders/create like any order (options.admin may replace this).
  const admin = createAdminApi(store, {
    scopes: options.scopes,
    onOrderCreated: async (shop, order) => {
      await activity.orderFromDraftCreated(shop.domain, order);
    },
    ...options.admin,
  });
  const oauth = tokenExchangeHandler({
    apiKey: options.apiKey,
    secret: options.secret,
    scopes: options.scopes,
    tokens: sandboxTokens(store),
    knownShop: (shop) => store.shops.has(shop),
    staff: (shop, userId) => (store.shops.has(shop) ? staff.find((s) => String(s.id) === userId) : undefined),
  });
  const changeScopes = async (shop: string, current: readonly string[]) => {
    const previous = admin.grants.granted(shop);
    admin.grants.set(shop, current);
    await sender.send(shop, "app/scopes_update", {
      previous,
      current: [...current],
      updated_at: clock.now().toISOString(),
    });
  };
  return {
    clock,
    store,
    admin,
    sender,
    activity,
    staff,
    tokens: sandboxTokens(store),
    handlers: [oauth, ...admin.handlers],
    changeScopes,
  };
}

export { ControlledClock, DAY, HOUR } from "./clock";
export { SandboxStore, gid, idFromGid } from "./store";
export { sandboxTokens, TokenRegistry } from "./tokens";
export { mintSessionToken } from "./session-token";
export {
  AMENDS_DECLARED_ACCESS,
  FULL_ACCESS,
  LEVEL_1_ACCESS,
  NO_ACCESS,
  type ProtectedDataAccess,
  type ProtectedDataLevel,
  type ProtectedField,
} from "./protected-data";
