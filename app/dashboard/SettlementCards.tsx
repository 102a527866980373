/** How issued offers settle: how many were used (consumption and breakage), and how fast they arrived. */
import { BlockStack, DataTable, ProgressBar, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { DAY_BUCKET_LABELS, SEVERITY_LABELS, labelOf } from "../recovery/words";
import { percent, type DashboardMetrics } from "./figures";

export function ConsumptionCard({ consumption }: { consumption: DashboardMetrics["consumption"] }) {
  return (
    <SectionCard section="oneHalf" title="Consumption and breakage">
      {consumption.consumptionRate === null ? (
        <Text as="p">
          {consumption.open > 0
            ? `${consumption.open} issued offers are still open: consumption shows once their time to be used is over, used or not.`
            : "No issued offer has reached its expiry yet: consumption shows once offers settle."}
        </Text>
      ) : (
        <BlockStack gap="200">
          <ProgressBar
            progress={Math.round(consumption.consumptionRate * 100)}
            tone="success"
            ariaLabelledBy="consumption-label"
          />
          <Text as="p" id="consumption-label">
            {`${percent(consumption.consumptionRate)} used, ${percent(consumption.breakageRate)} never used (${consumption.redeemed} of ${consumption.settled} offers past their expiry were redeemed; ${consumption.open} still open).`}
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
    <SectionCard
      section="oneHalf"
      title="Time to offer"
      description="How often customers ordered again, by how soon their make-good arrived, within each severity and approval route. A comparison, not a cause: timing is not assigned at random."
    >
      {timeToOffer.length === 0 ? (
        <Text as="p">Shown once issued make-goods have been followed for their full window.</Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
          headings={["Severity", "Approval", "Arrived", "Offers", "Ordered again (95%)"]}
          rows={timeToOffer.map((r) => [
            labelOf(SEVERITY_LABELS, r.severity),
            r.route === "AUTOMATIC" ? "Automatic" : "Staff",
            labelOf(DAY_BUCKET_LABELS, r.bucket),
            r.offers,
            `${percent(r.rate)} (${r.interval ? `${Math.round(r.interval.low * 100)}–${Math.round(r.interval.high * 100)}%` : "–"})`,
          ])}
        />
      )}
      <Text as="p" tone="subdued" variant="bodySm">
        Counted from when the failure began to when the offer was issued, in shop-local days.
      </Text>
    </SectionCard>
  );
}
