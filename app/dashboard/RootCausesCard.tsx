/** The products, carriers and locations behind the most incidents. */
import { Badge, BlockStack, InlineGrid, List, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import type { DashboardMetrics } from "./figures";

/** Root causes listed per kind. */
const TOP_ROOT_CAUSES = 5;

const shortId = (gid: string) => gid.split("/").pop() ?? gid;

type CauseKind = "Products" | "Carriers" | "Locations";

/** A root cause as a merchant reads it: the product's title, the carrier, "Location 12". */
function causeLabel(kind: CauseKind, key: string, productNames: Record<string, string>): string {
  if (kind === "Carriers") return key;
  if (kind === "Products") return productNames[key] ?? `Product ${shortId(key)}`;
  return `Location ${shortId(key)}`;
}

export function RootCausesCard({
  metrics,
  productNames,
}: {
  metrics: DashboardMetrics;
  productNames: Record<string, string>;
}) {
  const kinds = [
    ["Products", metrics.rootCauses.byProduct],
    ["Carriers", metrics.rootCauses.byCarrier],
    ["Locations", metrics.rootCauses.byLocation],
  ] as const;
  return (
    <SectionCard
      section="fullWidth"
      title="Top root causes"
      titleAside={<Badge>{`${metrics.incidentCount} incidents`}</Badge>}
    >
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
        {kinds.map(([kind, causes]) => (
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
                {causes.slice(0, TOP_ROOT_CAUSES).map((c) => (
                  <List.Item key={c.key}>{`${causeLabel(kind, c.key, productNames)}: ${c.count}`}</List.Item>
                ))}
              </List>
            )}
          </BlockStack>
        ))}
      </InlineGrid>
    </SectionCard>
  );
}
