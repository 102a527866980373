/**
 * Who is using a page: every loader and action starts here. authenticate.admin verifies the
 * session token (embedded admin, or the demo's stand-in) and gives the online session, which
 * carries the staff member; authority is then a shop setting (memberAuthority).
 */
import { authenticate } from "./shopify.server";
import type { StaffIdentity } from "./services/approvals.server";

export interface StaffContext {
  shop: string;
  staff: StaffIdentity & { name: string };
  /** The library's admin context, for App Bridge redirects and Admin API calls made as this member. */
  admin: Awaited<ReturnType<typeof authenticate.admin>>;
}

export async function staffContext(request: Request): Promise<StaffContext> {
  const context = await authenticate.admin(request);
  const user = context.session.onlineAccessInfo?.associated_user;
  // Online tokens always carry the member; an offline session (never used for pages) acts as "staff".
  const userId = user ? String(user.id) : "staff";
  const name = user ? [user.first_name, user.last_name].filter(Boolean).join(" ") || `Staff ${userId}` : "Staff";
  return {
    shop: context.session.shop,
    staff: { userId, accountOwner: user?.account_owner ?? false, name },
    admin: context,
  };
}
