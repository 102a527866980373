/** Everything that happened to the incident and its make-goods, oldest first. */
import { Badge, BlockStack, Box, Divider, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "../../components/SectionCard";
import type { TimelineEntry } from "../../services/incidents-view/timeline";

/** The word on an entry's badge, so its meaning does not rest on colour alone. */
const TONE_WORDS: Record<string, string> = {
  success: "Done",
  critical: "Problem",
  warning: "Attention",
  attention: "Waiting",
  info: "Info",
};

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
                  {entry.tone ? (
                    <Badge tone={entry.tone} size="small">
                      {TONE_WORDS[entry.tone] ?? ""}
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
