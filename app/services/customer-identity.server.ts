/**
 * Customer names and emails for the incident pages (issue 17 item 2, decision 0125): read live from
 * Shopify with the signed-in member's admin client, never stored, never logged. Two reads:
 * - `searchCustomers`: an email or a name typed into the incidents search, resolved by Shopify's
 *   customer search to customer ids (Amends filters its incidents by those ids);
 * - `customerIdentities`: the names and emails of one page's customers, in one `nodes` read.
 * Neither fails the page. A refusal (protected customer data not approved, or the scope or the
 * member's permission missing) and any other failure come back as an outcome the page explains,
 * and the customer's id stands in for the name.
 */
import { logger } from "../logger.server";
import { AdminApiError } from "../shopify/admin-errors";
import { isProtectedDataDenial } from "../shopify/admin-response";
import type { AdminClient } from "../shopify/admin-client.server";
import { CUSTOMER_NAMES_LIMIT, customerNames } from "../shopify/operations/customer-names";
import { CUSTOMER_SEARCH_LIMIT, customerSearch, type CustomerLookup } from "../shopify/operations/customer-search";

/** Why Shopify would not answer: protected customer data not approved, or no access to customers. */
export type CustomerReadRefusal = "PROTECTED_DATA" | "ACCESS";

export type CustomerSearchOutcome =
  | { status: "FOUND"; customerGids: string[]; /** Shopify had more matches than the search reads. */ more: boolean }
  | { status: "REFUSED"; reason: CustomerReadRefusal }
  | { status: "FAILED" };

function refusalOf(error: unknown): CustomerReadRefusal | null {
  if (!(error instanceof AdminApiError) || error.graphqlErrors.length === 0) return null;
  if (error.graphqlErrors.every(isProtectedDataDenial)) return "PROTECTED_DATA";
  if (error.graphqlErrors.every((e) => e.code === "ACCESS_DENIED")) return "ACCESS";
  return null;
}

function codeOf(error: unknown): string {
  return error instanceof AdminApiError ? error.code : error instanceof Error ? error.name : "unknown";
}

/** The customers Shopify finds for an email or a name (at most CUSTOMER_SEARCH_LIMIT). */
export async function searchCustomers(
  shop: string,
  admin: AdminClient | undefined,
  lookup: CustomerLookup,
): Promise<CustomerSearchOutcome> {
  if (!admin) return { status: "FAILED" };
  try {
    const { customers } = await admin.run(customerSearch, lookup);
    const customerGids = customers.nodes.map((n) => n.id);
    return { status: "FOUND", customerGids, more: customerGids.length >= CUSTOMER_SEARCH_LIMIT };
  } catch (error) {
    const reason = refusalOf(error);
    // The code only: the search held a name or an email.
    logger.warn({ shop, code: codeOf(error), refused: reason }, "customer search for the incidents list failed");
    return reason ? { status: "REFUSED", reason } : { status: "FAILED" };
  }
}

export interface CustomerIdentity {
  /** "Ada Lovelace"; null when Shopify has none or refused it. */
  name: string | null;
  email: string | null;
}

export interface CustomerIdentities {
  /** By customer GID; a customer Shopify no longer knows, or whose read failed, is absent. */
  byGid: Record<string, CustomerIdentity>;
  /** Why names are missing when they are: refused (and why), or the read failed. Null: all read. */
  missing: CustomerReadRefusal | "FAILED" | null;
}

/** The names and emails of these customers, one `nodes` read (the first CUSTOMER_NAMES_LIMIT ids). */
export async function customerIdentities(
  shop: string,
  admin: AdminClient | undefined,
  gids: ReadonlyArray<string | null>,
): Promise<CustomerIdentities> {
  const ids = [...new Set(gids.filter((g): g is string => g !== null))].slice(0, CUSTOMER_NAMES_LIMIT);
  if (ids.length === 0) return { byGid: {}, missing: null };
  if (!admin) return { byGid: {}, missing: "FAILED" };
  try {
    const { data, denied } = await admin.runWithDenials(customerNames, { ids });
    const byGid: Record<string, CustomerIdentity> = {};
    for (const node of data.nodes) {
      if (!node?.id) continue;
      const name = [node.firstName, node.lastName].filter(Boolean).join(" ").trim();
      const email = node.defaultEmailAddress?.emailAddress ?? null;
      if (name || email) byGid[node.id] = { name: name || null, email };
    }
    return { byGid, missing: denied.length > 0 ? "PROTECTED_DATA" : null };
  } catch (error) {
    const reason = refusalOf(error);
    logger.warn({ shop, code: codeOf(error), refused: reason }, "customer names could not be read");
    return { byGid: {}, missing: reason ?? "FAILED" };
  }
}

/** "Ada Lovelace (ada@example.com)", the name or the email alone, or null for neither. */
export function customerLabel(identity: CustomerIdentity | null | undefined): string | null {
  if (!identity) return null;
  if (identity.name && identity.email) return `${identity.name} (${identity.email})`;
  return identity.name ?? identity.email;
}

/**
 * Names the customer links of a page (approvals: the queue, follow-ups, failed make-goods, low
 * ratings) in one read: each label becomes the customer's name and email, or stays "Customer #id".
 * Returns why names are missing, when they are.
 */
export async function nameCustomerLinks(
  shop: string,
  admin: AdminClient | undefined,
  links: ReadonlyArray<{ gid: string; label: string } | null>,
): Promise<CustomerIdentities["missing"]> {
  const present = links.filter((l): l is { gid: string; label: string } => l !== null);
  const { byGid, missing } = await customerIdentities(
    shop,
    admin,
    present.map((l) => l.gid),
  );
  for (const link of present) link.label = customerLabel(byGid[link.gid]) ?? link.label;
  return missing;
}
