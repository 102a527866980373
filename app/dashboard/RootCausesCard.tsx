/**
 * "What should we fix?": the products, carriers and locations behind the most incidents, by product
 * title and location name (read live from Shopify; the id when it did not answer), each linked to
 * its incidents, with small counts greyed (decision 0124).
 */
import { Badge, BlockStack, InlineGrid, Link, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { causeLabel, causeParam, type CauseDimension } from "../recovery/digest";
import { isSmallCount, TOP_ROOT_CAUSES } from "../recovery/metrics/charts";
import { CountBars, CountBarsKey } from "./CountBars";
import type { DashboardMetrics } from "./figures";

/** The incidents page filtered to one cause (decision 0118). */
export const causeIncidentsUrl = (dimension: CauseDimension, key: string) =>
  `/app/incidents?${new URLSearchParams({ cause: causeParam({ dimension, key }) }).toString()}`;

export function RootCausesCard({ metrics, names }: { metrics: DashboardMetrics; names: Record<string, string> }) {
  const kinds = [
    ["Products", "Product", "product", metrics.rootCauses.byProduct],
    ["Carriers", "Carrier", "carrier", metrics.rootCauses.byCarrier],
    ["Locations", "Location", "location", metrics.rootCauses.byLocation],
  ] as const;
  return (
    <SectionCard
      section="fullWidth"
      title="Top root causes"
      titleAside={<Badge>{`${metrics.incidentCount} incidents`}</Badge>}
    >
      <BlockStack gap="300">
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          {kinds.map(([kind, one, dimension, causes]) => (
            <BlockStack gap="200" key={kind}>
              <Text as="h3" variant="headingSm">
                {kind}
              </Text>
              {causes.length === 0 ? (
                <Text as="p" tone="subdued">
                  None recorded
                </Text>
              ) : (
                <CountBars
                  caption={`${kind} behind the most incidents`}
                  headings={{ label: one, count: "Incidents" }}
                  rows={causes.slice(0, TOP_ROOT_CAUSES).map((c) => {
                    const label = causeLabel(dimension, c.key, names);
                    const small = isSmallCount(c.count);
                    return {
                      key: c.key,
                      count: c.count,
                      small,
                      label: (
                        <Link
                          url={causeIncidentsUrl(dimension, c.key)}
                          monochrome={small}
                          accessibilityLabel={`${label}: ${c.count} incidents. Show them`}
                        >
                          {label}
                        </Link>
                      ),
                    };
                  })}
                />
              )}
            </BlockStack>
          ))}
        </InlineGrid>
        <CountBarsKey />
      </BlockStack>
    </SectionCard>
  );
}
