/** Everything that happened to the incident and its make-goods, oldest first. */
import { Badge, BlockStack, Box, Divider, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "../../components/SectionCard";
import type { TimelineEntry } from "../../services/incidents-view/timeline";

export function TimelineCard({
  timeline,
  timeZone,
  when,
}: {
  timeline: TimelineEntry[];
  timeZone: string;
  when(iso: string): string;
}) {
  return (
    <SectionCard title="Timeline" description={`Oldest first, in the store's time zone (${timeZone}).`}>
      <ol aria-label="Timeline, oldest first" style={{ listStyle: "none", margin: 0, padding: 0 }}>
        {timeline.map((entry, index) => (
          <li key={entry.id}>
            {index > 0 ? <Divider /> : null}
            <Box paddingBlock="200">
              <BlockStack gap="050">
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <Text as="span" tone="subdued" variant="bodySm">
                    <time dateTime={entry.at}>{when(entry.at)}</time>
                  </Text>
                  {/* What happened, in words: the tone only colours it. */}
                  {entry.badge ? (
                    <Badge tone={entry.tone} size="small">
                      {entry.badge}
                    </Badge>
                  ) : null}
                </InlineStack>
                <Text as="p" fontWeight="semibold">
                  {entry.title}
                </Text>
                {entry.detail ? (
                  <Text as="p" tone="subdued">
                    {entry.detail}
                  </Text>
                ) : null}
              </BlockStack>
            </Box>
          </li>
        ))}
      </ol>
    </SectionCard>
  );
}
