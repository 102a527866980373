/** The Admin API client background work uses: the shop's stored offline session, through AdminClient's retry policy. */
import { AdminClient } from "../../shopify/admin-client.server";

export async function backgroundAdmin(shop: string): Promise<AdminClient> {
  // Imported when first needed: the task list (and so this module) is loaded by the migration
  // step too, which runs before the Shopify environment is validated.
  const { unauthenticated } = await import("../../shopify.server");
  const { admin } = await unauthenticated.admin(shop);
  return new AdminClient({ transport: admin, shop });
}
