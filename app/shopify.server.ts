/** The only shopifyApp() call. Everything that authenticates a request goes through `authenticate`. */
import "@shopify/shopify-app-remix/adapters/node";
import { shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { prisma, withSessionLock } from "./db.server";
import { env } from "./env.server";
import { sharedAdminBucket } from "./models/admin-api-bucket.server";
import { markReauthRequired, reauthRequired } from "./models/shop.server";
import { afterAuthenticated } from "./services/install.server";
import { AppClockSessionStorage } from "./shopify/clock-session-storage.server";
import { SealedSessionStorage } from "./shopify/sealed-session-storage.server";
import { InHandSessionStorage } from "./shopify/session-in-hand.server";
import { isShopDomain } from "./shopify/shop-domain";

/** The Admin API version Amends is written and tested against, everywhere. */
export const API_VERSION = ApiVersion.October26;

const config = env();

const appConfig = {
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES.split(",").map((s) => s.trim()),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // The library's info lines name shops and sessions on every request; keep them for development only.
  logger: { level: config.NODE_ENV === "development" ? LogSeverity.Info : LogSeverity.Warning },
  // Expiry dates stored on the app clock (the sandbox's in tests and the demo); see the class.
  // Tokens sealed at rest like the SMTP password (decision 0019); a plain one left from before is
  // sealed in place when loaded, only while the row still holds it. A background call lends the
  // session it has just checked to the library instead of having it loaded twice (session-in-hand).
  sessionStorage: new InHandSessionStorage(
    new AppClockSessionStorage(
      new SealedSessionStorage(new PrismaSessionStorage(prisma), async (id, field, plain, sealed) => {
        await prisma.session.updateMany({ where: { id, [field]: plain }, data: { [field]: sealed } });
      }),
    ),
  ),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    // Offline tokens expire after an hour and come with a refresh token (token exchange sends
    // expiring=1): required for public apps, whose non-expiring tokens Shopify refuses from
    // 2027-01-01. Background calls refresh them in app/shopify/offline-token.server.ts (decision 0013).
    expiringOfflineAccessTokens: true,
  },
  // Online tokens name the staff member behind each admin request (approvals need who did what).
  useOnlineTokens: true,
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await afterAuthenticated(session.shop, session.scope ?? null, admin);
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
} satisfies Parameters<typeof shopifyApp>[0];

const shopify = shopifyApp(appConfig);

// Webhook ingestion verifies with the library's webhooks.validate directly, in front of Remix
// (app/shopify/webhook-hmac.server.ts, decision 0023): no session, no Remix request.

/**
 * The library's own refresh (`grant_type=refresh_token`) for app/shopify/offline-token.server.ts.
 * shopifyApp() keeps its shopify-api instance to itself and answers every failed refresh with a bare
 * 500, which cannot tell "Shopify refused the refresh token" (the merchant must open the app again)
 * from "the network failed" (try again later); this instance throws the response it got.
 */
const tokenApi = shopifyApi({
  apiKey: appConfig.apiKey,
  apiSecretKey: appConfig.apiSecretKey,
  apiVersion: API_VERSION,
  scopes: appConfig.scopes,
  hostName: new URL(config.SHOPIFY_APP_URL).host,
  hostScheme: new URL(config.SHOPIFY_APP_URL).protocol === "http:" ? "http" : "https",
  isEmbeddedApp: true,
  logger: appConfig.logger,
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});
export const refreshOfflineAccessToken = tokenApi.auth.refreshToken;

/**
 * What app/shopify/offline-token.server.ts needs of the app's data (app/shopify itself touches no
 * database): the shop's re-authentication mark, and a lock across processes so two workers never
 * spend the same refresh token.
 */
export const offlineAccessState = {
  reauthRequired,
  markReauthRequired,
  withRefreshLock: <T>(shop: string, fn: () => Promise<T>) => withSessionLock(`amends:offline-token:${shop}`, fn),
};

/**
 * Each shop's Admin API bucket as every process of the app sees it, through the database
 * (app/models/admin-api-bucket.server.ts): what app/shopify/admin.server.ts gives its clients.
 */
export const adminApiBucket = sharedAdminBucket;

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;

const badRequest = () => new Response(null, { status: 400, statusText: "Bad Request" });

/**
 * authenticate.flow for Flow's requests (actions, the trigger lifecycle callback), refusing with 400
 * what the library would answer with a 500 after a valid signature: a body that is not JSON, not an
 * object, or without a shop domain. Flow retries a 5xx for 24 hours and gives up on a 4xx, and no
 * retry can fix these. The body is read once, here.
 */
export async function authenticateFlow(request: Request) {
  if (request.method !== "POST") return authenticate.flow(request);
  let rawBody: string;
  try {
    rawBody = await request.text();
  } catch {
    throw badRequest();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw badRequest();
  }
  const shop =
    typeof payload === "object" && payload !== null && "shopify_domain" in payload ? payload.shopify_domain : undefined;
  if (typeof shop !== "string" || !isShopDomain(shop)) throw badRequest();
  return authenticate.flow(new Request(request.url, { method: "POST", headers: request.headers, body: rawBody }));
}
