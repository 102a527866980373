/**
 * A page section as a Polaris card: a heading, an optional line saying what the section is for,
 * then its content. Every page's cards share it so they read (and space) alike.
 */
import { BlockStack, Box, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface SectionCardProps {
  title: string;
  /** What the section is for, under the heading. */
  description?: ReactNode;
  /** Beside the heading: a count, a status badge. */
  titleAside?: ReactNode;
  /** Space between the heading and each piece of content. */
  gap?: "200" | "300" | "400";
  /** Inside a Polaris Layout: wrap the card in a Layout.Section of this width. */
  section?: "fullWidth" | "oneHalf" | "oneThird";
  /** Content runs to the card's edges (an IndexTable, Filters); only the heading is padded. */
  flush?: boolean;
  children?: ReactNode;
}

export function SectionCard({
  title,
  description,
  titleAside,
  gap = "300",
  section,
  flush = false,
  children,
}: SectionCardProps) {
  const heading = (
    <Text as="h2" variant="headingMd">
      {title}
    </Text>
  );
  const header = (
    <BlockStack gap="100">
      {titleAside ? (
        <InlineStack gap="200" blockAlign="center">
          {heading}
          {titleAside}
        </InlineStack>
      ) : (
        heading
      )}
      {description ? (
        <Text as="p" tone="subdued">
          {description}
        </Text>
      ) : null}
    </BlockStack>
  );
  const card = flush ? (
    <Card padding="0">
      <Box padding="400">{header}</Box>
      {children}
    </Card>
  ) : (
    <Card>
      <BlockStack gap={gap}>
        {header}
        {children}
      </BlockStack>
    </Card>
  );
  if (!section) return card;
  return <Layout.Section variant={section === "fullWidth" ? undefined : section}>{card}</Layout.Section>;
}
