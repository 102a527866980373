/**
 * A customer in a list: their name (or "Customer #id" when names could not be read) linking to the
 * customer in the Shopify admin, out of the app's frame; `none` when the row has no customer.
 */
import type { CustomerLink } from "../../services/approval-queue.server";

export function CustomerLinkText({ customer, none }: { customer: CustomerLink | null; none: string }) {
  if (!customer) return <>{none}</>;
  return (
    <a href={customer.adminUrl} target="_top" rel="noreferrer">
      {customer.label}
    </a>
  );
}
