/**
 * Satisfaction after recovery (decision 0117): what customers said through the follow-up's rating
 * link, by incident type, make-good kind and time to offer. Groups under five responses are shown
 * as too few to read; held-out customers' ratings, if any, stand apart.
 */
import { Badge, BlockStack, DataTable, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { MIN_RESPONSES, type CsatGroup } from "../recovery/ratings/csat";
import type { Dashboard } from "../services/dashboard.server";
import { percent } from "./figures";

const average = (g: CsatGroup) => (g.average === null ? "–" : `${g.average.toFixed(1)} / 5`);

function rows(groups: CsatGroup[]): string[][] {
  return groups.map((g) => [
    g.small ? `${g.label} (too few to read)` : g.label,
    String(g.responses),
    g.small ? "–" : average(g),
    g.small ? "–" : percent(g.satisfiedShare),
  ]);
}

function Breakdown({ title, groups }: { title: string; groups: CsatGroup[] }) {
  if (groups.length === 0) return null;
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric"]}
        headings={["", "Responses", "Average", "Satisfied (4-5)"]}
        rows={rows(groups)}
      />
    </BlockStack>
  );
}

export function CsatCard({ csat }: { csat: Dashboard["csat"] }) {
  const o = csat.overall;
  return (
    <SectionCard
      section="fullWidth"
      title="Satisfaction after recovery"
      titleAside={<Badge>{`${o.responses} ${o.responses === 1 ? "response" : "responses"}`}</Badge>}
      description="Customers rate how the store put things right, 1 to 5, from the link in their follow-up."
    >
      {o.responses === 0 && !csat.heldOut ? (
        <Text as="p">
          No ratings yet for incidents in this period. The follow-up, two or three days after a make-good, carries the
          rating link: use the Recovery follow up due trigger in a Flow workflow or turn on your mail server in
          Settings.
        </Text>
      ) : (
        <BlockStack gap="400">
          {o.responses > 0 ? (
            <InlineStack gap="600">
              <Text as="p">
                <Text as="span" variant="headingLg">
                  {o.small ? "–" : average(o)}
                </Text>{" "}
                average
              </Text>
              <Text as="p">
                <Text as="span" variant="headingLg">
                  {o.small ? "–" : percent(o.satisfiedShare)}
                </Text>{" "}
                satisfied (4 or 5)
              </Text>
            </InlineStack>
          ) : null}
          {o.small && o.responses > 0 ? (
            <Text as="p" tone="subdued">
              {`Fewer than ${MIN_RESPONSES} responses so far: too few to read.`}
            </Text>
          ) : null}
          <Breakdown title="By incident type" groups={csat.byIncidentType} />
          <Breakdown title="By make-good" groups={csat.byOfferKind} />
          <Breakdown title="By time to offer" groups={csat.byTimeToOffer} />
          {csat.heldOut ? (
            <Text as="p" tone="subdued">
              {`Customers held out of the experiment (no make-good) gave ${csat.heldOut.responses} ${csat.heldOut.responses === 1 ? "rating" : "ratings"}${csat.heldOut.small ? " (too few to read)" : `: ${average(csat.heldOut)}, ${percent(csat.heldOut.satisfiedShare)} satisfied`}. They are not counted above.`}
            </Text>
          ) : null}
        </BlockStack>
      )}
    </SectionCard>
  );
}
