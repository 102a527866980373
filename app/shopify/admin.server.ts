/**
 * Where the app gets an Admin API client: the two ways it talks to Shopify. Nothing else
 * constructs AdminClient (tests do, to choose the timing and transport).
 */
import { unauthenticated } from "../shopify.server";
import { AdminClient, type AdminTransport } from "./admin-client.server";

export type { AdminClient, AdminTransport };

/** For jobs and sweeps: the shop's stored offline session, with the patient retry policy. */
export async function backgroundAdmin(shop: string): Promise<AdminClient> {
  const { admin } = await unauthenticated.admin(shop);
  return new AdminClient({ transport: admin, shop });
}

/**
 * For a request someone is waiting on: `transport` is the `admin` of an authenticated admin
 * request (authenticate.admin, or afterAuth's). Few, quick attempts rather than background patience.
 */
export function interactiveAdmin(transport: AdminTransport, shop: string): AdminClient {
  return new AdminClient({
    transport,
    shop,
    maxAttempts: 2,
    maxThrottleRetries: 1,
    maxThrottleWaitMs: 2_000,
    timeoutMs: 5_000,
  });
}
