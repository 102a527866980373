/** Time to first contact: how soon customers heard from the store after a failure was detected (decision 0113). */
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import type { Dashboard } from "../services/dashboard.server";
import { percent } from "./figures";

/** "45 s", "12 min", "2 h 5 min". */
export function durationText(minutes: number | null): string {
  if (minutes === null) return "–";
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes - hours * 60);
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export function FirstContactCard({ firstContact: f }: { firstContact: Dashboard["firstContact"] }) {
  return (
    <SectionCard
      section="oneHalf"
      title="Time to first contact"
      description={`From detection to the acknowledgement on any channel (Flow or your mail server). Target: ${durationText(f.targetMinutes)}.`}
    >
      {f.acknowledged === 0 && f.missed === 0 ? (
        <Text as="p">
          {f.incidents === 0
            ? "No incident with a customer in this period."
            : `${f.pending} acknowledgements are still within the target.`}
        </Text>
      ) : (
        <BlockStack gap="200">
          <InlineStack gap="600">
            <Text as="p">
              <Text as="span" variant="headingLg">
                {durationText(f.medianMinutes)}
              </Text>{" "}
              median
            </Text>
            <Text as="p">
              <Text as="span" variant="headingLg">
                {durationText(f.p90Minutes)}
              </Text>{" "}
              90th percentile
            </Text>
            <Text as="p">
              <Text as="span" variant="headingLg">
                {percent(f.shareWithinTarget)}
              </Text>{" "}
              within target
            </Text>
          </InlineStack>
          <Text as="p" tone="subdued" variant="bodySm">
            {`${f.acknowledged} of ${f.incidents} customers acknowledged, ${f.withinTarget} within the target; ${f.missed} never acknowledged${f.pending > 0 ? `, ${f.pending} still within the target` : ""}.${f.acknowledged === 0 ? " Use the Recovery incident detected trigger in a Flow workflow or turn on your mail server in Settings." : ""}`}
          </Text>
        </BlockStack>
      )}
    </SectionCard>
  );
}
