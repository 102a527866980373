/**
 * Shopify would not renew Amends's offline access for the shop (docs/decisions/0013): every
 * background job for it has stopped. Says what stopped, since when, and the one thing that fixes it.
 */
import { Banner, BlockStack, Button, List, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface ReauthBannerProps {
  reauth: { since: string; reason: string };
  timeZone: string;
  /** Wraps the button in the form that restores access (a new token exchange). */
  restoreForm(button: ReactNode): ReactNode;
}

export function ReauthBanner({ reauth, timeZone, restoreForm }: ReauthBannerProps) {
  const since = new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(
    new Date(reauth.since),
  );
  // The stored reason is "CODE: words"; the words are for people.
  const why = reauth.reason.replace(/^[A-Z_]+:\s*/, "");
  return (
    <Banner tone="critical" title="Amends has lost access to your store: background work has stopped">
      <BlockStack gap="200">
        <Text as="p">
          Since {since}, Shopify has refused to renew the access Amends uses when no one has it open. {why}
        </Text>
        <Text as="p">Until access is restored, Amends does not:</Text>
        <List>
          <List.Item>check orders for late shipments, delays, refunds or cancellations</List.Item>
          <List.Item>issue approved make-goods or send their messages and follow-ups</List.Item>
          <List.Item>see whether customers came back</List.Item>
        </List>
        <Text as="p">
          Restore access below (or open Amends again from your Shopify admin): nothing needs reinstalling. Amends then
          catches up on the orders it missed.
        </Text>
        {restoreForm(<Button submit>Restore access</Button>)}
      </BlockStack>
    </Banner>
  );
}
