/**
 * Why a page shows customers by their Shopify id instead of their name and email (names are read
 * live and never stored, decision 0125): one wording for the Incidents list, Approvals and the
 * incident page.
 */
export type CustomerNamesMissing = "PROTECTED_DATA" | "ACCESS" | "FAILED";

export function whyNoCustomerNames(missing: CustomerNamesMissing | string): string {
  switch (missing) {
    case "PROTECTED_DATA":
      return "Shopify has not approved Amends for customers' names and emails on this store.";
    case "ACCESS":
      return "Shopify refused Amends access to customers for your account.";
    default:
      return "Names could not be read from Shopify just now.";
  }
}

/** The note under a list whose customers show as ids. */
export const customerIdsNote = (missing: CustomerNamesMissing | string): string =>
  `Customers show as their Shopify id. ${whyNoCustomerNames(missing)}`;
