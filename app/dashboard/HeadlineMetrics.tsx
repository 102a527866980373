/**
 * The four figures a merchant looks at first: extra revenue and return from the latest readout
 * (against the holdout, with 95% intervals), then the period's offers issued and value used.
 */
import { InlineGrid } from "@shopify/polaris";
import { MetricCard, moneyIn, type DashboardMetrics } from "./figures";

const times = (value: number) => `${value < 0 ? "−" : ""}${Math.abs(value).toFixed(1)}×`;

export function HeadlineMetrics({ metrics, currency }: { metrics: DashboardMetrics; currency: string }) {
  const money = moneyIn(currency);
  const latest = metrics.experiment.readouts[metrics.experiment.readouts.length - 1];
  const revenue = latest?.revenue ?? null;
  const waiting = latest ? "Needs 30 incidents in each group" : "Shown at the first readout";
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
      <MetricCard
        label="Extra revenue from make-goods"
        value={revenue ? money(revenue.incrementalMinor.value) : "Not yet"}
        note={
          revenue
            ? `${revenue.incrementalMinor.interval ? `95%: ${money(revenue.incrementalMinor.interval.low)} to ${money(revenue.incrementalMinor.interval.high)}; ` : ""}first orders back, beyond the holdout's rate (readout ${latest?.round})`
            : waiting
        }
      />
      <MetricCard
        label="Return on make-goods (revenue)"
        value={revenue?.roi ? times(revenue.roi.value) : "Not yet"}
        note={
          revenue?.roi
            ? `${revenue.roi.interval ? `95%: ${times(revenue.roi.interval.low)} to ${times(revenue.roi.interval.high)}; ` : ""}extra revenue less make-good cost, per unit of value used`
            : revenue
              ? "No make-good value used yet"
              : waiting
        }
      />
      <MetricCard
        label="Offers issued"
        value={String(metrics.issuedCount)}
        note={`Face value ${money(metrics.cost.faceValueIssuedMinor)}, this period`}
      />
      <MetricCard
        label="Make-good value used"
        value={money(metrics.cost.usedMinor)}
        note="What customers redeemed this period; unused offers cost nothing"
      />
    </InlineGrid>
  );
}
