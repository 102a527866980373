/**
 * The app's navigation. Inside the Shopify admin it is App Bridge's NavMenu (the
 * admin draws it); in the demo, outside the admin, the same links as a Polaris bar.
 */
import { Link } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Box, InlineStack, Text } from "@shopify/polaris";

export const NAV_LINKS = [
  { to: "/app", label: "Dashboard", home: true },
  { to: "/app/approvals", label: "Approvals", home: false },
  { to: "/app/incidents", label: "Incidents", home: false },
  { to: "/app/grid", label: "Compensation grid", home: false },
  { to: "/app/settings", label: "Settings", home: false },
  { to: "/app/privacy", label: "Privacy requests", home: false },
] as const;

/** A link's label; Privacy requests carries the count of data requests waiting for a download. */
export function navLabel(link: (typeof NAV_LINKS)[number], waitingDataRequests: number): string {
  return link.to === "/app/privacy" && waitingDataRequests > 0 ? `${link.label} (${waitingDataRequests})` : link.label;
}

export function AppNavigation({
  embedded,
  shop,
  waitingDataRequests = 0,
}: {
  embedded: boolean;
  shop: string;
  /** Customer data requests whose export waits for a download. */
  waitingDataRequests?: number;
}) {
  if (embedded) {
    return (
      <NavMenu>
        {NAV_LINKS.map((link) => (
          <Link key={link.to} to={link.to} rel={link.home ? "home" : undefined}>
            {navLabel(link, waitingDataRequests)}
          </Link>
        ))}
      </NavMenu>
    );
  }
  return (
    <Box background="bg-surface-secondary" padding="300" borderBlockEndWidth="025" borderColor="border">
      <InlineStack gap="400" blockAlign="center" wrap={false}>
        <Text as="span" variant="headingSm">
          Amends
        </Text>
        <nav aria-label="Amends">
          <InlineStack gap="300">
            {NAV_LINKS.map((link) => (
              <Link key={link.to} to={link.to}>
                {navLabel(link, waitingDataRequests)}
              </Link>
            ))}
          </InlineStack>
        </nav>
        <Text as="span" tone="subdued">
          Demo store {shop} · <a href="/demo">Store control panel</a>
        </Text>
      </InlineStack>
    </Box>
  );
}
