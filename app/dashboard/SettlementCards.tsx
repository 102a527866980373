/** How issued offers settle: how many were used (consumption and breakage), and how fast they arrived. */
import { BlockStack, DataTable, ProgressBar, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { DAY_BUCKET_LABELS, labelOf } from "../recovery/words";
import { percent, type DashboardMetrics } from "./figures";

export function ConsumptionCard({ consumption }: { consumption: DashboardMetrics["consumption"] }) {
  return (
    <SectionCard section="oneHalf" title="Consumption and breakage">
      {consumption.consumptionRate === null ? (
        <Text as="p">No issued offer has been used or expired yet: consumption shows once offers settle.</Text>
      ) : (
        <BlockStack gap="200">
          <ProgressBar
            progress={Math.round(consumption.consumptionRate * 100)}
            tone="success"
            ariaLabelledBy="consumption-label"
          />
          <Text as="p" id="consumption-label">
            {`${percent(consumption.consumptionRate)} used, ${percent(consumption.breakageRate)} never used (${consumption.redeemed} of ${consumption.settled} settled offers redeemed).`}
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            Healthy breakage is around 10–15%; offers nobody uses are the wrong offers.
          </Text>
        </BlockStack>
      )}
    </SectionCard>
  );
}

export function TimeToOfferCard({ timeToOffer }: { timeToOffer: DashboardMetrics["timeToOffer"] }) {
  return (
    <SectionCard section="oneHalf" title="Time to offer">
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric"]}
        headings={["Offer arrived", "Offers", "Came back", "Recovery rate"]}
        rows={timeToOffer.map((b) => [
          labelOf(DAY_BUCKET_LABELS, b.bucket),
          b.offers,
          b.wonBack,
          percent(b.recoveryRate),
        ])}
      />
      <Text as="p" tone="subdued" variant="bodySm">
        Counted from when the failure began to when the offer was issued, in shop-local days.
      </Text>
    </SectionCard>
  );
}
