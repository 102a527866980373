/**
 * Where the app gets an Admin API client: the two ways it talks to Shopify. Nothing else
 * constructs AdminClient (tests do, to choose the timing and transport).
 */
import { logger } from "../logger.server";
import { adminApiBucket, unauthenticated } from "../shopify.server";
import { AdminClient, type AdminTransport } from "./admin-client.server";
import { classifyThrown } from "./admin-response";
import { assertBackgroundAccess, freshOfflineSession } from "./offline-token.server";
import { withSessionInHand } from "./session-in-hand.server";

export type { AdminClient, AdminTransport };

/**
 * For jobs and sweeps: the shop's offline session, with the patient retry policy. Throws
 * ReauthRequiredError at once (nothing sent) while the shop needs re-authentication.
 */
export async function backgroundAdmin(shop: string): Promise<AdminClient> {
  await assertBackgroundAccess(shop);
  return new AdminClient({ transport: offlineTransport(shop), shop, bucket: adminApiBucket.forShop(shop) });
}

type GraphqlOptions = Parameters<AdminTransport["graphql"]>[1];

function refusedToken(error: unknown): boolean {
  const failure = classifyThrown(error);
  return failure.kind === "http" && failure.status === 401;
}

/**
 * The library's admin client over the shop's offline session, renewed before each request when it
 * is within minutes of expiry (offline-token.server.ts), then lent to unauthenticated.admin, whose
 * own expiry check finds it fresh. A 401 (the token expired or was revoked mid-job) is
 * answered by one refresh and one repeat of the request: a 401 means Shopify ran nothing, so this is
 * safe for mutations too. A second 401 goes to AdminClient as it is (terminal).
 */
export function offlineTransport(shop: string): AdminTransport {
  const send = async (query: string, options: GraphqlOptions, refused?: string): Promise<Response> => {
    const fresh = await freshOfflineSession(shop, refused === undefined ? {} : { refused });
    // The library loads the offline session itself; it is handed the one just checked instead.
    const { admin, session } = await withSessionInHand(fresh, () => unauthenticated.admin(shop));
    try {
      return await admin.graphql(query, options);
    } catch (error) {
      if (refused !== undefined || !refusedToken(error)) throw error;
      logger.info({ shop }, "Admin API refused the offline token; refreshing it once and repeating the request");
      return send(query, options, session.accessToken ?? "");
    }
  };
  return { graphql: (query, options) => send(query, options) };
}

/**
 * For a request someone is waiting on: `transport` is the `admin` of an authenticated admin
 * request (authenticate.admin, or afterAuth's). Few, quick attempts rather than background patience.
 */
export function interactiveAdmin(transport: AdminTransport, shop: string): AdminClient {
  return new AdminClient({
    transport,
    shop,
    bucket: adminApiBucket.forShop(shop),
    maxAttempts: 2,
    maxThrottleRetries: 1,
    maxThrottleWaitMs: 2_000,
    timeoutMs: 5_000,
  });
}
