/** The four figures a merchant looks at first: revenue won back, return, offers issued, discount used. */
import { InlineGrid } from "@shopify/polaris";
import { MetricCard, moneyIn, type DashboardMetrics } from "./figures";

export function HeadlineMetrics({ metrics, currency }: { metrics: DashboardMetrics; currency: string }) {
  const money = moneyIn(currency);
  const roi = metrics.returnOnInvestment;
  const issuedOffers = metrics.timeToOffer.reduce((n, b) => n + b.offers, 0);
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
      <MetricCard
        label="Revenue won back"
        value={money(roi.revenueWonBackMinor)}
        note={`Holdout: ${money(roi.holdoutRevenueWonBackMinor)}`}
      />
      <MetricCard
        label="Return on offers"
        value={roi.roi === null ? "–" : `${roi.roi >= 0 ? "" : "−"}${Math.abs(roi.roi).toFixed(1)}×`}
        note={
          roi.incrementalRevenueMinor === null
            ? "Needs a holdout group and used offers"
            : `Incremental revenue ${money(roi.incrementalRevenueMinor)} against ${money(roi.cost.usedMinor)} used`
        }
      />
      <MetricCard
        label="Offers issued"
        value={String(issuedOffers)}
        note={`Face value ${money(roi.cost.faceValueIssuedMinor)}`}
      />
      <MetricCard
        label="Discount actually used"
        value={money(roi.cost.usedMinor)}
        note="What customers redeemed; unused offers cost nothing"
      />
    </InlineGrid>
  );
}
