/** The dashboard with nothing to show yet: a centred heading, what to do about it, and actions. */
import { BlockStack, Box, Card, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function EmptyCard({
  heading,
  children,
  actions,
}: {
  heading: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Card>
      <Box paddingBlock="600" paddingInline="400">
        <BlockStack gap="300" inlineAlign="center">
          <Text as="h2" variant="headingLg" alignment="center">
            {heading}
          </Text>
          <Box maxWidth="36rem">
            <Text as="p" alignment="center" tone="subdued">
              {children}
            </Text>
          </Box>
          {actions}
        </BlockStack>
      </Box>
    </Card>
  );
}
