/**
 * The settings page's note for a shop where Shopify refused customer names and emails to Amends
 * (Shop.protectedDataDeniedAt, docs/decisions/0015-protected-customer-data.md). Null when there is
 * nothing to say.
 */
export interface ProtectedDataNote {
  title: string;
  body: string;
}

export function protectedDataNote(deniedAt: string | null, timeZone: string): ProtectedDataNote | null {
  if (!deniedAt) return null;
  const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(deniedAt),
  );
  return {
    title: "Email from your mail server is off: Shopify has not approved customer names and emails",
    body:
      `On ${when} Shopify refused Amends the customer's name and email address on this store, because the app's ` +
      "protected customer data access is not approved for them. Make-goods are still issued; apologies go out " +
      'without the customer\'s name ("Hi there"), and Amends sends no email from your mail server. Shopify Flow ' +
      "and Shopify's own emails are not affected. Amends asks again with each apology and turns email back on by " +
      "itself once the access is approved.",
  };
}
