/** The products, carriers and locations behind the most incidents, each linked to its incidents. */
import { Badge, BlockStack, InlineGrid, Link, List, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { causeLabel, causeParam, type CauseDimension } from "../recovery/digest";
import type { DashboardMetrics } from "./figures";

/** Root causes listed per kind. */
const TOP_ROOT_CAUSES = 5;

/** The incidents page filtered to one cause (decision 0118). */
export const causeIncidentsUrl = (dimension: CauseDimension, key: string) =>
  `/app/incidents?${new URLSearchParams({ cause: causeParam({ dimension, key }) }).toString()}`;

export function RootCausesCard({
  metrics,
  productNames,
}: {
  metrics: DashboardMetrics;
  productNames: Record<string, string>;
}) {
  const kinds = [
    ["Products", "product", metrics.rootCauses.byProduct],
    ["Carriers", "carrier", metrics.rootCauses.byCarrier],
    ["Locations", "location", metrics.rootCauses.byLocation],
  ] as const;
  return (
    <SectionCard
      section="fullWidth"
      title="Top root causes"
      titleAside={<Badge>{`${metrics.incidentCount} incidents`}</Badge>}
    >
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
        {kinds.map(([kind, dimension, causes]) => (
          <BlockStack gap="200" key={kind}>
            <Text as="h3" variant="headingSm">
              {kind}
            </Text>
            {causes.length === 0 ? (
              <Text as="p" tone="subdued">
                None recorded
              </Text>
            ) : (
              <List>
                {causes.slice(0, TOP_ROOT_CAUSES).map((c) => {
                  const label = causeLabel(dimension, c.key, productNames);
                  return (
                    <List.Item key={c.key}>
                      <Link
                        url={causeIncidentsUrl(dimension, c.key)}
                        accessibilityLabel={`${label}: ${c.count} incidents. Show them`}
                      >
                        {label}
                      </Link>
                      {`: ${c.count}`}
                    </List.Item>
                  );
                })}
              </List>
            )}
          </BlockStack>
        ))}
      </InlineGrid>
    </SectionCard>
  );
}
