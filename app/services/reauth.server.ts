/**
 * Restoring background access after Shopify refused to renew the shop's offline token
 * (docs/decisions/0013). A token exchange stores a new offline token and afterAuth clears the mark
 * (services/install.server.ts); the library runs one only when the signed-in member's online
 * session is missing or expired. Forgetting the shop's stored sessions makes the next
 * authentication of this very request run it, with the session token the request carries.
 */
import { reauthRequired } from "../models/shop.server";
import { sessionStorage } from "../shopify.server";

/** True when the shop no longer needs re-authentication. `authenticate` re-authenticates the request. */
export async function restoreBackgroundAccess(shop: string, authenticate: () => Promise<unknown>): Promise<boolean> {
  if (!(await reauthRequired(shop))) return true;
  const sessions = await sessionStorage.findSessionsByShop(shop);
  await sessionStorage.deleteSessions(sessions.map((s) => s.id));
  await authenticate();
  return (await reauthRequired(shop)) === null;
}
